"""The inboxes' "due" filter (and the reminders) ask the database for the messages whose due date, computed
from the day they arrived and the calendar, falls in the window: the same messages a loop over every open
message finds, for each channel's time limit, around holidays and at the edges of a day in Beijing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.workdays import load_calendar
from feedback import services
from feedback.models import Channel, FeedbackMessage
from tests.feedback.factories import make_message

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOWS = [(None, -1), (0, 2), (None, 2), (-4, 1)]


def looped(fewest, most, today, calendar) -> set[int]:
    """What the filter did before: every open message's due date computed in Python."""
    wanted = set()
    for message in FeedbackMessage.objects.open():
        left = calendar.working_days_between(today, services.message_due(message, calendar=calendar).date)
        if (fewest is None or left >= fewest) and (most is None or left <= most):
            wanted.add(message.pk)
    return wanted


def test_the_query_finds_what_the_loop_finds():
    start = datetime.datetime(2025, 9, 20, tzinfo=SHANGHAI)
    for n in range(40):
        day = start + datetime.timedelta(days=n)
        for channel, hour, minute in (
            (Channel.CONSULTATION, 0, 5),
            (Channel.COMPLAINT, 23, 55),
            (Channel.MAILBOX, 12, 0),
        ):
            message, _code = make_message(channel=channel, now=day.replace(hour=hour, minute=minute))
            if n % 7 == 3:
                services.message_answer(message=message, user=None, reply="答复", result="partly")
    calendar = load_calendar()
    found_any = set()
    for offset in range(0, 60, 2):
        today = datetime.date(2025, 9, 25) + datetime.timedelta(days=offset)
        for fewest, most in WINDOWS:
            found = set(
                services.messages_due_within(
                    FeedbackMessage.objects.all(), fewest=fewest, most=most, calendar=calendar, today=today
                ).values_list("pk", flat=True)
            )
            assert found == looped(fewest, most, today, calendar), (today, fewest, most)
            found_any |= found
    assert found_any == set(FeedbackMessage.objects.open().values_list("pk", flat=True))


def test_the_reminders_list_the_messages_due_soon_with_the_days_left():
    make_message(subject="早到的咨询", now=datetime.datetime(2025, 10, 9, 9, tzinfo=SHANGHAI))
    make_message(subject="刚到的咨询", now=datetime.datetime(2025, 10, 20, 9, tzinfo=SHANGHAI))
    found = services.messages_due_soon(days=2, today=datetime.date(2025, 10, 20))
    assert [(message.subject, left) for message, left in found] == [
        ("早到的咨询", -3)
    ]  # due 15 October (the 11th is a make-up working day)


def test_the_filtered_inboxes_ask_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries):
    for n in range(30):
        make_message(now=datetime.datetime(2025, 9, 1, 9, tzinfo=SHANGHAI) + datetime.timedelta(days=n))
    with time_machine.travel(datetime.datetime(2025, 10, 15, 10, tzinfo=SHANGHAI), tick=False):
        for due in ("overdue", "2"):
            with django_assert_max_num_queries(13):  # as the unfiltered list: the filter is part of its query
                response = staff_client.get("/admin/feedback/consultation/", {"due": due})
            assert response.status_code == 200


def test_the_filter_computes_no_due_date_but_those_of_the_rows_shown(staff_client, monkeypatch):
    for n in range(30):
        make_message(now=datetime.datetime(2025, 9, 1, 9, tzinfo=SHANGHAI) + datetime.timedelta(days=n))
    computed = []
    due = services.message_due
    monkeypatch.setattr(services, "message_due", lambda m, **kw: computed.append(m.pk) or due(m, **kw))
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, tzinfo=SHANGHAI), tick=False):
        response = staff_client.get("/admin/feedback/consultation/", {"due": "overdue"})
    shown = [m.pk for m in response.context["cl"].result_list]
    assert 0 < len(shown) < 30 and set(computed) == set(shown)  # the due and overdue columns of the rows shown
