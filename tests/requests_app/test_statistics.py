"""The statistics function the annual report calls."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from requests_app import services
from requests_app.statistics import application_statistics
from tests.requests_app.factories import make_application, valid_credit_code

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d):
    return datetime.datetime(y, m, d, 10, 0, tzinfo=BEIJING)


def test_counts_by_type_outcome_timeliness_and_fees(staff_user):
    user = staff_user
    with time_machine.travel(at(2025, 9, 22), tick=False):
        disclosed, _ = make_application()
        refused, _ = make_application(
            applicant_type="organisation",
            name="某公司",
            id_type="",
            id_number="",
            credit_code=valid_credit_code(),
            legal_representative="李四",
            contact_person="王五",
            phone="13900000001",
        )
        lapsed, _ = make_application(phone="13900000002")
        still_open, _ = make_application(phone="13900000003", fee_waiver_requested=True, fee_waiver_reason="困难")
        carried_before, _ = make_application(now=at(2025, 8, 25), phone="13900000004")
    with time_machine.travel(at(2025, 9, 26), tick=False):  # within 7 working days of receipt (条例 art. 30)
        services.application_request_clarification(application=lapsed, user=user, message="请补充")
    with time_machine.travel(at(2025, 10, 10), tick=False):
        services.application_reply(application=disclosed, user=user, kind="disclosed", letter="公开")
        services.application_record_fees(application=disclosed, user=user, charged=Decimal("10"), waived=Decimal("5"))
    with time_machine.travel(at(2025, 10, 30), tick=False):  # after the due date of 17 October
        services.application_reply(
            application=refused,
            user=user,
            kind="refused",
            refusal_reason="privacy",
            reason_text="涉及个人隐私",
            letter="不予公开",
        )
    with time_machine.travel(at(2025, 11, 20), tick=False):
        services.applications_lapse_unanswered_clarifications()

    stats = application_statistics(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31))
    assert stats.received["citizen"] == 3 and stats.received["total"] == 4
    assert stats.received["other"] == 1  # an organisation whose type was not recorded counts as 其他
    assert stats.carried_in["total"] == 1
    assert stats.table["disclosed"]["counts"]["citizen"] == 1
    assert stats.table["refused"]["counts"]["other"] == 1
    assert stats.table["refused"]["subrows"]["third_party"]["counts"]["total"] == 1
    assert stats.table["other_handling"]["subrows"]["no_clarification"]["counts"]["citizen"] == 1
    assert stats.total["total"] == 3
    assert stats.carried_over["total"] == 2  # still_open and the one carried in
    assert stats.by_kind["disclosed"]["total"] == 1 and stats.by_kind["refused"]["total"] == 1
    assert (stats.on_time, stats.late) == (1, 1)
    # 22 Sep → 10 Oct is 9 working days (National Day; Sunday 28 Sep worked); → 30 Oct is 24.
    assert stats.median_working_days == (9 + 24) / 2
    assert stats.fees_charged == Decimal("10") and stats.fees_waived == Decimal("5")
    assert stats.fee_waivers_requested == 1
    assert stats.table["refused"]["label"] == "（三）不予公开"

    # An earlier period sees only the one submitted then, still open at its end: carried over.
    before = application_statistics(start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31))
    assert before.received["total"] == 1 and before.carried_over["total"] == 1 and before.total["total"] == 0
