"""Every write to an application: keyword-only functions that check the state, write inside one transaction
and record an event (internal, or public when the applicant sees it on the tracking page)."""

from __future__ import annotations

import datetime
import operator
import string
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core import tracking
from core.chinese import cn_date
from core.uploads import CheckedFile, StoredFiles, check_upload
from core.workdays import WorkingCalendar, load_calendar, local_days_q
from disclosures.models import Disclosure
from disclosures.privacy import mask_email, mask_id_number, mask_middle, mask_name, mask_person, mask_phone, mask_text
from disclosures.services import disclosure_save
from requests_app.deadlines import ClockEvent, Deadline, compute_deadline, working_days_remaining
from requests_app.models import (
    CLOCK_EVENTS,
    PRIVATE_ROLES,
    REASON_REQUIRED,
    ApplicationEvent,
    ApplicationFile,
    ApplicationState,
    Channel,
    DisclosureApplication,
    EventKind,
    FileRole,
    NoticeKind,
    ReceiptRule,
    ReplyKind,
    ReplyOutcome,
    ReplyTemplate,
    ThirdPartyDecision,
    WithdrawalCause,
)
from requests_app.notices import TRAILING, notice_issue, remedies_paragraphs, remedy_placeholders  # noqa: F401
from requests_app.outcomes import OUTCOMES, outcome_of
from requests_app.outcomes import REASON_REQUIRED as OUTCOME_REASON_REQUIRED

State = ApplicationState


# Reading the deadline -------------------------------------------------------------------------------------


def clock_events(application: DisclosureApplication) -> list[ClockEvent]:
    """The application's clock events (uses a prefetched ``events`` when there is one)."""
    return [
        ClockEvent(kind=event.kind, on=event.on, days=event.days, due_on=event.due_on)
        for event in application.events.all()
        if event.kind in CLOCK_EVENTS
    ]


def application_calendar() -> WorkingCalendar:
    """The working calendar of the application clock: college closures count only when the college says so
    (settings.APPLICATION_CLOSURES_STOP_CLOCK; they are no statutory holidays)."""
    return load_calendar(closures=settings.APPLICATION_CLOSURES_STOP_CLOCK)


def receipt_basis(application: DisclosureApplication) -> datetime.date:
    """The day the channel's rule names (条例 art. 31): online, the day filed (confirmed at once); otherwise the
    day staff recorded as handed in, signed for or confirmed."""
    if application.channel == Channel.ONLINE or application.receipt_basis_on is None:
        return timezone.localdate(application.submitted_at)
    return application.receipt_basis_on


def application_deadline(
    application: DisclosureApplication, *, calendar: WorkingCalendar | None = None, until=None, today=None
) -> Deadline:
    """The deadline as the events stand (only events on or before ``until`` when given) on ``today`` (a third
    party's pause ends with their period)."""
    events = clock_events(application)
    if until is not None:
        events = [event for event in events if event.on <= until]
    return compute_deadline(
        submitted_on=receipt_basis(application),
        events=events,
        calendar=calendar or application_calendar(),
        reply_days=settings.APPLICATION_REPLY_DAYS,
        clarification_days=settings.APPLICATION_CLARIFICATION_DAYS,
        third_party_days=settings.APPLICATION_THIRD_PARTY_DAYS,
        today=today or until or timezone.localdate(),
    )


def applications_due_within(
    queryset: QuerySet, *, fewest: int | None, most: int | None, calendar: WorkingCalendar, today: datetime.date
) -> QuerySet:
    """The applications of ``queryset`` whose clock runs and whose reply is due in ``fewest`` to ``most`` working
    days from ``today`` (negative once overdue; None for no bound), asked of the database.

    While the clock runs, the reply is due the reply days plus the extensions after the day of receipt, or after
    the day the last clarification was received when one was asked for (``deadlines.compute_deadline``). For
    each total of extension days that due date grows with that day, so the window is a range of days. After a
    third party's consultation the days left depend on when it started and ended as well: those applications
    (few: a consultation is the exception) are replayed from their events.
    """
    events = ApplicationEvent.objects.filter(application=OuterRef("pk")).order_by()
    extension_days = events.filter(kind=EventKind.EXTENDED).values("application").annotate(total=Sum("days"))
    last_clarification = events.filter(kind=EventKind.CLARIFICATION_RECEIVED).order_by("-at", "-id").values("at")
    running = DisclosureApplication.objects.filter(
        state__in=[*ApplicationState.clock_running_states(), ApplicationState.CONSULTING]
    ).annotate(
        consulted=Exists(events.filter(kind__in=[EventKind.CONSULTATION_STARTED, EventKind.FEE_NOTIFIED])),
        extension_days=Coalesce(Subquery(extension_days.values("total")), 0, output_field=IntegerField()),
        clock_from=Coalesce(Subquery(last_clarification[:1]), F("submitted_at")),
    )
    # Offline filings count from the day their channel's rule names: replayed as well (few, like consultations).
    special = Q(consulted=True) | ~Q(channel=Channel.ONLINE)
    counted = running.exclude(special)
    windows = []
    for extended in counted.order_by().values_list("extension_days", flat=True).distinct():
        first, last = calendar.days_due_within(
            count=settings.APPLICATION_REPLY_DAYS + extended, today=today, fewest=fewest, most=most
        )
        windows.append(Q(extension_days=extended) & local_days_q("clock_from", first, last))
    replayed = []
    for application in (
        running.filter(special).only("pk", "submitted_at", "channel", "receipt_basis_on").prefetch_related("events")
    ):
        due_on = application_deadline(application, calendar=calendar, today=today).due_on
        left = working_days_remaining(due_on, today, calendar) if due_on else None
        if left is not None and (fewest is None or left >= fewest) and (most is None or left <= most):
            replayed.append(application.pk)
    matching = Q(pk__in=replayed)
    if windows:
        matching |= Q(pk__in=counted.filter(reduce(operator.or_, windows)).values("pk"))
    return queryset.filter(matching)


