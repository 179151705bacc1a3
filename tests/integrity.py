"""What "no half-record" means for each thing the public files, checked over the whole database and media.

``half_records()`` lists every violation found (empty when all is whole); the fuzz and fault tests call
``assert_whole()`` after each request. What counts as whole, per model:

- an application has its "received" event, every part the form requires (by applicant type, delivery and
  fee waiver), valid choices, a consent time, and no NUL character;
- a file of an application or of a disclosure is on storage with the size recorded, and every file on
  storage belongs to a row (no orphan left by a failed save);
- a feedback message has its "received" event, a subject and a text, a mailbox when it was sent to one,
  the complaint's subject when it is a complaint, and "may be published" only when it is a consultation;
- a survey response has at least one answer, each of the kind its question asks for;
- a tracking-number sequence was consumed exactly once per stored row (a rejected or rolled-back
  submission uses no number).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from core.models import Sequence
from disclosures.models import Attachment
from feedback.models import (
    Channel,
    FeedbackEventKind,
    FeedbackMessage,
    QuestionKind,
    SurveyAnswer,
    SurveyResponse,
)
from requests_app.models import (
    ApplicantType,
    ApplicationFile,
    Delivery,
    DisclosureApplication,
    EventKind,
    IdType,
    InfoForm,
)

TEXT_FIELDS = [
    "name",
    "id_number",
    "credit_code",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "description",
    "purpose",
    "fee_waiver_reason",
]


def _application_problems(application: DisclosureApplication) -> list[str]:
    where = f"application {application.tracking_number}"
    problems = []
    kinds = {event.kind for event in application.events.all()}
    if EventKind.SUBMITTED not in kinds:
        problems.append(f"{where}: no 'submitted' event")
    for field in ("name", "phone", "description", "purpose"):
        if not getattr(application, field).strip():
            problems.append(f"{where}: empty {field}")
    if application.applicant_type not in ApplicantType.values:
        problems.append(f"{where}: applicant type {application.applicant_type!r}")
    if application.info_form not in InfoForm.values or application.delivery not in Delivery.values:
        problems.append(f"{where}: form {application.info_form!r} / delivery {application.delivery!r}")
    if application.consent_at is None:
        problems.append(f"{where}: no consent time")
    if application.applicant_type == ApplicantType.CITIZEN:
        if application.id_type not in IdType.values or not application.id_number:
            problems.append(f"{where}: citizen without an identity document")
    elif not (application.credit_code and application.legal_representative and application.contact_person):
        problems.append(f"{where}: organisation without code, representative or contact person")
    if application.delivery == Delivery.EMAIL and not application.email:
        problems.append(f"{where}: delivery by e-mail without an address")
    if application.delivery == Delivery.POST and not application.address.strip():
        problems.append(f"{where}: delivery by post without an address")
    if application.fee_waiver_requested and not application.fee_waiver_reason.strip():
        problems.append(f"{where}: fee waiver without a reason")
    if any("\x00" in getattr(application, field) for field in TEXT_FIELDS):
        problems.append(f"{where}: NUL character stored")
    return problems


def _message_problems(message: FeedbackMessage) -> list[str]:
    where = f"message {message.tracking_number}"
    problems = []
    if not any(event.kind == FeedbackEventKind.SUBMITTED for event in message.events.all()):
        problems.append(f"{where}: no 'submitted' event")
    if not message.subject.strip() or not message.text.strip():
        problems.append(f"{where}: empty subject or text")
    if message.channel not in Channel.values:
        problems.append(f"{where}: channel {message.channel!r}")
    if (message.channel == Channel.MAILBOX) != (message.mailbox_id is not None):
        problems.append(f"{where}: mailbox {message.mailbox_id} on channel {message.channel}")
    if message.channel == Channel.COMPLAINT and not message.subject_of_complaint.strip():
        problems.append(f"{where}: complaint without its subject")
    if message.publish_allowed and message.channel != Channel.CONSULTATION:
        problems.append(f"{where}: 'may be published' on a {message.channel}")
    return problems


def _answer_problems(answer: SurveyAnswer) -> list[str]:
    question = answer.question
    where = f"answer {answer.pk} to question {question.pk}"
    if question.survey_id != answer.response.survey_id:
        return [f"{where}: question of another survey"]
    if question.kind == QuestionKind.RATING and not (answer.rating and 1 <= answer.rating <= 5):
        return [f"{where}: rating {answer.rating!r}"]
    if question.kind == QuestionKind.CHOICE and answer.choice not in question.choice_list:
        return [f"{where}: choice {answer.choice!r}"]
    if question.kind == QuestionKind.TEXT and not answer.text.strip():
        return [f"{where}: empty text"]
    return []


def _stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {Path(folder, name).relative_to(root).as_posix() for folder, _dirs, names in os.walk(root) for name in names}


def _file_problems() -> list[str]:
    problems = []
    rows = [*ApplicationFile.objects.all(), *Attachment.objects.all()]
    known = set()
    for row in rows:
        name = row.file.name
        known.add(name)
        if not name or not default_storage.exists(name):
            problems.append(f"{type(row).__name__} {row.pk}: file {name!r} missing")
        elif default_storage.size(name) != row.size:
            problems.append(f"{type(row).__name__} {row.pk}: {default_storage.size(name)} bytes, {row.size} recorded")
    for name in sorted(_stored_files() - known):
        if name.startswith(("applications/", "attachments/")):
            problems.append(f"orphan file {name}")
    return problems


NUMBER = re.compile(r"^([A-Z]+)(\d{4})(\d{6})$")


def _sequence_problems() -> list[str]:
    used: Counter = Counter()
    numbers = [
        *DisclosureApplication.objects.values_list("tracking_number", flat=True),
        *FeedbackMessage.objects.values_list("tracking_number", flat=True),
    ]
    for number in numbers:
        match = NUMBER.match(number)
        if match:
            used[f"tracking:{match[1]}:{match[2]}"] += 1
    problems = []
    for sequence in Sequence.objects.filter(name__startswith="tracking:"):
        if sequence.value != used[sequence.name]:
            problems.append(f"sequence {sequence.name} at {sequence.value} for {used[sequence.name]} stored rows")
    return problems


def half_records() -> list[str]:
    problems = []
    for application in DisclosureApplication.objects.prefetch_related("events"):
        problems += _application_problems(application)
    for message in FeedbackMessage.objects.prefetch_related("events"):
        problems += _message_problems(message)
    for response in SurveyResponse.objects.filter(answers__isnull=True):
        problems.append(f"survey response {response.pk} without answers")
    for answer in SurveyAnswer.objects.select_related("question", "response"):
        problems += _answer_problems(answer)
    problems += _file_problems()
    problems += _sequence_problems()
    return problems


def assert_whole(context: str = "") -> None:
    problems = half_records()
    assert not problems, f"half-records {context}: {problems}"
