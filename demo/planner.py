"""The demo's plan: which items are written, on which days, with which titles, metadata and bodies.

Every choice is made here, in advance and from one seeded random generator, so that the same seed and the
same day give the same plans; demo/generator.py then writes them through the workflow services. Dates are
relative to ``today``: the demo runs from the first academic year of context.json to yesterday.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from core.chinese import cn_numeric_date
from core.workdays import WorkingCalendar
from demo.bodies import (
    BodyInput,
    Content,
    build_content,
    doc_type,
    fit_content,
    plain_lines,
    render_html,
    rule_name,
)
from demo.context import FIRST_ACADEMIC_YEAR, build_context
from demo.datafiles import OFFICES, PAIRS_BY_ITEM, PLAN, SPECS, TEXTS, WORDS, RulePair, Spec, Tpl
from demo.draws import Ctx, fill
from demo.tables import build_table
from disclosures.models import Audience, Cadence, Department, Disclosure, DisclosureItem, Validity, academic_year_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
ATTACHED_DISCLOSURES: int = PLAN["attached"]
EXTRA_CAMPUS_ONLY: int = PLAN["campus_only"]
CAMPUS_ITEM: str = PLAN["campus_item"]
CAMPUS_CANDIDATE_ITEMS = tuple(PLAN["campus_candidates"])
DRAFT_ITEMS = tuple(PLAN["drafts"])
CURRENT_YEAR_ITEMS = tuple(PLAN["current_year"])
WITHDRAWABLE_ITEMS = tuple(PLAN["withdrawable"])
WITHDRAWN_COUNT: int = PLAN["withdrawn"]
DEFAULT_MONTHS = tuple(PLAN["default_months"])
# Annual items whose departments have not published this academic year's edition yet: the compliance
# dashboard shows them overdue, as it would at a real college.
OVERDUE_THIS_YEAR = frozenset(PLAN["overdue_this_year"])


@dataclass
class Plan:
    item: DisclosureItem
    spec: Spec
    day: datetime.date  # the day it is (or would be) published
    publish: bool = True
    title: str = ""
    template: Tpl | None = None
    ctx: Ctx = field(default_factory=dict)
    published_at: datetime.datetime | None = None
    date_written: datetime.date | None = None
    department: Department | None = None
    audience: str = Audience.PUBLIC
    document_number: str = ""
    validity: str = ""
    pair: RulePair | None = None
    pair_role: str = ""  # "old" or "new"
    replaced_by: Plan | None = None
    replaces: Plan | None = None
    keywords: str = ""
    body: str = ""
    summary: str = ""
    content: Content | None = None
    withdraw_reason: str = ""
    attachment_kinds: tuple[str, ...] = ()
    disclosure: Disclosure | None = None


@dataclass
class Planner:
    rng: random.Random
    calendar: WorkingCalendar
    today: datetime.date
    departments: dict[str, Department]
    used_titles: set[str] = field(default_factory=set)
    ordinals: Counter = field(default_factory=Counter)

    @property
    def last_day(self) -> datetime.date:
        return self.today - datetime.timedelta(days=1)

    def working_day(self, day: datetime.date, *, backwards: bool = False) -> datetime.date:
        """The nearest working day that is also a weekday (make-up Saturdays and Sundays are skipped)."""
        step = datetime.timedelta(days=-1 if backwards else 1)
        for _ in range(40):
            if day.weekday() < 5 and self.calendar.is_working_day(day):
                return day
            day += step
        return day

    def publication_day(self, day: datetime.date) -> datetime.date:
        day = self.working_day(day)
        if day > self.last_day:
            day = self.working_day(self.last_day, backwards=True)
        return day


def item_months(spec: Spec) -> tuple[int, ...]:
    """The months an item is published in: those of its titles if they all have some, else the default ones."""
    if all(t.months for t in spec.titles):
        return tuple(sorted({m for t in spec.titles for m in t.months}))
    return DEFAULT_MONTHS


def spread_days(
    rng: random.Random, count: int, start: datetime.date, end: datetime.date, months: tuple[int, ...]
) -> list[datetime.date]:
    """``count`` days between start and end in the given months, one in each equal share of that span."""
    pool = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    pool = [day for day in pool if day.month in months]
    if not pool or count <= 0:
        return []
    share = len(pool) / count
    return [pool[min(len(pool) - 1, int(i * share + rng.random() * share))] for i in range(count)]


def annual_days(planner: Planner, item: DisclosureItem) -> list[datetime.date]:
    """One day per academic year, in the item's month or the one before it, never after yesterday."""
    days = []
    month = item.month or 9
    for year in range(FIRST_ACADEMIC_YEAR, academic_year_of(planner.today) + 1):
        calendar_year = year if month >= 9 else year + 1
        if month != 9 and planner.rng.random() < 0.2:
            previous = month - 1 or 12
            day = datetime.date(calendar_year if month > 1 else calendar_year - 1, previous, planner.rng.randint(5, 26))
        else:
            day = datetime.date(calendar_year, month, planner.rng.randint(1, 24))
        day = planner.working_day(day)
        if day <= planner.last_day:
            days.append(day)
    return days


