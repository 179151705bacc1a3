"""Check the working-day calendar by hand: `manage.py workdays --from 2025-09-22 --add 15`."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from core.workdays import load_calendar


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date in YYYY-MM-DD form: {value!r}") from None


class Command(BaseCommand):
    help = "Print the date N working days after a date (the date itself not counted)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=_date, help="Start date, YYYY-MM-DD.")
        parser.add_argument("--add", dest="days", required=True, type=int, help="Number of working days.")

    def handle(self, *args, start: datetime.date, days: int, **options):
        if days < 0 or days > 1000:
            raise CommandError("--add takes a number of working days from 0 to 1000.")
        result = load_calendar().add_working_days(start, days)
        line = result.date.isoformat()
        if result.provisional:
            line += "  (provisional: no official holiday schedule for part of this period)"
        self.stdout.write(line)
