"""Demo applications, consultations and complaints in each academic year the demo covers, so that the annual
reports of those years count real records (demo/data/activity.json). Filed through the apps' services as the
public forms file them; answers are given through the services too, then dated in their year.

Applications are accepted and answered by the services with the clock set to the day the office would have done
it (a few working days after receipt, within the time limit), so that their events, notices (with the 文号 of
that year) and figures read as they would have that year."""

from __future__ import annotations

import datetime
import json
import random
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core.workdays import load_calendar
from disclosures.models import academic_year_bounds
from disclosures.privacy import id_card_check_char
from feedback import services as feedback_services
from feedback.models import Channel, FeedbackMessage, QuestionKind, Survey, SurveyQuestion
from requests_app import services as request_services
from requests_app.models import ApplicantType, Delivery, DisclosureApplication, IdType, InfoForm, ReplyOutcome

DATA = json.loads((Path(__file__).resolve().parent / "data" / "activity.json").read_text(encoding="utf-8"))
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _moment(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.datetime:
    day = start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, rng.randrange(8, 17), rng.randrange(60), tzinfo=SHANGHAI)


def _id_number(rng: random.Random) -> str:
    born = f"{rng.randrange(1965, 2004)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    first17 = f"230103{born}{rng.randrange(100, 999)}"
    return first17 + id_card_check_char(first17)


# How the office answers the year's applications, in turn: the reply's outcome and what it says.
ANSWERS = [
    {
        "outcome": ReplyOutcome.DISCLOSED,
        "letter": "经审查，您申请获取的信息属于应当公开的信息，现予以公开，相关材料随本答复书提供。",
    },
    {
        "outcome": ReplyOutcome.ALREADY_PUBLISHED,
        "letter": "经审查，您申请获取的信息已经主动公开，您可以在本校信息公开网的信息公开目录中查阅。",
        "published_url": "/catalogue/",
    },
    {
        "outcome": ReplyOutcome.PARTLY,
        "letter": "经审查，您申请获取的信息部分可以公开，现将可以公开的部分提供给您。",
        "reason_text": "其中涉及第三方商业秘密和个人信息的内容，经征求意见后不予公开。",
    },
    {
        "outcome": ReplyOutcome.NOT_HELD,
        "letter": "经检索，本校未制作或获取您申请的信息。",
        "holder": "黑龙江省教育厅",
        "holder_contact": "哈尔滨市南岗区，0451-82345678",
    },
]


