import datetime

import pytest
from django.core import mail
from django.urls import reverse

from feedback import services
from feedback.models import Channel, FeedbackMessage, Mailbox, MessageState, SurveyResponse
from tests.factories import StaffFactory
from tests.feedback.factories import form_post, make_message, make_survey, survey_post

pytestmark = pytest.mark.django_db

CONTACT = ["李四光", "13912345678", "lisi@example.com"]


def assert_no_contact(content: bytes):
    text = content.decode()
    for value in CONTACT:
        assert value not in text


def test_consultation_form_receipt_and_reply_lookup(client):
    page = client.get(reverse("feedback:consultation-form"))
    assert page.status_code == 200 and 'name="website"' in page.content.decode()
    response = client.post(reverse("feedback:consultation-form"), form_post())
    message = FeedbackMessage.objects.get()
    assert response.status_code == 302 and response.url == reverse("feedback:receipt", args=[message.tracking_number])
    receipt = client.get(response.url)
    code = receipt.context["access_code"]
    assert code and code in receipt.content.decode()
    assert_no_contact(receipt.content)
    assert client.get(response.url).context["access_code"] is None  # shown once
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body

    staff = StaffFactory(username="office")
    services.message_answer(message=message, user=staff, reply="请见招生信息栏目。", publish=True)

    other = client.__class__()
    assert other.get(reverse("feedback:status", args=[message.tracking_number])).status_code == 404
    wrong = other.post(reverse("feedback:track"), {"tracking_number": message.tracking_number, "access_code": "WRONG"})
    assert "不匹配" in wrong.content.decode()
    found = other.post(reverse("feedback:track"), {"tracking_number": message.tracking_number, "access_code": code})
    assert found.status_code == 302
    status = other.get(found.url)
    assert "请见招生信息栏目。" in status.content.decode()
    assert_no_contact(status.content)


