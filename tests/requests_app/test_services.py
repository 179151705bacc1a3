"""Handling actions: state checks, events, the extension limit, lapse, purge and reminders."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from disclosures.models import Department
from requests_app import services
from requests_app.models import ApplicationState, EventKind, WithdrawalCause
from tests.factories import pdf_bytes, upload
from tests.requests_app.factories import make_application, office_head

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(*args):
    return datetime.datetime(*args, 10, 0, tzinfo=BEIJING)


def test_full_workflow_records_events(staff_user):
    application, _ = make_application()
    services.application_accept(application=application, user=staff_user)
    with pytest.raises(ValidationError):
        services.application_accept(application=application, user=staff_user)
    services.application_consult_start(application=application, user=staff_user, third_party="某公司")
    services.application_consult_end(application=application, user=staff_user, decision="agrees", answer="同意公开")
    services.application_reply(application=application, user=staff_user, kind="disclosed", letter="现予以公开")
    services.application_record_fees(
        application=application, user=staff_user, charged=Decimal("0"), waived=Decimal("12.50")
    )
    services.application_close(application=application, user=staff_user)
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.SUBMITTED and kinds[-1] == EventKind.CLOSED
    assert EventKind.CONSULTATION_STARTED in kinds and EventKind.FEE_RECORDED in kinds
    assert application.state == ApplicationState.CLOSED


def test_extension_once_and_at_most_the_configured_days(staff_user, settings):
    settings.APPLICATION_EXTENSION_DAYS = 15
    head = office_head()
    with time_machine.travel(at(2025, 9, 22), tick=False):
        application, _ = make_application()
        services.application_accept(application=application, user=staff_user)
        with pytest.raises(ValidationError) as error:
            services.application_extend(application=application, user=staff_user, days=16, reason="量大", approver=head)
        assert "days" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.application_extend(application=application, user=staff_user, days=5, reason="", approver=None)
        assert {"reason", "approver"} <= set(error.value.message_dict)
        services.application_extend(application=application, user=staff_user, days=15, reason="量大", approver=head)
        with pytest.raises(ValidationError):
            services.application_extend(application=application, user=staff_user, days=1, reason="再延", approver=head)
        deadline = services.application_deadline(application)
    assert deadline.due_on == datetime.date(2025, 11, 7)
    assert "延长" in mail.outbox[-1].subject or "extended" in mail.outbox[-1].subject
    event = application.events.get(kind=EventKind.EXTENDED)
    assert event.approver == head and event.public


def test_clarification_restarts_the_clock_through_the_services(staff_user):
    with time_machine.travel(at(2025, 3, 3), tick=False):
        application, _ = make_application()
    with time_machine.travel(at(2025, 3, 5), tick=False):
        services.application_request_clarification(application=application, user=staff_user, message="请补充年份")
    stopped = services.application_deadline(application)
    assert stopped.due_on is None and stopped.clarification_due_on == datetime.date(2025, 3, 26)
    with time_machine.travel(at(2025, 3, 12), tick=False):
        services.application_answer_clarification(application=application, text="2024年")
    assert services.application_deadline(application).due_on == datetime.date(2025, 4, 2)


def test_reply_requires_a_reason_where_the_law_does(staff_user):
    application, _ = make_application()
    with pytest.raises(ValidationError) as error:
        services.application_reply(application=application, user=staff_user, kind="refused", letter="不予公开")
    assert {"refusal_reason", "reason_text"} <= set(error.value.message_dict)
    services.application_reply(
        application=application,
        user=staff_user,
        kind="not_held",
        letter="本校不掌握",
        holder="省教育厅",
        files=[upload("说明.pdf", pdf_bytes())],
    )
    application.refresh_from_db()
    assert application.reply_holder == "省教育厅"
    assert application.files.filter(role="released").count() == 1


def test_reply_letter_comes_from_the_editable_template():
    application, _ = make_application()
    letter = services.reply_letter_render(application=application, kind="refused", reason="涉及个人隐私")
    assert application.tracking_number in letter and "涉及个人隐私" in letter and "张三丰" in letter


def test_unanswered_clarification_lapses_in_the_reminders_command(staff_user):
    with time_machine.travel(at(2025, 3, 3), tick=False):
        application, _ = make_application()
        services.application_request_clarification(application=application, user=staff_user, message="请补充")
    # 15 working days after 3 March: 24 March is the last day to answer.
    with time_machine.travel(at(2025, 3, 24), tick=False):
        call_command("application_reminders")
        application.refresh_from_db()
        assert application.state == ApplicationState.CLARIFICATION
    with time_machine.travel(at(2025, 3, 25), tick=False):
        call_command("application_reminders")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert application.withdrawal_cause == WithdrawalCause.NO_CLARIFICATION


def test_reminders_mail_the_handler_about_due_and_overdue_applications(staff_user):
    staff_user.email = "handler@example.edu.cn"
    staff_user.save()
    with time_machine.travel(at(2025, 9, 22), tick=False):
        due_soon, _ = make_application()
        later, _ = make_application(phone="13900000000")
    services.application_assign(
        application=due_soon, user=staff_user, department=Department.objects.first(), handler=staff_user
    )
    mail.outbox.clear()
    with time_machine.travel(at(2025, 10, 15), tick=False):
        call_command("application_reminders")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["handler@example.edu.cn"]
    assert due_soon.tracking_number in mail.outbox[0].body and later.tracking_number in mail.outbox[0].body
    mail.outbox.clear()
    with time_machine.travel(at(2025, 10, 21), tick=False):
        call_command("application_reminders")
    assert "逾期" in mail.outbox[0].body


def test_purge_after_retention_deletes_id_proofs_and_masks_id_numbers(staff_user, settings):
    settings.APPLICATION_RETENTION_DAYS = 30
    with time_machine.travel(at(2025, 3, 3), tick=False):
        application, _ = make_application(files=[upload("id.pdf", pdf_bytes())])
        services.application_reply(application=application, user=staff_user, kind="disclosed", letter="公开")
        services.application_close(application=application, user=staff_user)
    stored = application.files.get()
    path = stored.file.path
    with time_machine.travel(at(2025, 3, 20), tick=False):
        call_command("application_purge")
    application.refresh_from_db()
    assert application.personal_data_purged_at is None
    with time_machine.travel(at(2025, 4, 20), tick=False):
        call_command("application_purge")
    application.refresh_from_db()
    assert application.personal_data_purged_at is not None
    assert application.id_number.startswith("1101") and "*" in application.id_number
    assert not application.files.exists()
    import os

    assert not os.path.exists(path)


def test_open_applications_keep_their_personal_data():
    application, _ = make_application()
    with pytest.raises(ValidationError):
        services.application_purge_personal_data(application=application)
