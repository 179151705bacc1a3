"""Check the external links of every published item (cron, e.g. nightly): ``manage.py check_links``.

Each address is asked once, with a short timeout (``--timeout``, default the LINK_CHECK_TIMEOUT setting);
broken ones are listed on the compliance dashboard. Internal links are checked when an item is published."""

from django.conf import settings
from django.core.management.base import BaseCommand

from disclosures.links import check_external


class Command(BaseCommand):
    help = "Check the external links of the published items; list broken ones on the compliance dashboard."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=settings.LINK_CHECK_TIMEOUT, help="seconds per address")

    def handle(self, *args, timeout, **options):
        broken = check_external(timeout=timeout)
        for url, problem in broken.items():
            self.stdout.write(f"{url}: {problem}")
        self.stdout.write(f"{len(broken)} broken external link(s).")
