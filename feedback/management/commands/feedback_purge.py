"""For cron: mask the senders' names, phone numbers and e-mail addresses of messages closed longer ago than the
retention period (the messages and their counts stay for the annual report).

python manage.py feedback_purge [--dry-run]
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback import services


class Command(BaseCommand):
    help = "Mask senders' contact details of closed feedback messages after the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        messages = list(services.messages_due_for_purge())
        for message in messages:
            if not dry_run:
                services.message_purge_contact(message=message)
            self.stdout.write(message.tracking_number)
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{len(messages)} message(s) {verb} (retention {settings.FEEDBACK_RETENTION_DAYS} days).")
