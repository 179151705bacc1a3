"""Fill the site with demo disclosures: `manage.py load_demo`. Runs once; a second run does nothing."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from core.progress import add_progress_argument, command_progress
from demo import generator as demo


class Command(BaseCommand):
    help = (
        "Load realistic demo disclosures in all fourteen categories (academic years 2023-2024 to today), "
        f"with attachments, written by the inactive user {demo.DEMO_USERNAME!r}. Does nothing if they are there."
    )

    def add_arguments(self, parser):
        add_progress_argument(parser)

    def handle(self, *args, **options):
        existing = demo.existing_count()
        if existing:
            self.stdout.write(
                f"The demo content is already there ({existing} items by {demo.DEMO_USERNAME!r}); nothing was added."
            )
            return
        started = time.monotonic()
        summary = demo.load_demo(progress=command_progress(self, options))
        self.stdout.write(self.style.SUCCESS(f"{summary.line()} ({time.monotonic() - started:.1f} s)"))