@contextmanager
def _clock(moment: datetime.datetime):
    """The services' clock (django.utils.timezone.now) at ``moment``, for records made as of a past day."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _answer(application: DisclosureApplication, answer: dict, rng: random.Random) -> None:
    """Accept the application the next working day and answer it 3 to 12 working days after receipt."""
    calendar = load_calendar()
    received = timezone.localdate(application.submitted_at)
    accepted = calendar.next_working_day(received, include_self=False).date
    replied = calendar.add_working_days(received, rng.randrange(3, 13)).date
    with _clock(datetime.datetime.combine(accepted, datetime.time(9, 30), SHANGHAI)):
        request_services.application_accept(application=application, user=None)
    values = dict(answer)
    if values.get("published_url"):
        values["published_url"] = settings.PORTAL_BASE_URL + values["published_url"]
    with _clock(datetime.datetime.combine(replied, datetime.time(15, 0), SHANGHAI)):
        request_services.application_reply(application=application, user=None, **values)


def add_activity(year: int, *, today: datetime.date) -> int:
    """File the year's demo records unless the year has some already. Returns how many were added."""
    start, end = academic_year_bounds(year)
    end = min(end, today - datetime.timedelta(days=20))
    if end <= start:
        return 0
    begin, stop = (
        datetime.datetime.combine(start, datetime.time.min, SHANGHAI),
        datetime.datetime.combine(end, datetime.time.max, SHANGHAI),
    )
    if (
        FeedbackMessage.objects.filter(submitted_at__range=(begin, stop)).exists()
        or DisclosureApplication.objects.filter(submitted_at__range=(begin, stop)).exists()
    ):
        return 0
    rng = random.Random(year)
    counts = DATA["per_year"]
    added = 0
    for index, description in enumerate(rng.sample(DATA["applications"], counts["applications"])):
        name, phone = rng.choice(DATA["people"])
        submitted = request_services.application_submit(
            data={
                "applicant_type": ApplicantType.CITIZEN,
                "name": name,
                "id_type": IdType.MAINLAND_ID,
                "id_number": _id_number(rng),
                "credit_code": "",
                "legal_representative": "",
                "contact_person": "",
                "phone": phone,
                "email": "",
                "address": "黑龙江省哈尔滨市南岗区",
                "description": description.format(year=year),
                "purpose": rng.choice(["了解学校办学情况", "学术研究", "维护自身合法权益"]),
                "info_form": InfoForm.ELECTRONIC,
                "delivery": Delivery.EMAIL if rng.random() < 0.5 else Delivery.POST,
                "fee_waiver_requested": False,
                "fee_waiver_reason": "",
            },
            now=_moment(rng, start, end),
        )
        _answer(submitted.application, ANSWERS[index % len(ANSWERS)], rng)
        added += 1
    messages = [(Channel.CONSULTATION, row) for row in rng.sample(DATA["consultations"], counts["consultations"])]
    messages += [(Channel.COMPLAINT, row) for row in rng.sample(DATA["complaints"], counts["complaints"])]
    for channel, row in messages:
        subject, text, reply = (part.format(year=year) for part in row[:3])
        name, phone = rng.choice(DATA["people"])
        sent = _moment(rng, start, end)
        submitted = feedback_services.message_submit(
            channel=channel,
            data={
                "subject": subject,
                "text": text,
                "name": name,
                "phone": phone,
                "email": "",
                "publish_allowed": channel == Channel.CONSULTATION,
                "subject_of_complaint": "学生处" if channel == Channel.COMPLAINT else "",
            },
            now=sent,
        )
        message = feedback_services.message_answer(
            message=submitted.message,
            user=None,
            reply=reply,
            publish=channel == Channel.CONSULTATION and rng.random() < 0.6,
            result=row[3] if channel == Channel.COMPLAINT else "",
        )
        answered = sent + datetime.timedelta(days=rng.randrange(1, 6))
        FeedbackMessage.objects.filter(pk=message.pk).update(
            replied_at=answered, published_at=answered if message.published_at else None
        )
        added += 1
    return added


SURVEY_TITLE = "信息公开工作满意度评议"


def ensure_open_survey(*, today: datetime.date) -> bool:
    """An open survey on the disclosure work (社会评议: the public's view of what the college discloses),
    open from a month ago for two more months; made once. Returns whether it was added."""
    if Survey.objects.filter(title=SURVEY_TITLE).exists():
        return False
    survey = Survey.objects.create(
        title=SURVEY_TITLE,
        introduction="为改进学校信息公开工作，请您对本网站公开的信息和服务进行评议。问卷匿名填写，约需两分钟。",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
    )
    questions = [
        (QuestionKind.RATING, "您对信息公开网内容的完整性是否满意？", "", True),
        (QuestionKind.RATING, "您对信息更新的及时性是否满意？", "", True),
        (QuestionKind.CHOICE, "您最常查阅哪类信息？", "招生考试\n收费与资助\n财务与采购\n人事招聘\n其他", True),
        (QuestionKind.TEXT, "您对学校信息公开工作还有哪些意见和建议？", "", False),
    ]
    for order, (kind, text, choices, required) in enumerate(questions, start=1):
        SurveyQuestion.objects.create(
            survey=survey, order=order, kind=kind, text=text, choices=choices, required=required
        )
    return True
