"""Import a plain-text annual report written elsewhere as a published historical report."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annual_reports import services
from annual_reports.importer import import_note_text
from core.progress import add_progress_argument, command_progress


class Command(BaseCommand):
    help = (
        "Import a plain-text annual report (UTF-8) for an academic year, e.g. "
        "`import_annual_report report.txt --year 2021` for 2021-2022: sections are found by their headings, "
        "the text is kept as written, and what could not be mapped is recorded on the report."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the text file")
        parser.add_argument("--year", type=int, required=True, help="first calendar year: 2021 for 2021-2022")
        parser.add_argument("--title", default="", help="title (default: the file's first line)")
        parser.add_argument("--published-on", default="", help="publication date, YYYY-MM-DD (default: unknown)")
        add_progress_argument(parser)

    def handle(self, *args, **options):
        path = Path(options["file"])
        published_on = None
        if options["published_on"]:
            try:
                published_on = datetime.date.fromisoformat(options["published_on"])
            except ValueError:
                raise CommandError("--published-on must be a date like 2022-10-31.") from None
        # Two steps: reading the file, then finding its sections and storing the report.
        with command_progress(self, options)(f"Importing {path.name}", 2) as bar:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from None
            bar.advance()
            try:
                report = services.annual_report_import(
                    text=text, year=options["year"], title=options["title"], published_on=published_on
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            bar.advance()
        self.stdout.write(self.style.SUCCESS(f"Imported {report.label}: {report.title}"))
        for note in report.import_notes:
            self.stdout.write(f"  - {import_note_text(note)}")
