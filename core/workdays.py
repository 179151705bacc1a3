"""Working days: the State Council's holiday schedule (through chinese-calendar) plus the staff's
calendar table. Everything here is a pure function of dates and a table of overrides.

For a year that has neither official data nor a schedule entered by staff, weekends and the statutory
holidays of 《全国年节及纪念日放假办法》 (fourth revision, 10 November 2024, art. 2: 元旦 1 day;
春节 4 days, 农历除夕 and 正月初一 to 初三; 清明节 1 day; 劳动节 2 days, 1-2 May; 端午节 1 day; 中秋节 1 day;
国庆节 3 days, 1-3 October) are used, the lunar ones computed by the ``holidays`` package's Chinese lunisolar
calendar, and the result says it is provisional: the State Council's yearly notice adds bridge days and make-up
working days (调休) that no rule predicts. Nothing here raises for an unknown year.

College closures (寒暑假, CalendarDayKind.CLOSURE) are not statutory holidays: ``load_calendar(closures=False)``
leaves them out, for a time limit that the law counts in working days whatever the college does.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import chinese_calendar
import holidays
from django.db.models import Q
from django.utils import timezone

from core.models import CalendarDay, CalendarDayKind

# Holidays with a fixed date in the Gregorian calendar (New Year, Labour Day, National Day).
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
# Far enough for any legal time limit; stops a runaway loop on absurd input.
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class Override:
    is_working_day: bool
    official: bool  # part of an official schedule entered by staff (makes the year non-provisional)


@dataclass(frozen=True)
class DayCount:
    date: datetime.date
    provisional: bool


@functools.cache
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The statutory holidays of a year by the national rules (2024 amendment), lunar ones included, without the
    State Council's bridge days: what a provisional calendar keeps free for a year with no published schedule."""
    days = {datetime.date(year, month, day) for month, day in FIXED_HOLIDAYS}
    # observed=False: the rule's own days only (no "observed" substitutes, which the yearly notice decides).
    days |= set(holidays.China(years=year, observed=False))
    return frozenset(days)