# Helpers ---------------------------------------------------------------------------------------------------


def _require_state(application: DisclosureApplication, *states: str) -> None:
    if application.state not in states:
        raise ValidationError(
            _("This cannot be done while the application is “%(state)s”.") % {"state": application.get_state_display()}
        )


def _event(application, kind, *, user=None, public=False, message="", days=None, at=None, **fields):
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=user,
        public=public,
        message=message,
        days=days,
        at=at or timezone.now(),
        **fields,
    )


def _set_state(application: DisclosureApplication, state: str, *fields: str) -> None:
    application.state = state
    application.save(update_fields=["state", *fields])


def file_check(*, uploaded) -> CheckedFile:
    return check_upload(uploaded, max_bytes=settings.APPLICATION_ATTACHMENT_MAX_BYTES)


def _store_files(application, files, *, role: str, stored_files: StoredFiles, event=None) -> list[ApplicationFile]:
    """Write the files and their rows; ``stored_files`` removes the files again if the transaction fails."""
    stored = []
    for uploaded in files or []:
        checked = file_check(uploaded=uploaded)
        row = ApplicationFile(
            application=application,
            event=event,
            role=role,
            original_name=checked.original_name,
            size=checked.size,
            content_type=checked.kind.content_type,
            sha256=checked.sha256,
        )
        stored_files.save(row.file, uploaded)
        row.save()
        stored.append(row)
    return stored


def _notify(application: DisclosureApplication, subject: str, body: str) -> None:
    if application.email and not application.personal_data_purged_at:
        send_mail(subject, body, None, [application.email], fail_silently=True)


# Submission ------------------------------------------------------------------------------------------------

APPLICANT_FIELDS = [
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "credit_code",
    "organisation_type",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "description",
    "own_records",
    "purpose",
    "info_form",
    "delivery",
    "fee_waiver_requested",
    "fee_waiver_reason",
]


@dataclass(frozen=True)
class Submitted:
    application: DisclosureApplication
    access_code: str  # shown once; only its hash is stored