def item_days(planner: Planner, item: DisclosureItem, spec: Spec) -> list[datetime.date]:
    if item.cadence == Cadence.ANNUAL:
        return annual_days(planner, item)
    low, high = spec.count or ((4, 6) if item.cadence == Cadence.CONTINUOUS else (3, 6))
    if item.code in PAIRS_BY_ITEM:
        low = max(low, 2)
    end = min(datetime.date(academic_year_of(planner.today), 8, 31), planner.last_day)
    start = datetime.date(FIRST_ACADEMIC_YEAR, 9, 1)
    days = spread_days(planner.rng, planner.rng.randint(low, high), start, end, item_months(spec))
    if item.code in CURRENT_YEAR_ITEMS:
        current_start = datetime.date(academic_year_of(planner.today), 9, 1)
        days += spread_days(planner.rng, 1, current_start, planner.last_day, item_months(spec))
    return sorted(planner.publication_day(day) for day in days)


def plan_item(planner: Planner, item: DisclosureItem) -> list[Plan]:
    spec = SPECS[item.code]
    plans = [Plan(item=item, spec=spec, day=day) for day in item_days(planner, item, spec)]
    pair = PAIRS_BY_ITEM.get(item.code)
    if pair and len(plans) >= 2:
        newer = plans[planner.rng.randint(1, len(plans) - 1)]
        plans[0].pair, plans[0].pair_role = pair, "old"
        newer.pair, newer.pair_role = pair, "new"
        plans[0].replaced_by = newer
        newer.replaces = plans[0]
    for plan in plans:
        name_plan(planner, plan)
    return plans


def name_plan(planner: Planner, plan: Plan) -> None:
    """Give the plan its context and a title that no other demo item has."""
    planner.ordinals[(plan.item.code, plan.day.year)] += 1
    n = planner.ordinals[(plan.item.code, plan.day.year)]
    for _attempt in range(12):
        plan.ctx = build_context(planner.rng, plan.item, plan.day, n)
        if plan.pair:
            raw = plan.pair.old if plan.pair_role == "old" else plan.pair.new
            plan.template, plan.title = Tpl(raw), fill(raw, plan.ctx)
            break
        template = pick_template(planner.rng, plan.spec, plan.day, plan.ctx, planner.used_titles)
        if template:
            plan.template, plan.title = template, fill(template.title, plan.ctx)
            break
    else:
        template = plan.spec.titles[0]
        plan.template = template
        plan.title = f"{fill(template.title, plan.ctx)}（{cn_numeric_date(plan.day)}）"
    planner.used_titles.add(plan.title)


def pick_template(rng: random.Random, spec: Spec, day: datetime.date, ctx: Ctx, used: set[str]) -> Tpl | None:
    """A title template, those of the day's month first, whose title is not taken yet."""
    fitting = [t for t in spec.titles if not t.months or day.month in t.months]
    others = [t for t in spec.titles if t not in fitting]
    for template in rng.sample(fitting, len(fitting)) + rng.sample(others, len(others)):
        if fill(template.title, ctx) not in used:
            return template
    return None


