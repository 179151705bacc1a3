"""The disclosure catalogue: departments, the fourteen categories, disclosure items and what is published."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.chinese import cn_number
from core.http import can_see_campus_only
from core.richtext import SanitizedRichTextField
from core.uploads import kind_label
from disclosures.alerts.models import Subscription  # noqa: F401 - the e-mail alerts\' table, registered here
from disclosures.search_models import (  # noqa: F401 - the search index's tables, registered here
    AttachmentText,
    SearchDocument,
    SearchSynonym,
    SearchWord,
)


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
    head_approval_required = models.BooleanField(
        _("department head approves first"),
        default=False,
        help_text=_("Items of this department need the department head's approval before the office reviews them."),
    )

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


def _is_chinese() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")


class ListClass(models.Model):
    """A class (大类) of the Ministry of Education's 2014 list of disclosure items (《高等学校信息公开事项清单》,
    教办函〔2014〕23号): ten classes, seeded by a data migration."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("class of the 2014 list")
        verbose_name_plural = _("classes of the 2014 list")

    def __str__(self) -> str:
        return f"{cn_number(self.number)}、{self.name}"

    @property
    def display_name(self) -> str:
        return _localized(self, "name")


class ListItem(models.Model):
    """One of the 50 items of the 2014 list. Every item is implemented by catalogue items (DisclosureItem.list_items)
    or marked not applicable (不适用) with the reason; staff change that (a university with graduate schools turns
    the 研究生 and 学位 items on)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    list_class = models.ForeignKey(ListClass, models.PROTECT, related_name="items", verbose_name=_("class"))
    text = models.CharField(_("text"), max_length=300)
    text_en = models.CharField(_("English text"), max_length=300, blank=True)
    order29_clause = models.PositiveSmallIntegerField(
        _("clause of Article 7 of Order 29"),
        null=True,
        blank=True,
        help_text=_("The clause of Article 7 of the Measures (MoE Order No. 29) this item of the list carries out."),
    )
    applicable = models.BooleanField(_("applicable"), default=True)
    reason = models.CharField(
        _("reason it does not apply"),
        max_length=300,
        blank=True,
        help_text=_("Required when the item does not apply to the college (shown to the public)."),
    )
    reason_en = models.CharField(_("English reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("item of the 2014 list")
        verbose_name_plural = _("items of the 2014 list")
        constraints = [
            models.CheckConstraint(
                condition=Q(applicable=True) | ~Q(reason=""), name="list_item_reason_if_not_applicable"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    def clean(self):
        if not self.applicable and not self.reason.strip():
            raise ValidationError({"reason": _("Say why this item of the list does not apply to the college.")})

    @property
    def display_text(self) -> str:
        return _localized(self, "text")

    @property
    def display_reason(self) -> str:
        return _localized(self, "reason")

    @property
    def citation(self) -> str:
        return list_citation([self.number])


def list_citation(numbers: list[int]) -> str:
    """《高等学校信息公开事项清单》第7项 / 第32、33项 (in English: "…, items 32 and 33")."""
    numbers = sorted(numbers)
    joined = "、".join(map(str, numbers)) if _is_chinese() else ", ".join(map(str, numbers))
    return ngettext(
        "List of Disclosure Items of Higher Education Institutions (MoE, 2014), item %(numbers)s",
        "List of Disclosure Items of Higher Education Institutions (MoE, 2014), items %(numbers)s",
        len(numbers),
    ) % {"numbers": joined}


def order29_citation(clause: int) -> str:
    """《高等学校信息公开办法》第七条第（五）项 (in English: "…, Article 7(5)")."""
    return gettext(
        "Measures for Information Disclosure of Higher Education Institutions (MoE Order No. 29), Article 7(%(clause)s)"
    ) % {"clause": cn_number(clause) if _is_chinese() else clause}


class Cadence(models.TextChoices):
    ON_CHANGE = "on_change", _("On change (updated whenever it changes)")
    ANNUAL = "annual", _("Annual (in a given month)")
    CONTINUOUS = "continuous", _("Continuous (published as it happens)")
    PER_TERM = "per_term", _("Every term")


# What the public pages say of each cadence (the choices' labels above are for staff).
CADENCE_LABELS = {
    Cadence.ON_CHANGE: _("When it changes"),
    Cadence.ANNUAL: _("Every year"),
    Cadence.CONTINUOUS: _("As it happens"),
    Cadence.PER_TERM: _("Every term"),
}


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    CAMPUS = "campus", _("Campus only")


class DisclosureItem(models.Model):
    """A disclosure item (公开事项) of the catalogue: what must be published, by whom and how often."""

    category = models.ForeignKey(Category, models.PROTECT, related_name="items", verbose_name=_("category"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    list_items = models.ManyToManyField(
        ListItem,
        blank=True,
        related_name="catalogue_items",
        verbose_name=_("items of the 2014 list"),
        help_text=_("The items of the Ministry of Education's 2014 list this catalogue item implements."),
    )
    order29_clause = models.PositiveSmallIntegerField(
        _("clause of Article 7 of Order 29"),
        null=True,
        blank=True,
        help_text=_("The clause (1-12) of Article 7 of the Measures (MoE Order No. 29) that requires this item."),
    )
    basis = models.CharField(
        _("other basis"),
        max_length=300,
        blank=True,
        help_text=_("Any other rule it follows, as a citation shown to the public (for example 《…》第十条)."),
    )
    basis_en = models.CharField(_("other basis in English"), max_length=300, blank=True)
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
            models.CheckConstraint(
                condition=Q(order29_clause__isnull=True) | Q(order29_clause__gte=1, order29_clause__lte=12),
                name="item_order29_clause_1_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def list_numbers(self) -> list[int]:
        """The numbers of the 2014 list's items it implements (prefetch ``list_items`` for lists)."""
        return sorted(item.number for item in self.list_items.all())

    @property
    def citations(self) -> list[str]:
        """The legal basis as the public reads it: the 2014 list's items, Order 29's clause, any other rule."""
        result = []
        if numbers := self.list_numbers:
            result.append(list_citation(numbers))
        if self.order29_clause:
            result.append(order29_citation(self.order29_clause))
        if other := _localized(self, "basis"):
            result.append(other)
        return result

    @property
    def cadence_label(self) -> str:
        """每年10月前 / "Every year, by October"; 变动即更 / "Whenever it changes"; …"""
        if self.cadence == Cadence.ANNUAL and self.month:
            return gettext("Every year, by %(month)s") % {
                "month": f"{self.month}月" if _is_chinese() else MONTHS[self.month]
            }
        return str(CADENCE_LABELS[self.cadence])

    @property
    def display_title(self) -> str:
        return _localized(self, "title")

    @property
    def is_campus_only(self) -> bool:
        """New disclosures of this item are for the campus by default (the catalogue says “campus only”)."""
        return self.default_audience == Audience.CAMPUS

    def get_absolute_url(self) -> str:
        return reverse("disclosures:disclosure-item-detail", kwargs={"slug": self.category.slug, "code": self.code})