def application_submit(
    *,
    data: dict,
    files=(),
    now: datetime.datetime | None = None,
    channel: str = Channel.ONLINE,
    receipt_basis_on: datetime.date | None = None,
    registered_by=None,
    scans=(),
) -> Submitted:
    """File a new application from a validated form's data; give it a tracking number and an access code.

    Online (the default), the day filed is the day of receipt. Staff register the other channels with the day
    the channel's rule names (条例 art. 31; settings.APPLICATION_RECEIPT_RULES) and the scanned paper form and
    envelope (``scans``): the same clock, notices and statistics follow."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose the channel the application came by.")})
    if channel != Channel.ONLINE:
        if receipt_basis_on is None:
            raise ValidationError({"receipt_basis_on": receipt_rule_text(channel)})
        if receipt_basis_on > timezone.localdate(now):
            raise ValidationError({"receipt_basis_on": _("The day of receipt cannot be in the future.")})
        earliest = settings.APPLICATION_EARLIEST_RECEIPT_ON
        if receipt_basis_on < earliest:
            # A typo (0001-01-01, 1900) would otherwise register an application a century late.
            raise ValidationError(
                {
                    "receipt_basis_on": _(
                        "The day of receipt cannot be before %(date)s (the earliest day set for this college, "
                        "setting APPLICATION_EARLIEST_RECEIPT_ON). Check the date on the form or envelope."
                    )
                    % {"date": earliest}
                }
            )
    else:
        receipt_basis_on = None
    access_code = tracking.access_code_new()
    code_hash = tracking.access_code_hash(access_code)
    # A file that cannot be stored (StorageFailed) rolls everything back: no row, no file, no number used.
    with StoredFiles() as stored_files, transaction.atomic():
        number = tracking.tracking_number_next(
            prefix=settings.APPLICATION_TRACKING_PREFIX, year=timezone.localdate(now).year
        )
        application = DisclosureApplication.objects.create(
            tracking_number=number,
            access_code_hash=code_hash,
            submitted_at=now,
            consent_at=now,
            channel=channel,
            receipt_basis_on=receipt_basis_on,
            registered_by=registered_by,
            **{
                field: data.get(field) or DisclosureApplication._meta.get_field(field).get_default()
                for field in APPLICANT_FIELDS
                if field not in ("fee_waiver_requested", "own_records")
            },
            fee_waiver_requested=bool(data.get("fee_waiver_requested")),
            own_records=bool(data.get("own_records")),
        )
        message = "" if channel == Channel.ONLINE else str(Channel(channel).label)
        event = _event(application, EventKind.SUBMITTED, public=True, at=now, user=registered_by, message=message)
        _store_files(application, files, role=FileRole.ID_PROOF, event=event, stored_files=stored_files)
        _store_files(application, scans, role=FileRole.PAPER_SCAN, event=event, stored_files=stored_files)
    deadline = application_deadline(application)
    _notify(
        application,
        _("Your application %(number)s has been received") % {"number": number},
        _(
            "Tracking number: %(number)s\nAccess code: %(code)s\nDate of receipt: %(received)s\n"
            "Reply due by: %(due)s\n\nKeep the access code: you need it with the tracking number to follow "
            "your application online."
        )
        % {"number": number, "code": access_code, "received": deadline.received_on, "due": deadline.due_on},
    )
    return Submitted(application=application, access_code=access_code)


def receipt_rule_text(channel: str) -> str:
    """What the day of receipt is for a channel, as staff are asked for it (条例 art. 31)."""
    rule = settings.APPLICATION_RECEIPT_RULES.get(channel, ReceiptRule.CONFIRMED)
    return str(
        {
            ReceiptRule.HANDED_IN: _("Give the day the application was handed in (条例 art. 31(1))."),
            ReceiptRule.SIGNED_FOR: _("Give the day the college signed for the letter (条例 art. 31(2))."),
            ReceiptRule.CONFIRMED: _("Give the day receipt was confirmed to the applicant (条例 art. 31(2), (3))."),
        }[rule]
    )


# Staff actions ---------------------------------------------------------------------------------------------


def application_accept(*, application: DisclosureApplication, user) -> DisclosureApplication:
    _require_state(application, State.SUBMITTED)
    deadline = application_deadline(application)
    with transaction.atomic():
        _set_state(application, State.ACCEPTED)
        _event(application, EventKind.ACCEPTED, user=user, public=True)
        notice_issue(
            application=application,
            kind=NoticeKind.RECEIPT,
            values={"received_on": deadline.received_on, "due_on": deadline.due_on},
        )
    return application


def application_assign(*, application: DisclosureApplication, user, department, handler=None, note: str = ""):
    _require_state(
        application, State.SUBMITTED, State.ACCEPTED, State.CLARIFICATION, State.CONSULTING, State.AWAITING_PAYMENT
    )
    if handler is not None and not (handler.is_active and handler.is_staff):
        raise ValidationError({"handler": _("The handler must be an active staff member.")})
    with transaction.atomic():
        application.department = department
        application.handler = handler
        application.save(update_fields=["department", "handler"])
        names = [
            str(department) if department else "",
            handler.get_full_name() or handler.get_username() if handler else "",
        ]
        who = " / ".join(name for name in names if name)
        _event(application, EventKind.ASSIGNED, user=user, message=(f"{who}\n{note}").strip())
    return application


def last_day_received(application: DisclosureApplication, calendar: WorkingCalendar) -> datetime.date:
    return application_deadline(application, calendar=calendar).received_on


def clarification_request_last_day(application: DisclosureApplication, calendar: WorkingCalendar) -> datetime.date:
    """The last day on which clarification may be asked for: N working days after receipt (条例 art. 30)."""
    received = application_deadline(application, calendar=calendar).received_on
    return calendar.add_working_days(received, settings.APPLICATION_CLARIFICATION_REQUEST_DAYS).date


def application_request_clarification(
    *, application: DisclosureApplication, user, message: str, due_on: datetime.date | None = None
):
    """The one request for clarification (条例 art. 30: 一次性告知, within 7 working days of receipt, naming what
    to supply and a reasonable period): the clock stops until the answer arrives, then restarts in full."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what the applicant must clarify.")})
    _require_state(application, State.SUBMITTED, State.ACCEPTED)
    calendar = application_calendar()
    today = timezone.localdate()
    if application.events.filter(kind=EventKind.CLARIFICATION_REQUESTED).exists():
        raise ValidationError(
            _(
                "Clarification has already been requested once. The Regulation (art. 30) allows one request that "
                "names everything to be supplied (一次性告知): reply on what the application now says."
            )
        )
    last_day = clarification_request_last_day(application, calendar)
    if today > last_day:
        raise ValidationError(
            _(
                "Too late to ask for clarification: the Regulation (art. 30) requires it within %(days)s working "
                "days of receipt, that is by %(date)s. Reply on what the application says."
            )
            % {"days": settings.APPLICATION_CLARIFICATION_REQUEST_DAYS, "date": last_day}
        )
    latest = calendar.add_working_days(today, settings.APPLICATION_CLARIFICATION_DAYS).date
    if due_on is None:
        due_on = latest
    elif due_on <= today:
        raise ValidationError({"due_on": _("The date for the answer must be after today.")})
    elif due_on > latest:
        # The clock stops until the answer: an open-ended date would pause it for ever.
        raise ValidationError(
            {
                "due_on": _(
                    "The date for the answer can be at most %(days)s working days from today, that is %(date)s "
                    "(a reasonable period, 条例 art. 30; setting APPLICATION_CLARIFICATION_DAYS)."
                )
                % {"days": settings.APPLICATION_CLARIFICATION_DAYS, "date": latest}
            }
        )
    elif not calendar.is_working_day(due_on):
        raise ValidationError({"due_on": _("The date for the answer must be a working day.")})
    with transaction.atomic():
        _set_state(application, State.CLARIFICATION)
        _event(application, EventKind.CLARIFICATION_REQUESTED, user=user, public=True, message=message, due_on=due_on)
        notice_issue(
            application=application,
            kind=NoticeKind.CLARIFICATION,
            values={"received_on": last_day_received(application, calendar), "message": message, "due_on": due_on},
        )
    _notify(
        application,
        _("Application %(number)s: clarification needed") % {"number": application.tracking_number},
        _(
            "%(message)s\n\nPlease answer on the tracking page by %(due)s. The time limit for the reply restarts on "
            "the day your answer is received; without an answer by that date the application is treated as given "
            "up (政府信息公开条例 art. 30)."
        )
        % {"message": message, "due": due_on},
    )
    return application


