"""Import of the LKS register from a spreadsheet (XLSX or CSV), and the same
spreadsheet as an export.

``import_preview`` reads a file and says, row by row, what importing it would do and
what is wrong with it; ``import_commit`` reads and checks the file again and imports
it, in one transaction, only when no row is wrong. Nothing of the preview is trusted:
the register may have changed since.

The steps, one module each:

- ``reading``: the file's rows and cells (XLSX or CSV), its header, the limits;
  ``cells``: one cell as a date, a number or one of the register's words.
- ``matching``: the file's columns to the register's fields, names as they are
  compared, and each row to the LKS of the register it is about.
- ``planning`` (with ``records`` and ``checking``): what each row will create or
  change, and every error by row and column.
- ``writing``: everything in one transaction, or nothing.
- ``export``: the register as a spreadsheet that imports back unchanged.
"""

from members.imports.cells import (
    NOT_REGISTERED,
    REGISTERED,
    SUBMITTED,
    CellError,
    date_value,
    grade_value,
    kind_value,
    status_value,
    whole_number_value,
)
from members.imports.export import export_queryset, export_row, template_rows
from members.imports.matching import COLUMNS, HEADERS
from members.imports.planning import (
    CREATE,
    INVALID,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    import_preview,
)
from members.imports.reading import ImportFileError
from members.imports.writing import ImportConflictError, import_commit

__all__ = [
    "COLUMNS",
    "CREATE",
    "HEADERS",
    "INVALID",
    "NOT_REGISTERED",
    "REGISTERED",
    "SUBMITTED",
    "UNCHANGED",
    "UPDATE",
    "CellError",
    "ImportConflictError",
    "ImportFileError",
    "ImportPlan",
    "date_value",
    "export_queryset",
    "export_row",
    "grade_value",
    "import_commit",
    "import_preview",
    "kind_value",
    "status_value",
    "template_rows",
    "whole_number_value",
]
