from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new time-stamped folder."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.VAR_DIR / "backups"), help="Folder that receives backups.")

    def handle(self, *args, to, **options):
        try:
            result = backup_create(root=Path(to))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if result.media_files is None:
            self.stdout.write(
                f"Backup written to {result.folder} ({result.database_file.name}). Uploaded files are in object "
                "storage (MEDIA_S3_BUCKET) and NOT in this backup: back up the bucket with its own tools."
            )
            return
        self.stdout.write(
            f"Backup written to {result.folder} ({result.database_file.name}, {result.media_files} uploaded files)."
        )
