"""The import of a register too long to check in a request, run by a job: the same
check and the same all-or-nothing write as the import page's confirmation
(``import_commit``), on the file the job keeps (docs/decisions.md "Big exports and
imports as jobs")."""

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs import jobs
from lkks.models import Body
from members.imports.planning import CREATE, UNCHANGED, UPDATE, ImportPlan
from members.imports.reading import ImportFileError
from members.imports.writing import ImportConflictError, import_commit

# The errors a failed job lists; the rest are counted.
ERRORS_SHOWN = 10


def start_import(request, *, body, content: bytes, filename: str, return_url: str):
    """Start the job that checks and imports a kept upload into ``body``."""
    return jobs.start(
        request.user,
        import_register,
        title=_("Import of %(file)s") % {"file": filename},
        kind="import",
        body=body,
        return_url=return_url,
        source=content,
        source_name=filename,
        body_id=body.pk,
        language=translation.get_language(),
    )


def errors_message(plan: ImportPlan) -> str:
    """Why nothing was imported: how many errors, and the first of them by row and
    column."""
    shown = "; ".join(
        _("row %(row)s, %(column)s: %(problem)s")
        % {"row": error.row, "column": error.column or "–", "problem": error.message}
        for error in plan.errors[:ERRORS_SHOWN]
    )
    count = len(plan.errors)
    return ngettext(
        "The file has %(count)s error; nothing was imported. Correct the file and upload it "
        "again. The error: %(errors)s",
        "The file has %(count)s errors; nothing was imported. Correct the file and upload it "
        "again. The first errors: %(errors)s",
        count,
    ) % {"count": number_format(count, force_grouping=True), "errors": shown}


def done_message(plan: ImportPlan) -> str:
    counts = plan.counts
    return _(
        "The file was imported: %(created)s new LKS, %(updated)s updated, %(unchanged)s unchanged."
    ) % {
        "created": counts[CREATE],
        "updated": counts[UPDATE],
        "unchanged": counts[UNCHANGED],
    }


@jobs.job_task
def import_register(job, *, body_id, language):
    with translation.override(language):
        # Staff of the body when the job runs, not only when it was asked for.
        body = Body.objects.editable_by(job.user).filter(pk=body_id).first()
        if body is None:
            raise jobs.JobFailed(_("Your account may no longer change this body's register."))
        with job.source.open("rb") as source:
            content = source.read()
        try:
            plan = import_commit(body=body, content=content, user=job.user, progress=job.progress)
        except (ImportFileError, ImportConflictError) as error:
            raise jobs.JobFailed(str(error)) from error
        if not plan.written:
            raise jobs.JobFailed(errors_message(plan))
        job.message = done_message(plan)
