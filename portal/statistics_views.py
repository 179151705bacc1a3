"""``/statistics/``: the public statistics of an academic year (issue 18), computed by the same functions the annual
report compiles its figures from (disclosures.statistics, requests_app.statistics, feedback.statistics): items
published per month, per category and per department; applications received and answered within the time limit
in each of the last academic years; feedback received and answered. Each chart is an SVG (core.charts) with its
numbers in a table beside it, and everything is downloadable as CSV."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import exports
from core.charts import bar_chart
from disclosures.models import academic_year_bounds, academic_year_label, academic_year_of
from disclosures.statistics import proactive_statistics
from feedback.statistics import feedback_statistics
from requests_app.statistics import application_statistics

YEARS_SHOWN = 5


@dataclass
class Chart:
    key: str
    title: str
    columns: list[str]
    rows: list[list]  # label, then one value a column; the chart draws the first value

    @property
    def svg(self):
        return bar_chart([(row[0], row[1]) for row in self.rows], title=self.title)


def _period(year: int) -> tuple:
    start, end = academic_year_bounds(year)
    return start, min(end, timezone.localdate())


def statistics_charts(year: int) -> list[Chart]:
    start, end = _period(year)
    proactive = proactive_statistics(start=start, end=end)
    feedback = feedback_statistics(start=start, end=end)
    items = _("Items published")
    charts = [
        Chart("month", _("Items published per month"), [_("Month"), items], [list(r) for r in proactive.by_month]),
        Chart(
            "category",
            _("Items published per category"),
            [_("Category"), items],
            [list(r) for r in proactive.by_category],
        ),
        Chart(
            "department",
            _("Items published per department"),
            [_("Department"), items],
            [list(r) for r in proactive.by_department],
        ),
    ]
    years = []
    for first in range(year - YEARS_SHOWN + 1, year + 1):
        figures = application_statistics(start=_period(first)[0], end=_period(first)[1])
        years.append([academic_year_label(first), figures.received["total"], figures.on_time, figures.late])
    charts.append(
        Chart(
            "applications",
            _("Applications for disclosure per academic year"),
            [_("Academic year"), _("Received"), _("Answered within the time limit"), _("Answered late")],
            years,
        )
    )
    consultations = feedback.consultations
    charts.append(
        Chart(
            "feedback",
            _("Feedback received and answered"),
            [_("Channel"), _("Received"), _("Answered")],
            [
                [_("Online consultation"), consultations.received, consultations.answered_of_received],
                *[[box.name, box.received, box.answered] for box in feedback.mailboxes],
                [
                    _("Supervision complaints"),
                    feedback.complaints.received,
                    feedback.complaints.received - feedback.complaints.by_result.get("pending", 0),
                ],
            ],
        )
    )
    return charts


def _year(request) -> tuple[int, list[int]]:
    current = academic_year_of(timezone.localdate())
    choices = list(range(current, current - 10, -1))
    raw = request.GET.get("year", "")
    if not raw:
        return current, choices
    if not raw.isdigit() or int(raw) not in choices:
        raise Http404("no statistics for that year")
    return int(raw), choices


@require_GET
def statistics_page(request):
    year, choices = _year(request)
    start, end = _period(year)
    context = {
        "year": year,
        "label": academic_year_label(year),
        "start": start,
        "end": end,
        "choices": [(value, academic_year_label(value)) for value in choices],
        "charts": statistics_charts(year),
    }
    return render(request, "portal/statistics.html", context)


@require_GET
def statistics_csv(request, year: int):
    current = academic_year_of(timezone.localdate())
    if not current - 10 < year <= current:
        raise Http404("no statistics for that year")
    charts = statistics_charts(year)

    def rows():
        yield [_("Table"), _("Label"), _("Column"), _("Value")]
        for chart in charts:
            for row in chart.rows:
                for column, value in zip(chart.columns[1:], row[1:], strict=True):
                    yield [chart.title, row[0], column, value]

    return exports.csv_response(rows(), f"statistics-{academic_year_label(year)}.csv")
