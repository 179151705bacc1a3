"""The reply deadline of an application, derived from its events: pure functions, nothing stored.

Rules (DESIGN.md, Working days): the limit counts working days after the day of receipt, and a submission on
a non-working day is received on the next working day. Asking for clarification stops the clock and the full
limit restarts from the day the answer is received. One extension adds its working days. Consulting a third
party pauses the clock: the working days left when it started are counted again from its end.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from core.workdays import WorkingCalendar
from requests_app.models import EventKind


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: datetime.date
    days: int | None = None


class ClockState:
    RUNNING = "running"
    STOPPED = "stopped"  # waiting for a clarification
    PAUSED = "paused"  # consulting a third party


@dataclass(frozen=True)
class Deadline:
    received_on: datetime.date
    due_on: datetime.date | None  # None while the clock is stopped or paused
    clock: str
    provisional: bool
    extended_days: int
    clarification_due_on: datetime.date | None  # while stopped: the last day to answer
    working_days_left: int | None  # when paused: the budget that resumes after the consultation

    @property
    def running(self) -> bool:
        return self.clock == ClockState.RUNNING

    @property
    def stopped(self) -> bool:
        """Waiting for the applicant's clarification (rather than paused for a consultation)."""
        return self.clock == ClockState.STOPPED


def received_on(submitted_on: datetime.date, calendar: WorkingCalendar) -> tuple[datetime.date, bool]:
    """The day of receipt: the submission day if it is a working day, else the next working day."""
    result = calendar.next_working_day(submitted_on)
    return result.date, result.provisional


def compute_deadline(
    *,
    submitted_on: datetime.date,
    events: Iterable[ClockEvent],
    calendar: WorkingCalendar,
    reply_days: int,
    clarification_days: int,
) -> Deadline:
    """Replay the clock events in date order and return where the deadline stands after the last one."""
    received, provisional = received_on(submitted_on, calendar)
    anchor = received  # working days are counted after this day
    budget = reply_days  # working days allowed after the anchor
    extended = 0
    clock = ClockState.RUNNING
    clarification_due: datetime.date | None = None
    for event in sorted(events, key=lambda e: e.on):
        if event.kind == EventKind.CLARIFICATION_REQUESTED and clock == ClockState.RUNNING:
            clock = ClockState.STOPPED
            due = calendar.add_working_days(event.on, clarification_days)
            clarification_due = due.date
            provisional = provisional or due.provisional
        elif event.kind == EventKind.CLARIFICATION_RECEIVED and clock == ClockState.STOPPED:
            restart = calendar.next_working_day(event.on)
            provisional = provisional or restart.provisional
            anchor, budget = restart.date, reply_days + extended
            clock = ClockState.RUNNING
            clarification_due = None
        elif event.kind == EventKind.EXTENDED:
            days = max(event.days or 0, 0)
            extended += days
            budget += days
        elif event.kind == EventKind.CONSULTATION_STARTED and clock == ClockState.RUNNING:
            used = max(calendar.working_days_between(anchor, event.on), 0)
            budget = max(budget - used, 0)
            anchor = event.on
            clock = ClockState.PAUSED
        elif event.kind == EventKind.CONSULTATION_ENDED and clock == ClockState.PAUSED:
            anchor = event.on
            clock = ClockState.RUNNING
    due_on = None
    if clock == ClockState.RUNNING:
        due = calendar.add_working_days(anchor, budget)
        due_on = due.date
        provisional = provisional or due.provisional
    return Deadline(
        received_on=received,
        due_on=due_on,
        clock=clock,
        provisional=provisional,
        extended_days=extended,
        clarification_due_on=clarification_due,
        working_days_left=budget if clock == ClockState.PAUSED else None,
    )


def working_days_remaining(due_on: datetime.date, today: datetime.date, calendar: WorkingCalendar) -> int:
    """Working days from ``today`` to ``due_on`` (0 on the due day; negative once overdue)."""
    return calendar.working_days_between(today, due_on)
