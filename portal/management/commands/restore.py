from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup folder made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (it holds manifest.json).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        if not yes:
            answer = input(f"Replace the current database and uploaded files with {folder}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing was restored.")
        try:
            manifest = backup_restore(folder=Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not manifest["media_restored"]:
            self.stdout.write(
                f"Restored the database of the backup taken at {manifest['taken_at']}. Uploaded files were not "
                "restored: they are kept in object storage (MEDIA_S3_BUCKET), in the backup or on this site; "
                "restore the bucket (or upload media.tar.gz's files to it) with the object store's tools."
            )
            return
        self.stdout.write(
            f"Restored the backup taken at {manifest['taken_at']} ({manifest['media_files']} uploaded files)."
        )
