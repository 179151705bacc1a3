"""Feedback messages and surveys for tests, made through the services as the public forms make them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from feedback import services
from feedback.models import Channel, Mailbox, QuestionKind, Survey, SurveyQuestion


def message_data(**overrides) -> dict:
    data = {
        "subject": "关于招生计划公开的咨询",
        "text": "请问2024年分专业招生计划在哪里可以查到？",
        "name": "李四光",
        "phone": "13912345678",
        "email": "lisi@example.com",
        "publish_allowed": True,
        "subject_of_complaint": "",
    }
    data.update(overrides)
    return data


def make_message(*, channel=Channel.CONSULTATION, mailbox=None, now=None, **overrides):
    """(message, access code)."""
    if channel == Channel.MAILBOX and mailbox is None:
        mailbox = Mailbox.objects.get(slug="president")
    if channel == Channel.COMPLAINT:
        overrides.setdefault("subject_of_complaint", "招生就业处")
    submitted = services.message_submit(channel=channel, data=message_data(**overrides), mailbox=mailbox, now=now)
    return submitted.message, submitted.access_code


def form_post(**overrides) -> dict:
    data = message_data(**overrides)
    post = {key: value for key, value in data.items() if not isinstance(value, bool)}
    if data["publish_allowed"]:
        post["publish_allowed"] = "on"
    post["consent"] = "on"
    post["website"] = ""
    return post


def make_survey(*, audience="public", starts_on=None, ends_on=None, **fields) -> Survey:
    today = timezone.localdate()
    survey = Survey.objects.create(
        title=fields.pop("title", "2024年度信息公开工作校内评议"),
        starts_on=starts_on or today - datetime.timedelta(days=1),
        ends_on=ends_on or today + datetime.timedelta(days=30),
        audience=audience,
        **fields,
    )
    SurveyQuestion.objects.create(survey=survey, order=1, kind=QuestionKind.RATING, text="对信息公开工作的总体评价")
    SurveyQuestion.objects.create(
        survey=survey,
        order=2,
        kind=QuestionKind.CHOICE,
        text="您主要通过什么途径获取学校信息？",
        choices="网站\n微信\n其他",
    )
    SurveyQuestion.objects.create(survey=survey, order=3, kind=QuestionKind.TEXT, text="意见和建议", required=False)
    return survey


def survey_post(survey: Survey, *, rating="5", choice="网站", text="") -> dict:
    rating_q, choice_q, text_q = survey.questions.order_by("order")
    return {f"q{rating_q.pk}": rating, f"q{choice_q.pk}": choice, f"q{text_q.pk}": text, "website": ""}
