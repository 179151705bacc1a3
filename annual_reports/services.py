"""Writes to annual reports: each validates, writes inside a transaction and records who did it."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_reports import permissions
from annual_reports.checks import report_warnings
from annual_reports.figures import compile_figures
from annual_reports.importer import parse_report_text
from annual_reports.models import (
    VERSIONED_FIELDS,
    AnnualReport,
    AnnualReportEvent,
    AnnualReportVersion,
    ReportAction,
    ReportSource,
    ReportStatus,
)
from annual_reports.sections import SECTION_KEYS, SECTIONS, default_title
from core.chinese import cn_numeric_date

FIRST_YEAR = 2008  # the Measures are in force since 1 September 2010; earlier reports may still be imported


def _event(report: AnnualReport, action: str, *, user=None, comment: str = "") -> None:
    AnnualReportEvent.objects.create(
        report=report,
        action=action,
        actor=user if user is not None and user.pk else None,
        actor_name=(user.get_username() if user is not None and user.pk else "system"),
        comment=comment,
    )


def check_year(year: int | None) -> None:
    latest = timezone.localdate().year
    if year is None or not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            _("The academic year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": latest}
        )


def _require_draft(report: AnnualReport) -> None:
    if report.is_published:
        raise ValidationError(_("This report is published: its text and figures can no longer change."))


def _is_default_title_of_another_year(report: AnnualReport) -> bool:
    """A title nobody edited is the default title of some year: it follows the report's year."""
    found = re.search(r"(\d{4})-(\d{4})", report.title)
    if not found or int(found.group(2)) != int(found.group(1)) + 1:
        return False
    year = int(found.group(1))
    return year != report.year and report.title == default_title(year)


def annual_report_save(*, report: AnnualReport, user) -> AnnualReport:
    """Create or edit a draft (title, publication date, narrative parts)."""
    if user is not None and not permissions.can_edit(user):
        raise PermissionDenied(_("You may not edit annual reports."))
    check_year(report.year)
    creating = report.pk is None
    if not creating:
        current = AnnualReport.objects.get(pk=report.pk)
        _require_draft(current)
        if current.year != report.year and current.compiled_at:
            report.snapshot, report.compiled_at = {}, None
    if AnnualReport.objects.filter(year=report.year).exclude(pk=report.pk).exists():
        raise ValidationError(_("There is already a report for the academic year %(label)s.") % {"label": report.label})
    report.title = (report.title or "").strip()
    if not report.title or _is_default_title_of_another_year(report):
        report.title = default_title(report.year)
    with transaction.atomic():
        report.save()
        _event(report, ReportAction.CREATED if creating else ReportAction.EDITED, user=user)
    return report


def annual_report_compile(*, report: AnnualReport, user) -> AnnualReport:
    """Fill the draft's figures from the records of its academic year (shown beside the narrative)."""
    if user is not None and not permissions.can_edit(user):
        raise PermissionDenied(_("You may not edit annual reports."))
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(report)
        if report.source == ReportSource.IMPORTED:
            raise ValidationError(_("An imported report keeps the figures it was written with."))
        report.snapshot = compile_figures(report.year)
        report.compiled_at = timezone.now()
        report.save(update_fields=["snapshot", "compiled_at", "updated_at"])
        _event(report, ReportAction.COMPILED, user=user)
    return report


def annual_report_publish(
    *,
    report: AnnualReport,
    user,
    on: datetime.date | None = None,
    acknowledge_warnings: bool = False,
) -> AnnualReport:
    """Compile the figures one last time and freeze them with the report: later edits of the records no
    longer change it. Publishing with warnings needs them acknowledged."""
    if user is not None and not permissions.can_publish(user):
        raise PermissionDenied(_("You may not publish annual reports."))
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(report)
        report.published_on = on or report.published_on or timezone.localdate()
        figures = compile_figures(report.year)
        warnings = report_warnings(report, figures)
        if warnings and not acknowledge_warnings:
            raise ValidationError(
                [_("Look at these warnings first, or confirm that the report is to be published as it is:")] + warnings
            )
        report.snapshot = figures
        report.compiled_at = timezone.now()
        report.status = ReportStatus.PUBLISHED
        report.save(update_fields=["snapshot", "compiled_at", "status", "published_on", "updated_at"])
        _event(report, ReportAction.PUBLISHED, user=user, comment="\n".join(warnings))
    return report


