"""Remove the files kept for forms sent back with errors and then abandoned (core.pending_uploads)."""

from django.core.management.base import BaseCommand

from core.pending_uploads import purge_expired


class Command(BaseCommand):
    help = "Remove pending uploads older than PENDING_UPLOAD_HOURS (forms sent back with errors, then abandoned)."

    def handle(self, *args, **options):
        removed = purge_expired()
        self.stdout.write(f"Removed {removed} pending upload(s).")
