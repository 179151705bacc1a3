import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from feedback import services
from feedback.models import (
    Channel,
    ComplaintResult,
    FeedbackEventKind,
    FeedbackMessage,
    Mailbox,
    MessageState,
)
from tests.factories import StaffFactory, UserFactory
from tests.feedback.factories import make_message, make_survey

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
CONSULTATIONS = "admin:feedback_consultation_changelist"


def group_staff(username, group_name):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_inbox_lists_with_bounded_queries(staff_client, django_assert_max_num_queries):
    for _i in range(12):
        make_message()
    make_message(channel=Channel.COMPLAINT, subject="投诉不及时公开")
    with django_assert_max_num_queries(13):  # 13: the two-factor check asks for a device on every admin page
        response = staff_client.get(reverse(CONSULTATIONS))
    assert response.status_code == 200
    content = response.content.decode()
    assert "投诉不及时公开" not in content  # one inbox per channel
    assert "李**" in content and "13912345678" not in content  # masked in lists
    with django_assert_max_num_queries(13):  # 13: the two-factor check asks for a device on every admin page
        assert staff_client.get(reverse("admin:feedback_complaint_changelist")).status_code == 200
    with django_assert_max_num_queries(13):  # 13: the two-factor check asks for a device on every admin page
        assert staff_client.get(reverse("admin:feedback_mailboxmessage_changelist")).status_code == 200


def test_change_page_shows_contact_to_handlers_and_logs_it(staff_client):
    message, _code = make_message()
    response = staff_client.get(reverse("admin:feedback_consultation_change", args=[message.pk]))
    assert response.status_code == 200 and "13912345678" in response.content.decode()
    assert message.events.filter(kind=FeedbackEventKind.PERSONAL_DATA_VIEWED).exists()


