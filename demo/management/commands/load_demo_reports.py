"""Demo annual reports: `manage.py load_demo_reports` (idempotent; run after load_demo)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.progress import add_progress_argument, command_progress
from demo.reports import load_demo_reports


class Command(BaseCommand):
    help = (
        "Add the demo annual reports: the 2021-2022 seed report imported as written, and a report compiled "
        "from the demo records of the latest complete academic year. Does nothing for reports already there."
    )

    def add_arguments(self, parser):
        add_progress_argument(parser)

    def handle(self, *args, **options):
        done = load_demo_reports(progress=command_progress(self, options))
        self.stdout.write(self.style.SUCCESS("; ".join(done)) if done else "The demo reports are already there.")
