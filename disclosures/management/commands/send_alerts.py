"""Send the e-mail alerts' digests, and delete the requests left unconfirmed. For cron, e.g.:

    0 7 * * *  cd /srv/portal && .venv/bin/python manage.py send_alerts --frequency daily
    0 7 * * 1  cd /srv/portal && .venv/bin/python manage.py send_alerts --frequency weekly

Each subscription gets one digest per period at most (its last one is recorded), listing the public items
published since; a run that cannot reach the mail server records nothing, so the next run sends them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from disclosures.alerts import services
from disclosures.alerts.models import Frequency


class Command(BaseCommand):
    help = "Send the daily or weekly digests of the e-mail alerts and delete unconfirmed requests."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Frequency.values, required=True)
        parser.add_argument("--dry-run", action="store_true", help="count the digests due, send and change nothing")

    def handle(self, *args, frequency, dry_run, **options):
        sent, seen = services.digests_send(frequency=frequency, dry_run=dry_run)
        purged = 0 if dry_run else services.subscriptions_purge()
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{verb} {sent} digest(s) to {seen} {frequency} subscription(s); {purged} unconfirmed deleted."
        )
