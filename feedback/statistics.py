"""Statistics of the feedback channels for any period, for the annual report (信息公开年度报告), and the
results of one survey (its public page and its admin page).

Plain functions returning plain data; a message counts in the period in which it was received, a reply in
the period in which it was given, a publication in the period in which it went on the board.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from core.charts import bar_chart
from feedback.models import (
    Channel,
    ComplaintResult,
    FeedbackMessage,
    Mailbox,
    MessageState,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
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


# One survey's results ---------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    average: float | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)  # (label, count) in display order
    texts: list[str] = field(default_factory=list)
    chart: str = ""  # the SVG of the distribution, when asked for (``survey_results(charts=True)``)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]

    @property
    def overall_average(self) -> float | None:
        """The mean of all ratings given (each rating counts once)."""
        total = sum((q.average or 0) * q.answered for q in self.questions if q.question.kind == QuestionKind.RATING)
        count = sum(q.answered for q in self.questions if q.question.kind == QuestionKind.RATING)
        return round(total / count, 2) if count else None


def survey_results(*, survey: Survey, start=None, end=None, charts: bool = False) -> SurveyResults:
    """Counts, averages and distributions per question (responses between ``start`` and ``end`` when given),
    with a bar chart of each distribution when ``charts`` (the pages that show the results)."""
    responses = survey.responses.all()
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    if start:
        responses = responses.filter(submitted_at__date__gte=start)
        answers = answers.filter(response__submitted_at__date__gte=start)
    if end:
        responses = responses.filter(submitted_at__date__lte=end)
        answers = answers.filter(response__submitted_at__date__lte=end)
    questions = list(survey.questions.all())
    by_question: dict[int, list] = {q.pk: [] for q in questions}
    for question_id, rating, choice, text in answers.order_by("id").values_list(
        "question_id", "rating", "choice", "text"
    ):
        by_question.setdefault(question_id, []).append((rating, choice, text))
    results = []
    for question in questions:
        rows = by_question[question.pk]
        result = QuestionResult(question=question, answered=len(rows))
        if question.kind == QuestionKind.RATING:
            counts = Counter(r for r, _c, _t in rows if r)
            result.distribution = [(str(score), counts.get(score, 0)) for score in range(1, 6)]
            result.average = round(sum(counts.elements()) / len(rows), 2) if rows else None
        elif question.kind == QuestionKind.CHOICE:
            counts = Counter(c for _r, c, _t in rows if c)
            labels = question.choice_list + sorted(set(counts) - set(question.choice_list))
            result.distribution = [(label, counts.get(label, 0)) for label in labels]
        else:
            result.texts = [t for _r, _c, t in rows if t]
        if charts and result.distribution:
            result.chart = bar_chart(result.distribution, title=question.text)
        results.append(result)
    return SurveyResults(survey=survey, responses=responses.count(), questions=results)
