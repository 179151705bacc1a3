"""Annual reports in the admin: staff write the narrative beside the compiled figures, compile, check the
warnings and publish. Every write goes through portal/services.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from annual_reports import permissions, services
from annual_reports.checks import report_warnings
from annual_reports.document import build_document
from annual_reports.figures import figures_for
from annual_reports.importer import import_note_text
from annual_reports.models import AnnualReport, AnnualReportEvent
from annual_reports.sections import SECTION_KEYS, SECTIONS, default_title
from core.chinese import cn_number
from core.richtext import RichTextAdminMixin
from disclosures.models import academic_year_of

FIGURE_SECTIONS = {"overview", "proactive", "special", "applications", "evaluation", "complaints"}


def _messages(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


class AnnualReportEventInline(admin.TabularInline):
    model = AnnualReportEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor_name", "action", "comment")
    readonly_fields = fields
    verbose_name_plural = _("History")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["year", "title", "published_on", "preface", *SECTION_KEYS]

    def clean_year(self):
        year = self.cleaned_data.get("year")
        services.check_year(year)  # a ValidationError here keeps what the user typed, next to the field
        return year


class PublishForm(forms.Form):
    # A date input takes and gives ISO dates (2026-12-02) whatever the language: the localized format
    # (2026/12/02) arrives as an empty field and blocks publishing.
    published_on = forms.DateField(
        label=_("Publication date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    acknowledge = forms.BooleanField(label=_("I have read the warnings; publish the report as it is."), required=False)


class CorrectionForm(forms.Form):
    """A correction of a published report: the new text, and why (published with it as the 更正说明)."""

    title = forms.CharField(label=_("title"), max_length=200)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published in the correction note with the date and what changed."),
    )
    recompile = forms.BooleanField(label=_("Compile the figures again from the records"), required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ["preface", *SECTION_KEYS]:
            self.fields[key] = forms.CharField(
                label=AnnualReport._meta.get_field(key).verbose_name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
                initial=getattr(report, key),
            )
        self.fields["title"].initial = report.title
        if report.is_imported:
            del self.fields["recompile"]


@admin.register(AnnualReport)
class AnnualReportAdmin(RichTextAdminMixin, admin.ModelAdmin):
    form = AnnualReportForm
    list_display = ("title", "label", "status", "source", "published_on", "compiled_at")
    list_filter = ("status", "source")
    search_fields = ("title",)
    inlines = [AnnualReportEventInline]
    change_form_template = "admin/annual_reports/annualreport/change_form.html"
    fieldsets = [
        (None, {"fields": ("year", "title", "published_on", "status_display", "warnings_display")}),
        (_("Preface"), {"fields": ("preface",)}),
        *[
            (
                format_lazy("{}、{}", cn_number(index), sec.title),
                {"fields": ((sec.key, f"figures_{sec.key}"),) if sec.key in FIGURE_SECTIONS else (sec.key,)},
            )
            for index, sec in enumerate(SECTIONS, start=1)
        ],
    ]
    readonly_fields = (
        "status_display",
        "warnings_display",
        "figures_overview",
        "figures_proactive",
        "figures_special",
        "figures_applications",
        "figures_evaluation",
        "figures_complaints",
    )

    @admin.display(description=_("academic year"))
    def label(self, obj):
        return obj.label

    # --- permissions ----------------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False  # a published report is a record: viewable, never edited
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        year = academic_year_of(timezone.localdate()) - 1
        return {"year": year, "title": default_title(year)}

    # --- the figures beside the narrative -------------------------------------------------------------

    def _document(self, obj):
        if obj is None or obj.pk is None:
            return None
        if not hasattr(obj, "_admin_document"):
            figures = figures_for(obj) if obj.is_published or obj.is_imported else (obj.snapshot or {})
            obj._admin_figures = figures
            obj._admin_document = build_document(obj, figures)
        return obj._admin_document

    def _figures(self, obj, key):
        document = self._document(obj)
        if document is None:
            return gettext("Save the report first, then compile its figures.")
        if obj.is_imported:
            return gettext("An imported report states its own figures.")
        if not obj.compiled_at:
            return gettext("Not compiled yet: use “Compile figures”.")
        view = next(v for v in document.sections if v.key == key)
        items = []
        for block in view.blocks:
            items.append((block.heading, " ".join(block.paragraphs) or gettext("(see the table on the report page)")))
        return format_html(
            '<div class="report-figures"><p class="help">{}</p><dl>{}</dl></div>',
            gettext("Compiled %(time)s:") % {"time": timezone.localtime(obj.compiled_at).strftime("%Y-%m-%d %H:%M")},
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", items),
        )

    @admin.display(description=_("compiled figures"))
    def figures_overview(self, obj):
        document = self._document(obj)
        if document is None or obj.is_imported or not obj.compiled_at:
            return self._figures(obj, "overview")
        lines = [block.paragraphs[0] for view in document.sections for block in view.blocks[:1] if block.paragraphs]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))

    @admin.display(description=_("compiled figures"))
    def figures_proactive(self, obj):
        return self._figures(obj, "proactive")

    @admin.display(description=_("compiled figures"))
    def figures_special(self, obj):
        return self._figures(obj, "special")

    @admin.display(description=_("compiled figures"))
    def figures_applications(self, obj):
        return self._figures(obj, "applications")

    @admin.display(description=_("compiled figures"))
    def figures_evaluation(self, obj):
        return self._figures(obj, "evaluation")

    @admin.display(description=_("compiled figures"))
    def figures_complaints(self, obj):
        return self._figures(obj, "complaints")

    @admin.display(description=_("status"))
    def status_display(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Draft")
        return f"{obj.get_status_display()} · {obj.get_source_display()}"

    @admin.display(description=_("before publication"))
    def warnings_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.is_imported:
            notes = [import_note_text(note) for note in obj.import_notes]
            return (
                format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((n,) for n in notes))) if notes else "—"
            )
        if obj.is_published:
            return gettext("Published: the figures are frozen.")
        document = self._document(obj)
        warnings = (
            report_warnings(obj, obj._admin_figures, document)
            if obj.compiled_at
            else [gettext("Not compiled yet: use “Compile figures”.")]
        )
        if not warnings:
            return gettext("No warnings.")
        return format_html(
            '<ul class="errorlist">{}</ul>', format_html_join("", "<li>{}</li>", ((w,) for w in warnings))
        )

    # --- saving through the services --------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        try:
            services.annual_report_save(report=obj, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, "; ".join(_messages(error)), messages.ERROR)
            raise PermissionDenied from error

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/compile/", wrap(self.compile_view), name="annual_reports_annualreport_compile"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="annual_reports_annualreport_publish"),
            path("<int:pk>/correct/", wrap(self.correct_view), name="annual_reports_annualreport_correct"),
            *super().get_urls(),
        ]

    def _change_url(self, report) -> str:
        return reverse("admin:annual_reports_annualreport_change", args=[report.pk])

    def compile_view(self, request, pk):
        report = get_object_or_404(AnnualReport, pk=pk)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(report))
        try:
            services.annual_report_compile(report=report, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, "; ".join(_messages(error)), messages.ERROR)
        else:
            self.message_user(request, gettext("The figures were compiled from the records."), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(report))

    def correct_view(self, request, pk):
        """A published report is never edited: a correction makes a new version with a 更正说明."""
        report = get_object_or_404(AnnualReport, pk=pk)
        if not permissions.can_publish(request.user):
            raise PermissionDenied
        if not report.is_published:
            return HttpResponseRedirect(self._change_url(report))
        form = CorrectionForm(request.POST or None, report=report)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.annual_report_correct(
                    report=report,
                    user=request.user,
                    changes={key: data[key] for key in services.CORRECTABLE_FIELDS if key in data},
                    reason=data["reason"],
                    recompile=data.get("recompile", False),
                )
            except (ValidationError, PermissionDenied) as error:
                for message in _messages(error):
                    form.add_error(None, message)
            else:
                self.message_user(request, gettext("The correction is published as a new version."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("reports:report-detail", kwargs={"label": report.label}))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "report": report,
            "title": gettext("Correct %(title)s") % {"title": report.title},
            "form": form,
            "change_url": self._change_url(report),
        }
        return TemplateResponse(request, "admin/annual_reports/annualreport/correct.html", context)

    def publish_view(self, request, pk):
        report = get_object_or_404(AnnualReport, pk=pk)
        if not permissions.can_publish(request.user):
            raise PermissionDenied
        if report.is_published:
            return HttpResponseRedirect(reverse("admin:annual_reports_annualreport_change", args=[report.pk]))
        form = PublishForm(request.POST or None, initial={"published_on": report.published_on or timezone.localdate()})
        warnings = report_warnings(report)
        if request.method == "POST" and form.is_valid():
            try:
                services.annual_report_publish(
                    report=report,
                    user=request.user,
                    on=form.cleaned_data["published_on"],
                    acknowledge_warnings=form.cleaned_data["acknowledge"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _messages(error)[0])
            else:
                self.message_user(request, gettext("The report is published."), messages.SUCCESS)
                return HttpResponseRedirect(report.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "report": report,
            "title": gettext("Publish %(title)s") % {"title": report.title},
            "form": form,
            "warnings": warnings,
            "change_url": self._change_url(report),
        }
        return TemplateResponse(request, "admin/annual_reports/annualreport/publish.html", context)