def annual_report_import(
    *, text: str, year: int, user=None, title: str = "", published_on: datetime.date | None = None
) -> AnnualReport:
    """A published historical report from a plain text: its sections found by their headings, the text kept
    as written, and what could not be mapped recorded on the report for staff to see."""
    check_year(year)
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError(
            _("There is already a report for the academic year %(label)s.") % {"label": f"{year}-{year + 1}"}
        )
    try:
        parsed = parse_report_text(text, year=year)
    except ValueError:
        raise ValidationError(_("The file has no text.")) from None
    report = AnnualReport(
        year=year,
        title=(title or parsed.title)[:200],
        status=ReportStatus.PUBLISHED,
        source=ReportSource.IMPORTED,
        published_on=published_on,
        preface=parsed.html("preface"),
        import_notes=parsed.notes,
        source_text=text,
    )
    for key in SECTION_KEYS:
        setattr(report, key, parsed.html(key))
    with transaction.atomic():
        report.save()
        _event(report, ReportAction.IMPORTED, user=user)
    return report


CORRECTABLE_FIELDS = ["title", "preface", *SECTION_KEYS]
CORRECTABLE_LABELS = {
    "title": gettext_lazy("the title"),
    "preface": gettext_lazy("the preface"),
    **{sec.key: sec.title for sec in SECTIONS},
}


def _version_content(report: AnnualReport) -> dict:
    content = {}
    for name in VERSIONED_FIELDS:
        value = getattr(report, name)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        content[name] = value
    return content


def annual_report_correct(
    *,
    report: AnnualReport,
    user,
    changes: dict[str, str],
    reason: str,
    recompile: bool = False,
    on: datetime.date | None = None,
) -> AnnualReport:
    """Correct a published report: the published version is kept (AnnualReportVersion, readable at its own
    address), the changes make a new version carrying a 更正说明 that says what changed, when and why, and both
    the publication and the correction stay in the report's history."""
    if user is not None and not permissions.can_publish(user):
        raise PermissionDenied(_("You may not correct annual reports."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is corrected: the reason is published with it.")})
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if not report.is_published:
            raise ValidationError(_("Only a published report is corrected; edit a draft directly."))
        changed = [
            name
            for name in CORRECTABLE_FIELDS
            if name in changes and (changes[name] or "").strip() != (getattr(report, name) or "").strip()
        ]
        if not changed and not recompile:
            raise ValidationError(_("Nothing was changed: a correction changes the text or the figures."))
        AnnualReportVersion.objects.create(report=report, version=report.version, content=_version_content(report))
        for name in changed:
            setattr(report, name, changes[name])
        if not report.title.strip():
            report.title = default_title(report.year)
        if recompile and not report.is_imported:
            report.snapshot = compile_figures(report.year)
            report.compiled_at = timezone.now()
        report.version += 1
        report.corrected_on = on or timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            parts = [str(CORRECTABLE_LABELS[name]) for name in changed] + (
                [str(_("the compiled figures"))] if recompile and not report.is_imported else []
            )
            report.correction_note = _(
                "Corrected on %(date)s (version %(version)s). Changed: %(parts)s. Reason: %(reason)s"
            ) % {
                "date": cn_numeric_date(report.corrected_on),
                "version": report.version,
                "parts": "、".join(parts),
                "reason": reason,
            }
        report.save()
        _event(report, ReportAction.CORRECTED, user=user, comment=report.correction_note)
    return report