def official_data_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """Answers working-day questions for a fixed table of overrides (each day looked up once: chinese-calendar
    validates every date it is asked about, which costs more than the counting itself)."""

    def __init__(self, overrides: Mapping[datetime.date, Override] | None = None):
        self.overrides = dict(overrides or {})
        self._staff_years = {day.year for day, o in self.overrides.items() if o.official}
        self._year_cache: dict[int, bool] = {}
        self._day_cache: dict[datetime.date, bool] = {}

    def year_is_provisional(self, year: int) -> bool:
        if year not in self._year_cache:
            self._year_cache[year] = not official_data_covers(year) and year not in self._staff_years
        return self._year_cache[year]

    def is_working_day(self, day: datetime.date) -> bool:
        if day not in self._day_cache:
            self._day_cache[day] = self._look_up(day)
        return self._day_cache[day]

    def _look_up(self, day: datetime.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.is_working_day
        if official_data_covers(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def next_working_day(self, day: datetime.date, *, include_self: bool = True) -> DayCount:
        """The first working day on or after ``day`` (after it, when ``include_self`` is false)."""
        current = day if include_self else day + datetime.timedelta(days=1)
        provisional = False
        for _ in range(MAX_SPAN_DAYS):
            provisional = provisional or self.year_is_provisional(current.year)
            if self.is_working_day(current):
                return DayCount(current, provisional)
            current += datetime.timedelta(days=1)
        return DayCount(current, True)

    def add_working_days(self, start: datetime.date, count: int) -> DayCount:
        """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
        current = start
        provisional = False
        remaining = max(count, 0)
        steps = 0
        while remaining > 0 and steps < MAX_SPAN_DAYS:
            current += datetime.timedelta(days=1)
            steps += 1
            provisional = provisional or self.year_is_provisional(current.year)
            if self.is_working_day(current):
                remaining -= 1
        return DayCount(current, provisional or remaining > 0)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign == 1 else (end, start)
        low = max(low, high - datetime.timedelta(days=MAX_SPAN_DAYS))
        count = 0
        current = low
        while current < high:
            current += datetime.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return sign * count

    def due_after_receipt(self, day: datetime.date, count: int) -> DayCount:
        """``count`` working days after the day of receipt: ``day`` when it is a working day, else the next one."""
        received = self.next_working_day(day)
        due = self.add_working_days(received.date, count)
        return DayCount(due.date, received.provisional or due.provisional)

    def days_due_within(
        self, *, count: int, today: datetime.date, fewest: int | None, most: int | None
    ) -> tuple[datetime.date | None, datetime.date | None]:
        """The days ``day`` whose ``due_after_receipt(day, count)`` leaves from ``fewest`` to ``most`` working days
        after ``today`` (``working_days_between(today, due)``: 0 on the due day, negative once overdue; None for
        no bound), as the first and the last of them: None for an open end, first after last when there is none.

        The days left never decrease as ``day`` moves on, so the days wanted are one range, found by a search
        from ``today`` outwards: a due-date filter becomes a range query on the day something was received.
        """
        left: dict[datetime.date, int] = {}

        def days_left(day: datetime.date) -> int:
            if day not in left:
                left[day] = self.working_days_between(today, self.due_after_receipt(day, count).date)
            return left[day]

        first = None
        if fewest is not None:
            first = _last_day_where(lambda day: days_left(day) < fewest, around=today) + datetime.timedelta(days=1)
        last = None if most is None else _last_day_where(lambda day: days_left(day) <= most, around=today)
        return first, last


def _last_day_where(holds: Callable[[datetime.date], bool], *, around: datetime.date) -> datetime.date:
    """The last day on which ``holds`` is true, for a condition that is true up to some day and false after it,
    searched within MAX_SPAN_DAYS of ``around``: doubling steps away from it, then halving between the last two."""

    def at(offset: int) -> datetime.date:
        return around + datetime.timedelta(days=offset)

    forward = holds(around)  # true here: the last true day is here or later; false: earlier
    known, step = 0, 1  # ``known`` is as far as ``holds`` is known to be what it is at ``around``
    while True:
        offset = min(step, MAX_SPAN_DAYS) if forward else -min(step, MAX_SPAN_DAYS)
        if holds(at(offset)) != forward:
            break
        known = offset
        if step >= MAX_SPAN_DAYS:  # no change within the span
            return at(MAX_SPAN_DAYS) if forward else at(-MAX_SPAN_DAYS - 1)
        step *= 2
    good, bad = (known, offset) if forward else (offset, known)
    while bad - good > 1:
        middle = (good + bad) // 2
        if holds(at(middle)):
            good = middle
        else:
            bad = middle
    return at(good)


def local_days_q(field: str, first: datetime.date | None, last: datetime.date | None) -> Q:
    """A filter: the date and time ``field`` falls on a day from ``first`` to ``last`` in the current time zone
    (None for an open end), as a range the field's index serves."""

    def start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    condition = Q()
    if first is not None:
        condition &= Q(**{f"{field}__gte": start_of(first)})
    if last is not None:
        condition &= Q(**{f"{field}__lt": start_of(last + datetime.timedelta(days=1))})
    return condition


def load_calendar(*, closures: bool = True) -> WorkingCalendar:
    """The calendar with the staff's table as it is now (one small query); ``closures=False`` leaves out the
    college's own closures (寒暑假), which are no statutory holidays."""
    official_kinds = {CalendarDayKind.HOLIDAY, CalendarDayKind.MAKEUP}
    rows = CalendarDay.objects.values_list("date", "is_working_day", "kind")
    if not closures:
        rows = rows.exclude(kind=CalendarDayKind.CLOSURE)
    return WorkingCalendar(
        {day: Override(is_working_day=working, official=kind in official_kinds) for day, working, kind in rows}
    )
