"""For cron (daily): e-mail the staff about consultations, complaints and mailbox messages due soon or overdue.

python manage.py feedback_reminders [--days 2] [--dry-run]
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from feedback import services


class Command(BaseCommand):
    help = "E-mail the assignee (or the channel's staff) about messages due within N working days and overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.FEEDBACK_REMINDER_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send nothing.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        lines: dict[str, list[str]] = defaultdict(list)
        found = services.messages_due_soon(days=days)
        for message, left in found:
            status = f"逾期 {-left} 个工作日" if left < 0 else f"剩余 {left} 个工作日"
            where = message.mailbox.name if message.mailbox else message.get_channel_display()
            line = f"{message.tracking_number}  {where}  {message.subject}  {status}"
            if message.assignee and message.assignee.email:
                recipients = [message.assignee.email]
            else:
                recipients = services.message_recipients(message)
            for email in recipients:
                lines[email].append(line)
            self.stdout.write(line)
        if not dry_run:
            for email, items in lines.items():
                send_mail(
                    f"[{settings.PORTAL_SITE_NAME}] 咨询投诉来信：{len(items)} 件即将到期或已逾期",
                    "以下来信即将到期或已逾期，请及时办理：\n\n" + "\n".join(items),
                    None,
                    [email],
                )
        self.stdout.write(f"{len(found)} message(s) due within {days} working days or overdue; {len(lines)} e-mail(s).")
