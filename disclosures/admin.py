from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from disclosures import services
from disclosures.models import (
    Attachment,
    CalendarDay,
    Category,
    Department,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
)

admin.site.site_header = _("Information disclosure: staff")
admin.site.site_title = _("Information disclosure")
admin.site.index_title = _("Administration")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "phone", "email", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name", "name_en"]


class DisclosureItemInline(admin.TabularInline):
    model = DisclosureItem
    fields = ["code", "title", "department", "cadence", "month", "default_audience", "order", "active"]
    autocomplete_fields = ["department"]
    extra = 0
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "slug", "order"]
    search_fields = ["code", "name", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [DisclosureItemInline]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "department", "cadence", "month", "default_audience", "active"]
    list_filter = ["category", "department", "cadence", "active"]
    list_select_related = ["category", "department"]
    search_fields = ["code", "title", "title_en"]
    autocomplete_fields = ["category", "department"]


class DisclosureAdminForm(forms.ModelForm):
    class Meta:
        model = Disclosure
        fields = [
            "title",
            "category",
            "item",
            "department",
            "audience",
            "document_number",
            "date_written",
            "validity",
            "replaced_by",
            "keywords",
            "summary",
            "body",
        ]

    def _post_clean(self):
        super()._post_clean()
        try:
            services.disclosure_validate(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class AttachmentInlineForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "title", "order"]

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        self.checked = None
        if uploaded and "file" in self.changed_data:
            self.checked = services.attachment_check(uploaded=uploaded)
        return uploaded


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentInlineForm
    fields = ["file", "title", "order", "content_type", "size", "sha256", "download_count"]
    readonly_fields = ["content_type", "size", "sha256", "download_count"]
    extra = 1


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    form = DisclosureAdminForm
    list_display = ["index_number", "title", "category", "department", "status", "published_at", "audience"]
    list_filter = ["status", "audience", "validity", "category", "department"]
    list_select_related = ["category", "department"]
    search_fields = ["index_number", "title", "document_number", "keywords"]
    autocomplete_fields = ["category", "item", "department", "replaced_by"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "index_number",
        "status",
        "published_at",
        "withdrawn_at",
        "withdrawal_reason",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["index_number", "title", "category", "item", "department", "audience"]}),
        (
            _("Official metadata"),
            {"fields": ["document_number", "date_written", "validity", "replaced_by", "keywords"]},
        ),
        (_("Content"), {"fields": ["summary", "body"]}),
        (
            _("Status"),
            {"fields": ["status", "published_at", "withdrawn_at", "withdrawal_reason", "created_at", "updated_at"]},
        ),
    ]
    inlines = [AttachmentInline]
    actions = ["publish", "withdraw"]

    def save_model(self, request, obj, form, change):
        services.disclosure_save(disclosure=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for attachment in formset.deleted_objects:
            attachment.file.delete(save=False)
            attachment.delete()
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            attachment = inline_form.instance
            checked = getattr(inline_form, "checked", None)
            if checked is not None:
                services.attachment_store(attachment=attachment, checked=checked)
            elif attachment.pk:
                attachment.save(update_fields=["title", "order"])
        formset.save_m2m()

    @admin.action(description=_("Publish the selected items now"), permissions=["change"])
    def publish(self, request, queryset):
        done = 0
        for disclosure in queryset.exclude(status=DisclosureStatus.PUBLISHED):
            services.disclosure_publish(disclosure=disclosure, user=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", done) % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw the selected items"), permissions=["change"])
    def withdraw(self, request, queryset):
        published = queryset.filter(status=DisclosureStatus.PUBLISHED)
        form = WithdrawForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            done = 0
            for disclosure in published:
                services.disclosure_withdraw(
                    disclosure=disclosure, user=request.user, reason=form.cleaned_data["reason"]
                )
                done += 1
            self.message_user(
                request,
                ngettext("%(count)d item withdrawn.", "%(count)d items withdrawn.", done) % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw published items"),
            "form": form,
            "queryset": published,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/disclosures/disclosure_withdraw.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "kind", "note"]
    list_filter = ["kind", "is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]
