"""Applications for disclosure (依申请公开): what the applicant filed, what happened since (events), files.

The deadline is never stored: ``requests_app.deadlines`` derives it from the events and the calendar.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen (natural person)")
    ORGANISATION = "organisation", _("Legal person or other organisation")


class OrganisationType(models.TextChoices):
    """The five 法人或其他组织 columns of the State Council's annual-report table (国办公开办函〔2021〕30号)."""

    COMMERCIAL = "commercial", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    PUBLIC_INTEREST = "public_interest", _("Public-interest organisation")
    LEGAL_SERVICES = "legal_services", _("Legal services institution")
    OTHER = "other", _("Other organisation")


class IdType(models.TextChoices):
    MAINLAND_ID = "mainland_id", _("Mainland resident ID card")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other identity document")


class InfoForm(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")


class Delivery(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    POST = "post", _("By post")
    COLLECT = "collect", _("Collect in person")


class Channel(models.TextChoices):
    """How the application reached the college (条例 art. 31 fixes the day of receipt for each)."""

    ONLINE = "online", _("Online form")
    IN_PERSON = "in_person", _("Handed in at the office")
    REGISTERED_POST = "registered_post", _("Registered post (signed for)")
    ORDINARY_POST = "ordinary_post", _("Ordinary letter")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")


class ReceiptRule(models.TextChoices):
    """Which day is the day of receipt (settings.APPLICATION_RECEIPT_RULES maps each channel to one)."""

    HANDED_IN = "handed_in", _("The day it was handed in")
    SIGNED_FOR = "signed_for", _("The day the college signed for it")
    CONFIRMED = "confirmed", _("The day receipt was confirmed to the applicant")


class ThirdPartyDecision(models.TextChoices):
    """What a consulted third party answered (条例 art. 32)."""

    AGREES = "agrees", _("Agrees to disclosure")
    OBJECTS = "objects", _("Objects, with reasons")
    NO_ANSWER = "no_answer", _("No answer within the period")


class ApplicationState(models.TextChoices):
    # Set by the system and by the services only; nobody edits a state by hand.
    SUBMITTED = "submitted", _("Received, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, being handled")
    CLARIFICATION = "clarification", _("Clarification requested (clock stopped)")
    CONSULTING = "consulting", _("Third party being consulted (clock paused)")
    AWAITING_PAYMENT = "awaiting_payment", _("Fee notified, awaiting payment (clock paused)")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def open_states(cls) -> list[str]:
        return [cls.SUBMITTED, cls.ACCEPTED, cls.CLARIFICATION, cls.CONSULTING, cls.AWAITING_PAYMENT]

    @classmethod
    def clock_running_states(cls) -> list[str]:
        """Open, and the reply's time limit runs (the services set the state with the event that stops,
        pauses or restarts the clock, so the state says what ``deadlines.compute_deadline`` finds)."""
        return [cls.SUBMITTED, cls.ACCEPTED]

    @classmethod
    def clock_stopped_states(cls) -> list[str]:
        """Open, and the clock stopped for a clarification or paused for a third party's consultation."""
        return [cls.CLARIFICATION, cls.CONSULTING, cls.AWAITING_PAYMENT]


class ReplyKind(models.TextChoices):
    """The kinds of reply listed by the Measures (高等学校信息公开办法; its article number was not checked against a
    stored text, so none is cited)."""

    DISCLOSED = "disclosed", _("Disclosed (and how to obtain it)")
    PARTLY = "partly", _("Partly disclosed (the rest refused, with reasons)")
    REFUSED = "refused", _("Refused, with the reason")
    NOT_HELD = "not_held", _("Not held by the college or does not exist")
    UNCLEAR = "unclear", _("Still unclear after clarification")
    REPEATED = "repeated", _("Repeated application for information already answered")
    OTHER = "other", _("Other")


class ReplyOutcome(models.TextChoices):
    """Each kind of answer as the State Council's table counts it (国办公开办函〔2021〕30号, table 三); OUTCOMES
    gives its row, the Order 29 kind it corresponds to and the legal ground a notice cites."""

    DISCLOSED = "disclosed", _("Disclosed")
    ALREADY_PUBLISHED = "already_published", _("Already published: here is where (counts as disclosed)")
    PARTLY = "partly", _("Partly disclosed")
    REFUSED_STATE_SECRET = "refused_state_secret", _("Refused: state secret")
    REFUSED_OTHER_LAW = "refused_other_law", _("Refused: other laws or administrative regulations forbid it")
    REFUSED_THREE_SAFETIES = "refused_three_safeties", _("Refused: endangers the three safeties and stability")
    REFUSED_THIRD_PARTY = "refused_third_party", _("Refused: protects a third party's lawful rights")
    REFUSED_INTERNAL = "refused_internal", _("Refused: internal affairs information")
    REFUSED_PROCESS = "refused_process", _("Refused: process information")
    REFUSED_ENFORCEMENT = "refused_enforcement", _("Refused: enforcement case file")
    REFUSED_ENQUIRY = "refused_enquiry", _("Refused: an administrative enquiry matter")
    NOT_HELD = "not_held", _("Cannot provide: the college does not hold it")
    MUST_CREATE = "must_create", _("Cannot provide: it would have to be produced")
    STILL_UNCLEAR = "still_unclear", _("Cannot provide: still unclear after clarification")
    PETITION = "petition", _("Not processed: a petition, report or complaint")
    REPEATED = "repeated", _("Not processed: a repeated application")
    PUBLICATION = "publication", _("Not processed: asks for a public publication")
    MASS = "mass", _("Not processed: many repeated applications without good reason")
    CONFIRM = "confirm", _("Not processed: asks to confirm or re-issue information already obtained")
    OTHER = "other", _("Other handling")


class RefusalReason(models.TextChoices):
    STATE_SECRET = "state_secret", _("State secret")
    TRADE_SECRET = "trade_secret", _("Trade secret")
    PRIVACY = "privacy", _("Personal privacy")
    OTHER_LAW = "other_law", _("Other legal ground")


# Kinds whose reply must state a reason.
REASON_REQUIRED = {ReplyKind.PARTLY, ReplyKind.REFUSED}


class WithdrawalCause(models.TextChoices):
    APPLICANT = "applicant", _("At the applicant's request")
    NO_CLARIFICATION = "no_clarification", _("No clarification within the period")
    UNPAID = "unpaid", _("The fee was not paid within the period")


class DisclosureApplicationQuerySet(models.QuerySet):
    def open(self) -> DisclosureApplicationQuerySet:
        return self.filter(state__in=ApplicationState.open_states())

    def clock_running(self) -> DisclosureApplicationQuerySet:
        return self.filter(state__in=ApplicationState.clock_running_states())

    def clock_stopped(self) -> DisclosureApplicationQuerySet:
        return self.filter(state__in=ApplicationState.clock_stopped_states())

    def with_relations(self) -> DisclosureApplicationQuerySet:
        return self.select_related("department", "handler").prefetch_related("events")


class DisclosureApplication(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    access_code_hash = models.CharField(_("access code (hashed)"), max_length=200, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED, editable=False
    )
    # The applicant.
    applicant_type = models.CharField(_("applicant type"), max_length=20, choices=ApplicantType.choices)
    name = models.CharField(_("name"), max_length=200)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    # What is asked for.
    description = models.TextField(_("information sought"))
    # Information about the applicant themselves (成绩, 档案, 学籍, 奖惩): an identity proof is required and checked
    # by staff before the reply, which goes only to that person (Order 29; 条例 art. 29(1) asks every applicant
    # for an identity proof).
    own_records = models.BooleanField(_("about my own records"), default=False)
    purpose = models.TextField(_("purpose"), blank=True)
    info_form = models.CharField(_("form wanted"), max_length=20, choices=InfoForm.choices, default=InfoForm.ELECTRONIC)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.EMAIL)
    fee_waiver_requested = models.BooleanField(_("fee waiver requested"), default=False)
    fee_waiver_reason = models.TextField(_("reason for the fee waiver"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), editable=False)
    # How it arrived (条例 art. 31): online filings are confirmed at once; staff register the others with the day
    # the channel's rule names (handed in, signed for, confirmed to the applicant).
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    receipt_basis_on = models.DateField(
        _("day handed in, signed for or confirmed"),
        null=True,
        blank=True,
        help_text=_("Empty for an online filing: the day it was filed."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_applications",
        verbose_name=_("registered by"),
    )
    # Handling (set by the services).
    department = models.ForeignKey(
        "disclosures.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("department"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_applications",
        verbose_name=_("handler"),
    )
    reply_kind = models.CharField(_("kind of reply"), max_length=20, choices=ReplyKind.choices, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=20, choices=RefusalReason.choices, blank=True)
    reply_reason_text = models.TextField(_("reason given"), blank=True)
    reply_holder = models.CharField(_("holder of the information"), max_length=200, blank=True)
    reply_outcome = models.CharField(_("outcome"), max_length=30, choices=ReplyOutcome.choices, blank=True)
    reply_holder_contact = models.CharField(_("holder's contact"), max_length=200, blank=True)
    reply_published_url = models.URLField(_("where it is published"), max_length=500, blank=True)
    reply_letter = models.TextField(_("reply letter"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    fee_charged = models.DecimalField(_("fee charged (yuan)"), max_digits=10, decimal_places=2, default=0)
    fee_waived = models.DecimalField(_("fee waived (yuan)"), max_digits=10, decimal_places=2, default=0)
    withdrawal_cause = models.CharField(
        _("withdrawal cause"), max_length=20, choices=WithdrawalCause.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # 依申请转主动公开: the proactive item drafted from the reply (条例 art. 44: information applied for by many that
    # is of general interest becomes proactive).
    proactive_disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_applications",
        verbose_name=_("turned into a proactive item"),
    )
    personal_data_purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)

    objects = DisclosureApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application for disclosure")
        verbose_name_plural = _("applications for disclosure")
        permissions = [
            ("handle_application", _("Can handle applications and see applicants' personal data")),
            # 条例 art. 33: an extension needs the consent of the head of the disclosure office.
            ("approve_extension", _("Can approve an extension of the time limit (office head)")),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="application_state_sub")]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.state in ApplicationState.open_states()


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Application received")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
    CLARIFICATION_RECEIVED = "clarification_received", _("Clarification received")
    EXTENDED = "extended", _("Time limit extended")
    CONSULTATION_STARTED = "consultation_started", _("Third party consulted")
    CONSULTATION_ENDED = "consultation_ended", _("Third party answered")
    REPLIED = "replied", _("Replied")
    FEE_RECORDED = "fee_recorded", _("Fees recorded")
    FEE_NOTIFIED = "fee_notified", _("Fee notice sent")
    FEE_PAID = "fee_paid", _("Fee paid")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOTE = "note", _("Note")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("Personal data viewed")
    FILE_DOWNLOADED = "file_downloaded", _("Applicant's file downloaded by staff")
    PERSONAL_DATA_PURGED = "personal_data_purged", _("Personal data purged")
    IDENTITY_VERIFIED = "identity_verified", _("Identity proof checked")
    TO_PROACTIVE = "to_proactive", _("Turned into a proactive item")


# Events that change the deadline: the pure functions in deadlines.py read these.
CLOCK_EVENTS = {
    EventKind.CLARIFICATION_REQUESTED,
    EventKind.CLARIFICATION_RECEIVED,
    EventKind.EXTENDED,
    EventKind.CONSULTATION_STARTED,
    EventKind.CONSULTATION_ENDED,
    EventKind.FEE_NOTIFIED,
    EventKind.FEE_PAID,
}


class ApplicationEvent(models.Model):
    application = models.ForeignKey(
        DisclosureApplication, models.CASCADE, related_name="events", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    public = models.BooleanField(_("shown to the applicant"), default=False)
    message = models.TextField(_("message"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (office head)"),
    )
    # A clarification request: the day the answer is due; a consultation: the day the third party's period ends.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    decision = models.CharField(
        _("third party's decision"), max_length=20, choices=ThirdPartyDecision.choices, blank=True
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def on(self):
        return timezone.localdate(self.at)


class FileRole(models.TextChoices):
    ID_PROOF = "id_proof", _("Applicant's attachment (ID proof and the like)")
    CLARIFICATION = "clarification", _("Clarification attachment")
    PAPER_SCAN = "paper_scan", _("Scanned paper form or envelope")
    RELEASED = "released", _("Released file")


# Files that may contain the applicant's personal data: staff with the handling permission only.
PRIVATE_ROLES = {FileRole.ID_PROOF, FileRole.CLARIFICATION, FileRole.PAPER_SCAN}


def application_file_upload_to(instance: ApplicationFile, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return f"applications/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(
        DisclosureApplication, models.CASCADE, related_name="files", verbose_name=_("application")
    )
    event = models.ForeignKey(
        ApplicationEvent, models.SET_NULL, null=True, blank=True, related_name="files", verbose_name=_("event")
    )
    role = models.CharField(_("role"), max_length=20, choices=FileRole.choices)
    file = models.FileField(_("file"), upload_to=application_file_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("application file")
        verbose_name_plural = _("application files")

    def __str__(self) -> str:
        return self.original_name


class ReplyTemplate(models.Model):
    """The editable text of a reply letter for one kind of reply; placeholders like ${tracking_number}."""

    kind = models.CharField(_("kind of reply"), max_length=20, choices=ReplyKind.choices, unique=True)
    body = models.TextField(
        _("letter"),
        help_text=_(
            "Placeholders: ${applicant}, ${tracking_number}, ${received_on}, ${description}, ${reason}, "
            "${holder}, ${reply_date}, ${college}."
        ),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reply letter template")
        verbose_name_plural = _("reply letter templates")

    def __str__(self) -> str:
        return self.get_kind_display()


class ApplicationGuide(models.Model):
    """The public guide to applying (one row, edited by staff)."""

    how_to_apply = models.TextField(_("how to apply"))
    what_happens = models.TextField(_("what happens next"))
    time_limits = models.TextField(_("time limits"))
    fees = models.TextField(_("fees"))
    office_address = models.CharField(_("office address"), max_length=300)
    office_hours = models.CharField(_("office hours"), max_length=200)
    phone = models.CharField(_("phone"), max_length=60)
    email = models.EmailField(_("e-mail"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application guide")
        verbose_name_plural = _("application guide")

    def __str__(self) -> str:
        return str(_("Application guide"))

    @classmethod
    def current(cls) -> ApplicationGuide | None:
        return cls.objects.order_by("pk").first()


class RemedyKind(models.TextChoices):
    """The remedies a notice names (Order 29 (举报; article number not checked); 条例 art. 51, 55 para. 2)."""

    OFFICE = "office", _("The college's disclosure office (questions about this notice)")
    SUPERVISION = "supervision", _("The college's discipline inspection and supervision office (申诉、举报)")
    EDUCATION_DEPARTMENT = "education_department", _("The provincial education department (举报)")
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration (行政复议)")
    LITIGATION = "litigation", _("Administrative litigation (行政诉讼)")


# Text left in a seeded remedy body until the college fills it in: flagged to staff, never sent as if real.
REMEDY_PLACEHOLDER = "【待填写】"


class RemedyBody(models.Model):
    """A body an applicant can turn to, with how to reach it; set in the admin, one per kind."""

    kind = models.CharField(_("remedy"), max_length=30, choices=RemedyKind.choices, unique=True)
    name = models.CharField(_("body"), max_length=200)
    contact = models.CharField(_("address, phone, e-mail"), max_length=300)
    time_limit = models.CharField(
        _("time limit"),
        max_length=200,
        blank=True,
        help_text=_("For reconsideration and litigation: e.g. within 60 days of knowing of the act."),
    )
    enabled = models.BooleanField(_("named in notices"), default=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("remedy body")
        verbose_name_plural = _("remedy bodies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_placeholder(self) -> bool:
        return REMEDY_PLACEHOLDER in f"{self.name}{self.contact}{self.time_limit}"


class ReviewKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration (行政复议)")
    LAWSUIT_DIRECT = "lawsuit_direct", _("Lawsuit without prior reconsideration (未经复议直接起诉)")
    LAWSUIT_AFTER = "lawsuit_after", _("Lawsuit after reconsideration (复议后起诉)")


class ReviewResult(models.TextChoices):
    """The result columns of the State Council table (国办公开办函〔2021〕30号, table 四)."""

    MAINTAINED = "maintained", _("Upheld (结果维持)")
    CORRECTED = "corrected", _("Corrected (结果纠正)")
    OTHER = "other", _("Other result (其他结果)")
    PENDING = "pending", _("Not yet concluded (尚未审结)")


class ReviewCase(models.Model):
    """An administrative reconsideration or lawsuit about the college's disclosure work (条例 art. 51)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    filed_on = models.DateField(_("filed on"))
    case = models.CharField(_("applicant or case number"), max_length=200)
    application = models.ForeignKey(
        DisclosureApplication,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("application concerned"),
    )
    body = models.CharField(_("reviewing body or court"), max_length=200)
    result = models.CharField(_("result"), max_length=20, choices=ReviewResult.choices, default=ReviewResult.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("reconsideration or lawsuit")
        verbose_name_plural = _("reconsiderations and lawsuits")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"


class NoticeKind(models.TextChoices):
    """The formal notices the office sends (each a DOCX to edit and a PDF to send)."""

    RECEIPT = "receipt", _("Acknowledgement of receipt (受理回执)")
    CLARIFICATION = "clarification", _("Request for clarification (补正通知书)")
    EXTENSION = "extension", _("Notice of extension (延期答复告知书)")
    CONSULTATION = "consultation", _("Letter consulting a third party (第三方意见征询函)")
    FEE = "fee", _("Fee notice (收费通知)")
    REPLY = "reply", _("Reply (答复书)")


class NoticeTemplate(models.Model):
    """The editable text of one kind of notice: placeholders like ${tracking_number}, nothing that runs."""

    kind = models.CharField(_("kind of notice"), max_length=20, choices=NoticeKind.choices, unique=True)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: ${applicant}, ${tracking_number}, ${received_on}, ${description}, ${due_on}, ${message}, "
            "${days}, ${reason}, ${approver}, ${third_party}, ${amount}, ${basis}, ${outcome}, ${letter}, ${ground}, "
            "${college}. One paragraph per line."
        ),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")

    def __str__(self) -> str:
        return self.get_kind_display()


class Notice(models.Model):
    """A notice as issued: its 文号 from the yearly sequence and its text frozen when it was issued."""

    application = models.ForeignKey(
        DisclosureApplication, models.CASCADE, related_name="notices", verbose_name=_("application")
    )
    kind = models.CharField(_("kind of notice"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("document number"), max_length=60, unique=True)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=100)
    addressee = models.CharField(_("addressee"), max_length=200)
    body = models.TextField(_("text"))
    public = models.BooleanField(_("shown to the applicant"), default=True)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
