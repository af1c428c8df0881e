"""Exports too long for a request, written by a job (docs/decisions.md "Big exports and
imports as jobs").

``lkks.exports`` decides when an export goes to a job and writes the file; this module
holds the tasks and starts them, since a job may read any app's list (the lists of the
ground's letters, the register, programs, grants) and the comparison of bodies. It is
registered as the exports' background in ``OverviewConfig.ready``.

A task gets only names and strings (the view's path, the body's slug, the query string
of the list, the language of the click) and replays the list for the job's user as
they may read it when it runs: never more than their list showed them.
"""

import tempfile
from pathlib import Path

from django.shortcuts import redirect
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jobs import jobs
from lkks import access, exports


def _view_path(view) -> str:
    return f"{type(view).__module__}.{type(view).__qualname__}"


def start_list_export(request, *, view, body, file_format, filename):
    """Start the job that exports a list, and lead the user to its page."""
    job = jobs.start(
        request.user,
        export_list,
        title=_("Export of %(list)s (%(format)s)")
        % {
            "list": capfirst(view.model._meta.verbose_name_plural),
            "format": file_format.upper(),
        },
        kind="export",
        body=body,
        return_url=view.export_list_url(),
        view=_view_path(view),
        body_slug=body.slug,
        query=request.GET.urlencode(),
        file_format=file_format,
        filename=filename,
        language=translation.get_language(),
    )
    return redirect(job)


def _written(job, *, filename, file_format, write):
    """Write the file with ``write(path)`` into a temporary folder and keep it as the
    job's result."""
    with tempfile.TemporaryDirectory(prefix="lkks-export-") as folder:
        path = Path(folder) / f"{filename}.{file_format}"
        write(path)
        job.save_result(path.name, path)


@jobs.job_task
def export_list(job, *, view, body_slug, query, file_format, filename, language):
    view_class = import_string(view)
    if not issubclass(view_class, exports.ListExportMixin):
        raise TypeError(f"{view} is not a list export")
    with translation.override(language):
        try:
            replayed = exports.replay_list(
                view_class, user=job.user, body_slug=body_slug, query=query
            )
        except exports.ExportRefused as error:
            raise jobs.JobFailed(str(error)) from error
        _written(
            job,
            filename=filename,
            file_format=file_format,
            write=lambda path: exports.write_list_export(
                replayed, path=path, file_format=file_format, progress=job.progress
            ),
        )


def start_comparison_export(request, *, year, file_format, filename):
    """Start the job that exports the comparison of the user's bodies for ``year``."""
    job = jobs.start(
        request.user,
        export_comparison,
        title=_("Comparison of bodies %(year)s (%(format)s)")
        % {"year": year, "format": file_format.upper()},
        kind="export",
        return_url=f"{request.path.removesuffix('export/')}?year={year}",
        year=year,
        file_format=file_format,
        filename=filename,
        language=translation.get_language(),
    )
    return redirect(job)


@jobs.job_task
def export_comparison(job, *, year, file_format, filename, language):
    # Imported here: the views start this task.
    from overview import dashboard
    from overview.views import comparable_bodies

    with translation.override(language):
        try:
            # The bodies the user may compare when the job runs, not when it was asked.
            bodies = comparable_bodies(job.user)
        except access.Refused as error:
            raise jobs.JobFailed(str(error)) from error
        job.progress(0, 1)
        board = dashboard.comparison(bodies, year, years=dashboard.fiscal_years(bodies))
        headers, rows = dashboard.comparison_table(board)
        _written(
            job,
            filename=filename,
            file_format=file_format,
            write=lambda path: exports.write_export(
                path, file_format=file_format, headers=headers, rows=rows, title=str(year)
            ),
        )
        job.progress(1, 1)
