"""Public pages of the annual reports: the list by year, a report with its tables and charts, its print view,
and the DOCX and XLSX downloads. Drafts are shown (with live figures) only to staff who may view reports."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from annual_reports import permissions
from annual_reports.document import build_document
from annual_reports.export import build_xlsx, docx_file, pdf_file
from annual_reports.findings import imported_findings
from annual_reports.models import AnnualReport, AnnualReportVersion
from core import exports
from core.charts import bar_chart
from core.documents import is_number

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def _get_report(request, label: str) -> AnnualReport:
    first, _sep, second = label.partition("-")
    if not (first.isdigit() and second.isdigit()) or int(second) != int(first) + 1:
        raise Http404
    report = AnnualReport.objects.visible_to(request).filter(year=int(first)).first()
    if report is None:
        raise Http404
    return report


def _document(report: AnnualReport):
    """The report's document, with what the checks found in it when it was imported."""
    document = build_document(report)
    document.findings = imported_findings(report)
    return document


def _context(request, report: AnnualReport) -> dict:
    document = _document(report)
    for view in document.sections:
        for block in view.blocks:
            block.svg = bar_chart(block.chart, title=block.heading) if block.chart else None
            if block.table:
                table = block.table
                table.numeric = [
                    all(is_number(row[i]) or row[i] in ("", "—") for row in table.rows) and i > 0
                    for i in range(len(table.header))
                ]
                table.header_cells = list(zip(table.header, table.numeric, strict=True))
                last = len(table.rows) - 1
                table.indented_rows = [
                    (
                        table.levels[i] if i < len(table.levels) else 0,
                        block.total_row and i == last,
                        list(zip(row, table.numeric, strict=True)),
                    )
                    for i, row in enumerate(table.rows)
                ]
    return {
        "report": report,
        "versions": list(report.versions.order_by("-version")) if report.pk and report.version > 1 else [],
        "document": document,
        "source_lines": [line for line in (report.source_text or "").replace("\r\n", "\n").split("\n")[1:]],
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
def report_version(request, label: str, version: str):
    """An earlier version of a corrected report, as it was published, at its own address."""
    report = _get_report(request, label)
    if int(version) == report.version:
        return redirect(report)
    earlier = get_object_or_404(AnnualReportVersion, report=report, version=int(version))
    context = _context(request, earlier.as_report())
    context.update({"superseded": earlier, "current": report, "versions": []})
    return render(request, "annual_reports/annualreport_detail.html", context)


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
        handle = docx_file(_document(report))
    return exports.file_response(handle, f"{report.title}.docx", DOCX_TYPE)


@require_GET
def report_pdf(request, label: str):
    """The same document as the DOCX, as PDF (Chinese text in the STSong-Light font every PDF reader has)."""
    report = _get_report(request, label)
    with translation.override(settings.LANGUAGE_CODE):
        handle = pdf_file(_document(report))
    return exports.file_response(handle, f"{report.title}.pdf", PDF_TYPE)


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
