"""``python manage.py import_members FILE --body SLUG [--mapping NAME] [--dry-run]``: the
import page's work from the command line. Reads the file with the body's mapping of
that name (saved on the import page), else with the one saved for files of its shape,
else by its column names. Prints the same row-by-row preview and errors; writes
nothing when any row has an error, or with ``--dry-run``; exits non-zero on errors."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from lkks.models import Body
from members import imports
from members.models import ImportMapping

ACTION_LABELS = {
    imports.CREATE: "new",
    imports.UPDATE: "update",
    imports.UNCHANGED: "unchanged",
    imports.INVALID: "error",
}


class Command(BaseCommand):
    help = "Import the LKS register of a body from a spreadsheet (XLSX or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XLSX or CSV file")
        parser.add_argument("--body", required=True, help="the short name (slug) of the body")
        parser.add_argument(
            "--mapping",
            help="the name of a column mapping of the body, saved on the import page",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what it would do, without writing anything",
        )

    def handle(self, *args, **options):
        body = Body.objects.select_related("regency").filter(slug=options["body"]).first()
        if body is None:
            raise CommandError(f"No body has the short name {options['body']!r}.")
        mapping = None
        if options["mapping"]:
            mapping = ImportMapping.objects.for_body(body).filter(name=options["mapping"]).first()
            if mapping is None:
                names = ", ".join(
                    ImportMapping.objects.for_body(body).values_list("name", flat=True)
                )
                raise CommandError(
                    f"{body.slug} has no mapping called {options['mapping']!r} "
                    f"(it has: {names or 'none'})."
                )
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            if size > settings.UPLOAD_MAX_BYTES:
                raise CommandError(
                    f"The file is {filesizeformat(size)}; at most "
                    f"{filesizeformat(settings.UPLOAD_MAX_BYTES)} is allowed."
                )
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        dry_run = options["dry_run"]
        try:
            if dry_run:
                plan = imports.import_preview(body=body, content=content, mapping=mapping)
            else:
                plan = imports.import_commit(body=body, content=content, mapping=mapping)
        except (imports.ImportFileError, imports.ImportConflictError) as error:
            raise CommandError(str(error)) from error
        self.show(plan, verbose=options["verbosity"] >= 1)
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} error(s) in the file; nothing was imported.")
        counts = plan.counts
        summary = (
            f"{counts[imports.CREATE]} new, {counts[imports.UPDATE]} updated, "
            f"{counts[imports.UNCHANGED]} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Dry run: {summary}; nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported into {body.slug}: {summary}."))

    def show(self, plan, *, verbose):
        for notice in plan.notices:
            self.stdout.write(f"Notice: {notice}")
        for word in plan.unknown_words.values():
            rows = ", ".join(map(str, word.rows))
            self.stdout.write(f"Notice: the word {word.word!r} (rows {rows}) is not known.")
        if verbose:
            for row in plan.rows:
                details = "; ".join([*row.changes, *row.notices])
                line = f"Row {row.row}: {ACTION_LABELS[row.action]} {row.name}"
                self.stdout.write(f"{line} ({details})" if details else line)
        for error in plan.errors:
            column = f", {error.column}" if error.column else ""
            self.stderr.write(f"Row {error.row}{column}: {error.message}")