def test_errors_keep_what_was_typed(client):
    response = client.post(reverse("feedback:consultation-form"), form_post(text="", phone="12"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "关于招生计划公开的咨询" in content and "lisi@example.com" in content
    assert not FeedbackMessage.objects.exists()


def test_honeypot_refuses(client):
    response = client.post(reverse("feedback:consultation-form"), {**form_post(), "website": "http://spam"})
    assert response.status_code == 400 and not FeedbackMessage.objects.exists()


def test_rate_limit_per_ip(client, settings):
    settings.ABUSE_RATE_LIMITS = {**settings.ABUSE_RATE_LIMITS, "default": {"ip": (2, 3600), "contact": (9, 86400)}}
    for _i in range(2):
        assert client.post(reverse("feedback:consultation-form"), form_post()).status_code == 302
    response = client.post(reverse("feedback:complaint-form"), form_post(subject_of_complaint="某部门"))
    assert response.status_code == 400 and "提交次数过多" in response.content.decode()


def test_captcha_in_test_mode(client, settings):
    settings.ABUSE_CAPTCHA = "test"
    assert client.post(reverse("feedback:consultation-form"), form_post()).status_code == 400
    response = client.post(reverse("feedback:consultation-form"), {**form_post(), "captcha_answer": "PASSED"})
    assert response.status_code == 302


def test_complaint_form_and_never_public(client):
    response = client.post(reverse("feedback:complaint-form"), form_post(subject_of_complaint="招生就业处"))
    assert response.status_code == 302
    complaint = FeedbackMessage.objects.get()
    assert complaint.channel == Channel.COMPLAINT and not complaint.publish_allowed
    services.message_answer(
        message=complaint, user=StaffFactory(username="office"), reply="已整改", result="substantiated"
    )
    board = client.get(reverse("feedback:board"))
    assert complaint.subject not in board.content.decode()


def test_complaint_needs_its_subject(client):
    response = client.post(reverse("feedback:complaint-form"), form_post())
    assert response.status_code == 400 and "subject_of_complaint" in response.context["form"].errors


def test_mailboxes(client):
    listing = client.get(reverse("feedback:mailbox-list")).content.decode()
    assert "书记信箱" in listing and "校长信箱" in listing
    url = reverse("feedback:mailbox-form", args=["secretary"])
    assert "书记信箱" in client.get(url).content.decode()
    response = client.post(url, form_post(publish_allowed=True))
    message = FeedbackMessage.objects.get()
    assert response.status_code == 302
    assert message.channel == Channel.MAILBOX and message.mailbox.slug == "secretary" and not message.publish_allowed
    Mailbox.objects.filter(slug="secretary").update(active=False)
    assert client.get(url).status_code == 404


def test_board_shows_only_published_answers_without_contact_details(client, django_assert_max_num_queries):
    staff = StaffFactory(username="office")
    published, _c = make_message(subject="公开的问题")
    services.message_answer(message=published, user=staff, reply="公开的答复", publish=True)
    private, _c = make_message(subject="不同意公开的问题", publish_allowed=False)
    services.message_answer(message=private, user=staff, reply="私下答复")
    make_message(subject="尚未答复的问题")
    mailbox, _c = make_message(channel=Channel.MAILBOX, subject="写给校长的信")
    services.message_answer(message=mailbox, user=staff, reply="校长已阅")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("feedback:board"))
    content = response.content.decode()
    assert "公开的问题" in content and "公开的答复" in content
    for hidden in ["不同意公开的问题", "私下答复", "尚未答复的问题", "写给校长的信", "校长已阅"]:
        assert hidden not in content
    assert_no_contact(response.content)


def test_board_search_and_pagination(client, settings, django_assert_max_num_queries):
    settings.FEEDBACK_BOARD_PER_PAGE = 3
    staff = StaffFactory(username="office")
    for number in range(7):
        message, _c = make_message(
            subject=f"问题{number}", text="关于奖学金评定结果的公示" if number % 2 else "其他内容"
        )
        services.message_answer(message=message, user=staff, reply="答复", publish=True)
    with django_assert_max_num_queries(4):
        first = client.get(reverse("feedback:board"))
    assert len(first.context["page_obj"]) == 3 and first.context["page_obj"].paginator.num_pages == 3
    with django_assert_max_num_queries(4):
        third = client.get(reverse("feedback:board"), {"page": 3})
    assert len(third.context["page_obj"]) == 1
    settings.FEEDBACK_BOARD_PER_PAGE = 2
    found = client.get(reverse("feedback:board"), {"q": "奖学金"})
    assert found.context["page_obj"].paginator.count == 3
    assert "q=%E5%A5%96%E5%AD%A6%E9%87%91&amp;page=2" in found.content.decode()
    assert client.get(reverse("feedback:board"), {"q": "不存在的词"}).context["page_obj"].paginator.count == 0
    assert client.get(reverse("feedback:board"), {"page": "abc"}).status_code == 200


def test_survey_once_per_browser(client):
    survey = make_survey()
    url = reverse("feedback:survey-form", args=[survey.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, survey_post(survey))
    assert response.status_code == 302 and SurveyResponse.objects.count() == 1
    again = client.get(url)
    assert again.context["already"] and "已经在此浏览器上填写过本评议" in again.content.decode()
    second = client.post(url, survey_post(survey, rating="1"))
    assert second.status_code == 409 and "已经在此浏览器上填写过本评议" in second.content.decode()
    assert SurveyResponse.objects.count() == 1
    # A forged cookie is ignored, not trusted.
    fresh = client.__class__()
    fresh.cookies["surveys_answered"] = str(survey.pk)
    assert fresh.get(url).context.get("already") is None


def test_survey_per_ip_limit(client, settings):
    settings.ABUSE_RATE_LIMITS = {**settings.ABUSE_RATE_LIMITS, "survey": {"ip": (2, 86400), "contact": (1, 86400)}}
    survey = make_survey()
    other = make_survey(title="另一份评议")
    url = reverse("feedback:survey-form", args=[survey.pk])
    for _i in range(2):
        browser = client.__class__()
        assert browser.post(url, survey_post(survey)).status_code == 302
    refused = client.__class__().post(url, survey_post(survey))
    assert refused.status_code == 400 and "提交次数过多" in refused.content.decode()
    # The limit counts per survey.
    assert client.post(reverse("feedback:survey-form", args=[other.pk]), survey_post(other)).status_code == 302


def test_survey_errors_keep_choices(client):
    survey = make_survey()
    response = client.post(reverse("feedback:survey-form", args=[survey.pk]), survey_post(survey, rating=""))
    assert response.status_code == 400
    assert response.context["form"][f"q{survey.questions.get(order=2).pk}"].value() == "网站"
    assert SurveyResponse.objects.count() == 0


def test_campus_only_survey(client, settings):
    survey = make_survey(audience="campus")
    url = reverse("feedback:survey-form", args=[survey.pk])
    assert client.get(url).status_code == 404
    assert survey.title not in client.get(reverse("feedback:survey-list")).content.decode()
    settings.CAMPUS_NETWORKS = [__import__("ipaddress").ip_network("127.0.0.0/8")]
    assert client.get(url).status_code == 200


def test_closed_survey_shows_its_dates(client):
    survey = make_survey(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 31))
    response = client.get(reverse("feedback:survey-form", args=[survey.pk]))
    assert "2020-01-31" in response.content.decode() and "form" not in response.context


def test_published_results_page(client):
    survey = make_survey()
    rating, choice, text = survey.questions.order_by("order")
    services.survey_respond(survey=survey, values={rating.pk: "4", choice.pk: "微信", text.pk: "私人意见13912345678"})
    url = reverse("feedback:survey-results", args=[survey.pk])
    assert client.get(url).status_code == 404
    survey.results_published = True
    survey.save()
    content = client.get(url).content.decode()
    assert "<svg" in content and "微信" in content
    assert "私人意见" not in content  # free text is for staff only


def test_home_and_nav_link_the_channels(client, seeded_catalogue):
    content = client.get("/").content.decode()
    for name in ["feedback:consultation-form", "feedback:board", "feedback:mailbox-list", "feedback:survey-list"]:
        assert reverse(name) in content


def test_unknown_tracking_number_is_404(client):
    assert client.get(reverse("feedback:status", args=["ZX2024000001"])).status_code == 404
    assert client.get(reverse("feedback:receipt", args=["ZX2024000001"])).status_code == 404


def test_states_shown_to_sender(client):
    message, code = make_message()
    client.post(reverse("feedback:track"), {"tracking_number": message.tracking_number, "access_code": code})
    page = client.get(reverse("feedback:status", args=[message.tracking_number]))
    assert page.context["message"].state == MessageState.NEW
