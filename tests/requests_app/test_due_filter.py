"""The inbox's "due" filter is a database query that finds exactly the applications the deadline replay
(deadlines.compute_deadline) puts in the window, whatever happened to them: extensions, clarifications,
consultations, a staff correction of the calendar, a submission on a holiday."""

import datetime

import pytest
import time_machine

from core.models import CalendarDay, CalendarDayKind
from core.workdays import load_calendar
from requests_app import services
from requests_app.deadlines import working_days_remaining
from requests_app.models import DisclosureApplication
from tests.requests_app.factories import make_application, office_head

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
WINDOWS = [(None, -1), (0, 3), (0, 5), (0, 10), (-3, 0)]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def step(day: datetime.date, action, **kwargs):
    with time_machine.travel(at(day), tick=False):
        action(**kwargs)


def file(day: datetime.date, hour: int = 10):
    return make_application(now=at(day, hour), phone=f"139{day:%m%d}{hour:04d}")[0]


def histories():
    """Applications with every kind of clock history the services can write."""
    d = datetime.date
    head = office_head()
    file(d(2025, 9, 19))  # received, never touched
    file(d(2025, 9, 27), 23)  # a Saturday late in the evening (and a make-up working day on the 28th)
    file(d(2025, 10, 3))  # in the National Day holiday
    accepted = file(d(2025, 10, 9))
    step(d(2025, 10, 10), services.application_accept, application=accepted, user=None)
    for days, filed in ((5, d(2025, 9, 22)), (15, d(2025, 10, 13))):
        extended = file(filed)
        step(filed, services.application_accept, application=extended, user=None)
        step(
            filed + datetime.timedelta(days=3),
            services.application_extend,
            application=extended,
            user=None,
            days=days,
            reason="材料较多",
            approver=head,
        )
    stopped = file(d(2025, 10, 14))
    step(d(2025, 10, 15), services.application_request_clarification, application=stopped, user=None, message="?")
    for asked, answered, extend in ((d(2025, 9, 23), d(2025, 9, 30), False), (d(2025, 10, 16), d(2025, 10, 20), True)):
        restarted = file(asked)
        step(asked, services.application_request_clarification, application=restarted, user=None, message="?")
        step(answered, services.application_answer_clarification, application=restarted, text="补正")
        if extend:
            step(
                answered + datetime.timedelta(days=2),
                services.application_extend,
                application=restarted,
                user=None,
                days=10,
                reason="需要协调",
                approver=head,
            )
    twice = file(d(2025, 9, 24))
    step(d(2025, 9, 24), services.application_accept, application=twice, user=None)
    step(d(2025, 9, 25), services.application_extend, application=twice, user=None, days=3, reason="r", approver=head)
    step(d(2025, 9, 26), services.application_request_clarification, application=twice, user=None, message="?")
    step(d(2025, 10, 9), services.application_answer_clarification, application=twice, text="补正")
    consulting = file(d(2025, 10, 20))
    step(d(2025, 10, 21), services.application_accept, application=consulting, user=None)
    step(d(2025, 10, 22), services.application_consult_start, application=consulting, user=None, third_party="某公司")
    for started, ended in ((d(2025, 9, 25), d(2025, 10, 16)), (d(2025, 10, 27), d(2025, 11, 3))):
        consulted = file(started - datetime.timedelta(days=2))
        step(started, services.application_accept, application=consulted, user=None)
        step(started, services.application_consult_start, application=consulted, user=None, third_party="某公司")
        step(
            ended, services.application_consult_end, application=consulted, user=None, decision="agrees", answer="同意"
        )
    replied = file(d(2025, 9, 18))
    step(d(2025, 9, 19), services.application_reply, application=replied, user=None, kind="disclosed", letter="见附件")


def replayed(fewest, most, today, calendar) -> set[int]:
    """What the filter did before: every open application's deadline replayed in Python."""
    wanted = set()
    for application in DisclosureApplication.objects.open().prefetch_related("events"):
        due_on = services.application_deadline(application, calendar=calendar, today=today).due_on
        if due_on is None:
            continue
        left = working_days_remaining(due_on, today, calendar)
        if (fewest is None or left >= fewest) and (most is None or left <= most):
            wanted.add(application.pk)
    return wanted


def test_the_query_finds_what_the_replay_finds(django_assert_max_num_queries):
    histories()
    CalendarDay.objects.create(date=datetime.date(2025, 10, 24), is_working_day=False, kind=CalendarDayKind.CLOSURE)
    calendar = load_calendar()
    everything = DisclosureApplication.objects.all()
    found_any = set()
    for offset in range(0, 70, 3):
        today = datetime.date(2025, 9, 29) + datetime.timedelta(days=offset)
        for fewest, most in WINDOWS:
            with django_assert_max_num_queries(4):  # extension totals, consulted rows and their events, the rows
                found = {
                    a.pk
                    for a in services.applications_due_within(
                        everything, fewest=fewest, most=most, calendar=calendar, today=today
                    )
                }
            assert found == replayed(fewest, most, today, calendar), (today, fewest, most)
            found_any |= found
    running = set(DisclosureApplication.objects.clock_running().values_list("pk", flat=True))
    # Every running application fell in some window on some day, and so did the one whose third party never
    # answered: the pause ended with their period (条例 art. 32).
    consulting = DisclosureApplication.objects.get(state="consulting", events__kind="consultation_started")
    assert found_any == running | {consulting.pk}


def test_the_inbox_filter_asks_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries):
    for n in range(30):
        with time_machine.travel(at(datetime.date(2025, 9, 1) + datetime.timedelta(days=n)), tick=False):
            make_application(phone=f"139000000{n:02d}")
    url = "/admin/requests_app/disclosureapplication/"
    with time_machine.travel(at(datetime.date(2025, 10, 15)), tick=False):
        for due in ("overdue", "3", "10", "paused"):
            with django_assert_max_num_queries(16):  # the list's 13, plus the filter's 3
                response = staff_client.get(url, {"due": due})
            assert response.status_code == 200


def test_any_number_of_days_in_the_address_works_and_an_unknown_choice_finds_nothing(staff_client):
    with time_machine.travel(at(datetime.date(2025, 10, 9)), tick=False):
        soon, _code = make_application()
    with time_machine.travel(at(datetime.date(2025, 9, 22)), tick=False):
        make_application(phone="13900000000")
    url = "/admin/requests_app/disclosureapplication/"
    with time_machine.travel(at(datetime.date(2025, 10, 27)), tick=False):
        assert [a.pk for a in staff_client.get(url, {"due": "7"}).context["cl"].result_list] == [soon.pk]
        assert list(staff_client.get(url, {"due": "soon"}).context["cl"].result_list) == []


def test_the_filter_replays_no_deadline_but_those_of_the_rows_shown(staff_client, monkeypatch):
    for n in range(30):
        with time_machine.travel(at(datetime.date(2025, 9, 1) + datetime.timedelta(days=n)), tick=False):
            make_application(phone=f"139000000{n:02d}")
    replays = []
    replay = services.application_deadline
    monkeypatch.setattr(services, "application_deadline", lambda a, **kw: replays.append(a.pk) or replay(a, **kw))
    with time_machine.travel(at(datetime.date(2025, 10, 13)), tick=False):
        response = staff_client.get("/admin/requests_app/disclosureapplication/", {"due": "overdue"})
    shown = [a.pk for a in response.context["cl"].result_list]
    assert 0 < len(shown) < 30 and sorted(replays) == sorted(shown)  # once per row shown, for its columns
