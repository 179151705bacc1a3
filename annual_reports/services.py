"""Writes to annual reports: each validates, writes inside a transaction and records who did it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_reports import permissions
from annual_reports.checks import report_warnings
from annual_reports.figures import compile_figures
from annual_reports.importer import parse_report_text
from annual_reports.models import AnnualReport, AnnualReportEvent, ReportAction, ReportSource, ReportStatus
from annual_reports.sections import SECTION_KEYS, default_title

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
    report.title = (report.title or "").strip() or default_title(report.year)
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
