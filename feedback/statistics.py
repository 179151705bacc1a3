"""Statistics of the feedback channels for any period, for the annual report (信息公开年度报告).

Plain functions returning plain data; a message counts in the period in which it was received, a reply in
the period in which it was given, a publication in the period in which it went on the board.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from feedback.models import (
    Channel,
    ComplaintResult,
    FeedbackMessage,
    Mailbox,
    MessageState,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)


def _date_range(field_name: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**{f"{field_name}__date__gte": start, f"{field_name}__date__lte": end})


@dataclass(frozen=True)
class ConsultationStatistics:
    received: int  # consultations received in the period
    answered: int  # replies given in the period (whenever the question came)
    answered_of_received: int  # of those received in the period, how many have been answered
    published: int  # put on the message board in the period
    open: int  # received in the period and not yet answered


def consultation_statistics(*, start: datetime.date, end: datetime.date) -> ConsultationStatistics:
    messages = FeedbackMessage.objects.channel(Channel.CONSULTATION)
    received = messages.filter(_date_range("submitted_at", start, end))
    counts = received.aggregate(
        received=Count("id"),
        answered_of_received=Count("id", filter=Q(replied_at__isnull=False)),
        open=Count("id", filter=Q(state__in=MessageState.open_states())),
    )
    return ConsultationStatistics(
        received=counts["received"],
        answered=messages.filter(_date_range("replied_at", start, end)).count(),
        answered_of_received=counts["answered_of_received"],
        published=messages.filter(_date_range("published_at", start, end)).count(),
        open=counts["open"],
    )


@dataclass(frozen=True)
class ComplaintStatistics:
    received: int
    by_result: dict[str, int]  # every ComplaintResult value, plus "pending" for those without a result yet
    labels: dict[str, str] = field(default_factory=dict)


def complaint_statistics(*, start: datetime.date, end: datetime.date) -> ComplaintStatistics:
    received = FeedbackMessage.objects.channel(Channel.COMPLAINT).filter(_date_range("submitted_at", start, end))
    counts = dict(received.order_by().values_list("result").annotate(n=Count("id")))
    by_result = {value: counts.get(value, 0) for value in ComplaintResult.values}
    by_result["pending"] = counts.get("", 0)
    labels = {value: str(label) for value, label in ComplaintResult.choices}
    return ComplaintStatistics(received=sum(counts.values()), by_result=by_result, labels=labels)


@dataclass(frozen=True)
class MailboxCount:
    slug: str
    name: str
    received: int
    answered: int


def mailbox_statistics(*, start: datetime.date, end: datetime.date) -> list[MailboxCount]:
    """Messages received per box in the period (every box, closed ones included, in the admin's order)."""
    in_period = _date_range("messages__submitted_at", start, end)
    boxes = Mailbox.objects.annotate(
        received=Count("messages", filter=in_period),
        answered=Count("messages", filter=in_period & Q(messages__replied_at__isnull=False)),
    ).order_by("order", "id")
    return [MailboxCount(box.slug, box.name, box.received, box.answered) for box in boxes]


@dataclass(frozen=True)
class SurveyScore:
    survey_id: int
    title: str
    responses: int
    average_rating: float | None  # the mean of every 1-5 rating given in the period


@dataclass(frozen=True)
class SurveyStatistics:
    responses: int
    average_rating: float | None
    surveys: list[SurveyScore]


def survey_statistics(*, start: datetime.date, end: datetime.date) -> SurveyStatistics:
    responses = SurveyResponse.objects.filter(_date_range("submitted_at", start, end))
    ratings = SurveyAnswer.objects.filter(
        question__kind=QuestionKind.RATING, rating__isnull=False, response__in=responses
    )
    per_survey_ratings = dict(
        ratings.order_by()
        .values_list("response__survey_id")
        .annotate(avg=Avg("rating"))
        .values_list("response__survey_id", "avg")
    )
    per_survey_counts = dict(responses.order_by().values_list("survey_id").annotate(n=Count("id")))
    surveys = [
        SurveyScore(
            survey_id=survey.pk,
            title=survey.title,
            responses=per_survey_counts[survey.pk],
            average_rating=_round(per_survey_ratings.get(survey.pk)),
        )
        for survey in Survey.objects.filter(pk__in=per_survey_counts).order_by("starts_on", "id")
    ]
    return SurveyStatistics(
        responses=sum(per_survey_counts.values()),
        average_rating=_round(ratings.aggregate(avg=Avg("rating"))["avg"]),
        surveys=surveys,
    )


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


@dataclass(frozen=True)
class FeedbackStatistics:
    start: datetime.date
    end: datetime.date
    consultations: ConsultationStatistics
    complaints: ComplaintStatistics
    mailboxes: list[MailboxCount]
    surveys: SurveyStatistics

    @property
    def mailbox_total(self) -> int:
        return sum(box.received for box in self.mailboxes)


def feedback_statistics(*, start: datetime.date, end: datetime.date) -> FeedbackStatistics:
    """Everything the annual report states about the feedback channels, for one period."""
    return FeedbackStatistics(
        start=start,
        end=end,
        consultations=consultation_statistics(start=start, end=end),
        complaints=complaint_statistics(start=start, end=end),
        mailboxes=mailbox_statistics(start=start, end=end),
        surveys=survey_statistics(start=start, end=end),
    )