def plan_drafts(planner: Planner, items: dict[str, DisclosureItem]) -> list[Plan]:
    plans = []
    for code in DRAFT_ITEMS:
        day = planner.working_day(planner.today - datetime.timedelta(days=planner.rng.randint(0, 9)), backwards=True)
        plan = Plan(item=items[code], spec=SPECS[code], day=day, publish=False)
        name_plan(planner, plan)
        plans.append(plan)
    return plans


def decide_dates(planner: Planner, plan: Plan) -> None:
    rng = planner.rng
    if plan.publish:
        late = rng.random() < 0.05
        gap = rng.randint(40, 60) if late else rng.randint(1, 15)
        written = plan.day - datetime.timedelta(days=gap)
        plan.date_written = written if late else planner.working_day(written, backwards=True)
        hour = rng.choice((8, 9, 9, 10, 10, 11, 14, 14, 15, 15, 16, 16, 17))
        minute = rng.randint(30, 59) if hour == 8 else rng.randint(0, 29) if hour == 17 else rng.randint(0, 59)
        moment = datetime.datetime.combine(plan.day, datetime.time(hour, minute, rng.randint(0, 59)))
        plan.published_at = moment.replace(tzinfo=SHANGHAI)
    else:
        plan.date_written = plan.day


def decide_metadata(planner: Planner, plan: Plan) -> None:
    rng = planner.rng
    own = plan.item.department
    if rng.random() < 0.1:
        plan.department = planner.departments["office"] if own.code != "office" else planner.departments["xxgk"]
    else:
        plan.department = own
    plan.audience = plan.item.default_audience
    if plan.item.category.code == "02" or (plan.spec.rule and "《" in plan.title) or doc_type(plan.title) == "rule":
        plan.validity = Validity.IN_FORCE
    keywords = list(plan.spec.keywords)
    if "《" in plan.title:
        keywords.append(rule_name(plan.title))
    plan.ctx["k"] = rng.randint(3, 24)
    plan.ctx["meeting_text"] = fill(rng.choice(WORDS["meetings"]), plan.ctx)
    keywords.append(f"{plan.day.year}年")
    plan.keywords = "，".join(dict.fromkeys(keywords))[:200]


def wants_document_number(rng: random.Random, plan: Plan) -> bool:
    kind = doc_type(plan.title)
    if plan.pair:
        return True
    if kind == "rule":
        return rng.random() < 0.85
    if plan.title.startswith("关于") and kind in ("notice", "announcement", "publicity"):
        return rng.random() < 0.35
    return False


def assign_document_numbers(rng: random.Random, plans: list[Plan]) -> None:
    counters: Counter = Counter()
    for plan in sorted(plans, key=lambda p: (p.date_written, p.item.code)):
        if not wants_document_number(rng, plan):
            continue
        code = plan.department.code if plan.department else "office"
        prefix = OFFICES["document_prefixes"].get(code, OFFICES["default_prefix"])
        year = plan.date_written.year
        counters[(prefix, year)] += rng.randint(1, 5)
        plan.document_number = f"{prefix}〔{year}〕{counters[(prefix, year)]}号"


def choose_campus_only(rng: random.Random, plans: list[Plan]) -> None:
    candidates = [
        p
        for p in plans
        if p.publish and p.item.code in CAMPUS_CANDIDATE_ITEMS and p.item.code != CAMPUS_ITEM and not p.pair
    ]
    for plan in rng.sample(candidates, min(EXTRA_CAMPUS_ONLY, len(candidates))):
        plan.audience = Audience.CAMPUS


def choose_withdrawals(planner: Planner, plans: list[Plan]) -> None:
    cutoff = datetime.date(academic_year_of(planner.today), 9, 1)
    candidates = [p for p in plans if p.publish and p.item.code in WITHDRAWABLE_ITEMS and p.day < cutoff and not p.pair]
    for plan in planner.rng.sample(candidates, min(WITHDRAWN_COUNT, len(candidates))):
        plan.withdraw_reason = withdrawal_reason(plan)


def withdrawal_reason(plan: Plan) -> str:
    reasons = TEXTS["withdrawal_reasons"]
    if plan.item.code == "12.03":
        return reasons["procurement"]
    if "公示" in plan.title or "名单" in plan.title:
        return reasons["list"]
    return reasons["other"]


