"""The annual report on information disclosure (信息公开年度报告) of an academic year."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annual_reports.permissions import can_view_drafts
from core.richtext import SanitizedRichTextField
from disclosures.models import academic_year_bounds, academic_year_label


class ReportStatus(models.TextChoices):
    """Only the services in portal/services.py set it: publishing freezes the compiled figures."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ReportSource(models.TextChoices):
    COMPILED = "compiled", _("Compiled from the site's records")
    IMPORTED = "imported", _("Imported from a text written elsewhere")


class AnnualReportQuerySet(models.QuerySet):
    def published(self) -> AnnualReportQuerySet:
        return self.filter(status=ReportStatus.PUBLISHED)

    def visible_to(self, request) -> AnnualReportQuerySet:
        """The public sees published reports; staff who may view reports also see drafts."""
        return self if can_view_drafts(request.user) else self.published()


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(
        _("academic year"), unique=True, help_text=_("The first calendar year: 2025 for 2025-2026.")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ReportSource.choices, default=ReportSource.COMPILED, editable=False
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    # The narrative parts, in the statutory order of the sections (see annual_reports.sections.SECTIONS).
    preface = SanitizedRichTextField(_("preface"), blank=True)
    overview = SanitizedRichTextField(_("overview"), blank=True)
    proactive = SanitizedRichTextField(_("proactive disclosure"), blank=True)
    special = SanitizedRichTextField(_("special disclosure"), blank=True)
    applications = SanitizedRichTextField(_("disclosure on application and refusals"), blank=True)
    evaluation = SanitizedRichTextField(_("evaluation of the disclosure work"), blank=True)
    complaints = SanitizedRichTextField(_("complaints about the disclosure work"), blank=True)
    experience = SanitizedRichTextField(_("experience, problems and improvements"), blank=True)
    other = SanitizedRichTextField(_("other matters"), blank=True)
    # The compiled figures: recompiled on demand while a draft, frozen when published.
    snapshot = models.JSONField(_("compiled figures"), default=dict, blank=True, editable=False)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True, editable=False)
    # What an import found and could not map (structured; rendered by annual_reports.importer.import_note_text).
    import_notes = models.JSONField(_("import notes"), default=list, blank=True, editable=False)
    source_text = models.TextField(_("imported text"), blank=True, editable=False)
    # Corrections after publication: each makes a new version; the earlier ones are kept (AnnualReportVersion).
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    correction_note = models.TextField(_("correction note"), blank=True, editable=False)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        db_table = "portal_annualreport"
        ordering = ["-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        permissions = [("publish_annualreport", _("Can publish annual reports"))]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return academic_year_bounds(self.year)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def is_imported(self) -> bool:
        return self.source == ReportSource.IMPORTED

    @property
    def due_on(self) -> datetime.date:
        """Reports are due by 31 October after the academic year."""
        return datetime.date(self.year + 1, 10, 31)

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", kwargs={"label": self.label})


# What a version keeps of a report: its text and the figures it was published with.
VERSIONED_FIELDS = [
    "title",
    "published_on",
    "preface",
    "overview",
    "proactive",
    "special",
    "applications",
    "evaluation",
    "complaints",
    "experience",
    "other",
    "snapshot",
    "compiled_at",
    "correction_note",
    "corrected_on",
]


class AnnualReportVersion(models.Model):
    """A published report as it was before a correction: readable at /reports/<label>/v<version>/."""

    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="versions", verbose_name=_("annual report"))
    version = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict)
    superseded_at = models.DateTimeField(_("superseded at"), default=timezone.now)

    class Meta:
        ordering = ["report", "version"]
        verbose_name = _("earlier version of an annual report")
        verbose_name_plural = _("earlier versions of annual reports")
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"

    def as_report(self) -> AnnualReport:
        """An unsaved AnnualReport holding this version's content, to render like the current one."""
        report = AnnualReport(
            pk=self.report_id,
            year=self.report.year,
            status=ReportStatus.PUBLISHED,
            source=self.report.source,
            import_notes=self.report.import_notes,
            source_text=self.report.source_text,
            version=self.version,
        )
        for name in VERSIONED_FIELDS:
            value = self.content.get(name)
            if name in ("published_on", "corrected_on") and value:
                value = datetime.date.fromisoformat(value)
            elif name == "compiled_at" and value:
                value = datetime.datetime.fromisoformat(value)
            setattr(report, name, value if value is not None else ("" if name not in ("snapshot",) else {}))
        if not report.published_on:
            report.published_on = None
        if not report.corrected_on:
            report.corrected_on = None
        if not report.compiled_at:
            report.compiled_at = None
        return report

    def get_absolute_url(self) -> str:
        return reverse("reports:report-version", kwargs={"label": self.report.label, "version": self.version})


class ReportAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    COMPILED = "compiled", _("Figures compiled")
    PUBLISHED = "published", _("Published")
    IMPORTED = "imported", _("Imported")
    CORRECTED = "corrected", _("Corrected (new version)")


class AnnualReportEvent(models.Model):
    """Who did what to a report, when. Written by the services only."""

    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="events", verbose_name=_("annual report"))
    action = models.CharField(_("action"), max_length=20, choices=ReportAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        db_table = "portal_annualreportevent"
        ordering = ["-created_at", "-id"]
        verbose_name = _("annual report event")
        verbose_name_plural = _("annual report events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '—'} {self.get_action_display()}"
