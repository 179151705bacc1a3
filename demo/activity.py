"""Demo applications, consultations and complaints in each academic year the demo covers, so that the annual
reports of those years count real records (demo/data/activity.json). Filed through the apps' services as the
public forms file them; answers are given through the services too, then dated in their year."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from disclosures.models import academic_year_bounds
from disclosures.privacy import id_card_check_char
from feedback import services as feedback_services
from feedback.models import Channel, FeedbackMessage
from requests_app import services as request_services
from requests_app.models import ApplicantType, Delivery, DisclosureApplication, IdType, InfoForm

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
    for description in rng.sample(DATA["applications"], counts["applications"]):
        name, phone = rng.choice(DATA["people"])
        request_services.application_submit(
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
