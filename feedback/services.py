"""Every write to the feedback channels and the surveys: keyword-only functions that check the state, write
inside one transaction and record an event. Due dates are derived here from the calendar, never stored."""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import exports, tracking
from core.workdays import DayCount, WorkingCalendar, load_calendar, local_days_q
from disclosures.privacy import (
    HitKind,
    mask_email,
    mask_introductions,
    mask_name,
    mask_person,
    mask_phone,
    mask_text,
    scan_text,
)
from feedback import statistics
from feedback.models import (
    Channel,
    ComplaintResult,
    FeedbackEvent,
    FeedbackEventKind,
    FeedbackMessage,
    Mailbox,
    MessageState,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from feedback.permissions import can_handle_channel

State = MessageState
Kind = FeedbackEventKind


# Due dates -------------------------------------------------------------------------------------------------


def reply_days(channel: str) -> int:
    return settings.FEEDBACK_REPLY_DAYS[channel]


def message_due(message: FeedbackMessage, *, calendar: WorkingCalendar | None = None) -> DayCount:
    """The reply is due this many working days (per channel) after the day of receipt (the next working day
    when the message arrives on a non-working day)."""
    calendar = calendar or load_calendar()
    return calendar.due_after_receipt(timezone.localdate(message.submitted_at), reply_days(message.channel))


def messages_due_within(
    queryset: QuerySet, *, fewest: int | None, most: int | None, calendar: WorkingCalendar, today: datetime.date
) -> QuerySet:
    """The open messages of ``queryset`` whose reply is due in ``fewest`` to ``most`` working days from ``today``
    (negative once overdue; None for no bound), asked of the database: a channel's due date grows with the
    day a message arrived, so the window is a range of arrival days per channel."""
    windows = []
    for channel in Channel:
        first, last = calendar.days_due_within(count=reply_days(channel), today=today, fewest=fewest, most=most)
        windows.append(Q(channel=channel) & local_days_q("submitted_at", first, last))
    return queryset.open().filter(reduce(operator.or_, windows))


def message_overdue_days(message: FeedbackMessage, *, calendar: WorkingCalendar, today=None) -> int | None:
    """Working days past the due date for an open message (None when closed or not yet due)."""
    if not message.is_open:
        return None
    today = today or timezone.localdate()
    late = calendar.working_days_between(message_due(message, calendar=calendar).date, today)
    return late if late > 0 else None


# Helpers ---------------------------------------------------------------------------------------------------


def _event(message: FeedbackMessage, kind: str, *, user=None, note: str = "", at=None) -> FeedbackEvent:
    return FeedbackEvent.objects.create(message=message, kind=kind, actor=user, note=note, at=at or timezone.now())


def _require_state(message: FeedbackMessage, *states: str) -> None:
    if message.state not in states:
        raise ValidationError(
            _("This cannot be done while the message is “%(state)s”.") % {"state": message.get_state_display()}
        )


def _set_state(message: FeedbackMessage, state: str, *fields: str) -> None:
    message.state = state
    message.save(update_fields=["state", *fields])


def _notify(message: FeedbackMessage, subject: str, body: str) -> None:
    if message.email and not message.contact_purged_at:
        send_mail(subject, body, None, [message.email], fail_silently=True)


def _staff(user) -> bool:
    return bool(user and user.is_active and user.is_staff)


def message_recipients(message: FeedbackMessage) -> list[str]:
    """Who is told of a new message: a mailbox's readers; for the other channels, the staff who may handle it."""
    if message.channel == Channel.MAILBOX:
        users = message.mailbox.readers.filter(is_active=True, is_staff=True)
    else:
        users = [
            user
            for user in get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
            if can_handle_channel(user, message.channel)
        ]
    return sorted({user.email for user in users if user.email})


def _route(message: FeedbackMessage) -> None:
    """Tell the handling staff that a message arrived (no contact details in the e-mail)."""
    recipients = message_recipients(message)
    if not recipients:
        return
    where = message.mailbox.name if message.mailbox else message.get_channel_display()
    send_mail(
        _("New message %(number)s: %(where)s") % {"number": message.tracking_number, "where": where},
        _("Subject: %(subject)s\nReply due by: %(due)s\n\nOpen the staff inbox to read and handle it.")
        % {"subject": message.subject, "due": message_due(message).date},
        None,
        recipients,
        fail_silently=True,
    )


# Submission ------------------------------------------------------------------------------------------------

SENDER_FIELDS = ["subject", "text", "name", "phone", "email", "subject_of_complaint"]


@dataclass
class Submitted:
    message: FeedbackMessage
    access_code: str  # shown once; only its hash is stored


def message_submit(
    *, channel: str, data: dict, mailbox: Mailbox | None = None, now: datetime.datetime | None = None
) -> Submitted:
    """File a consultation, complaint or mailbox message from a validated form's data."""
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    if channel == Channel.MAILBOX and (mailbox is None or not mailbox.active):
        raise ValidationError(_("This mailbox is closed."))
    now = now or timezone.now()
    access_code = tracking.access_code_new()
    code_hash = tracking.access_code_hash(access_code)
    with transaction.atomic():
        number = tracking.tracking_number_next(
            prefix=settings.FEEDBACK_TRACKING_PREFIXES[channel], year=timezone.localdate(now).year
        )
        message = FeedbackMessage.objects.create(
            channel=channel,
            mailbox=mailbox if channel == Channel.MAILBOX else None,
            tracking_number=number,
            access_code_hash=code_hash,
            submitted_at=now,
            publish_allowed=channel == Channel.CONSULTATION and bool(data.get("publish_allowed")),
            name_published=channel == Channel.CONSULTATION
            and bool(data.get("publish_allowed"))
            and bool(data.get("name_published")),
            **{name: (data.get(name) or "").strip() for name in SENDER_FIELDS},
        )
        _event(message, Kind.SUBMITTED, at=now)
    _route(message)
    _notify(
        message,
        _("Your message %(number)s has been received") % {"number": number},
        _(
            "Subject: %(subject)s\nTracking number: %(number)s\nAccess code: %(code)s\nReply due by: %(due)s\n\n"
            "Keep the access code: with the tracking number it shows the reply online."
        )
        % {"subject": message.subject, "number": number, "code": access_code, "due": message_due(message).date},
    )
    return Submitted(message=message, access_code=access_code)


# Staff actions ---------------------------------------------------------------------------------------------


def message_assign(*, message: FeedbackMessage, user, assignee=None, department=None, note: str = ""):
    _require_state(message, *State.open_states())
    if assignee is not None and not _staff(assignee):
        raise ValidationError({"assignee": _("Assign the message to an active staff member.")})
    if assignee is None and department is None:
        raise ValidationError(_("Choose a staff member or a department."))
    with transaction.atomic():
        message.assignee = assignee
        message.department = department
        fields = ["assignee", "department"]
        if message.state == State.NEW:
            message.state = State.IN_PROGRESS
            fields.append("state")
        message.save(update_fields=fields)
        who = " / ".join(str(x) for x in (department, assignee and (assignee.get_full_name() or assignee)) if x)
        _event(message, Kind.ASSIGNED, user=user, note=f"{who}\n{note}".strip())
    return message


def message_start(*, message: FeedbackMessage, user):
    _require_state(message, State.NEW)
    with transaction.atomic():
        _set_state(message, State.IN_PROGRESS)
        _event(message, Kind.STARTED, user=user)
    return message


def message_note(*, message: FeedbackMessage, user, note: str):
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("The note is empty.")})
    _event(message, Kind.NOTE, user=user, note=note)
    return message


