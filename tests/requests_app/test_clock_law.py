"""The clock by the letter of the law, with a frozen clock and the real calendar (2025: chinese-calendar's
official schedule, National Day 1-8 October, make-up working days 28 September and 11 October).

Each abuse found in review is refused with a clear message: an extension after the due date, a second request for
clarification, a late one, an endless third-party pause; and a late reply stays late whatever is recorded later.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.models import CalendarDay, CalendarDayKind
from core.workdays import load_calendar
from requests_app import permissions, services
from requests_app.models import ApplicationEvent, ApplicationState, EventKind, WithdrawalCause
from requests_app.statistics import application_statistics
from tests.factories import StaffFactory
from tests.requests_app.factories import application_data, make_application, office_head

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def on(day: datetime.date):
    return time_machine.travel(at(day), tick=False)


def refused(call, **kwargs) -> str:
    """The Chinese message of the ValidationError a service raises."""
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        call(**kwargs)
    return " ".join(error.value.messages)


def filed_on_monday_1_september():
    with on(D(2025, 9, 1)):
        application, _ = make_application()
        services.application_accept(application=application, user=None)
    return application


# Extension (条例 art. 33) ------------------------------------------------------------------------------------


def test_an_extension_after_the_due_date_is_refused_and_the_reply_stays_late():
    head = office_head()
    application = filed_on_monday_1_september()
    assert services.application_deadline(application).due_on == D(2025, 9, 22)  # 15 working days
    with on(D(2025, 11, 3)):
        message = refused(
            services.application_extend, application=application, user=None, days=15, reason="量大", approver=head
        )
    assert "2025-09-22" in message and "延" in message
    assert not application.events.filter(kind=EventKind.EXTENDED).exists()
    # Data written before this rule (an extension dated two months late) does not move the legal due date either.
    ApplicationEvent.objects.create(
        application=application, kind=EventKind.EXTENDED, days=15, at=at(D(2025, 11, 3)), approved_by="王主任"
    )
    with on(D(2025, 11, 5)):
        services.application_reply(application=application, user=None, kind="disclosed", letter="现予公开")
    stats = application_statistics(start=D(2025, 9, 1), end=D(2026, 8, 31))
    assert (stats.on_time, stats.late) == (0, 1)


def test_an_extension_on_the_due_day_is_approved_by_a_named_office_head_and_the_applicant_told():
    head = office_head(first_name="主任", last_name="王")
    handler = StaffFactory(username="handler", is_superuser=False)
    application = filed_on_monday_1_september()
    with on(D(2025, 9, 22)):
        message = refused(
            services.application_extend, application=application, user=handler, days=10, reason="量大", approver=handler
        )
        assert "handler" in message
        services.application_extend(application=application, user=handler, days=10, reason="材料量大", approver=head)
    event = application.events.get(kind=EventKind.EXTENDED)
    assert event.approver == head and event.actor == handler and event.public
    assert "条例" in event.message or "art. 33" in event.message  # the notice sent is kept with the event
    assert mail.outbox[-1].to == ["zhang@example.com"]
    assert services.application_deadline(application).due_on == D(2025, 10, 11)  # a make-up working Saturday


# Clarification (条例 art. 30) --------------------------------------------------------------------------------


def test_a_second_request_for_clarification_is_refused():
    application = filed_on_monday_1_september()
    with on(D(2025, 9, 2)):
        services.application_request_clarification(application=application, user=None, message="请写明年份")
    with on(D(2025, 9, 3)):
        services.application_answer_clarification(application=application, text="2024年")
    with on(D(2025, 9, 4)):
        message = refused(
            services.application_request_clarification, application=application, user=None, message="再补"
        )
    assert "一次" in message
    assert application.events.filter(kind=EventKind.CLARIFICATION_REQUESTED).count() == 1
    # The limit restarted on the day the answer was received: 15 working days after 3 September.
    assert services.application_deadline(application).due_on == D(2025, 9, 24)


def test_a_late_request_for_clarification_is_refused_and_does_not_reset_the_clock():
    application = filed_on_monday_1_september()
    with on(D(2025, 9, 11)):  # 8 working days after receipt
        message = refused(
            services.application_request_clarification, application=application, user=None, message="请补充"
        )
    assert "7" in message and "2025-09-10" in message
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED
    assert services.application_deadline(application).due_on == D(2025, 9, 22)
    other = filed_on_monday_1_september()
    with on(D(2025, 9, 10)):  # the 7th working day: still in time
        services.application_request_clarification(
            application=other, user=None, message="请写明所需文件的年份", due_on=D(2025, 9, 19)
        )
    deadline = services.application_deadline(other)
    assert deadline.due_on is None and deadline.clarification_due_on == D(2025, 9, 19)
    assert "2025-09-19" in mail.outbox[-1].body and "请写明所需文件的年份" in mail.outbox[-1].body


def test_no_answer_by_the_date_given_is_given_up_with_its_own_row_and_the_applicant_is_told():
    application = filed_on_monday_1_september()
    with on(D(2025, 9, 2)):
        services.application_request_clarification(
            application=application, user=None, message="请补充", due_on=D(2025, 9, 12)
        )
    with on(D(2025, 9, 12)):
        assert services.applications_lapse_unanswered_clarifications() == []
    mail.outbox.clear()
    with on(D(2025, 9, 15)):
        assert services.applications_lapse_unanswered_clarifications() == [application]
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert application.withdrawal_cause == WithdrawalCause.NO_CLARIFICATION
    assert len(mail.outbox) == 1 and "2025-09-12" in mail.outbox[0].body
    stats = application_statistics(start=D(2025, 9, 1), end=D(2026, 8, 31))
    assert stats.table["other_handling"]["subrows"]["no_clarification"]["counts"]["total"] == 1


# Third parties (条例 art. 32) --------------------------------------------------------------------------------


def test_an_endless_third_party_pause_is_refused_and_the_pause_ends_with_their_period():
    application = filed_on_monday_1_september()
    with on(D(2025, 9, 3)):  # 2 working days used
        message = refused(
            services.application_consult_start, application=application, user=None, third_party="某公司", days=40
        )
        assert "15" in message
        services.application_consult_start(application=application, user=None, third_party="某公司、某研究所")
    started = application.events.get(kind=EventKind.CONSULTATION_STARTED)
    assert started.days == 15 and started.due_on == D(2025, 9, 24)
    with on(D(2025, 9, 20)):
        assert services.application_deadline(application).due_on is None  # paused within their period
        message = refused(services.application_consult_end, application=application, user=None, decision="no_answer")
        assert "2025-09-24" in message
    # Nobody records anything: the pause ends on 24 September, the 13 days left run from then.
    with on(D(2025, 10, 20)):
        deadline = services.application_deadline(application)
        assert deadline.running and deadline.due_on == load_calendar().add_working_days(D(2025, 9, 24), 13).date
        assert deadline.due_on == D(2025, 10, 17)
        services.application_consult_end(application=application, user=None, decision="no_answer")
        # A second consultation cannot pause it again.
        message = refused(
            services.application_consult_start, application=application, user=None, third_party="另一公司"
        )
        assert "一次" in message or "已" in message
    assert services.application_deadline(application).due_on == D(2025, 10, 17)


def test_the_third_partys_decision_is_recorded_and_an_objection_needs_reasons():
    application = filed_on_monday_1_september()
    with on(D(2025, 9, 2)):
        services.application_consult_start(application=application, user=None, third_party="某公司", days=10)
    with on(D(2025, 9, 5)):
        message = refused(services.application_consult_end, application=application, user=None, decision="objects")
        assert "理由" in message
        services.application_consult_end(
            application=application, user=None, decision="objects", answer="涉及商业秘密：报价构成"
        )
    ended = application.events.get(kind=EventKind.CONSULTATION_ENDED)
    assert ended.decision == "objects" and "商业秘密" in ended.message
    # 1 working day used before, 14 left from 5 September.
    assert services.application_deadline(application).due_on == D(2025, 9, 25)


# Receipt by channel (条例 art. 31) and closures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "basis", "received"),
    [
        ("in_person", D(2025, 9, 5), D(2025, 9, 5)),  # handed in on a Friday
        ("registered_post", D(2025, 9, 6), D(2025, 9, 8)),  # signed for on a Saturday: from Monday
        ("ordinary_post", D(2025, 9, 30), D(2025, 9, 30)),  # confirmed by telephone
        ("fax", D(2025, 10, 3), D(2025, 10, 9)),  # confirmed in the National Day holiday
        ("email", D(2025, 9, 28), D(2025, 9, 28)),  # a Sunday that is a make-up working day
    ],
)
def test_the_day_of_receipt_follows_the_channel(channel, basis, received):
    staff = StaffFactory(username="clerk")
    with on(D(2025, 10, 10)):
        submitted = services.application_submit(
            data=application_data(),
            channel=channel,
            receipt_basis_on=basis,
            registered_by=staff,
        )
    deadline = services.application_deadline(submitted.application)
    assert deadline.received_on == received
    assert deadline.due_on == load_calendar().add_working_days(received, 15).date


def test_an_offline_registration_needs_the_day_its_rule_names():
    with on(D(2025, 10, 10)), translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            services.application_submit(data=application_data(), channel="registered_post")
        assert "签收" in " ".join(error.value.messages)
        with pytest.raises(ValidationError):
            services.application_submit(data=application_data(), channel="fax", receipt_basis_on=D(2025, 10, 11))


def test_college_closures_do_not_stop_the_clock_unless_the_college_says_so(client, settings):
    application = filed_on_monday_1_september()
    for day in (D(2025, 9, 8), D(2025, 9, 9), D(2025, 9, 10)):
        CalendarDay.objects.create(date=day, is_working_day=False, kind=CalendarDayKind.CLOSURE, note="暑期")
    assert services.application_deadline(application).due_on == D(2025, 9, 22)
    permissions_session = client.session
    permissions_session[permissions.SESSION_KEY] = [application.tracking_number]
    permissions_session.save()
    page = client.get(reverse("requests_app:status", args=[application.tracking_number]))
    assert "closures-note" not in page.content.decode()
    settings.APPLICATION_CLOSURES_STOP_CLOCK = True
    assert services.application_deadline(application).due_on == D(2025, 9, 25)
    page = client.get(reverse("requests_app:status", args=[application.tracking_number]))
    assert "closures-note" in page.content.decode() and "2025-09-25" in page.content.decode()


# Years with no published schedule ----------------------------------------------------------------------------


def test_a_provisional_deadline_is_recomputed_when_staff_enter_the_official_schedule(client):
    with on(D(2027, 2, 1)):
        application, _ = make_application()
        provisional = services.application_deadline(application)
    assert provisional.provisional and provisional.due_on == D(2027, 2, 24)  # Spring Festival kept free
    # The State Council's notice for 2027 (as staff enter it): a longer break, 4-12 February, and a make-up
    # working Sunday on 14 February.
    for n in range(4, 13):
        CalendarDay.objects.create(date=D(2027, 2, n), is_working_day=False, kind=CalendarDayKind.HOLIDAY)
    CalendarDay.objects.create(date=D(2027, 2, 14), is_working_day=True, kind=CalendarDayKind.MAKEUP)
    with on(D(2027, 2, 2)):
        official = services.application_deadline(application)
    assert not official.provisional and official.due_on == D(2027, 3, 2)
