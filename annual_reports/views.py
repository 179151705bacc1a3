"""Public pages of the annual reports: the list by year, a report with its tables and charts, its print view,
and the DOCX and XLSX downloads. Drafts are shown (with live figures) only to staff who may view reports."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from annual_reports import permissions
from annual_reports.document import build_document
from annual_reports.export import build_xlsx, docx_file
from annual_reports.importer import import_note_text
from annual_reports.models import AnnualReport
from core import exports
from core.charts import bar_chart

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get_report(request, label: str) -> AnnualReport:
    first, _sep, second = label.partition("-")
    if not (first.isdigit() and second.isdigit()) or int(second) != int(first) + 1:
        raise Http404
    report = AnnualReport.objects.visible_to(request).filter(year=int(first)).first()
    if report is None:
        raise Http404
    return report


def _context(request, report: AnnualReport) -> dict:
    document = build_document(report)
    for view in document.sections:
        for block in view.blocks:
            block.svg = bar_chart(block.chart, title=block.heading) if block.chart else None
            if block.table:
                block.table.indented_rows = [
                    (block.table.levels[i] if i < len(block.table.levels) else 0, row)
                    for i, row in enumerate(block.table.rows)
                ]
    return {
        "report": report,
        "document": document,
        "import_notes": [import_note_text(note) for note in report.import_notes],
        "preview": not report.is_published,
        "can_edit": permissions.can_edit(request.user),
    }


@require_GET
def report_list(request):
    reports = list(
        AnnualReport.objects.visible_to(request)
        .only("year", "title", "status", "source", "published_on")
        .order_by("-year")
    )
    return render(request, "annual_reports/annualreport_list.html", {"reports": reports})


@require_GET
def report_detail(request, label: str):
    report = _get_report(request, label)
    return render(request, "annual_reports/annualreport_detail.html", _context(request, report))


@require_GET
def report_print(request, label: str):
    report = _get_report(request, label)
    return render(request, "annual_reports/annualreport_print.html", _context(request, report))


@require_GET
def report_docx(request, label: str):
    """In the site's language whatever the visitor reads: this is the document sent to the department.
    Written into a temporary file and sent from it."""
    report = _get_report(request, label)
    with translation.override(settings.LANGUAGE_CODE):
        handle = docx_file(build_document(report))
    return exports.file_response(handle, f"{report.title}.docx", DOCX_TYPE)


@require_GET
def report_xlsx(request, label: str):
    """Written row by row (write-only workbook) into a temporary file and sent from it."""
    report = _get_report(request, label)
    with translation.override(settings.LANGUAGE_CODE):
        document = build_document(report)
        if not any(view.blocks for view in document.sections):
            raise Http404
        response = exports.xlsx_response(build_xlsx(document), f"{report.title}-统计.xlsx")
    return response