def message_answer(*, message: FeedbackMessage, user, reply: str, publish: bool = False, result: str = ""):
    """Record the reply (the asker sees it with the tracking number and code; e-mailed when an address was
    given). A consultation may go on the board at the same time; a complaint records its result."""
    reply = (reply or "").strip()
    _require_state(message, *State.open_states())
    errors = {}
    if not reply:
        errors["reply"] = _("Write the reply.")
    if message.channel == Channel.COMPLAINT and result not in ComplaintResult.values:
        errors["result"] = _("Record the result of the complaint.")
    if publish and not (message.channel == Channel.CONSULTATION and message.publish_allowed):
        errors["publish"] = _("Only consultations whose sender allowed it can be published.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        message.reply = reply
        message.replied_at = now
        message.result = result if message.channel == Channel.COMPLAINT else ""
        _set_state(message, State.ANSWERED, "reply", "replied_at", "result")
        _event(message, Kind.ANSWERED, user=user, note=message.get_result_display() if message.result else "")
        if publish:
            _publish(message, user=user, now=now)
    _notify(
        message,
        _("Reply to your message %(number)s") % {"number": message.tracking_number},
        _("Subject: %(subject)s\n\n%(reply)s") % {"subject": message.subject, "reply": reply},
    )
    return message


@dataclass
class BoardEntry:
    """A consultation as the public message board shows it: the asker's name and every ID-card, mobile and
    bank-card number and e-mail address masked in the subject, the question and the answer. Consent to publish a
    question is not consent to publish one's numbers: 《个人信息保护法》 Art. 28 counts financial accounts and specific
    identity among sensitive personal information. The name is shown only when the asker ticked the form's box
    (``name_published``); otherwise it is masked wherever the question or the answer mentions it."""

    subject: str
    text: str
    reply: str
    masked: list[tuple[str, str, str]]  # (where, kind, masked value) for the staff
    asker: str = ""  # the asker's name, shown only when they chose so on the form

    def masked_summary(self) -> str:
        return "; ".join(f"{where}: {kind} {value}" for where, kind, value in self.masked)


def board_entry(message: FeedbackMessage) -> BoardEntry:
    masked: list[tuple[str, str, str]] = []
    shown = {}
    fields = (("subject", _("Subject")), ("text", _("Question")), ("reply", _("Answer")))
    names = []
    if not message.name_published:
        # The form's name, and any name the asker gave in the text ("我是李四"): masked in every field, the
        # answer's "李四同学" too.
        names = [message.name] + [
            hit.value
            for field_name, _label in fields
            for hit in mask_introductions(getattr(message, field_name))[1]
            if hit.kind == HitKind.NAME
        ]
    for field_name, label in fields:
        original = getattr(message, field_name)
        without_name = original
        for name in names:
            without_name = mask_person(without_name, name)
        if without_name != original:
            masked.append((str(label), str(_("Name")), ", ".join(mask_name(n) for n in names if n and n in original)))
        shown[field_name], hits = mask_text(without_name)
        if not message.name_published:  # "学号 2021012345", "QQ 12345678" typed in the text
            shown[field_name], introductions = mask_introductions(shown[field_name])
            hits += introductions
        masked += [(str(label), hit.label, hit.masked) for hit in hits]
    return BoardEntry(**shown, masked=masked, asker=message.name if message.name_published else "")


def board_search(messages, query: str):
    """The board's ``messages`` that match ``query`` in what the board shows of them (``board_entry``), never in
    the stored text: a search for part of a masked number ("1381234") or of a masked name would otherwise tell
    what the mask hides, message by message."""
    query = (query or "").strip()
    if not query:
        return messages
    if scan_text(query):  # a personal number: nothing, whatever the board shows
        return messages.none()
    wanted = query.casefold()
    found = []
    # The masked text is what is searched (the stored text holds "13812345678", the board "138****5678").
    fields = ("pk", "subject", "text", "reply", "name", "name_published")
    for message in messages.only(*fields).iterator():
        entry = board_entry(message)
        if any(wanted in value.casefold() for value in (entry.subject, entry.text, entry.reply, entry.asker)):
            found.append(message.pk)
    return messages.filter(pk__in=found)


def _publish(message: FeedbackMessage, *, user, now) -> None:
    message.published_at = now
    message.save(update_fields=["published_at"])
    entry = board_entry(message)
    note = _("Masked on the board: %(list)s") % {"list": entry.masked_summary()} if entry.masked else ""
    _event(message, Kind.PUBLISHED, user=user, note=note)


def message_publish(*, message: FeedbackMessage, user):
    if message.channel != Channel.CONSULTATION:
        raise ValidationError(_("Complaints and mailbox messages are never published."))
    if not message.publish_allowed:
        raise ValidationError(_("The sender did not allow publication."))
    _require_state(message, State.ANSWERED, State.CLOSED)
    if message.is_published:
        return message
    with transaction.atomic():
        _publish(message, user=user, now=timezone.now())
    return message


def message_unpublish(*, message: FeedbackMessage, user, note: str = ""):
    if not message.is_published:
        return message
    with transaction.atomic():
        message.published_at = None
        message.save(update_fields=["published_at"])
        _event(message, Kind.UNPUBLISHED, user=user, note=note)
    return message


def message_close(*, message: FeedbackMessage, user, note: str = "", result: str = ""):
    """Close a message: after the reply, or without one (mailbox replies are optional)."""
    _require_state(message, State.NEW, State.IN_PROGRESS, State.ANSWERED)
    if message.channel == Channel.CONSULTATION and message.state != State.ANSWERED:
        raise ValidationError(_("Answer the consultation before closing it."))
    if message.channel == Channel.COMPLAINT:
        result = result or message.result
        if result not in ComplaintResult.values:
            raise ValidationError({"result": _("Record the result of the complaint.")})
    with transaction.atomic():
        message.closed_at = timezone.now()
        fields = ["closed_at"]
        if message.channel == Channel.COMPLAINT:
            message.result = result
            fields.append("result")
        _set_state(message, State.CLOSED, *fields)
        _event(message, Kind.CLOSED, user=user, note=(note or "").strip())
    return message


def message_log_contact_view(*, message: FeedbackMessage, user) -> None:
    """Audit: a staff member opened a message with the sender's contact details."""
    _event(message, Kind.PERSONAL_DATA_VIEWED, user=user)


# Scheduled work --------------------------------------------------------------------------------------------


def messages_due_for_purge(*, now: datetime.datetime | None = None):
    """Messages past the retention period: closed that long ago, or answered that long ago and never closed."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FEEDBACK_RETENTION_DAYS)
    return FeedbackMessage.objects.filter(contact_purged_at__isnull=True).filter(
        Q(state=State.CLOSED, closed_at__lt=cutoff) | Q(state=State.ANSWERED, replied_at__lt=cutoff)
    )


PURGED_FREE_TEXT = ("subject", "text", "reply", "subject_of_complaint")


def message_purge_contact(*, message: FeedbackMessage) -> FeedbackMessage:
    """After the retention period (《个人信息保护法》 Art. 19 and Art. 47 (2)): mask the sender's name, phone and
    e-mail of a finished message, and the personal numbers and the sender's name inside its text, the reply and
    the internal notes. The counts of the annual report stay (channel, dates, state, result)."""
    if message.state not in (State.CLOSED, State.ANSWERED):
        raise ValidationError(_("An open message keeps its contact details."))
    name = message.name
    with transaction.atomic():
        message.name = mask_name(message.name)
        message.phone = mask_phone(message.phone)
        message.email = mask_email(message.email) if message.email else ""
        for field in PURGED_FREE_TEXT:
            text = mask_text(mask_person(getattr(message, field), name))[0]
            setattr(message, field, mask_introductions(text)[0])  # "我是李四，学号 …" whatever the form's name
        message.contact_purged_at = timezone.now()
        message.save(update_fields=["name", "phone", "email", *PURGED_FREE_TEXT, "contact_purged_at"])
        for event in message.events.exclude(note=""):
            masked = mask_introductions(mask_text(mask_person(event.note, name))[0])[0]
            if masked != event.note:
                event.note = masked
                event.save(update_fields=["note"])
        _event(message, Kind.CONTACT_PURGED)
    return message


def messages_due_soon(*, days: int, today: datetime.date | None = None, calendar: WorkingCalendar | None = None):
    """Open messages due within ``days`` working days or overdue: (message, working days left) pairs."""
    today = today or timezone.localdate()
    calendar = calendar or load_calendar()
    due = messages_due_within(FeedbackMessage.objects.all(), fewest=None, most=days, calendar=calendar, today=today)
    return [
        (message, calendar.working_days_between(today, message_due(message, calendar=calendar).date))
        for message in due.select_related("assignee", "mailbox").order_by("submitted_at")
    ]


# Surveys ---------------------------------------------------------------------------------------------------


def survey_validate_answers(*, survey: Survey, questions: list[SurveyQuestion], values: dict) -> dict:
    """Check raw answers keyed by question id; return clean values or raise ValidationError per question."""
    clean, errors = {}, {}
    for question in questions:
        raw = values.get(question.pk)
        raw = "" if raw is None else str(raw).strip()
        if not raw:
            if question.required:
                errors[question.pk] = _("Please answer this question.")
            continue
        if question.kind == QuestionKind.RATING:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[question.pk] = _("Choose a rating from 1 to 5.")
            else:
                clean[question.pk] = int(raw)
        elif question.kind == QuestionKind.CHOICE:
            if raw not in question.choice_list:
                errors[question.pk] = _("Choose one of the answers offered.")
            else:
                clean[question.pk] = raw
        else:
            clean[question.pk] = raw[:5000]
    if errors:
        raise ValidationError(errors)
    return clean


def survey_respond(*, survey: Survey, values: dict, now: datetime.datetime | None = None) -> SurveyResponse:
    """Store one response (the view enforces once per browser and the per-IP limit)."""
    now = now or timezone.now()
    if not survey.is_open_on(timezone.localdate(now)):
        raise ValidationError(_("This survey is not open."))
    questions = list(survey.questions.all())
    clean = survey_validate_answers(survey=survey, questions=questions, values=values)
    if not clean:
        raise ValidationError(_("Answer at least one question."))
    with transaction.atomic():
        response = SurveyResponse.objects.create(survey=survey, submitted_at=now)
        answers = []
        for question in questions:
            if question.pk not in clean:
                continue
            value = clean[question.pk]
            answers.append(
                SurveyAnswer(
                    response=response,
                    question=question,
                    rating=value if question.kind == QuestionKind.RATING else None,
                    choice=value if question.kind == QuestionKind.CHOICE else "",
                    text=value if question.kind == QuestionKind.TEXT else "",
                )
            )
        SurveyAnswer.objects.bulk_create(answers)
    return response


EXPORT_BATCH = 1000


def survey_export_rows(survey: Survey) -> Iterator[list]:
    """The header, then one row a response, oldest first: responses read a batch at a time with their
    answers, so a survey of any size is exported in little memory."""
    questions = list(survey.questions.all())
    yield [_("Response"), _("Submitted at")] + [q.text for q in questions]
    responses = survey.responses.order_by("submitted_at", "id").values_list("pk", "submitted_at")
    batch: list[tuple[int, datetime.datetime]] = []
    for response in responses.iterator(chunk_size=EXPORT_BATCH):
        batch.append(response)
        if len(batch) >= EXPORT_BATCH:
            yield from _export_batch(batch, questions)
            batch = []
    yield from _export_batch(batch, questions)


def _export_batch(batch: list[tuple[int, datetime.datetime]], questions: list[SurveyQuestion]) -> Iterator[list]:
    answers: dict[int, dict[int, object]] = {}
    for response_id, question_id, rating, choice, text in SurveyAnswer.objects.filter(
        response_id__in=[pk for pk, _at in batch]
    ).values_list("response_id", "question_id", "rating", "choice", "text"):
        answers.setdefault(response_id, {})[question_id] = rating if rating is not None else (choice or text)
    for pk, submitted_at in batch:
        given = answers.get(pk, {})
        yield [pk, timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M")] + [
            given.get(q.pk, "") for q in questions
        ]


def survey_export_csv(*, survey: Survey) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly (staff download it as
    a stream: exports.csv_response over survey_export_rows)."""
    return exports.csv_bytes(survey_export_rows(survey))


def survey_export_workbook(*, survey: Survey):
    """The responses and a summary as a write-only workbook (send it with exports.xlsx_response)."""
    from openpyxl.styles import Font

    workbook = exports.new_workbook()
    sheet = workbook.create_sheet(str(_("Responses"))[:31])
    rows = survey_export_rows(survey)
    exports.append_row(sheet, next(rows), font=Font(bold=True))
    for row in rows:
        exports.append_row(sheet, row)
    summary = workbook.create_sheet(str(_("Summary"))[:31])
    results = statistics.survey_results(survey=survey)
    exports.append_row(summary, [_("Question"), _("Answers"), _("Average"), _("Distribution")], font=Font(bold=True))
    for result in results.questions:
        distribution = "; ".join(f"{label}: {count}" for label, count in result.distribution)
        exports.append_row(summary, [result.question.text, result.answered, result.average, distribution])
    exports.append_row(summary, [_("Responses"), results.responses])
    return workbook


def survey_export_xlsx(*, survey: Survey) -> bytes:
    return exports.workbook_bytes(survey_export_workbook(survey=survey))
