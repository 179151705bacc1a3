"""Every kind of answer the State Council's table counts (国办公开办函〔2021〕30号) reachable from a real flow, the
five 法人或其他组织 columns filled, and the fees (条例 art. 42; 国办函〔2020〕109号 art. 4, 5): notice, payment
period, the clock paused from notice to payment, 逾期未缴纳."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from annual_reports.figures import compile_figures
from requests_app import services
from requests_app.models import ApplicationState, EventKind, OrganisationType, ReplyOutcome
from requests_app.outcomes import OUTCOMES
from requests_app.statistics import STATE_COUNCIL_ROWS, application_statistics
from tests.requests_app.factories import make_application, valid_credit_code

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=BEIJING), tick=False)


def organisation(kind: str, n: int):
    return make_application(
        applicant_type="organisation",
        name=f"某机构{n}",
        id_type="",
        id_number="",
        credit_code=valid_credit_code(f"9135010{n:02d}M0001001"[:17]),
        organisation_type=kind,
        legal_representative="李四",
        contact_person="王五",
        phone=f"1390000{n:04d}",
    )[0]


def reply(application, outcome: str):
    extra = {}
    if outcome in {o for o, v in OUTCOMES.items() if v.kind in ("refused", "partly")}:
        extra["reason_text"] = "依法不予公开的理由"
    if outcome == ReplyOutcome.ALREADY_PUBLISHED:
        extra["published_url"] = "https://xxgk.example.edu.cn/items/HCVC-2025-0001/"
    if outcome == ReplyOutcome.NOT_HELD:
        extra.update(holder="省教育厅", holder_contact="0591-12345678")
    services.application_reply(application=application, user=None, outcome=outcome, letter="答复", **extra)


def test_every_row_of_the_table_is_reached_by_a_real_flow_and_every_column_filled(settings):
    settings.APPLICATION_FEE_REGIME = "cost"
    columns = [None, *OrganisationType.values]  # None: a natural person
    with on(D(2025, 9, 1)):
        applicants = []
        for n, outcome in enumerate(ReplyOutcome.values):
            kind = columns[n % len(columns)]
            applicant = organisation(kind, n) if kind else make_application(phone=f"1380000{n:04d}")[0]
            applicants.append((applicant, outcome))
        lapsed = make_application(phone="13700000001")[0]
        unpaid = make_application(phone="13700000002")[0]
        withdrawn = make_application(phone="13700000003")[0]
        services.application_request_clarification(
            application=lapsed, user=None, message="请补充", due_on=D(2025, 9, 5)
        )
        services.application_fee_notice(application=unpaid, user=None, amount=Decimal("30"))
    with on(D(2025, 9, 3)):
        for application, outcome in applicants:
            reply(application, outcome)
        services.application_withdraw(application=withdrawn, user=None, reason="申请人来电撤回")
    with on(D(2025, 11, 3)):
        assert services.applications_lapse_unanswered_clarifications() == [lapsed]
        assert services.applications_lapse_unpaid_fees() == [unpaid]

    stats = application_statistics(start=D(2025, 9, 1), end=D(2026, 8, 31))
    for key, label, subrows in STATE_COUNCIL_ROWS:
        assert stats.table[key]["counts"]["total"] >= 1, label
        for sub, sub_label in subrows:
            assert stats.table[key]["subrows"][sub]["counts"]["total"] >= 1, sub_label
    assert stats.table["disclosed"]["counts"]["total"] == 2  # disclosed and already published

    figures = compile_figures(2025)["applications"]
    assert figures["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert all(count > 0 for count in figures["received"]), figures["received"]
    assert all(count > 0 for count in figures["total"]), figures["total"]
    assert figures["received"][-1] == len(ReplyOutcome.values) + 3
    labels = {row[0] for row in figures["rows"]}
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in labels


def test_answers_name_what_the_law_asks_for():
    application = make_application()[0]
    with pytest.raises(ValidationError) as error:
        services.application_reply(application=application, user=None, outcome="already_published", letter="已公开")
    assert "published_url" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.application_reply(application=application, user=None, outcome="not_held", letter="不掌握")
    assert "holder" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.application_reply(application=application, user=None, outcome="refused_process", letter="不予公开")
    assert "reason_text" in error.value.message_dict
    reply(application, ReplyOutcome.NOT_HELD)
    application.refresh_from_db()
    assert application.reply_kind == "not_held" and application.reply_holder_contact == "0591-12345678"


def test_the_letter_cites_the_legal_ground_of_the_refusal():
    application = make_application()[0]
    letter = services.reply_letter_render(application=application, outcome="refused_process", reason="讨论稿")
    assert "讨论稿" in letter and application.tracking_number in letter


# Fees --------------------------------------------------------------------------------------------------------


def test_processing_fee_thresholds_of_the_state_council():
    assert [services.processing_fee_per_item(n) for n in (1, 10, 11, 30, 31, 40, 41)] == [
        Decimal(v) for v in (0, 0, 100, 100, 200, 200, 300)
    ]
    assert services.processing_fee_by_pages(30) == 0
    assert services.processing_fee_by_pages(31) == 10
    assert services.processing_fee_by_pages(100) == 700
    assert services.processing_fee_by_pages(150) == 700 + 50 * 20
    assert services.processing_fee_by_pages(201) == 700 + 2000 + 40


def test_no_fee_by_default_and_the_clock_pauses_from_notice_to_payment(settings):
    with on(D(2025, 9, 1)):
        application = make_application()[0]
        with pytest.raises(ValidationError):
            services.application_fee_notice(application=application, user=None, amount=Decimal("10"))
    settings.APPLICATION_FEE_REGIME = "processing"
    with on(D(2025, 9, 3)):  # 2 working days used
        with pytest.raises(ValidationError):  # the first application of the month costs nothing by item
            services.application_fee_notice(application=application, user=None)
        services.application_fee_notice(application=application, user=None, pages=40)
    application.refresh_from_db()
    assert application.state == ApplicationState.AWAITING_PAYMENT and application.fee_charged == Decimal("100")
    notice = application.events.get(kind=EventKind.FEE_NOTIFIED)
    assert notice.public and notice.due_on == D(2025, 9, 30)  # 20 working days (Sunday 28 September worked)
    with on(D(2025, 9, 20)):
        assert services.application_deadline(application).due_on is None
    with on(D(2025, 9, 22)):
        services.application_fee_paid(application=application, user=None)
    # 13 working days left, from Monday 22 September: 28 September and 11 October are make-up working days.
    assert services.application_deadline(application).due_on == D(2025, 10, 15)
