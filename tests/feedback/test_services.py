import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core import tracking
from core.workdays import WorkingCalendar
from feedback import services, statistics
from feedback.models import (
    Channel,
    ComplaintResult,
    FeedbackEventKind,
    FeedbackMessage,
    Mailbox,
    MessageState,
    SurveyAnswer,
)
from tests.factories import StaffFactory
from tests.feedback.factories import make_message, make_survey

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def staff():
    return StaffFactory(username="office")


def kinds(message):
    return [event.kind for event in message.events.all()]


def test_seeded_mailboxes_and_groups():
    from django.contrib.auth.models import Group

    assert list(Mailbox.objects.values_list("name", flat=True)) == ["书记信箱", "校长信箱"]
    group = Group.objects.get(name="在线咨询受理")
    assert set(group.permissions.values_list("codename", flat=True)) == {"handle_consultation", "view_consultation"}
    assert Group.objects.get(name="领导信箱阅处").permissions.filter(codename="handle_mailbox").exists()


def test_consultation_round_trip(staff):
    message, code = make_message()
    assert message.tracking_number.startswith("ZX") and message.state == MessageState.NEW
    assert tracking.access_code_verify(code, message.access_code_hash)
    to_sender = [m for m in mail.outbox if m.to == ["lisi@example.com"]]
    assert len(to_sender) == 1 and code in to_sender[0].body  # confirmation with the code
    services.message_assign(message=message, user=staff, assignee=staff, note="请招生处提供链接")
    assert message.state == MessageState.IN_PROGRESS and message.assignee == staff
    services.message_note(message=message, user=staff, note="已联系招生处")
    services.message_answer(message=message, user=staff, reply="请见信息公开目录“招生考试信息”栏目。", publish=True)
    message.refresh_from_db()
    assert message.state == MessageState.ANSWERED and message.is_published
    assert list(FeedbackMessage.objects.on_board()) == [message]
    assert "招生考试信息" in mail.outbox[-1].body
    services.message_close(message=message, user=staff)
    assert message.state == MessageState.CLOSED
    assert FeedbackMessage.objects.on_board().count() == 1  # closed answers stay on the board
    assert kinds(message) == [
        FeedbackEventKind.SUBMITTED,
        FeedbackEventKind.ASSIGNED,
        FeedbackEventKind.NOTE,
        FeedbackEventKind.ANSWERED,
        FeedbackEventKind.PUBLISHED,
        FeedbackEventKind.CLOSED,
    ]
    services.message_unpublish(message=message, user=staff, note="涉及个人信息")
    assert FeedbackMessage.objects.on_board().count() == 0


def test_no_email_without_address():
    make_message(email="")
    assert mail.outbox == []


def test_consultation_not_allowed_to_publish_stays_off_the_board(staff):
    message, _code = make_message(publish_allowed=False)
    with pytest.raises(ValidationError):
        services.message_answer(message=message, user=staff, reply="答复", publish=True)
    services.message_answer(message=message, user=staff, reply="答复")
    with pytest.raises(ValidationError):
        services.message_publish(message=message, user=staff)
    assert not FeedbackMessage.objects.on_board().exists()


def test_consultation_must_be_answered_before_closing(staff):
    message, _code = make_message()
    with pytest.raises(ValidationError):
        services.message_close(message=message, user=staff)
    with pytest.raises(ValidationError) as error:
        services.message_answer(message=message, user=staff, reply="  ")
    assert "reply" in error.value.error_dict


def test_complaint_round_trip_needs_a_result_and_is_never_published(staff):
    message, _code = make_message(channel=Channel.COMPLAINT, publish_allowed=True)
    assert message.tracking_number.startswith("TS") and not message.publish_allowed
    with pytest.raises(ValidationError) as error:
        services.message_answer(message=message, user=staff, reply="已核实并整改。")
    assert "result" in error.value.error_dict
    services.message_answer(message=message, user=staff, reply="已核实并整改。", result=ComplaintResult.SUBSTANTIATED)
    with pytest.raises(ValidationError):
        services.message_publish(message=message, user=staff)
    services.message_close(message=message, user=staff)
    message.refresh_from_db()
    assert message.state == MessageState.CLOSED and message.result == ComplaintResult.SUBSTANTIATED
    assert not FeedbackMessage.objects.on_board().exists()


def test_mailbox_message_can_be_closed_without_a_reply(staff):
    message, _code = make_message(channel=Channel.MAILBOX)
    assert message.mailbox.slug == "president" and message.tracking_number.startswith("XX")
    services.message_close(message=message, user=staff, note="已转相关部门阅")
    assert message.state == MessageState.CLOSED and message.reply == ""


def test_closed_mailbox_refuses_messages():
    box = Mailbox.objects.get(slug="secretary")
    box.active = False
    box.save()
    with pytest.raises(ValidationError):
        make_message(channel=Channel.MAILBOX, mailbox=box)


def test_assign_needs_staff(staff):
    from tests.factories import UserFactory

    message, _code = make_message()
    with pytest.raises(ValidationError):
        services.message_assign(message=message, user=staff, assignee=UserFactory(username="public"))
    with pytest.raises(ValidationError):
        services.message_assign(message=message, user=staff)


