"""Retention (issue 14): after the retention period every personal field of an application or a message is masked
or deleted, personal numbers in free text too, applications left at "replied" included; the statistics keep the
applicant type, the dates and the outcome."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from requests_app import services
from requests_app.models import DisclosureApplication
from requests_app.statistics import application_statistics
from tests.feedback.factories import make_message
from tests.requests_app.factories import make_application
from tests.scans import BANK_CARD, MOBILE, VALID_ID

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(*args):
    return datetime.datetime(*args, 10, 0, tzinfo=BEIJING)


PERSONAL = ("张三丰", "三丰", VALID_ID, MOBILE, BANK_CARD, "13812345678", "zhang@example.com", "海淀区某路1号")


def assert_nothing_personal(*texts):
    joined = "\n".join(texts)
    for secret in PERSONAL:
        assert secret not in joined


def test_a_replied_application_is_purged_of_every_personal_field(staff_user, settings):
    settings.APPLICATION_RETENTION_DAYS = 30
    with time_machine.travel(at(2025, 3, 3), tick=False):
        application, _ = make_application(
            description=f"本人张三丰（身份证 {VALID_ID}）申请公开2024年奖学金发放记录，回电 {MOBILE}",
            purpose=f"核对打入银行卡 {BANK_CARD} 的款项",
        )
        services.application_reply(
            application=application, user=staff_user, kind="disclosed", letter="张三丰先生：您申请的信息予以公开。"
        )
    before = application_statistics(start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31))
    with time_machine.travel(at(2025, 4, 20), tick=False):
        out = StringIO()
        call_command("application_purge", stdout=out)  # before: a replied application was never purged
    assert application.tracking_number in out.getvalue()
    application = DisclosureApplication.objects.get(pk=application.pk)
    assert application.personal_data_purged_at is not None
    fields = [getattr(application, field.attname) for field in DisclosureApplication._meta.concrete_fields]
    assert_nothing_personal(*(str(value) for value in fields))
    assert_nothing_personal(*application.events.values_list("message", flat=True))
    assert application.name == "张**" and application.phone == "138****5678"
    assert "奖学金发放记录" in application.description  # the request itself stays readable
    # The statistics count the same as before.
    after = application_statistics(start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31))
    assert after == before
    assert application.applicant_type and application.submitted_at and application.reply_kind == "disclosed"


def test_recent_replies_keep_their_data(staff_user, settings):
    settings.APPLICATION_RETENTION_DAYS = 30
    with time_machine.travel(at(2025, 3, 3), tick=False):
        application, _ = make_application()
        services.application_reply(application=application, user=staff_user, kind="disclosed", letter="公开")
    with time_machine.travel(at(2025, 3, 20), tick=False):
        assert not services.applications_due_for_purge().exists()


def test_feedback_purge_masks_numbers_inside_the_text(settings):
    settings.FEEDBACK_RETENTION_DAYS = 30
    with time_machine.travel(at(2024, 1, 10), tick=False):
        message, _code = make_message(
            name="张三丰",
            text=f"张三丰，身份证 {VALID_ID}，手机 {MOBILE}，银行卡 {BANK_CARD}，奖学金何时发放？",
        )
        feedback_services.message_answer(message=message, user=None, reply="张三丰同学：本月发放。")
        feedback_services.message_note(message=message, user=None, note=f"已电话联系 {MOBILE}")
    with time_machine.travel(at(2024, 3, 1), tick=False):
        call_command("feedback_purge", stdout=StringIO())  # answered, never closed: purged as well
    message = FeedbackMessage.objects.get(pk=message.pk)
    assert message.contact_purged_at is not None
    assert_nothing_personal(message.name, message.phone, message.email, message.subject, message.text, message.reply)
    assert_nothing_personal(*message.events.values_list("note", flat=True))
    assert "奖学金何时发放" in message.text and "1101**********002X" in message.text


def test_feedback_purge_masks_a_name_and_student_number_given_in_the_text(settings):
    """Before: "我是李四，学号 2021012345" stayed after the purge when the form's name field was empty."""
    settings.FEEDBACK_RETENTION_DAYS = 30
    with time_machine.travel(at(2024, 1, 10), tick=False):
        message, _code = make_message(name="", text="我是李四，学号 2021012345，QQ 12345678，想问奖学金何时发放？")
        feedback_services.message_answer(message=message, user=None, reply="已发放。")
    with time_machine.travel(at(2024, 3, 1), tick=False):
        call_command("feedback_purge", stdout=StringIO())
    message = FeedbackMessage.objects.get(pk=message.pk)
    for secret in ("李四", "2021012345", "12345678"):
        assert secret not in message.text
    assert "想问奖学金何时发放" in message.text
