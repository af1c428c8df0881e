"""Writing: the whole file or nothing, in one transaction.

Why not one service call per row: members.services validates every record with
``full_clean``, and Django checks each CheckConstraint with a database query; that is
about 10 ms per row, 100 s for 10,000 rows. The plan has already checked every record
with the models' own rules; here they are written in bulk with their history. The
database constraints remain the last guard: should one fail, the whole import is
rolled back.
"""

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lkks.models import Body
from members.imports.planning import CREATE, ImportPlan, plan_file
from members.models import (
    Accreditation,
    ImportMapping,
    LegalDocument,
    Organisation,
    Registration,
)

BATCH_SIZE = 1000


class ImportConflictError(Exception):
    """The database refused the import (someone changed the register meanwhile);
    nothing was written."""


@transaction.atomic
def import_commit(
    *,
    body: Body,
    content: bytes,
    user=None,
    mapping: ImportMapping | None = None,
    progress=None,
) -> ImportPlan:
    """Read, check and import the file in one transaction: everything or, when any row
    has an error, nothing (the returned plan has ``written`` False and the errors).
    Raises ImportFileError for a file that cannot be read, ImportConflictError when the
    database refuses a write. ``progress(done, total)`` is told how far the check is
    (by a job)."""
    # One import of a body at a time: the rows are checked against the register as it
    # is under this lock.
    Body.objects.select_for_update().filter(pk=body.pk).first()
    plan = plan_file(body=body, content=content, mapping=mapping, progress=progress)
    if plan.errors:
        return plan
    try:
        with transaction.atomic():
            _write(plan, user)
    except DatabaseError as error:
        raise ImportConflictError(
            _(
                "The register changed while the file was being imported; nothing was "
                "imported. Try again."
            )
        ) from error
    plan.written = True
    return plan


def _write(plan: ImportPlan, user):
    now = timezone.now()
    history = {"batch_size": BATCH_SIZE, "default_user": user, "default_date": now}
    new, changed = [], []
    fields = set()
    for row in plan.rows:
        if row.action == CREATE:
            new.append(row.organisation)
        elif row.organisation_fields:
            row.organisation.updated_at = now
            changed.append(row.organisation)
            fields.update(row.organisation_fields)
    if new:
        bulk_create_with_history(new, Organisation, **history)
    if changed:
        bulk_update_with_history(changed, Organisation, [*sorted(fields), "updated_at"], **history)
    records = {Registration: [], Accreditation: [], LegalDocument: []}
    for row in plan.rows:
        for model, record, fields in (
            (Registration, row.registration, row.registration_fields),
            (Accreditation, row.accreditation, row.accreditation_fields),
            *((LegalDocument, document, fields) for document, fields in row.documents),
        ):
            if record is not None:
                record.organisation = row.organisation  # now saved, with its id
                records[model].append((record, fields))
    for model, planned in records.items():
        new = [record for record, fields in planned if fields is None]
        changed = [record for record, fields in planned if fields is not None]
        if new:
            bulk_create_with_history(new, model, **history)
        if changed:
            for record in changed:
                record.updated_at = now
            fields = sorted({name for _record, names in planned if names for name in names})
            bulk_update_with_history(changed, model, [*fields, "updated_at"], **history)
    served = Organisation.target_groups.through
    served.objects.bulk_create(
        [
            served(organisation=row.organisation, targetgroup=group)
            for row in plan.rows
            for group in row.target_groups
        ],
        batch_size=BATCH_SIZE,
    )
