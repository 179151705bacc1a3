"""The disclosure office's compliance figures: is every catalogue item kept up to date, who publishes late,
what is waiting, and the bi-monthly self-inspection report (双月自查).

Everything derived (current / due soon / overdue) is computed here from stored dates, never stored.
The date rules are pure functions (``item_state``, ``term_start``), tested with fixed dates.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exports
from core.workdays import WorkingCalendar, load_calendar
from disclosures.models import (
    AuditAction,
    AuditEvent,
    Cadence,
    Department,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
    academic_year_of,
)

# An item is "due soon" this many days before its deadline.
DUE_SOON_DAYS = 30
# A per-term item is due this many days after the term starts (terms start on 1 September and 1 March).
TERM_DUE_DAYS = 60


class ItemState:
    CURRENT = "current"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NEVER = "never"

    LABELS = {
        CURRENT: gettext_lazy("Current"),
        DUE_SOON: gettext_lazy("Due soon"),
        OVERDUE: gettext_lazy("Overdue"),
        NEVER: gettext_lazy("Never published"),
    }


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def term_start(day: datetime.date) -> datetime.date:
    """The autumn term runs from 1 September to the end of February, the spring term from 1 March."""
    if day.month >= 9:
        return datetime.date(day.year, 9, 1)
    if day.month <= 2:
        return datetime.date(day.year - 1, 9, 1)
    return datetime.date(day.year, 3, 1)


def item_due(*, cadence: str, month: int | None, today: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    """(deadline, start of the period the deadline belongs to) for the period containing ``today``."""
    if cadence == Cadence.ANNUAL:
        year = academic_year_of(today)
        due_month = month or 8
        return month_end(year if due_month >= 9 else year + 1, due_month), datetime.date(year, 9, 1)
    if cadence == Cadence.PER_TERM:
        start = term_start(today)
        return start + datetime.timedelta(days=TERM_DUE_DAYS), start
    return None, today


def item_state(
    *, cadence: str, month: int | None, last_published: datetime.date | None, today: datetime.date
) -> tuple[str, datetime.date | None]:
    """The state of a catalogue item and its current deadline (None for items published on change).

    An annual item is overdue once its month has passed without a publication in the current academic
    year; a per-term item once ``TERM_DUE_DAYS`` of the term have passed without one; an on-change or
    continuous item is never overdue by time alone.
    """
    due, period_start = item_due(cadence=cadence, month=month, today=today)
    if last_published is None:
        return ItemState.NEVER, due
    if due is None or last_published >= period_start:
        return ItemState.CURRENT, due
    if today > due:
        return ItemState.OVERDUE, due
    if (due - today).days <= DUE_SOON_DAYS:
        return ItemState.DUE_SOON, due
    return ItemState.CURRENT, due


@dataclass
class ItemRow:
    item: DisclosureItem
    last_published: datetime.datetime | None
    state: str
    due: datetime.date | None

    @property
    def state_label(self) -> str:
        return str(ItemState.LABELS[self.state])


def catalogue_rows(*, today: datetime.date | None = None) -> list[ItemRow]:
    """Every active catalogue item with its responsible department, cadence, last publication and state."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    last = dict(
        Disclosure.objects.published(now=cutoff)
        .filter(item__isnull=False)
        .order_by()
        .values_list("item_id")
        .annotate(last=Max("published_at"))
    )
    rows = []
    for item in DisclosureItem.objects.filter(active=True).select_related("department", "category"):
        published = last.get(item.pk)
        state, due = item_state(
            cadence=item.cadence,
            month=item.month,
            last_published=timezone.localdate(published) if published else None,
            today=today,
        )
        rows.append(ItemRow(item, published, state, due))
    return rows


def state_counts(rows: list[ItemRow]) -> dict[str, int]:
    counts = dict.fromkeys(ItemState.LABELS, 0)
    for row in rows:
        counts[row.state] += 1
    return counts


@dataclass
class LatePublication:
    disclosure: Disclosure
    due: datetime.date
    published: datetime.date
    working_days_late: int


