"""The statistics functions on a known data set: academic year 2023-2024 (1 September to 31 August)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from feedback import services
from feedback.models import Channel, ComplaintResult, Mailbox
from feedback.statistics import (
    complaint_statistics,
    consultation_statistics,
    feedback_statistics,
    mailbox_statistics,
    survey_statistics,
)
from tests.feedback.factories import make_message, make_survey

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2023, 9, 1), datetime.date(2024, 8, 31)


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def answer(message, when, **kwargs):
    with time_machine.travel(when, tick=False):
        services.message_answer(message=message, user=None, reply="答复", **kwargs)


@pytest.fixture
def data_set():
    # Consultations: one before the year (answered inside it), four inside, one after.
    before, _c = make_message(now=at(2023, 8, 30))
    answer(before, at(2023, 9, 4), publish=True)
    inside = [make_message(now=at(2023, 9 + i, 10))[0] for i in range(4)]
    answer(inside[0], at(2023, 9, 12), publish=True)
    answer(inside[1], at(2023, 10, 11))  # answered, not published
    answer(inside[2], at(2024, 9, 2), publish=True)  # answered after the year
    # (a midnight edge: 31 August 23:30 in Shanghai is still in the year)
    make_message(now=at(2024, 8, 31, 23) + datetime.timedelta(minutes=30))
    make_message(now=at(2024, 9, 1))
    # Complaints: three in the year with results and one pending, one outside.
    for result in [ComplaintResult.SUBSTANTIATED, ComplaintResult.UNSUBSTANTIATED, ComplaintResult.UNSUBSTANTIATED]:
        complaint, _c = make_message(channel=Channel.COMPLAINT, now=at(2024, 3, 1))
        answer(complaint, at(2024, 3, 5), result=result)
    make_message(channel=Channel.COMPLAINT, now=at(2024, 5, 1))
    make_message(channel=Channel.COMPLAINT, now=at(2022, 5, 1))
    # Mailboxes: two to the secretary, three to the president (one answered), one outside the year.
    secretary, president = Mailbox.objects.get(slug="secretary"), Mailbox.objects.get(slug="president")
    for _i in range(2):
        make_message(channel=Channel.MAILBOX, mailbox=secretary, now=at(2023, 12, 1))
    for i in range(3):
        letter, _c = make_message(channel=Channel.MAILBOX, mailbox=president, now=at(2024, 1, 1 + i))
        if i == 0:
            answer(letter, at(2024, 1, 5))
    make_message(channel=Channel.MAILBOX, mailbox=president, now=at(2024, 9, 10))
    # Surveys: four responses in the year (ratings 5, 4, 3, 4), one after.
    survey = make_survey(starts_on=datetime.date(2023, 9, 1), ends_on=datetime.date(2024, 12, 31))
    rating, choice, _text = survey.questions.order_by("order")
    for score, when in [(5, at(2023, 11, 1)), (4, at(2023, 11, 2)), (3, at(2024, 6, 1)), (4, at(2024, 6, 2))]:
        services.survey_respond(survey=survey, values={rating.pk: str(score), choice.pk: "网站"}, now=when)
    services.survey_respond(survey=survey, values={rating.pk: "1", choice.pk: "微信"}, now=at(2024, 10, 1))
    return survey


def test_consultations(data_set):
    stats = consultation_statistics(start=START, end=END)
    assert stats.received == 5
    assert stats.answered == 3  # replies given in the year: before[0] on 4 Sep, inside[0], inside[1]
    assert stats.answered_of_received == 3  # inside[0], inside[1], inside[2] (answered later)
    assert stats.published == 2
    assert stats.open == 2


def test_complaints_by_result(data_set):
    stats = complaint_statistics(start=START, end=END)
    assert stats.received == 4
    assert stats.by_result == {
        "substantiated": 1,
        "partly": 0,
        "unsubstantiated": 2,
        "not_accepted": 0,
        "pending": 1,
    }


def test_mailboxes_per_box(data_set):
    stats = mailbox_statistics(start=START, end=END)
    assert [(box.name, box.received, box.answered) for box in stats] == [("书记信箱", 2, 0), ("校长信箱", 3, 1)]


def test_survey_responses_and_scores(data_set):
    stats = survey_statistics(start=START, end=END)
    assert stats.responses == 4
    assert stats.average_rating == 4.0
    assert [(s.title, s.responses, s.average_rating) for s in stats.surveys] == [(data_set.title, 4, 4.0)]


def test_everything_together(data_set):
    stats = feedback_statistics(start=START, end=END)
    assert stats.mailbox_total == 5
    assert stats.consultations.received == 5 and stats.complaints.received == 4 and stats.surveys.responses == 4


def test_an_empty_period():
    stats = feedback_statistics(start=START, end=END)
    assert stats.consultations.received == 0 and stats.surveys.average_rating is None
    assert stats.complaints.by_result["pending"] == 0
    assert [box.received for box in stats.mailboxes] == [0, 0]
