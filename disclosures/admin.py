"""The staff side. Each person sees only the items of their departments (the disclosure office sees all)
and is offered only the actions ``disclosures.permissions`` allows; the services check the same rules
again, so a crafted POST gets nothing more."""

from __future__ import annotations

import datetime
import difflib
import html
import re
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import exports
from core.forms import add_service_errors
from core.pending_uploads import KeptFileBoundField
from core.richtext import RichTextAdminMixin, sanitize_html
from core.uploads import STORAGE_FAILED_MESSAGE, STORAGE_RETRY_AFTER_SECONDS, StorageFailed, StoredFiles
from disclosures import compliance, import_admin, permissions, services
from disclosures.guide import placeholder_fields
from disclosures.models import (
    EDITABLE_STATUSES,
    Attachment,
    AuditEvent,
    BrokenLink,
    Category,
    Department,
    DepartmentMembership,
    Disclosure,
    DisclosureGuide,
    DisclosureItem,
    DisclosureStatus,
    ListItem,
    NoticeKind,
    Review,
    ReviewDecision,
    RevisionStatus,
    SearchSynonym,
    WithdrawalKind,
)

admin.site.site_header = _("Information disclosure: staff")
admin.site.site_title = _("Information disclosure")
admin.site.index_title = _("Administration")


class MembershipInline(admin.TabularInline):
    model = DepartmentMembership
    extra = 1
    autocomplete_fields = ["user"]
    verbose_name = _("staff member")
    verbose_name_plural = _("staff members working for this department")


