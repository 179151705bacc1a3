"""Due dates as ranges of days: ``WorkingCalendar.days_due_within`` finds the days whose due date falls in a
window of working days left, as a scan of every day would, and ``local_days_q`` turns them into a query."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.workdays import MAX_SPAN_DAYS, Override, WorkingCalendar, _last_day_where, local_days_q

D = datetime.date
# A college closure of two weeks and a Saturday made a working day, beside the official 2025 schedule.
CLOSURE = {D(2025, 11, 3) + datetime.timedelta(days=n): Override(False, official=False) for n in range(14)}
CAL = WorkingCalendar({**CLOSURE, D(2025, 11, 22): Override(True, official=False)})


def scanned(calendar, *, count, today, fewest, most):
    """Every day from 120 days before ``today`` to 59 after whose due date is in the window, one by one."""
    found = []
    for day in (today + datetime.timedelta(days=n) for n in range(-120, 60)):
        left = calendar.working_days_between(today, calendar.due_after_receipt(day, count).date)
        if (fewest is None or left >= fewest) and (most is None or left <= most):
            found.append(day)
    return found


@pytest.mark.parametrize("count", [0, 1, 5, 15, 30])
@pytest.mark.parametrize("fewest,most", [(None, -1), (0, 2), (0, 10), (-5, -1), (3, 3), (None, 40)])
def test_the_days_due_within_a_window_are_the_days_a_scan_finds(count, fewest, most):
    for today in (D(2025, 9, 30), D(2025, 10, 4), D(2025, 11, 10), D(2025, 11, 22), D(2025, 12, 1)):
        first, last = CAL.days_due_within(count=count, today=today, fewest=fewest, most=most)
        expected = scanned(CAL, count=count, today=today, fewest=fewest, most=most)
        days = (today + datetime.timedelta(days=n) for n in range(-120, 60))
        found = [day for day in days if (first is None or day >= first) and (last is None or day <= last)]
        assert found == expected, (today, first, last)


def test_the_search_stays_within_the_span():
    today = D(2025, 10, 15)
    assert _last_day_where(lambda day: True, around=today) == today + datetime.timedelta(days=MAX_SPAN_DAYS)
    assert _last_day_where(lambda day: False, around=today) == today - datetime.timedelta(days=MAX_SPAN_DAYS + 1)
    assert _last_day_where(lambda day: day <= D(2019, 1, 2), around=today) == D(2019, 1, 2)
    assert _last_day_where(lambda day: day <= D(2031, 7, 1), around=today) == D(2031, 7, 1)


def test_a_range_of_days_is_a_range_of_times_in_the_current_time_zone():
    with timezone.override(ZoneInfo("Asia/Shanghai")):
        condition = local_days_q("submitted_at", D(2025, 10, 1), D(2025, 10, 7))
        children = dict(condition.children)
    assert children["submitted_at__gte"] == datetime.datetime(2025, 9, 30, 16, tzinfo=datetime.UTC)
    assert children["submitted_at__lt"] == datetime.datetime(2025, 10, 7, 16, tzinfo=datetime.UTC)
    assert local_days_q("submitted_at", None, None).children == []
