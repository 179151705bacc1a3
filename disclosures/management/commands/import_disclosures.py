"""Import the old site's items:

    manage.py import_disclosures MANIFEST.xlsx|MANIFEST.csv --files DIR|FILES.zip --reviewer NAME [--dry-run]

A dry run lists every row's problems (in Chinese, with row numbers) and changes nothing. A real run imports the
rows without problems and skips those already imported, so it can be run again after fixing the manifest.
``manage.py import_disclosures --template FILE.xlsx`` writes the manifest template. See disclosures/importer.py.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.progress import add_progress_argument, command_progress
from disclosures import importer


class Command(BaseCommand):
    help = "Import the old site's items from a manifest (XLSX or CSV) and their attachments (a folder or a ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("manifest", nargs="?", help="the manifest, .xlsx or .csv")
        parser.add_argument("--files", help="the folder or ZIP file holding the attachments")
        parser.add_argument("--reviewer", help="user name of the disclosure office reviewer who imports and approves")
        parser.add_argument("--dry-run", action="store_true", help="report every row's problems, change nothing")
        parser.add_argument("--template", metavar="FILE", help="write the manifest template (XLSX) here and stop")
        add_progress_argument(parser)

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(options)

    def _handle(self, options):
        if options["template"]:
            Path(options["template"]).write_bytes(importer.template_xlsx())
            self.stdout.write(_("Template written to %(path)s") % {"path": options["template"]})
            return
        if not options["manifest"]:
            raise CommandError(_("Give the manifest (.xlsx or .csv)."))
        manifest = Path(options["manifest"])
        if not manifest.is_file():
            raise CommandError(_("There is no manifest %(path)s.") % {"path": manifest})
        source = Path(options["files"]) if options["files"] else None
        if source is not None and not source.exists():
            raise CommandError(_("There is no folder or ZIP file %(path)s.") % {"path": source})
        reviewer = None
        if not options["dry_run"]:
            if not options["reviewer"]:
                raise CommandError(
                    _("A real import needs --reviewer: the disclosure office reviewer who imports and approves.")
                )
            reviewer = get_user_model().objects.filter(username=options["reviewer"], is_active=True).first()
            if reviewer is None:
                raise CommandError(_("There is no user %(name)s.") % {"name": options["reviewer"]})
        try:
            rows = importer.read_manifest(manifest.name, manifest.read_bytes())
            rows = importer.check_rows(rows, importer.Files(source))
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        for line in importer.problem_lines(rows):
            self.stdout.write(line)
        good = [row for row in rows if not row.problems]
        already = sum(1 for row in good if row.duplicate)
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "Dry run: %(rows)s row(s), %(good)s can be imported, %(already)s already imported, "
                    "%(bad)s with problems. Nothing was changed."
                )
                % {"rows": len(rows), "good": len(good) - already, "already": already, "bad": len(rows) - len(good)}
            )
            return
        try:
            outcome = importer.import_rows(rows, reviewer=reviewer, progress=command_progress(self, options))
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        for row, disclosure in outcome.held:
            self.stdout.write(
                _("Row %(row)s: %(index)s: the privacy scan found something; left for review, not published.")
                % {"row": row.number, "index": disclosure.index_number}
            )
        self.stdout.write(
            _(
                "Imported and published %(imported)s, left for review %(held)s, skipped as already imported "
                "%(skipped)s, not imported for problems %(failed)s."
            )
            % {
                "imported": len(outcome.imported),
                "held": len(outcome.held),
                "skipped": len(outcome.skipped),
                "failed": len(outcome.failed),
            }
        )