class DisclosureStatus(models.TextChoices):
    """Where an item stands in the publishing workflow. Only the services in disclosures/services.py set it.

    A person moves an item with an action (submit, return, approve, publish, withdraw); SCHEDULED becomes
    PUBLISHED by the ``publish_due`` command when its time comes.
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved, not yet published")
    SCHEDULED = "scheduled", _("Scheduled for publication")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the department may still change the content itself (not through a revision).
EDITABLE_STATUSES = (DisclosureStatus.DRAFT, DisclosureStatus.RETURNED)


class WithdrawalKind(models.TextChoices):
    OUTDATED = "outdated", _("Out of date or no longer valid")
    ERROR = "error", _("Published in error")
    SUPERSEDED = "superseded", _("Replaced by another item")
    LEGAL = "legal", _("Legal reason (secrets, privacy, court or authority order)")
    OTHER = "other", _("Other reason")


class NoticeKind(models.TextChoices):
    NONE = "", _("Ordinary item")
    CORRECTION = "correction", _("Correction notice (更正)")
    CLARIFICATION = "clarification", _("Clarification (澄清)")


class Validity(models.TextChoices):
    NOT_APPLICABLE = "", _("Not a rule")
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


# The public lists' indexes: their order, then the two checks the public rule asks for (DisclosureQuerySet.published).
PUBLIC_ORDER = ("status", "audience", "published_at", "id")
PUBLIC_CHECKS = ("security_checked_at", "approved_at")

# The fields of Disclosure that a list row reads (DisclosureQuerySet.for_rows).
ROW_FIELDS = (
    "index_number",
    "title",
    "audience",
    "validity",
    "published_at",
    "department__code",
    "department__name",
    "department__name_en",
)


class DisclosureQuerySet(models.QuerySet):
    def published(self, *, now: datetime.datetime | None = None) -> DisclosureQuerySet:
        """Items the public may see once audience rules are applied: published, due, and with both the
        confidentiality review and the release approval recorded."""
        return self.filter(
            status=DisclosureStatus.PUBLISHED,
            published_at__lte=now or timezone.now(),
            security_checked_at__isnull=False,
            approved_at__isnull=False,
        )

    def for_departments(self, department_ids) -> DisclosureQuerySet:
        """Staff scope: ``department_ids`` is None for every department."""
        if department_ids is None:
            return self
        return self.filter(department_id__in=department_ids)

    def visible_to(self, request) -> DisclosureQuerySet:
        """Published items this request may see: campus-only ones only for campus networks and staff."""
        qs = self.published()
        if not can_see_campus_only(request):
            qs = qs.filter(audience=Audience.PUBLIC)
        return qs

    def with_relations(self) -> DisclosureQuerySet:
        return self.select_related("category", "item", "department")

    def for_rows(self) -> DisclosureQuerySet:
        """Only what a list row shows (templates/includes/disclosure_rows.html): the link, the badges, the
        department and the date. Reading the bodies and the joined catalogue rows too took half a list page's
        time. A field added to the row must be added here (a test renders every list and counts the queries)."""
        return self.select_related("department").only(*ROW_FIELDS)


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
    interprets = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpretations",
        verbose_name=_("interpretation of"),
        help_text=_("Published as the interpretation (政策解读) of this rule or policy document; linked both ways."),
    )
    changed_on = models.DateField(
        _("change took effect"),
        null=True,
        blank=True,
        help_text=_(
            "For an update of an item that changes (变动即更): the day the change took effect; the update is due "
            "within the limit of working days from it."
        ),
    )
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
    notice_kind = models.CharField(
        _("notice kind"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.NONE, blank=True
    )
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects or clarifies"),
        help_text=_("For a correction or clarification: the published item it concerns."),
    )
    # Only the services set the status, the review records and the withdrawal fields.
    status = models.CharField(
        _("status"), max_length=20, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT, editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True, editable=False)
    withdrawal_kind = models.CharField(
        _("withdrawal kind"), max_length=20, choices=WithdrawalKind.choices, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    endorsed_at = models.DateTimeField(_("department approval at"), null=True, blank=True, editable=False)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    security_checked_at = models.DateTimeField(_("confidentiality review at"), null=True, blank=True, editable=False)
    security_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("confidentiality review by"),
    )
    approved_at = models.DateTimeField(_("release approval at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("release approval by"),
    )
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
            # The public list's order (audience public, newest first) straight from one index, deep pages too. The
            # two recorded checks close each index, so that the public rule (DisclosureQuerySet.published) is read
            # from the index alone: a list's count and its page anchors at 100,000 items took 211 and 367 ms reading
            # every row, 12 and 81 ms from the index.
            models.Index(fields=[*PUBLIC_ORDER, *PUBLIC_CHECKS], name="disclosure_public_vis"),
            # Each filter of the lists (category, disclosure item, department) with the list's order after it, so
            # that a filtered page is read from one index at any depth (the keyset pages cut on published_at, id).
            models.Index(fields=["category", *PUBLIC_ORDER, *PUBLIC_CHECKS], name="disclosure_cat_vis"),
            models.Index(fields=["item", *PUBLIC_ORDER, *PUBLIC_CHECKS], name="disclosure_item_vis"),
            models.Index(fields=["department", *PUBLIC_ORDER, *PUBLIC_CHECKS], name="disclosure_dept_vis"),
        ]
        permissions = [
            ("submit_disclosure", _("Can submit items of their departments for review")),
            ("endorse_disclosure", _("Can give the department's approval to its items")),
            ("review_disclosure", _("Can review and approve items of any department")),
            ("publish_disclosure", _("Can publish approved items")),
            ("withdraw_disclosure", _("Can withdraw published items")),
            ("manage_all_departments", _("Can edit items of every department")),
            ("view_compliance", _("Can view the compliance dashboard and self-inspection reports")),
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
            and self.security_checked_at is not None
            and self.approved_at is not None
        )

    @property
    def is_campus_only(self) -> bool:
        return self.audience == Audience.CAMPUS

    @property
    def is_repealed(self) -> bool:
        return self.validity == Validity.REPEALED

    def open_revision(self):
        """The published item's revision in progress (draft, submitted or returned), if any; asked once."""
        if not hasattr(self, "_open_revision"):
            self._open_revision = self.revisions.filter(status__in=OPEN_REVISION_STATUSES).first()
        return self._open_revision

    @property
    def needs_endorsement(self) -> bool:
        """Its department wants the department head's approval first, and it has not been given yet: for a
        published item, to its open revision, which goes the same way as a new item."""
        if not self.department.head_approval_required:
            return False
        if self.status == DisclosureStatus.PUBLISHED:
            revision = self.open_revision()
            return revision is not None and revision.endorsed_at is None
        return self.endorsed_at is None

    @property
    def is_legal_withdrawal(self) -> bool:
        return self.status == DisclosureStatus.WITHDRAWN and self.withdrawal_kind == WithdrawalKind.LEGAL

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
        return kind_label(self.content_type)

    def get_absolute_url(self) -> str:
        return reverse(
            "disclosures:attachment-download",
            kwargs={"index_number": self.disclosure.index_number, "pk": self.pk},
        )


