from django.urls import re_path

from annual_reports import views as report_views

app_name = "reports"

LABEL = r"(?P<label>\d{4}-\d{4})"
urlpatterns = [
    re_path(r"^$", report_views.report_list, name="report-list"),
    re_path(rf"^{LABEL}/$", report_views.report_detail, name="report-detail"),
    re_path(rf"^{LABEL}/print/$", report_views.report_print, name="report-print"),
    re_path(rf"^{LABEL}/v(?P<version>[1-9]\d{{0,2}})/$", report_views.report_version, name="report-version"),
    re_path(rf"^{LABEL}/download\.docx$", report_views.report_docx, name="report-docx"),
    re_path(rf"^{LABEL}/download\.pdf$", report_views.report_pdf, name="report-pdf"),
    re_path(rf"^{LABEL}/statistics\.xlsx$", report_views.report_xlsx, name="report-xlsx"),
]