def application_answer_clarification(*, application: DisclosureApplication, text: str, files=()):
    """The applicant's answer (on the tracking page): the reply limit restarts from today."""
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError({"text": _("Write your answer or attach a file.")})
    _require_state(application, State.CLARIFICATION)
    asked = application.events.filter(kind=EventKind.CLARIFICATION_REQUESTED).order_by("-at", "-id").first()
    if asked and asked.due_on and timezone.localdate() > asked.due_on:
        # 条例 art. 30: 逾期不补正的，视为放弃申请 — the nightly job would give it up; an answer now cannot restart it.
        raise ValidationError(
            _(
                "The date for your answer was %(date)s. Without an answer by then the application is treated as "
                "given up (政府信息公开条例 art. 30); you may file a new application at any time."
            )
            % {"date": asked.due_on}
        )
    try:
        with StoredFiles() as stored_files, transaction.atomic():
            _set_state(application, State.ACCEPTED)
            event = _event(application, EventKind.CLARIFICATION_RECEIVED, public=True, message=text)
            _store_files(application, files, role=FileRole.CLARIFICATION, event=event, stored_files=stored_files)
    except BaseException:
        application.state = State.CLARIFICATION  # the row was rolled back; so is this copy
        raise
    return application


def may_approve_extension(user) -> bool:
    return bool(user and user.is_active and user.has_perm("requests_app.approve_extension"))


def application_extend(*, application: DisclosureApplication, user, days: int, reason: str, approver):
    """One extension (条例 art. 33: 经政府信息公开工作机构负责人同意并告知申请人, at most the legal number of working
    days), made before the due date, approved by a named office head; the applicant is told and the notice kept."""
    reason = (reason or "").strip()
    _require_state(application, State.SUBMITTED, State.ACCEPTED, State.CONSULTING)
    errors = {}
    limit = settings.APPLICATION_EXTENSION_DAYS
    calendar = application_calendar()
    today = timezone.localdate()
    before = application_deadline(application, calendar=calendar)
    if application.events.filter(kind=EventKind.EXTENDED).exists():
        errors["days"] = _("The time limit has already been extended once; the Regulation (art. 33) allows one.")
    elif before.due_on is not None and today > before.due_on:
        errors["days"] = _(
            "The time limit ended on %(date)s: an extension must be decided before the due date (art. 33), "
            "and a late reply stays late."
        ) % {"date": before.due_on}
    elif not 1 <= (days or 0) <= limit:
        errors["days"] = _("An extension is from 1 to %(limit)s working days.") % {"limit": limit}
    if not reason:
        errors["reason"] = _("Give the reason for the extension.")
    if approver is None:
        errors["approver"] = _("Choose the office head who approved the extension.")
    elif not may_approve_extension(approver):
        errors["approver"] = _("%(name)s does not hold the office head's role and cannot approve an extension.") % {
            "name": approver.get_full_name() or approver.get_username()
        }
    if errors:
        raise ValidationError(errors)
    name = approver.get_full_name() or approver.get_username()
    with transaction.atomic():
        event = _event(
            application,
            EventKind.EXTENDED,
            user=user,
            public=True,
            message=reason,
            days=days,
            approved_by=name,
            approver=approver,
        )
    deadline = application_deadline(application, calendar=calendar)
    notice_issue(
        application=application,
        kind=NoticeKind.EXTENSION,
        values={
            "received_on": deadline.received_on,
            "reason": reason,
            "approver": name,
            "days": days,
            "due_on": deadline.due_on,
        },
    )
    body = _(
        "The time limit has been extended by %(days)s working days (%(reason)s), with the approval of the head of "
        "the disclosure office (政府信息公开条例 art. 33). The reply is now due by %(due)s."
    ) % {"days": days, "reason": reason, "due": deadline.due_on}
    _notify(
        application, _("Application %(number)s: time limit extended") % {"number": application.tracking_number}, body
    )
    event.message = f"{reason}\n{body}"
    event.save(update_fields=["message"])
    return application


def application_consult_start(
    *, application: DisclosureApplication, user, third_party: str, message: str = "", days: int | None = None
):
    """The written consultation of a third party (条例 art. 32): the clock pauses for their answer period, at most
    the legal number of working days, and runs again when they answer or the period ends. One consultation per
    application (name every third party in it): the pause cannot be renewed."""
    third_party = (third_party or "").strip()
    if not third_party:
        raise ValidationError({"third_party": _("Name the third party consulted.")})
    _require_state(application, State.SUBMITTED, State.ACCEPTED)
    limit = settings.APPLICATION_THIRD_PARTY_DAYS
    days = limit if days is None else days
    if application.events.filter(kind=EventKind.CONSULTATION_STARTED).exists():
        raise ValidationError(
            _(
                "The third parties have already been consulted once; their period does not start again. Name "
                "every third party in the one consultation (art. 32)."
            )
        )
    if not 1 <= days <= limit:
        raise ValidationError(
            {"days": _("The third party's period is from 1 to %(limit)s working days (art. 32).") % {"limit": limit}}
        )
    calendar = application_calendar()
    today = timezone.localdate()
    before = application_deadline(application, calendar=calendar)
    if before.due_on is not None and today > before.due_on:
        raise ValidationError(
            _("The time limit ended on %(date)s: a consultation now cannot pause it.") % {"date": before.due_on}
        )
    ends = calendar.add_working_days(today, days).date
    with transaction.atomic():
        _set_state(application, State.CONSULTING)
        _event(
            application,
            EventKind.CONSULTATION_STARTED,
            user=user,
            public=True,
            days=days,
            due_on=ends,
            message=_(
                "A third party whose rights are concerned is being consulted in writing; the time limit is paused "
                "until they answer, at the latest until %(date)s (政府信息公开条例 art. 32, 33)."
            )
            % {"date": ends},
        )
        _event(application, EventKind.NOTE, user=user, message=f"{third_party}\n{message}".strip())
        notice_issue(
            application=application,
            kind=NoticeKind.CONSULTATION,
            values={"due_on": ends},
            addressee=third_party,
            public=False,
        )
    return application