class CatalogueAdmin(admin.ModelAdmin):
    """Departments, categories and disclosure items appear on cached public pages: a change refreshes them."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.catalogue_changed()

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            services.catalogue_changed()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            services.catalogue_changed()


@admin.register(SearchSynonym)
class SearchSynonymAdmin(CatalogueAdmin):
    """Words the search takes as one (学费 收费标准): a query for one finds the others too. Cached search
    results refresh on a change."""

    list_display = ["words", "note"]
    search_fields = ["words", "note"]

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            services.catalogue_changed()


@admin.register(Department)
class DepartmentAdmin(CatalogueAdmin):
    list_display = ["code", "name", "name_en", "phone", "email", "head_approval_required", "active"]
    list_filter = ["active", "head_approval_required"]
    search_fields = ["code", "name", "name_en"]
    inlines = [MembershipInline]


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "created_at"]
    list_filter = ["department"]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__name"]
    autocomplete_fields = ["user", "department"]


class UserMembershipInline(admin.TabularInline):
    model = DepartmentMembership
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["department"]
    verbose_name = _("department")
    verbose_name_plural = _("departments this person works for")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Accounts. Only superusers grant rights (superuser status, groups, permissions) or touch a superuser's
    account; other account managers change only accounts holding no right they lack (``permissions``)."""

    inlines = [UserMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not permissions.may_grant_rights(request.user):
            fields += [name for name in permissions.RIGHTS_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.can_change_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.can_change_account(request.user, obj)

    def save_model(self, request, obj, form, change):
        # Read-only fields are left out of the form, and a crafted POST cannot set them; check once more all the
        # same, at the write, that no right changed hands.
        if not permissions.may_grant_rights(request.user) and obj.pk:
            stored = User.objects.get(pk=obj.pk)
            if obj.is_superuser != stored.is_superuser:
                raise PermissionDenied
        elif not permissions.may_grant_rights(request.user) and obj.is_superuser:
            raise PermissionDenied
        super().save_model(request, obj, form, change)


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    """A group's permissions are rights: only superusers create, change or delete groups (others may look)."""

    def has_add_permission(self, request):
        return permissions.may_grant_rights(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return permissions.may_grant_rights(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.may_grant_rights(request.user) and super().has_delete_permission(request, obj)


class DisclosureItemInline(admin.TabularInline):
    model = DisclosureItem
    fields = ["code", "title", "department", "cadence", "month", "default_audience", "order", "active"]
    autocomplete_fields = ["department"]
    extra = 0
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    list_display = ["code", "name", "name_en", "slug", "order"]
    search_fields = ["code", "name", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [DisclosureItemInline]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(CatalogueAdmin):
    list_display = ["code", "title", "category", "department", "cadence", "month", "default_audience", "active"]
    list_filter = ["category", "department", "cadence", "active"]
    list_select_related = ["category", "department"]
    search_fields = ["code", "title", "title_en"]
    autocomplete_fields = ["category", "department"]
    filter_horizontal = ["list_items"]
    fieldsets = [
        (None, {"fields": ["category", "code", "title", "title_en", "department", "order", "active"]}),
        (_("Publication"), {"fields": ["cadence", "month", "default_audience"]}),
        (_("Legal basis"), {"fields": ["list_items", "order29_clause", "basis", "basis_en"]}),
    ]


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(CatalogueAdmin):
    """One guide: edited, never added twice or deleted. Its contact details are in every page's footer."""

    list_display = ["office_name", "head", "phone", "email", "updated_at"]
    fieldsets = [
        (_("Disclosure office"), {"fields": ["office_name", "head", "address", "postcode", "office_hours"]}),
        (_("Contact"), {"fields": ["phone", "fax", "email"]}),
        (_("Guide"), {"fields": ["classification", "how_to_apply", "time_limits", "fees", "remedies"]}),
    ]

    def has_add_permission(self, request):
        # The one guide is seeded by a migration (disclosures 0009) and cannot be deleted: never added, and no
        # query on every admin page to ask whether it exists.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ListItem)
class ListItemAdmin(CatalogueAdmin):
    """The 2014 list's items: staff mark an item 不适用 with the reason, or turn it back on (a university with
    graduate schools turns the 研究生 and 学位 items on). Number, class and text are the ministry's."""

    list_display = ["number", "text", "list_class", "applicable", "implemented_by"]
    list_filter = ["list_class", "applicable"]
    list_select_related = ["list_class"]
    search_fields = ["text", "text_en", "reason"]
    readonly_fields = ["number", "list_class", "text", "order29_clause"]
    fields = ["number", "list_class", "text", "text_en", "order29_clause", "applicable", "reason", "reason_en"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("catalogue_items")

    @admin.display(description=_("catalogue items"))
    def implemented_by(self, obj):
        return ", ".join(item.code for item in obj.catalogue_items.all()) or "—"


class ItemSelect(forms.Select):
    """The 公开事项 picker: items grouped by category, each option naming its category (data-category), so that
    static/js/admin-item-picker.js offers only the chosen category's items and fills the category from an item."""

    option_inherits_attrs = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_categories: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = str(getattr(value, "value", value) or "")
        if key in self.item_categories:
            option["attrs"]["data-category"] = self.item_categories[key]
        return option

    class Media:
        js = ["js/admin-item-picker.js"]


class DisclosureAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "item" in self.fields and "category" in self.fields:
            self._group_items()
            # An item chosen without a category gives the item's category (clean).
            self.fields["category"].required = False

    def _group_items(self):
        field = self.fields["item"]
        items = list(
            DisclosureItem.objects.filter(Q(active=True) | Q(pk=self.instance.item_id))
            .select_related("category")
            .order_by("category__order", "category__code", "order", "code")
        )
        groups: dict[int, tuple[str, list]] = {}
        for item in items:
            groups.setdefault(item.category_id, (str(item.category), []))[1].append((item.pk, str(item)))
        field.queryset = DisclosureItem.objects.filter(pk__in=[item.pk for item in items])
        widget = ItemSelect(attrs={"data-grouped": "1"})
        widget.item_categories = {str(item.pk): str(item.category_id) for item in items}
        widget.choices = [("", "---------"), *[(label, options) for label, options in groups.values()]]
        field.widget = widget

    def clean(self):
        data = super().clean()
        if "category" in self.fields and not data.get("category"):
            item = data.get("item")
            if item is not None:
                data["category"] = item.category
            elif "category" not in self.errors:
                self.add_error("category", self.fields["category"].error_messages["required"])
        return data

    class Meta:
        model = Disclosure
        fields = [
            "title",
            "category",
            "item",
            "department",
            "audience",
            "notice_kind",
            "corrects",
            "document_number",
            "date_written",
            "changed_on",
            "validity",
            "replaced_by",
            "interprets",
            "keywords",
            "summary",
            "body",
        ]

    def clean_department(self):
        department = self.cleaned_data.get("department")
        user = getattr(self, "request_user", None)
        if department and user is not None and not permissions.can_edit_department(user, department.pk):
            raise ValidationError(_("You may only write items for your own departments."))
        if self.instance.pk and self.instance.status == DisclosureStatus.PUBLISHED:
            if department and department.pk != self.instance.department_id:
                raise ValidationError(_("The department of a published item cannot change."))
        return department

    def _post_clean(self):
        super()._post_clean()
        try:
            services.disclosure_validate(self.instance)
        except ValidationError as error:
            self._update_errors(error)
        if getattr(self, "storage_failed", False):
            # DisclosureAdmin.changeform_view shows the form again after an attachment could not be stored.
            self.add_error(None, STORAGE_FAILED_MESSAGE)


class AttachmentInlineForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "title", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].bound_field_class = KeptFileBoundField  # a form sent back keeps the file chosen

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        self.checked = None
        if uploaded and "file" in self.changed_data:
            self.checked = services.attachment_check(uploaded=uploaded)
        return uploaded


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentInlineForm
    fields = ["file", "title", "order", "content_type", "size", "checksum", "download_count"]
    readonly_fields = ["content_type", "size", "checksum", "download_count"]
    extra = 1

    @admin.display(description=_("SHA-256"))
    def checksum(self, attachment):
        """The first characters of the checksum, the whole one on hover: a 64-character column widened the page
        past a laptop's screen."""
        if not attachment.sha256:
            return "—"
        return format_html('<span title="{}">{}…</span>', attachment.sha256, attachment.sha256[:12])

    def _may_change(self, request, obj) -> bool:
        if obj is None:
            return permissions.can_create(request.user)
        return obj.status in EDITABLE_STATUSES and permissions.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj) and super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Fields whose values are rich text (HTML): the history shows them as text, with what changed marked.
RICH_TEXT_FIELDS = {"body"}
CHANGE_CONTEXT = 30  # characters of unchanged text shown around each change of a rich text


def change_label(name: str) -> str:
    """The field's label (its verbose name) for a key of an audit event's changes."""
    try:
        return str(Disclosure._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str({"attachment": _("attachment")}.get(name, name))


def change_value(value) -> str:
    """A stored value as text: times in the site's time zone (Asia/Shanghai), never raw ISO strings."""
    text = "" if value is None else str(value)
    if len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T":
        moment = parse_datetime(text)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
    return text


def html_text(value: str) -> str:
    """Rich text as the reader sees it: tags gone, entities read, blocks on their own lines."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|tr)>", "\n", value or "")
    text = html.unescape(strip_tags(text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def text_diff(old: str, new: str) -> str:
    """What changed between two texts, character by character (Chinese has no spaces between words), with a
    little unchanged context around each change."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = old[i1:i2]
            if len(same) > 2 * CHANGE_CONTEXT:
                head = same[:CHANGE_CONTEXT] if parts else ""
                same = f"{head}…{same[-CHANGE_CONTEXT:]}" if i2 < len(old) else f"{same[:CHANGE_CONTEXT]}…"
            parts.append(format_html("{}", same))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return format_html('<span class="audit-text-diff">{}</span>', mark_safe("".join(parts)))  # noqa: S308


def format_changes(changes: dict) -> str:
    """The changed values as text: each field's label, the old and the new value (rich text as a readable
    diff, no HTML), times in the site's time zone."""
    if not changes:
        return "—"
    rows = []
    for name, (old, new) in changes.items():
        if name in RICH_TEXT_FIELDS:
            shown = text_diff(html_text(old), html_text(new))
        else:
            shown = format_html(
                "<del>{}</del> → <ins>{}</ins>", change_value(old)[:300] or "∅", change_value(new)[:300] or "∅"
            )
        rows.append(format_html('<div class="audit-change"><b>{}</b> {}</div>', change_label(name), shown))
    return mark_safe("".join(rows))  # noqa: S308 - every part escaped by format_html


class AuditEventInline(ReadOnlyInline):
    model = AuditEvent
    fields = ["created_at", "actor_name", "action", "status_change", "changes_display", "comment"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    verbose_name_plural = _("History (audit trail)")

    @admin.display(description=_("status"))
    def status_change(self, event):
        return status_change(event)

    @admin.display(description=_("changed values"))
    def changes_display(self, event):
        return format_changes(event.changes)


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = [
        "created_at",
        "reviewer",
        "decision",
        "no_state_secrets",
        "no_trade_secrets",
        "no_personal_privacy",
        "scan_summary",
        "scan_acknowledged",
        "comment",
    ]
    readonly_fields = fields
    verbose_name_plural = _("Reviews")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")

    @admin.display(description=_("privacy scan"))
    def scan_summary(self, review):
        findings = [hit for hit in review.scan_hits if "masked" in hit]
        if not findings and not review.scan_hits:
            return gettext("clean")
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            ((hit.get("source", ""), hit.get("masked", hit.get("unscanned"))) for hit in review.scan_hits),
        )


def status_change(event) -> str:
    labels = dict(DisclosureStatus.choices)
    old, new = labels.get(event.from_status, event.from_status), labels.get(event.to_status, event.to_status)
    if old and new and old != new:
        return f"{old} → {new}"
    return str(new or old or "")


class WithdrawForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of reason"), choices=WithdrawalKind.choices)
    reason = forms.CharField(label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 3}))


LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=[LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME_FORMAT),
        help_text=_("Leave empty to publish at once; a future time schedules the publication."),
    )

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value and value < timezone.now() - services.PUBLISH_AT_TOLERANCE:
            raise ValidationError(_("The publication time cannot be in the past."))
        return value


class ReviewForm(PublishForm):
    DECISIONS = [("approve", _("Approve for release")), ("return", _("Return to the department for changes"))]
    PUBLICATION = [
        ("now", _("Publish now")),
        ("at", _("Publish at the time below")),
        ("later", _("Approve only; publish later")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    no_state_secrets = forms.BooleanField(label=_("I checked: no state secrets"), required=False)
    no_trade_secrets = forms.BooleanField(label=_("I checked: no trade secrets"), required=False)
    no_personal_privacy = forms.BooleanField(label=_("I checked: no personal privacy"), required=False)
    acknowledge_scan = forms.BooleanField(
        label=_("The privacy scan's findings are lawful and intended to be published"), required=False
    )
    publication = forms.ChoiceField(
        label=_("Publication"), choices=PUBLICATION, initial="now", widget=forms.RadioSelect, required=False
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning: say what the department should change."),
    )
    field_order = [
        "decision",
        "no_state_secrets",
        "no_trade_secrets",
        "no_personal_privacy",
        "acknowledge_scan",
        "publication",
        "publish_at",
        "comment",
    ]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the department should change."))
        if data.get("decision") == "approve" and data.get("publication") == "at" and not data.get("publish_at"):
            self.add_error("publish_at", _("Give the publication time."))
        return data


@admin.register(Disclosure)
class DisclosureAdmin(RichTextAdminMixin, admin.ModelAdmin):
    form = DisclosureAdminForm
    list_display = ["index_number", "title", "department", "status_display", "published_at", "audience"]
    list_filter = ["status", "notice_kind", "audience", "validity", "category", "department"]
    list_select_related = ["category", "department"]
    search_fields = ["index_number", "title", "document_number", "keywords"]
    # category and item: plain selects bound to each other (static/js/admin-item-picker.js)
    autocomplete_fields = ["replaced_by", "corrects", "interprets"]
    date_hierarchy = "published_at"
    change_form_template = "admin/disclosures/disclosure/change_form.html"
    change_list_template = "admin/disclosures/disclosure/change_list.html"
    base_readonly = [
        "index_number",
        "status",
        "published_at",
        "withdrawn_at",
        "withdrawal_kind",
        "withdrawal_reason",
        "checks",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["index_number", "title", "category", "item", "department", "audience"]}),
        (
            _("Official metadata"),
            {
                "fields": [
                    "document_number",
                    "date_written",
                    "changed_on",
                    "validity",
                    "replaced_by",
                    "interprets",
                    "keywords",
                ]
            },
        ),
        (_("Correction or clarification"), {"fields": ["notice_kind", "corrects"], "classes": ["collapse"]}),
        (_("Content"), {"fields": ["summary", "body"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "checks",
                    "published_at",
                    "withdrawn_at",
                    "withdrawal_kind",
                    "withdrawal_reason",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [AttachmentInline, ReviewInline, AuditEventInline]
    actions = ["submit", "publish", "withdraw"]

    # --- who sees and changes what -----------------------------------------------------------------

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("department", "category")
        return qs.for_departments(permissions.department_ids(request.user))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.in_scope(request.user, obj))

    def has_add_permission(self, request):
        return permissions.can_create(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # items are withdrawn, never deleted

    def has_submit_permission(self, request):
        return request.user.has_perm("disclosures.submit_disclosure")

    def has_publish_permission(self, request):
        return request.user.has_perm("disclosures.publish_disclosure")

    def has_withdraw_permission(self, request):
        return request.user.has_perm("disclosures.withdraw_disclosure")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            queryset = Department.objects.filter(active=True)
            if not permissions.manages_all_departments(request.user):
                queryset = queryset.filter(pk__in=permissions.member_department_ids(request.user))
            kwargs["queryset"] = queryset
        elif db_field.name in permissions.RELATED_ITEM_FIELDS:
            kwargs["queryset"] = permissions.related_item_choices(request.user, db_field.name)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of ``corrects``, ``replaced_by`` and ``interprets`` offers what the form accepts, no more.
        field_name = request.GET.get("field_name")
        if (
            request.GET.get("app_label") == self.opts.app_label
            and request.GET.get("model_name") == self.opts.model_name
            and field_name in permissions.RELATED_ITEM_FIELDS
        ):
            queryset = permissions.related_item_choices(request.user, field_name).select_related(
                "department", "category"
            )
        return super().get_search_results(request, queryset, search_term)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            request_user = request.user
            storage_failed = getattr(request, "_storage_failed", False)

        return RequestForm

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and obj.status == DisclosureStatus.PUBLISHED:
            revision = permissions.open_revision(obj)
            editable = revision is not None and revision.status != RevisionStatus.SUBMITTED
            if editable and request.method == "GET" and permissions.can_edit(request.user, obj):
                # Editing a published item edits its open revision; the published version stays online.
                services.revision_apply_to(obj, revision.data)
                obj._showing_revision = True
        return obj

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: the body as it reads, not its HTML source.
            return [
                (name, {**options, "fields": ["body_html" if f == "body" else f for f in options["fields"]]})
                for name, options in fieldsets
            ]
        return fieldsets

    @admin.display(description=_("body"))
    def body_html(self, obj):
        return format_html('<div class="readonly-richtext">{}</div>', mark_safe(sanitize_html(obj.body or "")))  # noqa: S308

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == DisclosureStatus.PUBLISHED:
            return [*self.base_readonly, "department", "notice_kind", "corrects"]
        return self.base_readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "department" not in initial:
            # An editor who works for one department writes for it: prefilled (still a choice among theirs).
            departments = permissions.member_department_ids(request.user)
            if len(departments) == 1:
                initial["department"] = next(iter(departments))
        if "item" in initial and "category" not in initial:
            item = (
                DisclosureItem.objects.filter(pk=str(initial["item"])).first()
                if str(initial["item"]).isdigit()
                else None
            )
            if item is not None:
                initial["category"] = item.category_id
        corrects = request.GET.get("corrects")
        if corrects and corrects.isdigit():
            target = Disclosure.objects.filter(pk=corrects, status=DisclosureStatus.PUBLISHED).first()
            if target is not None and permissions.in_scope(request.user, target):
                draft = services.correction_prepare(
                    corrects=target, kind=request.GET.get("notice_kind") or NoticeKind.CORRECTION
                )
                for name in ("category", "item", "department"):
                    initial[name] = getattr(draft, f"{name}_id")
                initial.update(audience=draft.audience, date_written=draft.date_written, notice_kind=draft.notice_kind)
        return initial

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return format_html('<span class="wf-status wf-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("review records"))
    def checks(self, obj):
        if obj is None or obj.approved_at is None:
            return gettext("No confidentiality review or release approval recorded yet.")
        return format_html(
            "{}: {} · {}<br>{}: {} · {}",
            gettext("Confidentiality review"),
            obj.security_checked_by or "—",
            timezone.localtime(obj.security_checked_at).strftime("%Y-%m-%d %H:%M"),
            gettext("Release approval"),
            obj.approved_by or "—",
            timezone.localtime(obj.approved_at).strftime("%Y-%m-%d %H:%M"),
        )

    # --- saving through the services ---------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            self._read_uploads(request)
        try:
            # One block around the admin's transaction: the files of attachments already stored go too when a
            # later one fails.
            with StoredFiles():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageFailed:
            # The admin saves in one transaction, rolled back, and the files written are removed: nothing was
            # saved. Show the form again, with what was typed and the reason. A file input cannot be refilled,
            # and the uploads already handed to the storage may be gone (a large one is moved, not copied), so
            # the second pass sees none: each attachment row asks for its file again.
            request._storage_failed = True
            request._files = MultiValueDict()
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 503
            response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
            return response

    @staticmethod
    def _read_uploads(request) -> None:
        """Read the text of every uploaded attachment now, before the admin's transaction (and on SQLite its lock
        on the whole database) starts: OCR of a scanned file takes seconds. Kept on each upload for saving."""
        for uploaded in (upload for key in request.FILES for upload in request.FILES.getlist(key)):
            try:
                checked = services.attachment_check(uploaded=uploaded)
            except ValidationError:
                continue  # the form says why
            services.attachment_read(uploaded=uploaded, checked=checked)

    def save_model(self, request, obj, form, change):
        try:
            if services.disclosure_change(disclosure=obj, user=request.user) is not None:
                self.message_user(
                    request,
                    gettext(
                        "Your changes are kept as a revision. The published version stays online until the "
                        "revision is submitted and approved."
                    ),
                    messages.INFO,
                )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, "; ".join(_messages(error)), messages.ERROR)
            raise PermissionDenied from error

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        stored, retitled = [], []
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            checked = getattr(inline_form, "checked", None)
            if checked is not None:
                stored.append((inline_form.instance, checked))
            elif inline_form.instance.pk:
                retitled.append(inline_form.instance)
        services.attachments_save(user=request.user, removed=formset.deleted_objects, stored=stored, retitled=retitled)
        formset.save_m2m()

    # --- workflow pages ----------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("compliance/", wrap(self.compliance_view), name="disclosures_compliance"),
            path("import/", wrap(partial(import_admin.import_view, self)), name="disclosures_disclosure_import"),
            path(
                "import/template.xlsx",
                wrap(partial(import_admin.template_view, self)),
                name="disclosures_import_template",
            ),
            path("compliance/export.<str:fmt>", wrap(self.compliance_export), name="disclosures_compliance_export"),
            path("<int:pk>/submit/", wrap(self.submit_view), name="disclosures_disclosure_submit"),
            path("<int:pk>/endorse/", wrap(self.endorse_view), name="disclosures_disclosure_endorse"),
            path("<int:pk>/review/", wrap(self.review_view), name="disclosures_disclosure_review"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="disclosures_disclosure_publish"),
            path("<int:pk>/withdraw/", wrap(self.withdraw_view), name="disclosures_disclosure_withdraw"),
            *super().get_urls(),
        ]

    def _get_scoped(self, request, pk) -> Disclosure:
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _change_url(self, disclosure) -> str:
        return reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])

    def _context(self, request, disclosure, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": disclosure,
            "disclosure": disclosure,
            "title": title,
            "change_url": self._change_url(disclosure),
            **extra,
        }

    def _run(self, request, disclosure, action, success: str):
        try:
            action()
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, "; ".join(_messages(error)), messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(disclosure))

    def submit_view(self, request, pk):
        return require_POST(self._submit)(request, pk)

    def _submit(self, request, pk):
        disclosure = self._get_scoped(request, pk)
        return self._run(
            request,
            disclosure,
            lambda: services.disclosure_submit(disclosure=disclosure, user=request.user),
            gettext("Submitted for review. The disclosure office has been notified."),
        )

    def endorse_view(self, request, pk):
        return require_POST(self._endorse)(request, pk)

    def _endorse(self, request, pk):
        disclosure = self._get_scoped(request, pk)
        return self._run(
            request,
            disclosure,
            lambda: services.disclosure_endorse(disclosure=disclosure, user=request.user),
            gettext("Approved for the department. The disclosure office reviews it next."),
        )

    def review_view(self, request, pk):
        disclosure = self._get_scoped(request, pk)
        if not permissions.can_review(request.user, disclosure):
            self.message_user(request, gettext("This item is not waiting for your review."), messages.WARNING)
            return HttpResponseRedirect(self._change_url(disclosure))
        revision = permissions.open_revision(disclosure) if disclosure.status == DisclosureStatus.PUBLISHED else None
        services.attachment_texts_prepare(disclosure=disclosure)  # files stored before their text was kept
        if request.method == "POST" and request.POST.get("mask"):
            return self._mask(request, disclosure)
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            publication = data.get("publication") or "now"
            try:
                if data["decision"] == "return":
                    services.disclosure_return(disclosure=disclosure, user=request.user, comment=data["comment"])
                    done = gettext("Returned to the department with your comments.")
                else:
                    review = services.disclosure_approve_and_publish(
                        disclosure=disclosure,
                        user=request.user,
                        no_state_secrets=data["no_state_secrets"],
                        no_trade_secrets=data["no_trade_secrets"],
                        no_personal_privacy=data["no_personal_privacy"],
                        acknowledge_scan=data["acknowledge_scan"],
                        comment=data["comment"],
                        publish=publication in ("now", "at"),
                        at=data["publish_at"] if publication == "at" else None,
                    )
                    done = _approval_message(review, disclosure)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or gettext("You may not do this with this item."))
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(disclosure))
        changes = services.revision_changes(disclosure=disclosure, revision=revision) if revision is not None else []
        report = services.privacy_scan(disclosure=disclosure, revision=revision)
        sources = [finding.source for finding in report.findings]
        text_sources = {gettext("Title"), gettext("Summary"), gettext("Document number"), gettext("Body")}
        attachments = [] if revision is not None else list(disclosure.attachments.all())
        context = self._context(
            request,
            disclosure,
            gettext("Review: %(title)s") % {"title": disclosure.title},
            form=form,
            report=report,
            text_findings=sum(1 for source in sources if source in text_sources),
            attachment_findings=[
                (
                    attachment,
                    sources.count(attachment.display_title),
                    attachment.content_type in services.MASKABLE_TYPES,
                )
                for attachment in attachments
                if attachment.display_title in sources
            ],
            revision=revision,
            changes=changes,
            preview_url=disclosure.get_absolute_url(),
        )
        return TemplateResponse(request, "admin/disclosures/disclosure/review.html", context)

    def _mask(self, request, disclosure):
        """The review page's one-click masking: the text's findings, or one Word or Excel attachment's."""
        try:
            if request.POST["mask"] == "text":
                count = services.disclosure_mask_text(disclosure=disclosure, user=request.user)
            else:
                attachment = disclosure.attachments.filter(pk=request.POST.get("attachment") or 0).first()
                if attachment is None:
                    raise ValidationError(gettext("This attachment no longer exists."))
                count = services.attachment_mask(attachment=attachment, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, "; ".join(_messages(error)), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("%(count)d finding(s) masked.") % {"count": count} if count else gettext("Nothing to mask."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)

    def publish_view(self, request, pk):
        disclosure = self._get_scoped(request, pk)
        if not permissions.can_publish(request.user, disclosure):
            self.message_user(request, gettext("You may not publish this item."), messages.WARNING)
            return HttpResponseRedirect(self._change_url(disclosure))
        initial = {}
        if disclosure.status == DisclosureStatus.SCHEDULED and disclosure.published_at:
            initial["publish_at"] = timezone.localtime(disclosure.published_at)
        form = PublishForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.disclosure_publish(
                    disclosure=disclosure, user=request.user, at=form.cleaned_data["publish_at"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, gettext("Done: %(status)s.") % {"status": disclosure.get_status_display()})
                return HttpResponseRedirect(self._change_url(disclosure))
        context = self._context(
            request, disclosure, gettext("Publish: %(title)s") % {"title": disclosure.title}, form=form
        )
        return TemplateResponse(request, "admin/disclosures/disclosure/publish.html", context)

    def withdraw_view(self, request, pk):
        disclosure = self._get_scoped(request, pk)
        if not permissions.can_withdraw(request.user, disclosure):
            self.message_user(request, gettext("You may not withdraw this item."), messages.WARNING)
            return HttpResponseRedirect(self._change_url(disclosure))
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.disclosure_withdraw(
                    disclosure=disclosure,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, gettext("The item was withdrawn."), messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(disclosure))
        context = self._context(
            request,
            disclosure,
            gettext("Withdraw: %(title)s") % {"title": disclosure.title},
            form=form,
            queryset=[disclosure],
            single=True,
        )
        return TemplateResponse(request, "admin/disclosures/disclosure_withdraw.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            revision = permissions.open_revision(obj) if obj.status == DisclosureStatus.PUBLISHED else None
            context.update(
                DisclosureStatus=DisclosureStatus,
                workflow={
                    "revision": revision,
                    "showing_revision": getattr(obj, "_showing_revision", False),
                    "can_submit": permissions.can_submit(user, obj),
                    "can_endorse": permissions.can_endorse(user, obj),
                    "can_review": permissions.can_review(user, obj),
                    "can_publish": permissions.can_publish(user, obj),
                    "can_withdraw": permissions.can_withdraw(user, obj),
                    "can_correct": permissions.can_correct(user, obj),
                    "needs_endorsement": permissions.awaiting_review(obj) and obj.needs_endorsement,
                    "last_return": obj.reviews.filter(decision=ReviewDecision.RETURNED).first()
                    if obj.status == DisclosureStatus.RETURNED
                    or (revision is not None and revision.status == RevisionStatus.RETURNED)
                    else None,
                },
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions ------------------------------------------------------------------------------

    def _bulk(self, request, queryset, action, done_message):
        done, refused = 0, []
        for disclosure in queryset:
            try:
                action(disclosure)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{disclosure.index_number}: {'; '.join(_messages(error))}")
        self.message_user(request, done_message(done), messages.SUCCESS if done else messages.WARNING)
        if refused:
            self.message_user(request, " · ".join(refused[:10]), messages.ERROR)

    @admin.action(description=_("Submit the selected items for review"), permissions=["submit"])
    def submit(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda d: services.disclosure_submit(disclosure=d, user=request.user),
            lambda n: ngettext("%(count)d item submitted.", "%(count)d items submitted.", n) % {"count": n},
        )

    @admin.action(description=_("Publish the selected approved items now"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda d: services.disclosure_publish(disclosure=d, user=request.user),
            lambda n: ngettext("%(count)d item published.", "%(count)d items published.", n) % {"count": n},
        )

    @admin.action(description=_("Withdraw the selected items"), permissions=["withdraw"])
    def withdraw(self, request, queryset):
        published = queryset.filter(status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.SCHEDULED])
        form = WithdrawForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            self._bulk(
                request,
                published,
                lambda d: services.disclosure_withdraw(
                    disclosure=d, user=request.user, reason=form.cleaned_data["reason"], kind=form.cleaned_data["kind"]
                ),
                lambda n: ngettext("%(count)d item withdrawn.", "%(count)d items withdrawn.", n) % {"count": n},
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

    # --- compliance dashboard ----------------------------------------------------------------------

    def _window(self, request) -> tuple[datetime.date, str]:
        raw = request.GET.get("window", "")
        try:
            return datetime.datetime.strptime(raw, "%Y-%m").date(), ""
        except ValueError:
            error = gettext("“%(value)s” is not a month (YYYY-MM); showing the latest window.") % {"value": raw}
            return compliance.default_window(), error if raw else ""

    def compliance_view(self, request):
        if not permissions.can_view_compliance(request.user):
            raise PermissionDenied
        start, error = self._window(request)
        report = compliance.self_inspection(start_month=start)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Compliance dashboard"),
            "report": report,
            "window_value": start.strftime("%Y-%m"),
            "window_error": error,
            **compliance.dashboard(),
            "guide_placeholders": placeholder_fields(DisclosureGuide.current()),
            "broken_links": BrokenLink.objects.select_related("disclosure").order_by("disclosure__index_number", "url"),
            "change_updates": compliance.change_updates(),
        }
        return TemplateResponse(request, "admin/disclosures/compliance.html", context)

    def compliance_export(self, request, fmt):
        if not permissions.can_view_compliance(request.user):
            raise PermissionDenied
        if fmt not in ("xlsx", "csv"):
            raise Http404
        start, _error = self._window(request)
        report = compliance.self_inspection(start_month=start)
        title = gettext("Bi-monthly self-inspection")
        name = f"{title}-{report.start:%Y-%m}-{report.end:%Y-%m}.{fmt}"
        if fmt == "xlsx":  # written row by row into a temporary file, sent from it
            return exports.xlsx_response(compliance.build_xlsx(report), name)
        return exports.csv_response(compliance.csv_rows(report), name)  # streamed


def _approval_message(review: Review, disclosure: Disclosure) -> str:
    if review.revision_id is not None:
        return gettext("Approved: the published item now shows the revised content.")
    if disclosure.status == DisclosureStatus.PUBLISHED:
        return gettext("Approved and published.")
    if disclosure.status == DisclosureStatus.SCHEDULED:
        return gettext("Approved and scheduled for publication.")
    return gettext("Approved.")


def _messages(error) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or gettext("You may not do this with this item.")]
    return [str(message) for message in error.messages]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The site-wide audit trail: read-only for everyone, filtered to the departments one may see."""

    list_display = ["created_at", "disclosure_link", "department", "action", "actor_name", "status", "short_comment"]
    list_filter = ["action", "disclosure__department", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["disclosure", "disclosure__department"]
    search_fields = ["disclosure__index_number", "disclosure__title", "actor_name", "comment"]
    date_hierarchy = "created_at"
    fields = ["created_at", "disclosure", "action", "actor_name", "status", "changes_display", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).for_departments(permissions.department_ids(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("disclosure"), ordering="disclosure__index_number")
    def disclosure_link(self, event):
        url = reverse("admin:disclosures_disclosure_change", args=[event.disclosure_id])
        return format_html('<a href="{}">{}</a> {}', url, event.disclosure.index_number, event.disclosure.title[:40])

    @admin.display(description=_("department"))
    def department(self, event):
        return event.disclosure.department

    @admin.display(description=_("status"))
    def status(self, event):
        return status_change(event)

    @admin.display(description=_("comment"))
    def short_comment(self, event):
        return (event.comment[:60] + "…") if len(event.comment) > 60 else event.comment

    @admin.display(description=_("changed values"))
    def changes_display(self, event):
        return format_changes(event.changes)
