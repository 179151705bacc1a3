"""The figures of an annual report, compiled from the apps' statistics for its academic year.

Figures are read through the apps' plain statistics functions and stored as plain JSON (``compile_figures``),
so a published report keeps the figures it was published with whatever happens to the records later.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from disclosures.models import academic_year_bounds
from disclosures.statistics import proactive_statistics
from feedback.statistics import feedback_statistics
from requests_app.models import ReplyKind
from requests_app.statistics import (
    COLUMN_LABELS,
    COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    application_statistics,
    review_statistics,
    state_council_table,
)

# 2 and 3 (unreleased steps, one version): the special table's rows carry the list items and those not applicable;
# the State Council table has its seven columns, applications["table"] lays table 三 out as the format does, reviews
# rows are [group, sub-group, results]; proactive counts are of public items (campus-only ones apart in
# proactive.campus_only), withdrawn ones only if they went online.
FIGURES_VERSION = 3


def _counts(counts: dict) -> list[int]:
    """The State Council table's columns: 自然人, the five 法人或其他组织 columns, 总计."""
    return [*(counts[column] for column in COLUMNS), counts["total"]]


def compile_figures(year: int) -> dict:
    """Every figure the report states, for the academic year starting 1 September ``year``, as plain JSON.

    Labels are stored in Chinese, the language the report is published in."""
    start, end = academic_year_bounds(year)
    with translation.override("zh-hans"):
        proactive = proactive_statistics(start=start, end=end)
        applications = application_statistics(start=start, end=end)
        feedback = feedback_statistics(start=start, end=end)
        reviews = review_statistics(start=start, end=end)
        rows = []
        for row in applications.table.values():
            rows.append([row["label"], 0, *_counts(row["counts"])])
            for sub in row["subrows"].values():
                rows.append([sub["label"], 1, *_counts(sub["counts"])])
        complaints = feedback.complaints
        result_rows = [[complaints.labels[value], n] for value, n in complaints.by_result.items() if value != "pending"]
        return {
            "version": FIGURES_VERSION,
            "period": [start.isoformat(), end.isoformat()],
            "compiled_at": timezone.now().isoformat(),
            "limit_days": settings.PUBLICATION_LIMIT_WORKING_DAYS,
            "proactive": {
                "total": proactive.total,
                "attachments": proactive.attachments,
                "campus_only": proactive.campus_only,
                "corrections": proactive.corrections,
                "clarifications": proactive.clarifications,
                "by_category": [list(row) for row in proactive.by_category],
                "by_month": [list(row) for row in proactive.by_month],
                "by_department": [list(row) for row in proactive.by_department],
                "coverage": [[r.code, r.title, r.department, r.published] for r in proactive.coverage],
                "late": [
                    [
                        late.disclosure.index_number,
                        late.disclosure.title,
                        late.disclosure.department.name,
                        late.published.isoformat(),
                        late.working_days_late,
                    ]
                    for late in proactive.late
                ],
            },
            "special": [
                [
                    r.number,
                    r.name,
                    r.list_items,
                    r.not_applicable,
                    r.catalogue_items,
                    r.items_published,
                    r.published,
                ]
                for r in proactive.moe_classes
            ],
            "applications": {
                "columns": [*(COLUMN_LABELS[column] for column in COLUMNS), "总计"],
                "received": _counts(applications.received),
                "carried_in": _counts(applications.carried_in),
                "rows": rows,
                # Table 三 as the format lays it out: every row, labelled as the format writes it.
                "table": state_council_table(applications, _counts),
                "total": _counts(applications.total),
                "carried_over": _counts(applications.carried_over),
                "by_kind": [
                    [str(ReplyKind(kind).label), *_counts(counts)] for kind, counts in applications.by_kind.items()
                ],
                "on_time": applications.on_time,
                "late": applications.late,
                "median_working_days": applications.median_working_days,
                "fees_charged": f"{applications.fees_charged:.2f}",
                "fees_waived": f"{applications.fees_waived:.2f}",
                "fee_waivers_requested": applications.fee_waivers_requested,
                "to_proactive": applications.to_proactive,
            },
            # 行政复议、行政诉讼 from the recorded cases (table 四): per kind, the results and 总计.
            "reviews": {
                "columns": [*(label for _key, label in REVIEW_COLUMNS), "总计"],
                # [group, sub-group, the five results]: 行政复议; 行政诉讼 未经复议直接起诉; 行政诉讼 复议后起诉.
                "rows": [
                    [group, sub, *(reviews[kind][column] for column, _l in REVIEW_COLUMNS), reviews[kind]["total"]]
                    for kind, group, sub in REVIEW_GROUPS
                ],
            },
            "feedback": {
                "consultations": {
                    "received": feedback.consultations.received,
                    "answered": feedback.consultations.answered,
                    "published": feedback.consultations.published,
                    "open": feedback.consultations.open,
                },
                "mailboxes": [[box.name, box.received, box.answered] for box in feedback.mailboxes],
                "mailbox_total": feedback.mailbox_total,
                "surveys": {
                    "responses": feedback.surveys.responses,
                    "average_rating": feedback.surveys.average_rating,
                    "surveys": [[s.title, s.responses, s.average_rating] for s in feedback.surveys.surveys],
                },
            },
            "complaints": {
                "received": complaints.received,
                "by_result": result_rows,
                "pending": complaints.by_result.get("pending", 0),
            },
        }


def figures_for(report) -> dict:
    """The figures a report shows: its frozen snapshot once published (empty for an imported report, which
    states its own), otherwise a fresh compilation of the records."""
    if report.is_published or report.is_imported:
        return report.snapshot or {}
    return compile_figures(report.year)


def key_figures(figures: dict) -> dict[str, int]:
    """The counts a narrative is most likely to repeat, for the contradiction check."""
    if not figures:
        return {}
    feedback = figures["feedback"]
    return {
        "published": figures["proactive"]["total"],
        "consultations": feedback["consultations"]["received"],
        "messages": feedback["consultations"]["answered"],
        "mailbox": feedback["mailbox_total"],
        "survey_responses": feedback["surveys"]["responses"],
        "complaints": figures["complaints"]["received"],
        "applications": figures["applications"]["received"][-1],
    }
