"""The reply deadline of an application, derived from its events: pure functions, nothing stored.

Rules (DESIGN.md, Working days), with the articles they follow:
- The limit counts working days after the day of receipt (Order 29: 15 working days; 条例 art. 33: 20), and a
  filing on a non-working day is received on the next working day. The day of receipt follows the channel
  (条例 art. 31): the caller gives the day handed in, signed for or confirmed.
- One request for clarification stops the clock; the full limit restarts from the day the answer is received
  (条例 art. 30: 答复期限自收到补正的申请之日起计算).
- One extension adds its working days (条例 art. 33).
- Consulting a third party pauses the clock (条例 art. 32, 33: 征求第三方意见所需时间不计算在期限内), but only for
  the third party's own period: the clock runs again on their answer or when their period ends, whichever is first.
- The legal clock: an event dated after the due date as it then stood changes nothing (a late extension, a late
  request for clarification or consultation cannot turn a late reply into one on time).
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
    due_on: datetime.date | None = None  # clarification: the answer's due day; consultation: the period's end


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
    pause_ends_on: datetime.date | None = None  # when paused: the last day of the third party's period

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
    third_party_days: int = 15,
    today: datetime.date | None = None,
) -> Deadline:
    """Replay the clock events in date order and return where the deadline stands after the last one.

    ``submitted_on`` is the day the channel's rule names (filed online, handed in, signed for, confirmed);
    ``today``: a pause whose third-party period ended before this day is over, answer or not."""
    received, provisional = received_on(submitted_on, calendar)
    anchor = received  # working days are counted after this day
    budget = reply_days  # working days allowed after the anchor
    extended = 0
    clock = ClockState.RUNNING
    clarification_due: datetime.date | None = None
    pause_ends: datetime.date | None = None

    def running_due() -> datetime.date:
        return calendar.add_working_days(anchor, budget).date

    def resume(on: datetime.date) -> None:
        nonlocal anchor, clock, pause_ends
        anchor, clock, pause_ends = on, ClockState.RUNNING, None

    for event in sorted(events, key=lambda e: e.on):
        if clock == ClockState.PAUSED and pause_ends is not None and event.on > pause_ends:
            resume(pause_ends)  # the third party's period ended before this event
        if clock == ClockState.RUNNING and event.on > running_due():
            continue  # after the legal due date: the clock is not reset (see the module's docstring)
        if event.kind == EventKind.CLARIFICATION_REQUESTED and clock == ClockState.RUNNING:
            clock = ClockState.STOPPED
            if event.due_on is not None:
                clarification_due = event.due_on
            else:
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
            if event.due_on is not None:
                pause_ends = event.due_on
            else:
                ends = calendar.add_working_days(event.on, event.days or third_party_days)
                pause_ends = ends.date
                provisional = provisional or ends.provisional
        elif event.kind == EventKind.CONSULTATION_ENDED and clock == ClockState.PAUSED:
            resume(event.on)
        elif event.kind == EventKind.FEE_NOTIFIED and clock == ClockState.RUNNING:
            # 条例 art. 42 and 国办函〔2020〕109号: from the fee notice to the payment the clock is paused.
            used = max(calendar.working_days_between(anchor, event.on), 0)
            budget = max(budget - used, 0)
            anchor, clock, pause_ends = event.on, ClockState.PAUSED, None
        elif event.kind == EventKind.FEE_PAID and clock == ClockState.PAUSED:
            resume(event.on)
    if clock == ClockState.PAUSED and pause_ends is not None and today is not None and today > pause_ends:
        resume(pause_ends)
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
        pause_ends_on=pause_ends if clock == ClockState.PAUSED else None,
    )


def working_days_remaining(due_on: datetime.date, today: datetime.date, calendar: WorkingCalendar) -> int:
    """Working days from ``today`` to ``due_on`` (0 on the due day; negative once overdue)."""
    return calendar.working_days_between(today, due_on)
