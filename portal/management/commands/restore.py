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
        self.stdout.write(
            f"Restored the backup taken at {manifest['taken_at']} ({manifest['media_files']} uploaded files)."
        )