def choose_attachments(rng: random.Random, plans: list[Plan]) -> None:
    """About ATTACHED_DISCLOSURES items get one or two files, favouring reports, rules, tables and fees."""
    candidates = [p for p in plans if p.publish and not p.withdraw_reason]

    def weight(plan: Plan) -> float:
        return 3.0 if plan.spec.attach else 2.0 if doc_type(plan.title) == "rule" else 1.0

    ranked = sorted(candidates, key=lambda p: rng.random() ** (1 / weight(p)), reverse=True)
    for plan in ranked[:ATTACHED_DISCLOSURES]:
        kinds = plan.spec.attach or (("docx", "pdf") if doc_type(plan.title) == "rule" else ("pdf", "xlsx"))
        if len(kinds) == 1:
            kinds = (*kinds, "pdf" if kinds[0] != "pdf" else "docx")
        plan.attachment_kinds = kinds[: 2 if rng.random() < 0.35 else 1]


def build_body(planner: Planner, plan: Plan) -> None:
    rng = planner.rng
    table_name = plan.template.table if plan.template and plan.template.table is not None else plan.spec.table
    table = build_table(rng, table_name, plan.ctx) if table_name else None
    replaces = ""
    if plan.replaces:
        older = plan.replaces
        number = f"（{older.document_number}）" if older.document_number else ""
        replaces = f"《{rule_name(older.title)}》{number}"
    body_input = BodyInput(
        title=plan.title,
        spec=plan.spec,
        ctx=plan.ctx,
        table=table,
        department=plan.department,
        date_written=plan.date_written,
        meeting=str(plan.ctx["meeting_text"]),
        publicity_start=plan.day,
        publicity_end=planner.calendar.add_working_days(plan.day, 5).date,
        replaces=replaces,
    )
    plan.content = fit_content(build_content(rng, body_input))
    plan.body = render_html(plan.content)
    plan.summary = distinct_summary(plan, fill(plan.spec.lead, plan.ctx)[:120])


KIND_WORDS = {"rule": "制度文件", "publicity": "公示", "announcement": "公告", "notice": "通知", "report": "报告"}


def distinct_summary(plan: Plan, lead: str) -> str:
    """The summary (内容概述) says what the document is, not its first sentence again: a page showing both
    would repeat itself. The lead stays the summary when the body does not open with it."""
    lines = plain_lines(plan.content)
    first = next((line for line in lines if line.strip()), "")
    if lead and not (first.startswith(lead[:16]) or lead[:16] in first):
        return lead
    kind = KIND_WORDS.get(doc_type(plan.title), "信息")
    return f"{plan.department.name}发布的{kind}，成文于{cn_numeric_date(plan.date_written)}。"


def make_plans(planner: Planner, items: list[DisclosureItem]) -> list[Plan]:
    # Items the demo has no content for (added to the catalogue later, e.g. by disclosures 0008) get none.
    plans = [plan for item in items if item.code in SPECS for plan in plan_item(planner, item)]
    plans += plan_drafts(planner, {item.code: item for item in items})
    for plan in plans:
        decide_dates(planner, plan)
        decide_metadata(planner, plan)
    assign_document_numbers(planner.rng, plans)
    choose_campus_only(planner.rng, plans)
    choose_withdrawals(planner, plans)
    choose_attachments(planner.rng, plans)
    for plan in sorted(plans, key=creation_order):
        build_body(planner, plan)
    return [plan for plan in plans if not not_yet_published(planner, plan)]


def not_yet_published(planner: Planner, plan: Plan) -> bool:
    """This year's edition of an item in OVERDUE_THIS_YEAR. Dropped after every random choice is made,
    so that the rest of the demo is the same with or without it."""
    return (
        plan.item.code in OVERDUE_THIS_YEAR
        and plan.publish
        and not plan.withdraw_reason
        and plan.replaced_by is None
        and plan.pair is None
        and academic_year_of(plan.day) == academic_year_of(planner.today)
    )


def creation_order(plan: Plan) -> tuple:
    """The order the items are written in: as they were published (drafts at noon of their day)."""
    moment = plan.published_at or datetime.datetime.combine(plan.day, datetime.time(12), tzinfo=SHANGHAI)
    return (moment, plan.item.code, plan.title)
