"""For cron (daily): lapse unanswered clarifications, then e-mail handlers about applications due soon or overdue.

python manage.py application_reminders [--days 3] [--dry-run]
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app import services
from requests_app.deadlines import working_days_remaining
from requests_app.models import DisclosureApplication
from requests_app.permissions import HANDLE_PERMISSION


def _fallback_recipients() -> list[str]:
    """Without a handler, reminders go to every active staff member who may handle applications."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted({user.email for user in users if user.has_perm(HANDLE_PERMISSION)})


class Command(BaseCommand):
    help = "E-mail handlers about applications due within N working days and overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.APPLICATION_REMINDER_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; change nothing.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        today = timezone.localdate()
        if not dry_run:
            for application in services.applications_lapse_unanswered_clarifications(today=today):
                self.stdout.write(f"{application.tracking_number}: no clarification received, treated as withdrawn")
            for application in services.applications_lapse_unpaid_fees(today=today):
                self.stdout.write(f"{application.tracking_number}: fee not paid in time, no longer handled")
        calendar = services.application_calendar()
        lines: dict[str, list[str]] = defaultdict(list)
        fallback = None
        count = 0
        applications = DisclosureApplication.objects.open().select_related("handler").prefetch_related("events")
        due = services.applications_due_within(applications, fewest=None, most=days, calendar=calendar, today=today)
        for application in due:
            deadline = services.application_deadline(application, calendar=calendar)
            left = working_days_remaining(deadline.due_on, today, calendar)
            count += 1
            values = {"number": application.tracking_number, "due": f"{deadline.due_on:%Y-%m-%d}", "days": abs(left)}
            if left < 0:
                line = _("%(number)s: due %(due)s, overdue by %(days)s working days") % values
            else:
                line = _("%(number)s: due %(due)s, %(days)s working days left") % values
            if application.handler and application.handler.email:
                recipients = [application.handler.email]
            else:
                fallback = fallback if fallback is not None else _fallback_recipients()
                recipients = fallback
            for email in recipients:
                lines[email].append(line)
            self.stdout.write(line)
        for email, items in lines.items():
            if dry_run:
                continue
            send_mail(
                f"[{settings.PORTAL_SITE_NAME}] "
                + _("Applications for disclosure: %(count)s due soon or overdue") % {"count": len(items)},
                _("These applications are due soon or overdue:") + "\n\n" + "\n".join(items),
                None,
                [email],
            )
        self.stdout.write(f"{count} application(s) due within {days} working days or overdue; {len(lines)} e-mail(s).")
