"""Import of the LKS register from a spreadsheet (XLSX or CSV), and the same
spreadsheet as an export.

``import_preview`` reads a file and says, row by row, what importing it would do and
what is wrong with it; ``import_commit`` reads and checks the file again and imports
it, in one transaction, only when no row is wrong. Nothing of the preview is trusted:
the register may have changed since.

The steps, one module each:

- ``reading``: the file's rows and cells (XLSX or CSV), its header, the limits;
  ``cells``: one cell as a date, a number or one of the register's words.
- ``fields``: what a spreadsheet of LKS can hold, and the names people give it;
  ``matching``: the file's columns to those fields, names as they are compared, and
  each row to the LKS of the register it is about; ``mapping``: how the staff said
  files of one shape are read, remembered per body; ``vocabulary``: what the words of
  free-text services mean.
- ``planning`` (with ``records`` and ``checking``): what each row will create or
  change, and every error by row and column.
- ``writing``: everything in one transaction, or nothing.
- ``tasks``: the same check and write as a job, for a file too long for a request.
- ``export``: the register as a spreadsheet that imports back unchanged.
- ``forms``: the column mapping and the unknown words, as the import page asks them.
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
from members.imports.fields import COLUMNS, HEADERS
from members.imports.mapping import free_name, remember_mapping
from members.imports.planning import (
    CREATE,
    INVALID,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    import_preview,
    read_layout,
)
from members.imports.reading import ImportFileError, Layout, add_samples, count_rows
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
    "Layout",
    "add_samples",
    "count_rows",
    "date_value",
    "export_queryset",
    "export_row",
    "free_name",
    "grade_value",
    "import_commit",
    "import_preview",
    "kind_value",
    "read_layout",
    "remember_mapping",
    "status_value",
    "template_rows",
    "whole_number_value",
]
