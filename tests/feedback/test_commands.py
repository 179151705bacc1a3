import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from feedback import services
from feedback.models import Channel, FeedbackEventKind
from tests.factories import StaffFactory
from tests.feedback.factories import make_message

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_reminders_go_to_the_assignee_or_the_channel_staff(time_machine):
    time_machine.move_to(datetime.datetime(2024, 10, 21, 10, tzinfo=SHANGHAI))
    office = StaffFactory(username="office", email="office@example.edu.cn")
    assignee = StaffFactory(username="handler", email="handler@example.edu.cn")
    late, _c = make_message(subject="过期的咨询", email="", now=datetime.datetime(2024, 10, 8, 9, tzinfo=SHANGHAI))
    services.message_assign(message=late, user=office, assignee=assignee)
    make_message(subject="今天的咨询", email="", now=datetime.datetime(2024, 10, 21, 9, tzinfo=SHANGHAI))
    make_message(
        channel=Channel.COMPLAINT,
        subject="临近期限的投诉",
        email="",
        now=datetime.datetime(2024, 9, 27, 9, tzinfo=SHANGHAI),
    )
    mail.outbox.clear()
    out = StringIO()
    call_command("feedback_reminders", "--days", "2", stdout=out)
    text = out.getvalue()
    assert "过期的咨询" in text and "逾期 5 个工作日" in text
    assert "临近期限的投诉" in text and "今天的咨询" not in text
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "过期的咨询" in by_address["handler@example.edu.cn"]
    assert "临近期限的投诉" in by_address["office@example.edu.cn"]  # unassigned: the channel's staff
    assert "过期的咨询" not in by_address["office@example.edu.cn"]


def test_purge_masks_contact_details_of_old_closed_messages(time_machine, settings):
    settings.FEEDBACK_RETENTION_DAYS = 30
    time_machine.move_to(datetime.datetime(2024, 1, 10, 10, tzinfo=SHANGHAI))
    old, _c = make_message()
    services.message_answer(message=old, user=None, reply="答复")
    services.message_close(message=old, user=None)
    still_open, _c = make_message()
    time_machine.move_to(datetime.datetime(2024, 3, 1, 10, tzinfo=SHANGHAI))
    out = StringIO()
    call_command("feedback_purge", "--dry-run", stdout=out)
    assert old.tracking_number in out.getvalue()
    old.refresh_from_db()
    assert old.contact_purged_at is None
    call_command("feedback_purge", stdout=StringIO())
    old.refresh_from_db()
    assert (old.name, old.phone, old.email) == ("李**", "139****5678", "l***@example.com")
    assert old.events.filter(kind=FeedbackEventKind.CONTACT_PURGED).exists()
    still_open.refresh_from_db()
    assert still_open.phone == "13912345678"
    assert services.messages_due_for_purge().count() == 0