def late_publications(
    *, start: datetime.date, end: datetime.date, work_calendar: WorkingCalendar | None = None
) -> list[LatePublication]:
    """Items published between ``start`` and ``end`` (inclusive) more than the limit of working days after
    their date written (settings.PUBLICATION_LIMIT_WORKING_DAYS)."""
    work_calendar = work_calendar or load_calendar()
    published = (
        Disclosure.objects.filter(
            status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.WITHDRAWN],
            published_at__gte=_day_start(start),
            published_at__lt=_day_start(end + datetime.timedelta(days=1)),
            approved_at__isnull=False,
        )
        # An item imported from the old site was published there at its date, not late here (issue 18).
        .exclude(events__action=AuditAction.IMPORTED)
        .select_related("department")
        .order_by("department__order", "published_at")
    )
    late = []
    for disclosure in published:
        due = work_calendar.add_working_days(disclosure.date_written, settings.PUBLICATION_LIMIT_WORKING_DAYS).date
        day = timezone.localdate(disclosure.published_at)
        if day > due:
            late.append(LatePublication(disclosure, due, day, work_calendar.working_days_between(due, day)))
    return late


@dataclass
class ChangeUpdate:
    disclosure: Disclosure
    changed: datetime.date  # the day the change took effect (changed_on, else the date written)
    due: datetime.date
    published: datetime.date
    days_late: int

    @property
    def late(self) -> bool:
        return self.days_late > 0


def change_updates(
    *, start: datetime.date | None = None, end: datetime.date | None = None, work_calendar=None
) -> list[ChangeUpdate]:
    """Updates of 变动即更 items published in [start, end] (default: this academic year so far): every
    publication under such an item after its first, due within the limit of working days of the day the change
    took effect (the notice publishing the 2014 list, 教办函〔2014〕23号, point 二: “信息内容发生变更的，应当在变更后
    20个工作日内予以更新”)."""
    today = timezone.localdate()
    start = start or datetime.date(academic_year_of(today), 9, 1)
    end = end or today
    work_calendar = work_calendar or load_calendar()
    limit = settings.PUBLICATION_LIMIT_WORKING_DAYS
    shown = [DisclosureStatus.PUBLISHED, DisclosureStatus.WITHDRAWN]
    candidates = (
        Disclosure.objects.filter(
            status__in=shown,
            item__cadence=Cadence.ON_CHANGE,
            published_at__gte=_day_start(start),
            published_at__lt=_day_start(end + datetime.timedelta(days=1)),
        )
        .select_related("item")
        .order_by("published_at")
    )
    first = dict(
        Disclosure.objects.filter(status__in=shown, item__cadence=Cadence.ON_CHANGE, published_at__isnull=False)
        .values_list("item_id")
        .annotate(first=Min("published_at"))
    )
    result = []
    for disclosure in candidates:
        if disclosure.published_at == first.get(disclosure.item_id):
            continue  # the first publication: its timeliness is late_publications'
        changed = disclosure.changed_on or disclosure.date_written
        due = work_calendar.add_working_days(changed, limit).date
        day = timezone.localdate(disclosure.published_at)
        late = work_calendar.working_days_between(due, day) if day > due else 0
        result.append(ChangeUpdate(disclosure, changed, due, day, late))
    return result


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class DepartmentRow:
    department: Department
    drafts: int = 0
    awaiting_review: int = 0
    returned: int = 0
    approved: int = 0
    published_month: int = 0
    published_term: int = 0
    published_year: int = 0
    late_year: int = 0
    published_window: int = 0
    late_window: int = 0
    returned_window: int = 0
    withdrawn_window: int = 0
    overdue_items: int = 0
    never_items: int = 0


