"""Statistics of proactive disclosure (主动公开) for any period, for the annual report (信息公开年度报告).

``proactive_statistics(start=..., end=...)`` is a plain function returning plain data.

What counts as published (主动公开) in a period, the rule the report states to its readers:
- an item counts in the period in which it was published (its publication time, Beijing time);
- a withdrawn item counts in the period it was published in, when it was withdrawn after going online: it was
  public then, and the report accounts for what was disclosed in the year, not what is still online; a scheduled
  item withdrawn before its publication time was never public and does not count;
- a campus-only item (校内公开) does not count: 主动公开 under Order 29 Art. 7 (《高等学校信息公开办法》第七条,
  "高等学校应当主动公开以下信息") is disclosure to the public, and the public could not read it. Those items are
  given apart (``campus_only``) so that no publication disappears from the report.
Late publications are those of ``compliance.late_publications`` for the same period, among the items counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from disclosures.compliance import _day_start, late_publications
from disclosures.models import (
    Attachment,
    Audience,
    Category,
    Department,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
    ListClass,
    NoticeKind,
)


def items_per_class() -> dict[int, set[int]]:
    """For each class of the 2014 list (by number), the ids of the active catalogue items implementing at least
    one of its items: read from the items' list numbers (DisclosureItem.list_items), never from ranges. An item
    implementing items of two classes counts in both."""
    result: dict[int, set[int]] = {number: set() for number in ListClass.objects.values_list("number", flat=True)}
    links = DisclosureItem.list_items.through.objects.filter(disclosureitem__active=True).values_list(
        "disclosureitem_id", "listitem__list_class__number"
    )
    for item_id, klass in links:
        result.setdefault(klass, set()).add(item_id)
    return result


@dataclass
class CoverageRow:
    code: str
    title: str
    department: str
    published: int  # items published under it in the period


@dataclass
class MoeClassRow:
    number: int
    name: str
    list_items: int  # items of the 2014 list in this class
    not_applicable: int  # of those, marked 不适用
    catalogue_items: int  # catalogue items implementing an item of this class
    items_published: int  # of those, how many had a publication in the period
    published: int  # items published under them in the period


@dataclass
class ProactiveStatistics:
    start: datetime.date
    end: datetime.date
    total: int = 0
    attachments: int = 0
    campus_only: int = 0  # publications of the period open to the campus only (not counted as 主动公开)
    corrections: int = 0
    clarifications: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)  # every category, in catalogue order
    by_month: list[tuple[str, int]] = field(default_factory=list)  # "2025-09" … every month of the period
    by_department: list[tuple[str, int]] = field(default_factory=list)  # departments that published
    coverage: list[CoverageRow] = field(default_factory=list)  # every active catalogue item
    moe_classes: list[MoeClassRow] = field(default_factory=list)
    late: list = field(default_factory=list)  # compliance.LatePublication

    @property
    def items_covered(self) -> int:
        return sum(1 for row in self.coverage if row.published)


def _online_between(start: datetime.date, end: datetime.date):
    """Items that went online in [start, end] (by their publication time in the site's time zone), whatever
    their audience: published ones, and withdrawn ones taken off after their publication time."""
    return Disclosure.objects.filter(
        Q(status=DisclosureStatus.PUBLISHED) | Q(status=DisclosureStatus.WITHDRAWN, withdrawn_at__gt=F("published_at")),
        approved_at__isnull=False,
        published_at__gte=_day_start(start),
        published_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )


def published_between(start: datetime.date, end: datetime.date):
    """Items published (主动公开, to the public) in [start, end]: the rule in this module's docstring."""
    return _online_between(start, end).filter(audience=Audience.PUBLIC)


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def proactive_statistics(*, start: datetime.date, end: datetime.date) -> ProactiveStatistics:
    published = published_between(start, end).order_by()
    result = ProactiveStatistics(start=start, end=end)
    by_category = dict(published.values_list("category_id").annotate(n=Count("id")))
    result.by_category = [(c.name, by_category.get(c.pk, 0)) for c in Category.objects.order_by("order", "code")]
    result.total = sum(by_category.values())
    months = dict.fromkeys(_months(start, end), 0)
    for published_at in published.values_list("published_at", flat=True):
        key = f"{timezone.localdate(published_at):%Y-%m}"
        if key in months:
            months[key] += 1
    result.by_month = list(months.items())
    by_department = dict(published.values_list("department_id").annotate(n=Count("id")))
    result.by_department = [
        (d.name, by_department[d.pk]) for d in Department.objects.filter(pk__in=by_department).order_by("order", "code")
    ]
    result.attachments = Attachment.objects.filter(disclosure__in=published).count()
    notices = dict(published.values_list("notice_kind").annotate(n=Count("id")))
    result.corrections = notices.get(NoticeKind.CORRECTION, 0)
    result.clarifications = notices.get(NoticeKind.CLARIFICATION, 0)
    per_item = dict(published.filter(item__isnull=False).values_list("item_id").annotate(n=Count("id")))
    items = list(DisclosureItem.objects.filter(active=True).select_related("department", "category"))
    result.coverage = [CoverageRow(i.code, i.title, i.department.name, per_item.get(i.pk, 0)) for i in items]
    per_class = items_per_class()
    result.moe_classes = []
    for klass in ListClass.objects.annotate(
        total=Count("items"), not_applicable=Count("items", filter=Q(items__applicable=False))
    ).order_by("number"):
        ids = per_class.get(klass.number, set())
        result.moe_classes.append(
            MoeClassRow(
                klass.number,
                klass.name,
                klass.total,
                klass.not_applicable,
                len(ids),
                sum(1 for pk in ids if per_item.get(pk)),
                sum(per_item.get(pk, 0) for pk in ids),
            )
        )
    result.campus_only = _online_between(start, end).filter(audience=Audience.CAMPUS).count()
    counted = set(published.values_list("pk", flat=True))
    result.late = [late for late in late_publications(start=start, end=end) if late.disclosure.pk in counted]
    return result
