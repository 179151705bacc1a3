"""Statistics of applications for any period, for the annual report (信息公开年度报告).

``application_statistics(start=..., end=...)`` is a plain function returning plain data: counts by applicant
type, by the Measures' kinds of reply, and by the rows of the State Council's annual-report table, plus
timeliness, the median working days to answer, and fees.
"""

from __future__ import annotations

import datetime
import statistics as stats
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from requests_app.models import (
    ApplicantType,
    ApplicationState,
    DisclosureApplication,
    OrganisationType,
    ReplyKind,
    ReviewCase,
    ReviewResult,
    WithdrawalCause,
)
from requests_app.outcomes import OUTCOMES, outcome_of
from requests_app.services import application_calendar, application_deadline

# The State Council's table (国办公开办函〔2021〕30号, table 三): rows and sub-rows, in order, labelled exactly as the
# format writes them (checked against published reports in that format; lawcheck 2026-12-02).
RECEIVED_LABEL = "一、本年新收政府信息公开申请数量"
CARRIED_IN_LABEL = "二、上年结转政府信息公开申请数量"
RESULTS_LABEL = "三、本年度办理结果"
TOTAL_LABEL = "（七）总计"
CARRIED_OVER_LABEL = "四、结转下年度继续办理"
STATE_COUNCIL_ROWS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("disclosed", "（一）予以公开", []),
    ("partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
    (
        "refused",
        "（三）不予公开",
        [
            ("state_secret", "1.属于国家秘密"),
            ("other_law", "2.其他法律行政法规禁止公开"),
            ("three_safeties", "3.危及“三安全一稳定”"),
            ("third_party", "4.保护第三方合法权益"),
            ("internal", "5.属于三类内部事务信息"),
            ("process", "6.属于四类过程性信息"),
            ("enforcement", "7.属于行政执法案卷"),
            ("enquiry", "8.属于行政查询事项"),
        ],
    ),
    (
        "unable",
        "（四）无法提供",
        [
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("must_create", "2.没有现成信息需要另行制作"),
            ("still_unclear", "3.补正后申请内容仍不明确"),
        ],
    ),
    (
        "not_processed",
        "（五）不予处理",
        [
            ("petition", "1.信访举报投诉类申请"),
            ("repeated", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("mass", "4.无正当理由大量反复申请"),
            ("confirm", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
    (
        "other_handling",
        "（六）其他处理",
        [
            ("no_clarification", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other", "3.其他"),
        ],
    ),
]


def state_council_table(result: ApplicationStatistics, counts) -> list[list]:
    """Every row of the State Council's table 三 in the format's order, as [label, level, *cells]: 一, 二, the heading
    三 (no figures: its cells are None), its sub-rows (一)–(六) with their numbered items, (七)总计, 四. ``counts``
    turns a counts dict into the row's cells (the columns, then 总计)."""
    width = len(counts(_zero()))
    rows = [
        [RECEIVED_LABEL, 0, *counts(result.received)],
        [CARRIED_IN_LABEL, 0, *counts(result.carried_in)],
        [RESULTS_LABEL, 0, *([None] * width)],
    ]
    for row in result.table.values():
        rows.append([row["label"], 1, *counts(row["counts"])])
        for sub in row["subrows"].values():
            rows.append([sub["label"], 2, *counts(sub["counts"])])
    rows.append([TOTAL_LABEL, 1, *counts(result.total)])
    rows.append([CARRIED_OVER_LABEL, 0, *counts(result.carried_over)])
    return rows


def state_council_row(application: DisclosureApplication) -> tuple[str, str | None]:
    """(row, sub-row) of the State Council table for a finished application."""
    if application.state == ApplicationState.WITHDRAWN:
        if application.withdrawal_cause == WithdrawalCause.NO_CLARIFICATION:
            return "other_handling", "no_clarification"
        if application.withdrawal_cause == WithdrawalCause.UNPAID:
            return "other_handling", "unpaid"
        return "other_handling", "other"
    outcome = OUTCOMES[application.reply_outcome or outcome_of(application.reply_kind, application.refusal_reason)]
    return outcome.row, outcome.subrow


# The table's columns (国办公开办函〔2021〕30号): 自然人, the five 法人或其他组织, then 总计.
COLUMNS = (ApplicantType.CITIZEN, *OrganisationType.values)
COLUMN_LABELS = {
    ApplicantType.CITIZEN: "自然人",
    OrganisationType.COMMERCIAL: "商业企业",
    OrganisationType.RESEARCH: "科研机构",
    OrganisationType.PUBLIC_INTEREST: "社会公益组织",
    OrganisationType.LEGAL_SERVICES: "法律服务机构",
    OrganisationType.OTHER: "其他",
}


def column_of(application: DisclosureApplication) -> str:
    """The table column: a natural person, or the organisation's type (其他 when it was not recorded)."""
    if application.applicant_type == ApplicantType.CITIZEN:
        return ApplicantType.CITIZEN
    return application.organisation_type or OrganisationType.OTHER


def _zero() -> dict[str, int]:
    return {**{column: 0 for column in COLUMNS}, "total": 0}


@dataclass
class ApplicationStatistics:
    start: datetime.date
    end: datetime.date
    received: dict[str, int] = field(default_factory=_zero)  # 本年新收
    carried_in: dict[str, int] = field(default_factory=_zero)  # 上年结转
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # the Measures' kinds of reply
    # State Council rows: key → {"label", "counts", "subrows": {key: {"label", "counts"}}}
    table: dict[str, dict] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=_zero)  # 总计 (handled in the period)
    carried_over: dict[str, int] = field(default_factory=_zero)  # 结转下年度继续办理
    on_time: int = 0
    late: int = 0
    median_working_days: float | None = None
    fees_charged: Decimal = Decimal("0")
    fees_waived: Decimal = Decimal("0")
    fee_waivers_requested: int = 0
    to_proactive: int = 0  # replies turned into proactive items (依申请转主动公开)


def _add(counts: dict[str, int], column: str) -> None:
    counts[column] += 1
    counts["total"] += 1


def application_statistics(*, start: datetime.date, end: datetime.date) -> ApplicationStatistics:
    """Counts for applications received in [start, end], plus those carried in from before ``start``."""
    tz = timezone.get_current_timezone()
    start_dt = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end_dt = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    finished_before_start = Q(replied_at__lt=start_dt) | Q(state=ApplicationState.WITHDRAWN, closed_at__lt=start_dt)
    applications = list(
        DisclosureApplication.objects.filter(submitted_at__lt=end_dt)
        .filter(Q(submitted_at__gte=start_dt) | ~finished_before_start)
        .prefetch_related("events")
    )
    result = ApplicationStatistics(start=start, end=end)
    result.by_kind = {kind: _zero() for kind in ReplyKind.values}
    for key, label, subrows in STATE_COUNCIL_ROWS:
        result.table[key] = {
            "label": label,
            "counts": _zero(),
            "subrows": {sub: {"label": sub_label, "counts": _zero()} for sub, sub_label in subrows},
        }
    calendar = application_calendar()
    durations: list[int] = []
    for application in applications:
        column = column_of(application)
        _add(result.received if application.submitted_at >= start_dt else result.carried_in, column)
        if application.fee_waiver_requested:
            result.fee_waivers_requested += 1
        result.fees_charged += application.fee_charged
        result.fees_waived += application.fee_waived
        finished_at = (
            application.replied_at
            if application.replied_at
            else (application.closed_at if application.state == ApplicationState.WITHDRAWN else None)
        )
        if finished_at is None or finished_at >= end_dt:
            _add(result.carried_over, column)
            continue
        row, subrow = state_council_row(application)
        _add(result.table[row]["counts"], column)
        if subrow:
            _add(result.table[row]["subrows"][subrow]["counts"], column)
        _add(result.total, column)
        if application.proactive_disclosure_id:
            result.to_proactive += 1
        if application.replied_at and application.reply_kind:
            _add(result.by_kind[application.reply_kind], column)
            replied_on = timezone.localdate(application.replied_at)
            deadline = application_deadline(application, calendar=calendar, until=replied_on)
            if deadline.due_on is None or replied_on <= deadline.due_on:
                result.on_time += 1
            else:
                result.late += 1
            durations.append(max(calendar.working_days_between(deadline.received_on, replied_on), 0))
    if durations:
        result.median_working_days = float(stats.median(durations))
    return result


# Reviews and lawsuits (国办公开办函〔2021〕30号, table 四) ----------------------------------------------------

# (kind, group, sub-group) as the format heads its columns: 行政复议; 行政诉讼 split into 未经复议直接起诉 and
# 复议后起诉, each with the five result columns.
REVIEW_GROUPS = [
    ("reconsideration", "行政复议", ""),
    ("lawsuit_direct", "行政诉讼", "未经复议直接起诉"),
    ("lawsuit_after", "行政诉讼", "复议后起诉"),
]
REVIEW_COLUMNS = [("maintained", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")]


def review_statistics(*, start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """Per kind (reconsideration, lawsuits direct and after reconsideration): cases filed in [start, end] by
    result, plus 总计; a case decided after ``end`` counts as not yet concluded."""
    empty = {**{column: 0 for column, _label in REVIEW_COLUMNS}, "total": 0}
    result = {kind: dict(empty) for kind, *_labels in REVIEW_GROUPS}
    for case in ReviewCase.objects.filter(filed_on__gte=start, filed_on__lte=end):
        outcome = case.result
        if case.decided_on is None or case.decided_on > end:
            outcome = ReviewResult.PENDING
        result[case.kind][outcome] += 1
        result[case.kind]["total"] += 1
    return result