class DepartmentMembership(models.Model):
    """A staff member works for a department; editors see and edit only their departments' items."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="department_memberships", verbose_name=_("user")
    )
    department = models.ForeignKey(Department, models.CASCADE, related_name="memberships", verbose_name=_("department"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["department__order", "user__username"]
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.department}"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    APPLIED = "applied", _("Approved and applied")
    DISCARDED = "discarded", _("Discarded")


OPEN_REVISION_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.RETURNED)
# The content a revision of a published item may change.
REVISABLE_FIELDS = (
    "title",
    "category",
    "item",
    "audience",
    "document_number",
    "date_written",
    "validity",
    "replaced_by",
    "keywords",
    "summary",
    "body",
)


class DisclosureRevision(models.Model):
    """Proposed changes to a published item. The published version stays online until the revision is
    approved; then its content replaces the item's."""

    disclosure = models.ForeignKey(Disclosure, models.PROTECT, related_name="revisions", verbose_name=_("disclosure"))
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT, editable=False
    )
    data = models.JSONField(_("proposed content"), default=dict, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The department head's approval of this revision, where the department asks for it as for new items.
    endorsed_at = models.DateTimeField(_("department approval at"), null=True, blank=True, editable=False)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_revision_per_disclosure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.disclosure.index_number} · {self.get_status_display()}"


class AuditAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted for review")
    ENDORSED = "endorsed", _("Approved by the department")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Reviewed and approved for release")
    SCHEDULED = "scheduled", _("Scheduled for publication")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVISION_EDITED = "revision_edited", _("Revision edited")
    REVISION_SUBMITTED = "revision_submitted", _("Revision submitted for review")
    REVISION_RETURNED = "revision_returned", _("Revision returned for changes")
    REVISION_APPLIED = "revision_applied", _("Revision approved and applied")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
    IMPORTED = "imported", _("Imported from the old site, published at its original date")


class AuditEventQuerySet(models.QuerySet):
    def for_departments(self, department_ids) -> AuditEventQuerySet:
        if department_ids is None:
            return self
        return self.filter(disclosure__department_id__in=department_ids)


class AuditEvent(models.Model):
    """One step in an item's life: who did what, when, which values changed. Written by the services only
    and never edited or deleted through the site."""

    disclosure = models.ForeignKey(Disclosure, models.PROTECT, related_name="events", verbose_name=_("disclosure"))
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    from_status = models.CharField(_("status before"), max_length=20, blank=True)
    to_status = models.CharField(_("status after"), max_length=20, blank=True)
    changes = models.JSONField(_("changed values"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["disclosure", "created_at"], name="auditevent_disclosure_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '—'} {self.get_action_display()}"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    ENDORSED = "endorsed", _("Approved by the department")


class Review(models.Model):
    """A reviewer's decision on an item or a revision, with the confidentiality confirmations and the
    outcome of the privacy scan (masked values only)."""

    disclosure = models.ForeignKey(Disclosure, models.PROTECT, related_name="reviews", verbose_name=_("disclosure"))
    revision = models.ForeignKey(
        DisclosureRevision, models.PROTECT, null=True, blank=True, related_name="reviews", verbose_name=_("revision")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("reviewer")
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    no_state_secrets = models.BooleanField(_("no state secrets"), default=False)
    no_trade_secrets = models.BooleanField(_("no trade secrets"), default=False)
    no_personal_privacy = models.BooleanField(_("no personal privacy"), default=False)
    scan_hits = models.JSONField(_("privacy scan findings (masked)"), default=list, blank=True)
    scan_acknowledged = models.BooleanField(_("scan findings acknowledged"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.disclosure.index_number} · {self.get_decision_display()}"


class DisclosureGuide(models.Model):
    """信息公开指南: what 《高等学校信息公开办法》 asks a college to publish about its disclosure work (the office and
    how to reach it, how the catalogue is arranged, how to apply, time limits, fees, remedies), as fields staff
    edit; one row, seeded with the demo's placeholders (disclosures.guide.PLACEHOLDERS), which the compliance
    dashboard and a production system check flag until they are replaced. The /guide/ page and every page's
    footer are made from it."""

    office_name = models.CharField(_("name of the disclosure office"), max_length=120)
    head = models.CharField(_("person in charge"), max_length=60)
    address = models.CharField(_("office address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200)
    phone = models.CharField(_("phone"), max_length=60)
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"))
    classification = models.TextField(
        _("classification of the catalogue"),
        help_text=_("How the catalogue is arranged: its categories, the index numbers, where to find what."),
    )
    how_to_apply = models.TextField(
        _("how to apply"), help_text=_("Every channel: online, in person, by post, by fax, by e-mail; what to give.")
    )
    time_limits = models.TextField(_("time limits"))
    fees = models.TextField(_("fees"))
    remedies = models.TextField(
        _("remedies"), help_text=_("Where to complain or report, and the bodies that hear reviews and lawsuits.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("disclosure guide")
        verbose_name_plural = _("disclosure guide")

    def __str__(self) -> str:
        return str(_("Disclosure guide"))

    @classmethod
    def current(cls) -> DisclosureGuide | None:
        return cls.objects.order_by("pk").first()


class LinkKind(models.TextChoices):
    INTERNAL = "internal", _("On this site")
    EXTERNAL = "external", _("Elsewhere")


class BrokenLink(models.Model):
    """A link in a published item that leads nowhere: internal ones found when the item is published, external
    ones by ``manage.py check_links`` (cron). Rows go when the link works again or the item is republished."""

    disclosure = models.ForeignKey(
        "Disclosure", models.CASCADE, related_name="broken_links", verbose_name=_("disclosure")
    )
    url = models.CharField(_("address"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=10, choices=LinkKind.choices)
    problem = models.CharField(_("problem"), max_length=200)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)

    class Meta:
        ordering = ["-checked_at", "id"]
        verbose_name = _("broken link")
        verbose_name_plural = _("broken links")
        constraints = [models.UniqueConstraint(fields=["disclosure", "url"], name="broken_link_unique")]

    def __str__(self) -> str:
        return self.url
