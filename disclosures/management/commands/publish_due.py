"""Publish the scheduled items whose time has come. Meant for cron, e.g. every five minutes:

    */5 * * * *  cd /srv/portal && .venv/bin/python manage.py publish_due

Safe to run from several machines at once: each item is published exactly once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from disclosures import services


class Command(BaseCommand):
    help = "Publish every scheduled disclosure whose publication time has come."

    def handle(self, *args, **options):
        published = services.disclosure_publish_due()
        for disclosure in published:
            self.stdout.write(f"published {disclosure.index_number} {disclosure.title}")
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(published)} item(s) published.")