def application_consult_end(
    *, application: DisclosureApplication, user, decision: str = "", answer: str = "", on: datetime.date | None = None
):
    """The third party's answer as a decision: agrees, objects (with the reasons), or no answer (only once their
    period has ended)."""
    answer = (answer or "").strip()
    _require_state(application, State.CONSULTING)
    started = application.events.filter(kind=EventKind.CONSULTATION_STARTED).order_by("-at", "-id").first()
    today = on or timezone.localdate()
    if decision not in ThirdPartyDecision.values:
        raise ValidationError({"decision": _("Choose what the third party answered.")})
    if decision == ThirdPartyDecision.OBJECTS and not answer:
        raise ValidationError({"answer": _("Record the third party's reasons for objecting.")})
    if decision == ThirdPartyDecision.NO_ANSWER and started and started.due_on and today <= started.due_on:
        raise ValidationError(
            {"decision": _("The third party has until %(date)s to answer.") % {"date": started.due_on}}
        )
    with transaction.atomic():
        _set_state(application, State.ACCEPTED)
        label = ThirdPartyDecision(decision).label
        _event(
            application,
            EventKind.CONSULTATION_ENDED,
            user=user,
            public=False,
            decision=decision,
            message=f"{label}\n{answer}".strip(),
        )
    return application


def reply_letter_render(
    *,
    application: DisclosureApplication,
    kind: str = "",
    reason: str = "",
    holder: str = "",
    outcome: str = "",
    holder_contact: str = "",
    published_url: str = "",
) -> str:
    """The reply letter from the staff's template for the Order 29 kind of this outcome (empty when there is
    none). Placeholders only (string.Template): a template runs no code."""
    outcome = outcome or outcome_of(kind)
    kind = OUTCOMES[outcome].kind
    template = ReplyTemplate.objects.filter(kind=kind).first()
    if template is None:
        return ""
    deadline = application_deadline(application)
    return string.Template(template.body).safe_substitute(
        applicant=application.name,
        tracking_number=application.tracking_number,
        received_on=cn_date(deadline.received_on),
        description=application.description.strip().rstrip(TRAILING),  # the template ends the sentence
        reason=reason.strip().rstrip(TRAILING),
        holder=holder,
        holder_contact=holder_contact,
        published_url=published_url,
        outcome=ReplyOutcome(outcome).label,
        ground=str(OUTCOMES[outcome].ground),
        reply_date=cn_date(timezone.localdate()),
        college=settings.PORTAL_SITE_NAME.removesuffix("信息公开网"),
    )


def application_reply(
    *,
    application: DisclosureApplication,
    user,
    letter: str,
    kind: str = "",
    outcome: str = "",
    refusal_reason: str = "",
    reason_text: str = "",
    holder: str = "",
    holder_contact: str = "",
    published_url: str = "",
    files=(),
):
    """Answer the application with one of the outcomes the State Council's table counts (``outcome``; an Order 29
    ``kind`` with its refusal reason is read as the outcome it stands for). Already published: the link (条例
    art. 36(1)); not held: the holder and its contact (条例 art. 36(5)); a refusal or partial disclosure: the reason
    explained (条例 art. 36(3), 37), its legal ground cited from the outcome."""
    letter, reason_text = (letter or "").strip(), (reason_text or "").strip()
    holder, holder_contact, published_url = (
        (holder or "").strip(),
        (holder_contact or "").strip(),
        (published_url or "").strip(),
    )
    _require_state(application, State.ACCEPTED, State.SUBMITTED)
    errors = {}
    if not outcome and kind:
        if kind not in ReplyKind.values:
            errors["kind"] = _("Choose a kind of reply.")
        elif kind == ReplyKind.REFUSED and not refusal_reason:
            errors["refusal_reason"] = _("This kind of reply must give the legal reason.")
        outcome = outcome_of(kind, refusal_reason)
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Choose the kind of answer.")
    else:
        if outcome in OUTCOME_REASON_REQUIRED and not reason_text:
            errors["reason_text"] = _("Explain the reason to the applicant (the legal ground is cited for you).")
        if outcome == ReplyOutcome.ALREADY_PUBLISHED and not published_url:
            errors["published_url"] = _("Give the address where the information is published.")
        if outcome == ReplyOutcome.NOT_HELD and not holder:
            errors["holder"] = _("Name the body that holds the information, if it can be determined.")
    if not letter:
        errors["letter"] = _("The reply letter is empty.")
    if errors:
        raise ValidationError(errors)
    if application.own_records and not application.events.filter(kind=EventKind.IDENTITY_VERIFIED).exists():
        raise ValidationError(
            _(
                "This application is about the applicant's own records: check the identity proof first "
                "(Order 29), then reply to that person only."
            )
        )
    for uploaded in files or []:
        file_check(uploaded=uploaded)
    found = OUTCOMES[outcome]
    with StoredFiles() as stored_files, transaction.atomic():
        application.reply_outcome = outcome
        application.reply_kind = found.kind
        application.refusal_reason = refusal_reason if found.kind in REASON_REQUIRED else ""
        application.reply_reason_text = reason_text
        application.reply_holder = holder if outcome == ReplyOutcome.NOT_HELD else ""
        application.reply_holder_contact = holder_contact if outcome == ReplyOutcome.NOT_HELD else ""
        application.reply_published_url = published_url if outcome == ReplyOutcome.ALREADY_PUBLISHED else ""
        application.reply_letter = letter
        application.replied_at = timezone.now()
        _set_state(
            application,
            State.REPLIED,
            "reply_outcome",
            "reply_kind",
            "refusal_reason",
            "reply_reason_text",
            "reply_holder",
            "reply_holder_contact",
            "reply_published_url",
            "reply_letter",
            "replied_at",
        )
        event = _event(application, EventKind.REPLIED, user=user, public=True, message=str(ReplyOutcome(outcome).label))
        _store_files(application, files, role=FileRole.RELEASED, event=event, stored_files=stored_files)
        notice_issue(
            application=application,
            kind=NoticeKind.REPLY,
            values={
                "received_on": application_deadline(application).received_on,
                "outcome": ReplyOutcome(outcome).label,
                "letter": letter,
                "ground": found.ground,
            },
        )
    _notify(
        application,
        _("Application %(number)s: reply") % {"number": application.tracking_number},
        _("The college has replied to your application. Read the reply and download any files on the tracking page.")
        + ("" if application.own_records else "\n\n" + letter),  # own records: only on the tracking page
    )
    return application