def department_rows(*, today: datetime.date | None = None, rows: list[ItemRow] | None = None) -> list[DepartmentRow]:
    """Per department: what is waiting, and what it published this month, this term and this academic year."""
    today = today or timezone.localdate()
    year_start = datetime.date(academic_year_of(today), 9, 1)
    public = Q(status=DisclosureStatus.PUBLISHED, published_at__lt=_day_start(today + datetime.timedelta(days=1)))
    counts = (
        Disclosure.objects.order_by()
        .values("department_id")
        .annotate(
            drafts=Count("id", filter=Q(status=DisclosureStatus.DRAFT)),
            awaiting_review=Count("id", filter=Q(status=DisclosureStatus.SUBMITTED)),
            returned=Count("id", filter=Q(status=DisclosureStatus.RETURNED)),
            approved=Count("id", filter=Q(status__in=[DisclosureStatus.APPROVED, DisclosureStatus.SCHEDULED])),
            published_month=Count("id", filter=public & Q(published_at__gte=_day_start(today.replace(day=1)))),
            published_term=Count("id", filter=public & Q(published_at__gte=_day_start(term_start(today)))),
            published_year=Count("id", filter=public & Q(published_at__gte=_day_start(year_start))),
        )
    )
    by_department = {row.pop("department_id"): row for row in counts}
    result = {d.pk: DepartmentRow(d, **by_department.get(d.pk, {})) for d in Department.objects.filter(active=True)}
    for late in late_publications(start=year_start, end=today):
        if late.disclosure.department_id in result:
            result[late.disclosure.department_id].late_year += 1
    for row in rows if rows is not None else catalogue_rows(today=today):
        target = result.get(row.item.department_id)
        if target is not None:
            target.overdue_items += row.state == ItemState.OVERDUE
            target.never_items += row.state == ItemState.NEVER
    return list(result.values())


