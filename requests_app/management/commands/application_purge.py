"""For cron: delete ID proofs and mask ID numbers of applications closed longer ago than the retention period.

python manage.py application_purge [--dry-run]
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from requests_app import services


class Command(BaseCommand):
    help = "Purge applicants' ID proofs and mask their ID numbers after the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        applications = list(services.applications_due_for_purge())
        for application in applications:
            if not dry_run:
                services.application_purge_personal_data(application=application)
            self.stdout.write(application.tracking_number)
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(
            f"{len(applications)} application(s) {verb} (retention {settings.APPLICATION_RETENTION_DAYS} days)."
        )