def test_due_dates_in_working_days_across_national_day():
    # Friday 27 September 2024; Sunday 29 September is a make-up working day; 1-7 October are holidays.
    message, _code = make_message(now=datetime.datetime(2024, 9, 27, 10, tzinfo=SHANGHAI))
    assert services.message_due(message, calendar=WorkingCalendar()).date == datetime.date(2024, 10, 10)
    # Sent during the holiday: received on the next working day, 8 October.
    complaint, _code = make_message(channel=Channel.COMPLAINT, now=datetime.datetime(2024, 10, 3, 9, tzinfo=SHANGHAI))
    due = services.message_due(complaint, calendar=WorkingCalendar())
    assert due.date == WorkingCalendar().add_working_days(datetime.date(2024, 10, 8), 15).date


def test_overdue_days(settings):
    settings.FEEDBACK_REPLY_DAYS = {**settings.FEEDBACK_REPLY_DAYS, "consultation": 2}
    message, _code = make_message(now=datetime.datetime(2024, 10, 14, 9, tzinfo=SHANGHAI))  # Monday
    calendar = WorkingCalendar()
    assert services.message_due(message, calendar=calendar).date == datetime.date(2024, 10, 16)
    assert services.message_overdue_days(message, calendar=calendar, today=datetime.date(2024, 10, 16)) is None
    assert services.message_overdue_days(message, calendar=calendar, today=datetime.date(2024, 10, 18)) == 2


def test_survey_respond_and_results():
    survey = make_survey()
    rating, choice, text = survey.questions.order_by("order")
    for score, pick in [(5, "网站"), (4, "网站"), (3, "微信")]:
        services.survey_respond(survey=survey, values={rating.pk: str(score), choice.pk: pick, text.pk: ""})
    services.survey_respond(survey=survey, values={rating.pk: "5", choice.pk: "其他", text.pk: "希望更及时"})
    results = statistics.survey_results(survey=survey)
    assert results.responses == 4
    rating_result, choice_result, text_result = results.questions
    assert rating_result.average == 4.25
    assert rating_result.distribution == [("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 2)]
    assert choice_result.distribution == [("网站", 2), ("微信", 1), ("其他", 1)]
    assert text_result.texts == ["希望更及时"]
    assert results.overall_average == 4.25
    assert SurveyAnswer.objects.count() == 4 * 2 + 1


def test_survey_respond_rejects_bad_answers():
    survey = make_survey()
    rating, choice, _text = survey.questions.order_by("order")
    with pytest.raises(ValidationError) as error:
        services.survey_respond(survey=survey, values={rating.pk: "6", choice.pk: "电视"})
    assert set(error.value.error_dict) == {rating.pk, choice.pk}


def test_closed_survey_refuses_answers():
    survey = make_survey(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 31))
    rating, choice, _text = survey.questions.order_by("order")
    with pytest.raises(ValidationError):
        services.survey_respond(survey=survey, values={rating.pk: "5", choice.pk: "网站"})


def test_exports_csv_with_bom_and_xlsx():
    import io

    from openpyxl import load_workbook

    survey = make_survey()
    rating, choice, text = survey.questions.order_by("order")
    services.survey_respond(survey=survey, values={rating.pk: "4", choice.pk: "微信", text.pk: "=HYPERLINK(1)"})
    content = services.survey_export_csv(survey=survey)
    assert content.startswith(b"\xef\xbb\xbf")
    decoded = content.decode("utf-8-sig")
    assert "对信息公开工作的总体评价" in decoded and "微信" in decoded
    assert "'=HYPERLINK(1)" in decoded  # no formula injection
    workbook = load_workbook(io.BytesIO(services.survey_export_xlsx(survey=survey)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][2] == "对信息公开工作的总体评价" and rows[1][2] == 4 and rows[1][3] == "微信"
    summary = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert summary[1][:3] == ("对信息公开工作的总体评价", 1, 4)


def test_new_messages_are_routed_to_the_handling_staff():
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    handler = UserFactory(username="zixun", is_staff=True, email="zixun@example.edu.cn")
    handler.groups.add(Group.objects.get(name="在线咨询受理"))
    supervisor = UserFactory(username="jiancha", is_staff=True, email="jiancha@example.edu.cn")
    supervisor.groups.add(Group.objects.get(name="监督投诉受理"))
    reader = UserFactory(username="xiaoban", is_staff=True, email="xiaoban@example.edu.cn")
    reader.groups.add(Group.objects.get(name="领导信箱阅处"))
    Mailbox.objects.get(slug="president").readers.add(reader)

    make_message(email="")
    assert [m.to for m in mail.outbox] == [["zixun@example.edu.cn"]]
    assert "13912345678" not in mail.outbox[0].body and "李四光" not in mail.outbox[0].body
    make_message(channel=Channel.COMPLAINT, email="")
    assert mail.outbox[-1].to == ["jiancha@example.edu.cn"]
    make_message(channel=Channel.MAILBOX, email="")
    assert mail.outbox[-1].to == ["xiaoban@example.edu.cn"] and "校长信箱" in mail.outbox[-1].subject
    mail.outbox.clear()
    make_message(channel=Channel.MAILBOX, mailbox=Mailbox.objects.get(slug="secretary"), email="")
    assert mail.outbox == []  # a box without readers: nobody else is told