def dashboard(*, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    rows = catalogue_rows(today=today)
    year_start = datetime.date(academic_year_of(today), 9, 1)
    return {
        "today": today,
        "item_rows": sorted(rows, key=_state_order),
        "state_counts": state_counts(rows),
        "state_labels": ItemState.LABELS,
        "department_rows": department_rows(today=today, rows=rows),
        "late": late_publications(start=year_start, end=today),
        "year_start": year_start,
        "limit_days": settings.PUBLICATION_LIMIT_WORKING_DAYS,
    }


def _state_order(row: ItemRow):
    order = [ItemState.OVERDUE, ItemState.NEVER, ItemState.DUE_SOON, ItemState.CURRENT]
    return order.index(row.state), row.item.category.order, row.item.order


# --- the bi-monthly self-inspection ------------------------------------------------------------------


def window_for(start_month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The two calendar months starting with ``start_month``'s month: (first day, last day)."""
    first = start_month.replace(day=1)
    second_year, second_month = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
    return first, month_end(second_year, second_month)


def default_window(today: datetime.date | None = None) -> datetime.date:
    """The start of the two-month window ending with the current month."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@dataclass
class SelfInspection:
    start: datetime.date
    end: datetime.date
    departments: list[DepartmentRow] = field(default_factory=list)
    late: list[LatePublication] = field(default_factory=list)
    attention: list[ItemRow] = field(default_factory=list)  # overdue or never published at the window's end
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return _("Self-inspection report %(start)s to %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def self_inspection(*, start_month: datetime.date, today: datetime.date | None = None) -> SelfInspection:
    start, end = window_for(start_month)
    today = today or timezone.localdate()
    as_of = min(end, today)
    rows = catalogue_rows(today=as_of)
    report = SelfInspection(start=start, end=end)
    report.late = late_publications(start=start, end=end)
    window = Q(created_at__gte=_day_start(start), created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    events = (
        AuditEvent.objects.filter(
            window, action__in=[AuditAction.PUBLISHED, AuditAction.RETURNED, AuditAction.WITHDRAWN]
        )
        .order_by()
        .values("disclosure__department_id", "action")
        .annotate(n=Count("id"))
    )
    published = (
        Disclosure.objects.filter(
            status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.WITHDRAWN],
            approved_at__isnull=False,
            published_at__gte=_day_start(start),
            published_at__lt=_day_start(end + datetime.timedelta(days=1)),
        )
        .order_by()
        .values("department_id")
        .annotate(n=Count("id"))
    )
    departments = {d.pk: DepartmentRow(d) for d in Department.objects.filter(active=True)}
    for row in published:
        if row["department_id"] in departments:
            departments[row["department_id"]].published_window = row["n"]
    for row in events:
        target = departments.get(row["disclosure__department_id"])
        if target is None:
            continue
        if row["action"] == AuditAction.RETURNED:
            target.returned_window = row["n"]
        elif row["action"] == AuditAction.WITHDRAWN:
            target.withdrawn_window = row["n"]
    for late in report.late:
        if late.disclosure.department_id in departments:
            departments[late.disclosure.department_id].late_window += 1
    for row in rows:
        target = departments.get(row.item.department_id)
        if target is not None:
            target.overdue_items += row.state == ItemState.OVERDUE
            target.never_items += row.state == ItemState.NEVER
    report.departments = list(departments.values())
    report.attention = sorted(
        (row for row in rows if row.state in (ItemState.OVERDUE, ItemState.NEVER)), key=_state_order
    )
    report.totals = {
        "published": sum(d.published_window for d in report.departments),
        "late": len(report.late),
        "returned": sum(d.returned_window for d in report.departments),
        "withdrawn": sum(d.withdrawn_window for d in report.departments),
        "overdue": sum(d.overdue_items for d in report.departments),
        "never": sum(d.never_items for d in report.departments),
    }
    return report


def _sheets(report: SelfInspection) -> list[tuple[str, list[list]]]:
    """The report as tables (title, rows with a header row first), shared by the XLSX and CSV exports."""
    summary = [
        [_("Item"), _("Value")],
        [_("Window"), f"{report.start.isoformat()} – {report.end.isoformat()}"],
        [_("Items published"), report.totals["published"]],
        [_("Published late"), report.totals["late"]],
        [_("Returned for changes"), report.totals["returned"]],
        [_("Withdrawn"), report.totals["withdrawn"]],
        [_("Catalogue items overdue"), report.totals["overdue"]],
        [_("Catalogue items never published"), report.totals["never"]],
    ]
    departments = [
        [
            _("Department"),
            _("Published"),
            _("Published late"),
            _("Returned"),
            _("Withdrawn"),
            _("Items overdue"),
            _("Items never published"),
        ]
    ] + [
        [
            row.department.name,
            row.published_window,
            row.late_window,
            row.returned_window,
            row.withdrawn_window,
            row.overdue_items,
            row.never_items,
        ]
        for row in report.departments
    ]
    attention = [
        [_("Code"), _("Disclosure item"), _("Responsible department"), _("Cadence"), _("Last publication"), _("State")]
    ] + [
        [
            row.item.code,
            row.item.title,
            row.item.department.name,
            str(row.item.cadence_label),
            timezone.localdate(row.last_published).isoformat() if row.last_published else "",
            row.state_label,
        ]
        for row in report.attention
    ]
    late = [
        [
            _("Index number"),
            _("Title"),
            _("Department"),
            _("Date written"),
            _("Due"),
            _("Published"),
            _("Working days late"),
        ]
    ] + [
        [
            item.disclosure.index_number,
            item.disclosure.title,
            item.disclosure.department.name,
            item.disclosure.date_written.isoformat(),
            item.due.isoformat(),
            item.published.isoformat(),
            item.working_days_late,
        ]
        for item in report.late
    ]
    return [
        (_("Summary"), summary),
        (_("Departments"), departments),
        (_("Items needing attention"), attention),
        (_("Late publications"), late),
    ]


def build_xlsx(report: SelfInspection):
    """The report as a write-only workbook, one sheet a table (send it with exports.xlsx_response)."""
    from openpyxl.styles import Font

    workbook = exports.new_workbook()
    for title, rows in _sheets(report):
        sheet = workbook.create_sheet(title=title[:31])
        exports.column_widths(sheet, rows)
        header, *body = rows
        exports.append_row(sheet, header, font=Font(bold=True))
        for row in body:
            exports.append_row(sheet, row)
    return workbook


def export_xlsx(report: SelfInspection) -> bytes:
    return exports.workbook_bytes(build_xlsx(report))


def csv_rows(report: SelfInspection) -> Iterator[list]:
    """One CSV with the report's tables one after another (exports.csv_response adds the BOM)."""
    yield [report.title]
    for title, rows in _sheets(report):
        yield []
        yield [title]
        yield from rows


def export_csv(report: SelfInspection) -> bytes:
    """UTF-8 with a BOM so Excel reads the Chinese; formulas neutralised."""
    return exports.csv_bytes(csv_rows(report))