def application_to_proactive(*, application: DisclosureApplication, user, category, department=None):
    """依申请转主动公开 (条例 art. 44) in one step: a draft proactive item prefilled from the reply, linked to the
    application and counted in the statistics; it then goes through the usual review and release approval."""
    if application.reply_outcome not in (ReplyOutcome.DISCLOSED, ReplyOutcome.PARTLY):
        raise ValidationError(_("Only a reply that disclosed information can become a proactive item."))
    if application.own_records:
        raise ValidationError(_("Information about the applicant's own records is never made proactive."))
    if application.proactive_disclosure_id:
        raise ValidationError(_("This reply has already been turned into a proactive item."))
    department = department or application.department
    if department is None:
        raise ValidationError({"department": _("Choose the publishing department.")})
    replied_on = timezone.localdate(application.replied_at)
    draft = Disclosure(
        title=(_("Disclosed on application: %(what)s") % {"what": application.description.strip()})[:300],
        category=category,
        department=department,
        date_written=replied_on,
        summary=application.reply_letter,
        body="".join(f"<p>{escape(line)}</p>" for line in application.reply_letter.splitlines() if line.strip()),
    )
    with transaction.atomic():
        disclosure_save(disclosure=draft, user=None)
        application.proactive_disclosure = draft
        application.save(update_fields=["proactive_disclosure"])
        _event(application, EventKind.TO_PROACTIVE, user=user, message=draft.index_number)
    return draft


def application_verify_identity(*, application: DisclosureApplication, user, note: str = ""):
    """Staff checked the identity proof of an application about the applicant's own records (《高等学校信息公开办法》;
    its article was not found in a stored text, so none is cited)."""
    _require_state(application, *ApplicationState.open_states())
    if not application.files.filter(role=FileRole.ID_PROOF).exists() and not (note or "").strip():
        raise ValidationError(
            {"note": _("No identity proof is attached: say how the identity was checked (e.g. ID card shown).")}
        )
    with transaction.atomic():
        _event(application, EventKind.IDENTITY_VERIFIED, user=user, message=(note or "").strip())
    return application


# Fees ------------------------------------------------------------------------------------------------------


