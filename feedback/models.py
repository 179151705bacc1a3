"""Public feedback channels: consultations and the message board (在线咨询/网上留言), supervision complaints
(监督投诉/举报), leaders' mailboxes (书记信箱/校长信箱), and evaluation surveys (评议).

The three message channels share one table (``FeedbackMessage``) with a ``channel``; each channel has its own
proxy model so that the admin shows one inbox per channel and permissions are given per channel. Due dates
are never stored: ``feedback_services.message_due`` derives them from the submission date and the calendar.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.http import can_see_campus_only
from disclosures.models import Audience


class Channel(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation and message board")
    COMPLAINT = "complaint", _("Supervision complaint")
    MAILBOX = "mailbox", _("Leader's mailbox")


class MessageState(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")

    @classmethod
    def open_states(cls) -> list[str]:
        return [cls.NEW, cls.IN_PROGRESS]


class ComplaintResult(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated, corrected")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (outside the disclosure work)")


class Mailbox(models.Model):
    """A leader's mailbox (书记信箱, 校长信箱, …): staff add, rename or close boxes in the admin."""

    slug = models.SlugField(_("address"), max_length=40, unique=True, help_text=_("Used in the page address."))
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="mailboxes",
        verbose_name=_("readers"),
        help_text=_("The staff who read and answer this box's messages."),
    )
    active = models.BooleanField(_("open for messages"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "requests_app_mailbox"
        ordering = ["order", "id"]
        verbose_name = _("leader's mailbox")
        verbose_name_plural = _("leaders' mailboxes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("feedback:mailbox-form", kwargs={"slug": self.slug})


class FeedbackMessageQuerySet(models.QuerySet):
    def channel(self, channel: str) -> FeedbackMessageQuerySet:
        return self.filter(channel=channel)

    def open(self) -> FeedbackMessageQuerySet:
        return self.filter(state__in=MessageState.open_states())

    def on_board(self) -> FeedbackMessageQuerySet:
        """What the public message board shows: answered consultations the asker allowed to publish."""
        return self.filter(
            channel=Channel.CONSULTATION,
            publish_allowed=True,
            published_at__isnull=False,
            state__in=[MessageState.ANSWERED, MessageState.CLOSED],
        ).exclude(reply="")

    def search(self, text: str) -> FeedbackMessageQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(subject__icontains=text) | Q(text__icontains=text) | Q(reply__icontains=text))


class FeedbackMessage(models.Model):
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, editable=False)
    mailbox = models.ForeignKey(
        Mailbox, models.PROTECT, null=True, blank=True, related_name="messages", verbose_name=_("mailbox")
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    access_code_hash = models.CharField(_("access code (hashed)"), max_length=200, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=MessageState.choices, default=MessageState.NEW, editable=False
    )
    # What the sender wrote.
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("message"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    publish_allowed = models.BooleanField(_("may be published"), default=False)
    name_published = models.BooleanField(_("name may be shown on the board"), default=False)
    subject_of_complaint = models.CharField(_("department or item complained about"), max_length=200, blank=True)
    # Handling (set by the services).
    department = models.ForeignKey(
        "disclosures.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_messages",
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_feedback",
        verbose_name=_("assigned to"),
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on the board at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ComplaintResult.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    contact_purged_at = models.DateTimeField(_("contact details purged at"), null=True, blank=True)

    objects = FeedbackMessageQuerySet.as_manager()

    class Meta:
        db_table = "requests_app_feedbackmessage"
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("feedback message")
        verbose_name_plural = _("feedback messages")
        indexes = [
            models.Index(fields=["channel", "state", "submitted_at"], name="feedback_channel_state"),
            models.Index(fields=["channel", "published_at"], name="feedback_board"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state in MessageState.open_states()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ConsultationManager(models.Manager.from_queryset(FeedbackMessageQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(channel=Channel.CONSULTATION)


class ComplaintManager(models.Manager.from_queryset(FeedbackMessageQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(channel=Channel.COMPLAINT)


class MailboxMessageManager(models.Manager.from_queryset(FeedbackMessageQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(channel=Channel.MAILBOX)


class Consultation(FeedbackMessage):
    objects = ConsultationManager()

    class Meta:
        proxy = True
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations and messages")
        permissions = [("handle_consultation", _("Can answer consultations and publish them on the board"))]


class Complaint(FeedbackMessage):
    objects = ComplaintManager()

    class Meta:
        proxy = True
        verbose_name = _("supervision complaint")
        verbose_name_plural = _("supervision complaints")
        permissions = [("handle_complaint", _("Can handle supervision complaints"))]


class MailboxMessage(FeedbackMessage):
    objects = MailboxMessageManager()

    class Meta:
        proxy = True
        verbose_name = _("mailbox message")
        verbose_name_plural = _("mailbox messages")
        permissions = [("handle_mailbox", _("Can read the messages of the mailboxes one is a reader of"))]


CHANNEL_MODELS = {
    Channel.CONSULTATION: Consultation,
    Channel.COMPLAINT: Complaint,
    Channel.MAILBOX: MailboxMessage,
}


class FeedbackEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    NOTE = "note", _("Internal note")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Published on the board")
    UNPUBLISHED = "unpublished", _("Removed from the board")
    CLOSED = "closed", _("Closed")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("Contact details viewed")
    CONTACT_PURGED = "contact_purged", _("Contact details purged")


class FeedbackEvent(models.Model):
    message = models.ForeignKey(FeedbackMessage, models.CASCADE, related_name="events", verbose_name=_("message"))
    kind = models.CharField(_("kind"), max_length=30, choices=FeedbackEventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        db_table = "requests_app_feedbackevent"
        ordering = ["at", "id"]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self) -> str:
        return f"{self.message_id} {self.kind} {self.at:%Y-%m-%d}"


# Evaluation surveys (评议) -----------------------------------------------------------------------------------


class SurveyQuerySet(models.QuerySet):
    def open_on(self, day) -> SurveyQuerySet:
        return self.filter(active=True, starts_on__lte=day, ends_on__gte=day)

    def visible_to(self, request) -> SurveyQuerySet:
        if can_see_campus_only(request):
            return self
        return self.filter(audience=Audience.PUBLIC)


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    starts_on = models.DateField(_("open from"))
    ends_on = models.DateField(_("open until"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    active = models.BooleanField(_("active"), default=True)
    results_published = models.BooleanField(
        _("results published"), default=False, help_text=_("Show the counts and charts on a public page.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        db_table = "requests_app_survey"
        ordering = ["-starts_on", "-id"]
        verbose_name = _("evaluation survey")
        verbose_name_plural = _("evaluation surveys")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feedback:survey-form", kwargs={"pk": self.pk})

    def is_open_on(self, day) -> bool:
        return self.active and self.starts_on <= day <= self.ends_on

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The survey must end on or after the day it opens.")})


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING)
    text = models.CharField(_("question"), max_length=300)
    choices = models.TextField(_("choices"), blank=True, help_text=_("For a single choice: one choice per line."))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        db_table = "requests_app_surveyquestion"
        ordering = ["order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("A single-choice question needs at least two choices, one per line.")})
        if self.kind != QuestionKind.CHOICE and self.choice_list:
            raise ValidationError({"choices": _("Only single-choice questions have choices.")})
        if any(len(choice) > 200 for choice in self.choice_list):
            raise ValidationError({"choices": _("A choice is at most 200 characters long.")})
        if len(self.choice_list) != len(set(self.choice_list)):
            raise ValidationError({"choices": _("Each choice must be different.")})

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses", verbose_name=_("survey"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        db_table = "requests_app_surveyresponse"
        ordering = ["submitted_at", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey_id} #{self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(SurveyQuestion, models.CASCADE, related_name="answers", verbose_name=_("question"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        db_table = "requests_app_surveyanswer"
        ordering = ["question__order", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
