"""The disclosure catalogue: departments, the fourteen categories, disclosure items and what is published."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from disclosures.richtext import SanitizedRichTextField


def _localized(obj, field: str) -> str:
    """The English variant of ``field`` when the active language is English and one is filled in."""
    if (translation.get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localized(self, "name")


class Category(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localized(self, "name")

    def get_absolute_url(self) -> str:
        return reverse("disclosures:category-detail", kwargs={"slug": self.slug})


class Cadence(models.TextChoices):
    ON_CHANGE = "on_change", _("On change (updated whenever it changes)")
    ANNUAL = "annual", _("Annual (in a given month)")
    CONTINUOUS = "continuous", _("Continuous (published as it happens)")
    PER_TERM = "per_term", _("Every term")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    CAMPUS = "campus", _("Campus only")


class DisclosureItem(models.Model):
    """A disclosure item (公开事项) of the catalogue: what must be published, by whom and how often."""

    category = models.ForeignKey(Category, models.PROTECT, related_name="items", verbose_name=_("category"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    basis = models.CharField(
        _("basis"), max_length=300, blank=True, help_text=_("The list item or rule it comes from.")
    )
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="items", verbose_name=_("responsible department")
    )
    cadence = models.CharField(_("update cadence"), max_length=20, choices=Cadence.choices, default=Cadence.ON_CHANGE)
    month = models.PositiveSmallIntegerField(
        _("month due"), null=True, blank=True, help_text=_("For annual items: the month by which it is published.")
    )
    default_audience = models.CharField(
        _("default audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category__order", "order", "code"]
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="item_month_1_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def display_title(self) -> str:
        return _localized(self, "title")

    def get_absolute_url(self) -> str:
        return reverse("disclosures:disclosure-item-detail", kwargs={"slug": self.category.slug, "code": self.code})


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Validity(models.TextChoices):
    NOT_APPLICABLE = "", _("Not a rule")
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class DisclosureQuerySet(models.QuerySet):
    def published(self, *, now: datetime.datetime | None = None) -> DisclosureQuerySet:
        """Items the public may see once audience rules are applied: published and due."""
        return self.filter(status=DisclosureStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def visible_to(self, request) -> DisclosureQuerySet:
        """Published items this request may see: campus-only ones only for campus networks and staff."""
        from disclosures.permissions import can_see_campus_only

        qs = self.published()
        if not can_see_campus_only(request):
            qs = qs.filter(audience=Audience.PUBLIC)
        return qs

    def with_relations(self) -> DisclosureQuerySet:
        return self.select_related("category", "item", "department")


class Disclosure(models.Model):
    """One published piece of information (a notice, a rule, a report) with its official metadata."""

    index_number = models.CharField(_("index number"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    category = models.ForeignKey(Category, models.PROTECT, related_name="disclosures", verbose_name=_("category"))
    item = models.ForeignKey(
        DisclosureItem,
        models.PROTECT,
        related_name="disclosures",
        null=True,
        blank=True,
        verbose_name=_("disclosure item"),
    )
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="disclosures", verbose_name=_("publishing department")
    )
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    date_written = models.DateField(_("date written"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = SanitizedRichTextField(_("body"), blank=True)
    validity = models.CharField(_("validity"), max_length=10, choices=Validity.choices, default="", blank=True)
    replaced_by = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    # Only the services set the status and the withdrawal fields.
    status = models.CharField(
        _("status"), max_length=20, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT, editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        indexes = [
            models.Index(fields=["status", "published_at"], name="disclosure_status_pub"),
            # The public list's order (audience public, newest first) straight from one index, deep pages too.
            models.Index(fields=["status", "audience", "published_at", "id"], name="disclosure_public_pub"),
            models.Index(fields=["category", "status", "published_at"], name="disclosure_cat_pub"),
            models.Index(fields=["item", "status", "published_at"], name="disclosure_item_pub"),
            models.Index(fields=["department", "status", "published_at"], name="disclosure_dept_pub"),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("disclosures:disclosure-detail", kwargs={"index_number": self.index_number})

    @property
    def is_public(self) -> bool:
        return (
            self.status == DisclosureStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def academic_year(self) -> int | None:
        """The academic year (starting 1 September) of publication, as its first calendar year."""
        if self.published_at is None:
            return None
        return academic_year_of(timezone.localdate(self.published_at))

    @property
    def academic_year_label(self) -> str:
        year = self.academic_year
        return academic_year_label(year) if year is not None else ""

    @property
    def publication_due(self) -> datetime.date:
        from disclosures.workdays import add_working_days

        return add_working_days(self.date_written, settings.PUBLICATION_LIMIT_WORKING_DAYS).date

    @property
    def is_late(self) -> bool:
        """Published after the working-day limit counted from the date written."""
        if self.published_at is None:
            return False
        return timezone.localdate(self.published_at) > self.publication_due


def academic_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def academic_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the academic year that starts on 1 September of ``year``."""
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return f"attachments/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    disclosure = models.ForeignKey(Disclosure, models.CASCADE, related_name="attachments", verbose_name=_("disclosure"))
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.original_name

    @property
    def kind_label(self) -> str:
        from disclosures.uploads import kind_label

        return kind_label(self.content_type)

    def get_absolute_url(self) -> str:
        return reverse(
            "disclosures:attachment-download",
            kwargs={"index_number": self.disclosure.index_number, "pk": self.pk},
        )


class Sequence(models.Model):
    """A named counter for generated numbers (索引号, tracking numbers): unique under concurrency."""

    name = models.CharField(max_length=60, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (official schedule)")
    MAKEUP = "makeup", _("Make-up working day (official schedule)")
    CLOSURE = "closure", _("College closure")
    OTHER = "other", _("Other correction")


class CalendarDay(models.Model):
    """A day whose working status differs from, or completes, the official calendar data."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices, default=CalendarDayKind.HOLIDAY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}"


from disclosures.search_models import AttachmentText, SearchDocument  # noqa: E402,F401 - the search index's tables