def processing_fee_per_item(ordinal: int) -> Decimal:
    """信息处理费 按件 (国办函〔2020〕109号 art. 4) for the ``ordinal``-th application of one applicant in a
    calendar month: up to 10 free; the 11th to 30th 100 yuan each; from the 31st, 100 yuan more per band of 10."""
    if ordinal <= 10:
        return Decimal("0")
    if ordinal <= 30:
        return Decimal("100")
    return Decimal(100 * (2 + (ordinal - 31) // 10))


def processing_fee_by_pages(pages: int) -> Decimal:
    """信息处理费 按量 (国办函〔2020〕109号 art. 5), progressive: up to 30 pages free; 31-100 at 10 yuan a page;
    101-200 at 20; from 201 at 40."""
    bands = ((30, 0), (100, 10), (200, 20), (None, 40))
    total, low = 0, 0
    for high, rate in bands:
        top = pages if high is None else min(pages, high)
        if top > low:
            total += (top - low) * rate
        if high is None or pages <= high:
            break
        low = high
    return Decimal(total)


def applicant_ordinal_in_month(application: DisclosureApplication) -> int:
    """The application's place among its applicant's applications in its calendar month (art. 4's 件数)."""
    received = timezone.localtime(application.submitted_at)
    same = Q(id_number=application.id_number) if application.id_number else Q(credit_code=application.credit_code)
    if not (application.id_number or application.credit_code):
        same = Q(name=application.name, phone=application.phone)
    return (
        DisclosureApplication.objects.filter(same)
        .filter(submitted_at__year=received.year, submitted_at__month=received.month)
        .filter(
            Q(submitted_at__lt=application.submitted_at)
            | Q(pk__lte=application.pk, submitted_at=application.submitted_at)
        )
        .count()
    )


def application_fee_notice(
    *, application: DisclosureApplication, user, amount: Decimal | None = None, pages: int | None = None, note=""
):
    """The fee notice (收费通知): the amount, its basis and the payment period; the clock pauses until payment
    (条例 art. 42; 国办函〔2020〕109号). The regime is the setting APPLICATION_FEE_REGIME: none (refused), cost
    (Order 29's cost fees, amount given by staff), processing (按件, or 按量 when ``pages`` is given)."""
    regime = settings.APPLICATION_FEE_REGIME
    _require_state(application, State.SUBMITTED, State.ACCEPTED)
    if regime == "none":
        raise ValidationError(_("This college charges no fees (setting APPLICATION_FEE_REGIME)."))
    if regime == "processing":
        if pages is not None:
            amount = processing_fee_by_pages(pages)
            basis = _("信息处理费 by volume, %(pages)s pages (国办函〔2020〕109号 art. 5)") % {"pages": pages}
        else:
            ordinal = applicant_ordinal_in_month(application)
            amount = processing_fee_per_item(ordinal)
            basis = _(
                "信息处理费 by item, this applicant's application no. %(n)s this month (国办函〔2020〕109号 art. 4)"
            ) % {"n": ordinal}
        if amount <= 0:
            raise ValidationError(_("No fee is due under the thresholds of 国办函〔2020〕109号."))
    else:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("Give the cost fee in yuan (searching, copying, posting).")})
        basis = _("Cost fees for searching, copying and posting at the province's rates (Order 29)")
    field = DisclosureApplication._meta.get_field("fee_charged")
    most = Decimal(10 ** (field.max_digits - field.decimal_places)) - Decimal("0.01")
    if amount > most:
        # A mistyped page count (1000000000) gave a fee of 40 billion yuan that the database cannot hold.
        raise ValidationError(
            {
                "pages" if pages is not None else "amount": _(
                    "A fee of %(amount)s yuan is more than %(most)s yuan: check the number of pages or the amount."
                )
                % {"amount": f"{amount:.2f}", "most": f"{most:.2f}"}
            }
        )
    calendar = application_calendar()
    today = timezone.localdate()
    before = application_deadline(application, calendar=calendar)
    if before.due_on is not None and today > before.due_on:
        raise ValidationError(
            _("The time limit ended on %(date)s: a fee notice now cannot pause it.") % {"date": before.due_on}
        )
    pay_by = calendar.add_working_days(today, settings.APPLICATION_FEE_PAYMENT_DAYS).date
    message = _(
        "Fee notice: %(amount)s yuan (%(basis)s). Please pay by %(date)s; the time limit is paused until payment, "
        "and without payment by that date the application is no longer handled."
    ) % {"amount": f"{amount:.2f}", "basis": basis, "date": pay_by}
    with transaction.atomic():
        application.fee_charged = amount
        _set_state(application, State.AWAITING_PAYMENT, "fee_charged")
        _event(application, EventKind.FEE_NOTIFIED, user=user, public=True, message=message, due_on=pay_by)
        notice_issue(
            application=application,
            kind=NoticeKind.FEE,
            values={"received_on": before.received_on, "amount": f"{amount:.2f}", "basis": basis, "due_on": pay_by},
        )
        if note:
            _event(application, EventKind.NOTE, user=user, message=note)
    _notify(application, _("Application %(number)s: fee notice") % {"number": application.tracking_number}, message)
    return application


def application_fee_paid(*, application: DisclosureApplication, user):
    """Payment received: the clock runs again from today."""
    _require_state(application, State.AWAITING_PAYMENT)
    with transaction.atomic():
        _set_state(application, State.ACCEPTED)
        _event(application, EventKind.FEE_PAID, user=user, public=True)
    return application


def applications_lapse_unpaid_fees(*, today: datetime.date | None = None) -> list[DisclosureApplication]:
    """逾期未缴纳: applications whose fee was not paid by the date in the notice are no longer handled."""
    today = today or timezone.localdate()
    lapsed = []
    for application in DisclosureApplication.objects.filter(state=State.AWAITING_PAYMENT).prefetch_related("events"):
        notice = max(
            (e for e in application.events.all() if e.kind == EventKind.FEE_NOTIFIED), key=lambda e: (e.at, e.id)
        )
        if notice.due_on and notice.due_on < today:
            application_withdraw(application=application, user=None, cause=WithdrawalCause.UNPAID)
            _notify(
                application,
                _("Application %(number)s: fee not paid") % {"number": application.tracking_number},
                _("The fee was not paid by %(date)s, the date in the fee notice: the application is no longer handled.")
                % {"date": notice.due_on},
            )
            lapsed.append(application)
    return lapsed


def application_record_fees(*, application: DisclosureApplication, user, charged: Decimal, waived: Decimal, note=""):
    if charged is None or waived is None or charged < 0 or waived < 0:
        raise ValidationError(_("Fees are amounts of zero or more."))
    with transaction.atomic():
        application.fee_charged = charged
        application.fee_waived = waived
        application.save(update_fields=["fee_charged", "fee_waived"])
        _event(
            application,
            EventKind.FEE_RECORDED,
            user=user,
            message=(_("Charged %(charged)s yuan, waived %(waived)s yuan.") % {"charged": charged, "waived": waived})
            + (f"\n{note}" if note else ""),
        )
    return application


