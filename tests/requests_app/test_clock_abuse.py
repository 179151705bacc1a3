"""Trying to break the clock (lawcheck, 2026-12-02), as a careless handler and as a hostile applicant. Each hole
found is closed with a clear Chinese message, never a 5xx:
- an offline application registered with a day of receipt before the college could receive one (a typo such as
  0001-01-01 registered an application a century late);
- a request for clarification with an open-ended date for the answer (the clock stops until then: 9999-12-31
  paused it for ever);
- an answer to a clarification after its date (条例 art. 30: 逾期不补正的，视为放弃申请) restarted the clock.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.workdays import load_calendar
from requests_app import services
from requests_app.models import ApplicationState, DisclosureApplication, WithdrawalCause
from requests_app.statistics import application_statistics
from tests.factories import StaffFactory
from tests.requests_app.factories import form_post, make_application

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
REGISTER = reverse("admin:requests_app_application_register")
D = datetime.date


def at(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def on(day):
    return time_machine.travel(at(day), tick=False)


@pytest.fixture
def handler(client):
    user = StaffFactory(username="handler", is_superuser=False)
    user.groups.add(Group.objects.get(name="依申请公开办理人员"))
    client.force_login(user)
    return user


def register(client, basis: str):
    data = form_post()
    data.pop("consent"), data.pop("website")
    with on(D(2025, 10, 10)):
        return client.post(
            REGISTER, {**data, "channel": "in_person", "receipt_basis_on": basis}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )


@pytest.mark.parametrize("basis", ["0001-01-01", "1899-12-31", "2010-08-31"])
def test_an_offline_application_dated_before_the_college_could_receive_it_is_refused(client, handler, basis):
    response = register(client, basis)
    assert response.status_code == 200
    assert DisclosureApplication.objects.count() == 0
    page = response.content.decode()
    assert "收到申请的日期不能早于2010-09-01" in page and basis in page  # what was typed is kept


def test_the_earliest_day_is_a_setting_and_a_future_day_is_refused_too(client, handler, settings):
    settings.APPLICATION_EARLIEST_RECEIPT_ON = D(2015, 3, 1)  # the college was founded then
    assert "收到申请的日期不能早于2015-03-01" in register(client, "2014-12-01").content.decode()
    response = register(client, "2025-10-11")
    assert response.status_code == 200 and DisclosureApplication.objects.count() == 0
    assert register(client, "2015-03-02").status_code == 200
    assert DisclosureApplication.objects.get().receipt_basis_on == D(2015, 3, 2)


def accepted_on_1_september():
    with on(D(2025, 9, 1)):
        application, code = make_application()
        services.application_accept(application=application, user=None)
    return application, code


@pytest.mark.parametrize("due", [D(2025, 9, 25), D(2100, 3, 1), D(9999, 12, 31)])
def test_an_open_ended_date_for_the_clarification_is_refused_and_the_clock_keeps_running(due):
    application, _code = accepted_on_1_september()
    with on(D(2025, 9, 3)), translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.application_request_clarification(application=application, user=None, message="请补充", due_on=due)
    assert "补正期限最长为自今日起15个工作日" in " ".join(error.value.messages)
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED
    with on(D(2025, 9, 3)):
        assert services.application_deadline(application).due_on == D(2025, 9, 22)
        # 15 working days from 3 September (the last day allowed) is accepted.
        services.application_request_clarification(
            application=application, user=None, message="请补充", due_on=D(2025, 9, 24)
        )


def test_an_answer_after_the_clarification_date_is_refused_on_the_tracking_page(client):
    application, code = accepted_on_1_september()
    with on(D(2025, 9, 3)):
        services.application_request_clarification(
            application=application, user=None, message="请写明年份", due_on=D(2025, 9, 10)
        )
    with on(D(2025, 9, 11)):
        client.post(
            reverse("requests_app:track"), {"tracking_number": application.tracking_number, "access_code": code}
        )
        response = client.post(
            reverse("requests_app:answer-clarification", args=[application.tracking_number]),
            {"text": "2024年"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert response.status_code == 400
        assert "补正期限为2025-09-10" in response.content.decode()
        application.refresh_from_db()
        assert application.state == ApplicationState.CLARIFICATION
        services.applications_lapse_unanswered_clarifications()
    application.refresh_from_db()
    assert application.withdrawal_cause == WithdrawalCause.NO_CLARIFICATION
    stats = application_statistics(start=D(2025, 9, 1), end=D(2026, 8, 31))
    assert stats.table["other_handling"]["subrows"]["no_clarification"]["counts"]["total"] == 1


def test_an_answer_on_the_clarification_date_restarts_the_clock(client):
    application, _code = accepted_on_1_september()
    with on(D(2025, 9, 3)):
        services.application_request_clarification(
            application=application, user=None, message="请写明年份", due_on=D(2025, 9, 10)
        )
    with on(D(2025, 9, 10)):
        services.application_answer_clarification(application=application, text="2024年")
        due = load_calendar().add_working_days(D(2025, 9, 10), 15).date  # restarts in full from the answer
        assert services.application_deadline(application).due_on == due == D(2025, 9, 30)  # 28 Sept is worked


def test_a_mistyped_page_count_gives_a_clear_refusal_not_a_fee_of_billions(client, handler, settings):
    """The 按量 fee of 1 000 000 000 pages is 40 billion yuan: more than the record holds (a database error on
    PostgreSQL), and nonsense; it is refused on the form, the clock not paused."""
    settings.APPLICATION_FEE_REGIME = "processing"
    application, _code = accepted_on_1_september()
    url = reverse("admin:requests_app_disclosureapplication_action", args=[application.pk, "fee-notice"])
    with on(D(2025, 9, 3)):
        response = client.post(url, {"pages": "1000000000", "note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code in (200, 400)
        assert "费用39999994700.00元超过99999999.99元" in response.content.decode()
        application.refresh_from_db()
        assert application.state == ApplicationState.ACCEPTED and application.fee_charged == 0
        response = client.post(url, {"pages": "150", "note": ""})
        assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.AWAITING_PAYMENT and application.fee_charged == 1700