def test_answer_and_publish_through_the_admin(staff_client, client):
    message, _code = make_message(subject="奖学金公示在哪里")
    base = "admin:feedback_consultation_action"
    response = staff_client.post(reverse(base, args=[message.pk, "assign"]), {"assignee": "", "note": ""})
    assert response.status_code == 200  # neither a person nor a department: the error is shown
    response = staff_client.post(reverse(base, args=[message.pk, "answer"]), {"reply": "", "publish": "on"})
    assert response.status_code == 200 and response.context["form"].errors
    response = staff_client.post(
        reverse(base, args=[message.pk, "answer"]), {"reply": "见学生资助栏目。", "publish": "on"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.ANSWERED and message.is_published
    assert "奖学金公示在哪里" in client.get(reverse("feedback:board")).content.decode()
    response = staff_client.post(reverse(base, args=[message.pk, "unpublish"]), {"note": "撤下"})
    assert response.status_code == 302
    assert "奖学金公示在哪里" not in client.get(reverse("feedback:board")).content.decode()
    response = staff_client.post(reverse(base, args=[message.pk, "close"]), {"note": ""})
    message.refresh_from_db()
    assert message.state == MessageState.CLOSED


def test_complaint_close_needs_a_result(staff_client):
    complaint, _code = make_message(channel=Channel.COMPLAINT)
    url = reverse("admin:feedback_complaint_action", args=[complaint.pk, "close"])
    response = staff_client.post(url, {"result": "", "note": ""})
    assert response.status_code == 200 and "result" in response.context["form"].errors
    assert staff_client.post(url, {"result": ComplaintResult.UNSUBSTANTIATED, "note": ""}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.result == ComplaintResult.UNSUBSTANTIATED


def test_publish_action_not_offered_for_complaints(staff_client):
    complaint, _code = make_message(channel=Channel.COMPLAINT)
    response = staff_client.get(reverse("admin:feedback_complaint_action", args=[complaint.pk, "publish"]))
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert not complaint.is_published


def test_overdue_filter(staff_client, settings, time_machine):
    time_machine.move_to(datetime.datetime(2024, 10, 21, 10, tzinfo=SHANGHAI))
    late, _c = make_message(subject="过期的咨询", now=datetime.datetime(2024, 10, 8, 9, tzinfo=SHANGHAI))
    make_message(subject="刚收到的咨询", now=datetime.datetime(2024, 10, 21, 9, tzinfo=SHANGHAI))
    answered, _c = make_message(subject="已答复的咨询", now=datetime.datetime(2024, 10, 8, 9, tzinfo=SHANGHAI))
    services.message_answer(message=answered, user=None, reply="答复")
    response = staff_client.get(reverse(CONSULTATIONS), {"due": "overdue"})
    assert [m.pk for m in response.context["cl"].result_list] == [late.pk]


def test_channel_permissions_and_mailbox_readers(client):
    consult_staff = group_staff("consult", "在线咨询受理")
    reader = group_staff("reader", "领导信箱阅处")
    president = Mailbox.objects.get(slug="president")
    president.readers.add(reader)
    to_president, _c = make_message(channel=Channel.MAILBOX, mailbox=president, subject="致校长")
    to_secretary, _c = make_message(
        channel=Channel.MAILBOX, mailbox=Mailbox.objects.get(slug="secretary"), subject="致书记"
    )
    client.force_login(consult_staff)
    assert client.get(reverse(CONSULTATIONS)).status_code == 200
    assert client.get(reverse("admin:feedback_mailboxmessage_changelist")).status_code == 403
    client.force_login(reader)
    content = client.get(reverse("admin:feedback_mailboxmessage_changelist")).content.decode()
    assert "致校长" in content and "致书记" not in content
    assert client.get(reverse("admin:feedback_mailboxmessage_change", args=[to_secretary.pk])).status_code == 302
    page = client.get(reverse("admin:feedback_mailboxmessage_change", args=[to_president.pk]))
    assert page.status_code == 200 and "13912345678" in page.content.decode()
    assert client.get(reverse(CONSULTATIONS)).status_code == 403


def test_survey_admin_results_and_exports(staff_client):
    survey = make_survey()
    rating, choice, text = survey.questions.order_by("order")
    for score in ["5", "4", "4"]:
        services.survey_respond(survey=survey, values={rating.pk: score, choice.pk: "网站", text.pk: "<b>很好</b>"})
    assert staff_client.get(reverse("admin:feedback_survey_changelist")).status_code == 200
    page = staff_client.get(reverse("admin:feedback_survey_results", args=[survey.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and content.count('<svg class="chart"') == 2 and "4.33" in content
    assert "&lt;b&gt;很好&lt;/b&gt;" in content  # free text shown to staff, escaped
    csv = staff_client.get(reverse("admin:feedback_survey_export_csv", args=[survey.pk]))
    assert csv["Content-Type"].startswith("text/csv") and csv.getvalue().startswith(b"\xef\xbb\xbf")
    xlsx = staff_client.get(reverse("admin:feedback_survey_export_xlsx", args=[survey.pk]))
    assert xlsx.getvalue()[:2] == b"PK"


def test_survey_results_need_staff(client):
    survey = make_survey()
    response = client.get(reverse("admin:feedback_survey_results", args=[survey.pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_add_and_close_a_mailbox(staff_client, client):
    response = staff_client.post(
        reverse("admin:feedback_mailbox_add"),
        {"slug": "vice-president", "name": "副校长信箱", "description": "", "active": "on", "order": "3"},
    )
    assert response.status_code == 302
    assert "副校长信箱" in client.get(reverse("feedback:mailbox-list")).content.decode()
    make_message(channel=Channel.MAILBOX, mailbox=Mailbox.objects.get(slug="vice-president"))
    assert FeedbackMessage.objects.filter(mailbox__slug="vice-president").count() == 1
    staff = StaffFactory(username="staff")
    assert staff.is_superuser


def survey_add_post(**question):
    post = {
        "title": "2025年度信息公开工作评议",
        "introduction": "",
        "starts_on": "2025-09-01",
        "ends_on": "2025-09-30",
        "audience": "campus",
        "active": "on",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-order": "1",
        "questions-0-kind": "choice",
        "questions-0-text": "您的身份",
        "questions-0-choices": "学生\n教职工",
        "questions-0-required": "on",
    }
    post.update({f"questions-0-{key}": value for key, value in question.items()})
    return post


def test_create_a_survey_in_the_admin(staff_client):
    from feedback.models import Survey

    url = reverse("admin:feedback_survey_add")
    response = staff_client.post(url, survey_add_post(choices="只有一个"))
    assert response.status_code == 200 and not Survey.objects.exists()
    assert "至少需要两个选项" in response.content.decode()
    response = staff_client.post(url, {**survey_add_post(), "ends_on": "2025-08-01"})
    assert response.status_code == 200 and not Survey.objects.exists()
    response = staff_client.post(url, survey_add_post())
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.questions.get().choice_list == ["学生", "教职工"]


def test_survey_and_mailbox_lists_with_bounded_queries(staff_client, django_assert_max_num_queries):
    for number in range(5):
        make_survey(title=f"评议{number}")
    with django_assert_max_num_queries(8):
        assert staff_client.get(reverse("admin:feedback_survey_changelist")).status_code == 200
    with django_assert_max_num_queries(8):
        assert staff_client.get(reverse("admin:feedback_mailbox_changelist")).status_code == 200