def application_close(*, application: DisclosureApplication, user):
    _require_state(application, State.REPLIED)
    with transaction.atomic():
        application.closed_at = timezone.now()
        _set_state(application, State.CLOSED, "closed_at")
        _event(application, EventKind.CLOSED, user=user, public=True)
    return application


def application_withdraw(
    *, application: DisclosureApplication, user, reason: str = "", cause=WithdrawalCause.APPLICANT
):
    _require_state(application, *ApplicationState.open_states())
    with transaction.atomic():
        application.withdrawal_cause = cause
        application.closed_at = timezone.now()
        _set_state(application, State.WITHDRAWN, "withdrawal_cause", "closed_at")
        message = {
            WithdrawalCause.APPLICANT: _("Withdrawn at the applicant's request."),
            WithdrawalCause.NO_CLARIFICATION: _(
                "No clarification was received within the period given: the application is treated as withdrawn."
            ),
            WithdrawalCause.UNPAID: _("The fee was not paid within the period: the application is no longer handled."),
        }[cause]
        _event(application, EventKind.WITHDRAWN, user=user, public=True, message=f"{message}\n{reason}".strip())
    return application


def application_note(*, application: DisclosureApplication, user, message: str, public: bool = False):
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("The message is empty.")})
    with transaction.atomic():
        _event(application, EventKind.NOTE, user=user, message=message, public=public)
    if public:
        _notify(application, _("Application %(number)s: message") % {"number": application.tracking_number}, message)
    return application


def application_log_personal_data_view(*, application: DisclosureApplication, user, what: str = "") -> None:
    """Audit: a staff member saw this application's personal data (details page, ID proof file)."""
    kind = EventKind.FILE_DOWNLOADED if what else EventKind.PERSONAL_DATA_VIEWED
    _event(application, kind, user=user, message=what)


# Scheduled work --------------------------------------------------------------------------------------------


def applications_lapse_unanswered_clarifications(*, today: datetime.date | None = None) -> list[DisclosureApplication]:
    """Treat as withdrawn the applications whose clarification period ended without an answer."""
    today = today or timezone.localdate()
    calendar = application_calendar()
    lapsed = []
    for application in DisclosureApplication.objects.filter(state=State.CLARIFICATION).prefetch_related("events"):
        deadline = application_deadline(application, calendar=calendar)
        if deadline.clarification_due_on and deadline.clarification_due_on < today:
            application_withdraw(application=application, user=None, cause=WithdrawalCause.NO_CLARIFICATION)
            _notify(
                application,
                _("Application %(number)s: treated as given up") % {"number": application.tracking_number},
                _(
                    "No clarification was received by %(date)s, the date given in the request. Under the Regulation "
                    "(政府信息公开条例 art. 30) the application is treated as given up and is not handled further. "
                    "You may file a new application at any time."
                )
                % {"date": deadline.clarification_due_on},
            )
            lapsed.append(application)
    return lapsed


# Personal fields of an application, masked after the retention period (《个人信息保护法》 Art. 19: kept no longer
# than the purpose needs; Art. 47 (2): deleted when the retention period has expired). The statistics keep what they
# count: the applicant type, the dates, the channel, the kind of reply.
PURGED_NAMES = ("name", "legal_representative", "contact_person")
PURGED_FREE_TEXT = ("description", "purpose", "fee_waiver_reason", "reply_reason_text", "reply_letter")


def _without_personal_data(text: str, names: list[str]) -> str:
    for name in names:
        text = mask_person(text, name)
    return mask_text(text)[0]


def application_purge_personal_data(*, application: DisclosureApplication) -> DisclosureApplication:
    """After the retention period: delete the applicant's files (ID proofs, clarifications) and mask every personal
    field of a finished application: names, ID number, phone, e-mail, address, and the personal numbers and names
    inside its free text and its events' messages."""
    if application.is_open:
        raise ValidationError(_("An open application keeps its personal data."))
    names = [getattr(application, field) for field in PURGED_NAMES if getattr(application, field)]
    with transaction.atomic():
        for stored in application.files.filter(role__in=PRIVATE_ROLES):
            stored.file.delete(save=False)
            stored.delete()
        for field in PURGED_NAMES:
            setattr(application, field, mask_name(getattr(application, field)))
        application.id_number = mask_id_number(application.id_number)
        application.phone = mask_phone(application.phone)
        application.email = mask_email(application.email) if application.email else ""
        application.address = mask_middle(application.address, keep_start=3, keep_end=0) if application.address else ""
        for field in PURGED_FREE_TEXT:
            setattr(application, field, _without_personal_data(getattr(application, field), names))
        application.personal_data_purged_at = timezone.now()
        application.save(
            update_fields=[
                *PURGED_NAMES,
                "id_number",
                "phone",
                "email",
                "address",
                *PURGED_FREE_TEXT,
                "personal_data_purged_at",
            ]
        )
        for event in application.events.exclude(message=""):
            masked = _without_personal_data(event.message, names)
            if masked != event.message:
                event.message = masked
                event.save(update_fields=["message"])
        _event(application, EventKind.PERSONAL_DATA_PURGED)
    return application


def applications_due_for_purge(*, now: datetime.datetime | None = None):
    """Finished applications past the retention period: closed or withdrawn that long ago, or replied that long ago
    and never closed (a reply is where most applications end)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.APPLICATION_RETENTION_DAYS)
    return DisclosureApplication.objects.filter(personal_data_purged_at__isnull=True).filter(
        Q(state__in=[State.CLOSED, State.WITHDRAWN], closed_at__lt=cutoff)
        | Q(state=State.REPLIED, replied_at__lt=cutoff)
    )
