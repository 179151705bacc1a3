"""The deadline rules as pure functions over the official calendar (chinese-calendar) and staff overrides."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.workdays import Override, WorkingCalendar
from requests_app.deadlines import ClockEvent, ClockState, compute_deadline, received_on, working_days_remaining
from requests_app.models import EventKind

D = datetime.date
CAL = WorkingCalendar()


def deadline(submitted, *events, calendar=CAL, reply_days=15, clarification_days=15):
    return compute_deadline(
        submitted_on=submitted,
        events=[ClockEvent(kind, on, days) for kind, on, days in events],
        calendar=calendar,
        reply_days=reply_days,
        clarification_days=clarification_days,
    )


def test_national_day_2025_matches_the_workdays_command():
    # 2025-10-01..08 off; Sunday 28 September and Saturday 11 October are make-up working days.
    result = deadline(D(2025, 9, 22))
    assert result.received_on == D(2025, 9, 22)
    assert result.due_on == D(2025, 10, 17)
    assert not result.provisional


def test_submission_on_a_make_up_sunday_is_received_that_day():
    assert received_on(D(2025, 9, 28), CAL) == (D(2025, 9, 28), False)


def test_submission_in_the_national_day_holiday_is_received_on_the_next_working_day():
    result = deadline(D(2025, 10, 3))
    assert result.received_on == D(2025, 10, 9)
    # 10 Oct, Sat 11 Oct (make-up), then 13 Oct onwards.
    assert result.due_on == D(2025, 10, 29)


def test_submission_on_a_weekend_is_received_on_monday():
    assert deadline(D(2025, 3, 8)).received_on == D(2025, 3, 10)


def test_spring_festival_2025_with_make_up_sunday_and_saturday():
    # 2025-01-28..02-04 off; Sunday 26 January and Saturday 8 February are working days.
    assert received_on(D(2025, 1, 26), CAL)[0] == D(2025, 1, 26)
    result = deadline(D(2025, 1, 27))
    assert result.received_on == D(2025, 1, 27)
    assert result.due_on == D(2025, 2, 24)


def test_spring_festival_2026_submission_during_the_holiday():
    result = deadline(D(2026, 2, 17))  # 春节 2026: 15-23 February off, Saturday 28 February worked
    assert result.received_on == D(2026, 2, 24)
    assert not result.provisional


def test_a_year_without_official_data_is_provisional_and_never_raises():
    result = deadline(D(2027, 9, 27))
    assert result.provisional
    # Weekends and the fixed-date holidays (1-3 October) only.
    assert result.received_on == D(2027, 9, 27)
    assert result.due_on == D(2027, 10, 19)


def test_a_staff_schedule_makes_the_year_official():
    calendar = WorkingCalendar(
        {D(2027, 10, 4): Override(is_working_day=False, official=True), D(2027, 1, 1): Override(False, True)}
    )
    result = deadline(D(2027, 9, 27), calendar=calendar)
    assert not result.provisional
    assert result.due_on == D(2027, 10, 20)


def test_clarification_stops_the_clock_and_the_full_limit_restarts_from_the_answer():
    stopped = deadline(D(2025, 3, 3), (EventKind.CLARIFICATION_REQUESTED, D(2025, 3, 5), None))
    assert stopped.clock == ClockState.STOPPED
    assert stopped.due_on is None
    assert stopped.clarification_due_on == D(2025, 3, 26)
    restarted = deadline(
        D(2025, 3, 3),
        (EventKind.CLARIFICATION_REQUESTED, D(2025, 3, 5), None),
        (EventKind.CLARIFICATION_RECEIVED, D(2025, 3, 12), None),
    )
    assert restarted.running
    assert restarted.due_on == D(2025, 4, 2)  # 15 working days after 12 March


def test_clarification_answered_on_a_saturday_counts_from_monday():
    result = deadline(
        D(2025, 3, 3),
        (EventKind.CLARIFICATION_REQUESTED, D(2025, 3, 5), None),
        (EventKind.CLARIFICATION_RECEIVED, D(2025, 3, 15), None),
    )
    assert result.due_on == D(2025, 4, 8)  # from Monday 17 March; 4-6 April is Qingming


def test_extension_adds_its_working_days():
    result = deadline(D(2025, 9, 22), (EventKind.EXTENDED, D(2025, 10, 10), 15))
    assert result.extended_days == 15
    assert result.due_on == D(2025, 11, 7)


def test_third_party_consultation_pauses_the_clock():
    paused = deadline(D(2025, 3, 3), (EventKind.CONSULTATION_STARTED, D(2025, 3, 7), None))
    assert paused.clock == ClockState.PAUSED
    assert paused.working_days_left == 11  # 4, 5, 6, 7 March used
    resumed = deadline(
        D(2025, 3, 3),
        (EventKind.CONSULTATION_STARTED, D(2025, 3, 7), None),
        (EventKind.CONSULTATION_ENDED, D(2025, 3, 21), None),
    )
    assert resumed.due_on == D(2025, 4, 8)  # 11 working days after 21 March (Qingming 4-6 April)


def test_limits_are_parameters():
    assert deadline(D(2025, 9, 22), reply_days=20).due_on == D(2025, 10, 24)


@pytest.mark.parametrize(
    ("today", "left"),
    [(D(2025, 10, 16), 1), (D(2025, 10, 17), 0), (D(2025, 10, 20), -1), (D(2025, 9, 30), 8)],
)
def test_working_days_remaining(today, left):
    assert working_days_remaining(D(2025, 10, 17), today, CAL) == left


@pytest.mark.django_db
def test_service_deadline_uses_the_local_submission_date_with_a_frozen_clock():
    from requests_app.services import application_deadline
    from tests.requests_app.factories import make_application

    # Friday 30 January 2026, 23:30 in Beijing is still Friday: received that day.
    with time_machine.travel(datetime.datetime(2026, 1, 30, 15, 30, tzinfo=datetime.UTC), tick=False):
        application, _ = make_application()
        assert timezone.localdate(application.submitted_at) == D(2026, 1, 30)
        result = application_deadline(application)
    assert result.received_on == D(2026, 1, 30)
    # Spring Festival 2026 (15-23 February off, Saturday 14 February worked) is inside the window.
    assert result.due_on == D(2026, 2, 27)
