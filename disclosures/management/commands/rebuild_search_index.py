"""Rebuild the full-text search index: `manage.py rebuild_search_index [--extract]`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from core.progress import add_progress_argument, command_progress
from disclosures import search


class Command(BaseCommand):
    help = (
        "Rebuild the search index of published disclosures. Attachments whose text was never extracted are "
        "read first; --extract reads every attachment again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--extract", action="store_true", help="Extract the text of every attachment again.")
        add_progress_argument(parser)

    def handle(self, *args, extract: bool = False, **options):
        started = time.monotonic()
        count = search.rebuild(extract=extract, progress=command_progress(self, options))
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} published disclosures ({time.monotonic() - started:.1f} s).")
        )
