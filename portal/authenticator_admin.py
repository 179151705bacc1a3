"""Authenticators (django-otp's TOTP devices) in the admin, in the site's languages.

django-otp's own admin shows every setting of the algorithm with English labels. Administrators here need less:
whose authenticator it is, its name, whether sign-in asks for its code, when it was last used, how many wrong
codes in a row it has seen, and its QR code to hand over. The algorithm's settings (a generated key, 30-second
steps, six digits) keep their defaults. Imported by portal/admin.py, which registers it in place of django-otp's.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.conf import settings as otp_settings
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

# Form labels and help texts of the fields an administrator edits (the model's own are plain English strings).
FIELD_TEXTS = {
    "user": (_("staff member"), _("Who signs in with this authenticator.")),
    "name": (_("name"), _("A name that tells this authenticator apart, e.g. “office phone”.")),
    "confirmed": (
        _("in use"),
        _("Sign-in asks for this authenticator's code. Untick to stop asking (say, while a lost phone is replaced)."),
    ),
}


class InUseFilter(admin.SimpleListFilter):
    title = _("in use")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("1", _("Yes")), ("0", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in {"0", "1"}:
            return queryset.filter(confirmed=self.value() == "1")
        return queryset


def _when(value) -> str:
    return formats.date_format(value, "Y-m-d H:i") if value else "—"


class AuthenticatorAdmin(TOTPDeviceAdmin):
    list_display = ["user_column", "name_column", "in_use", "created", "last_used"]
    list_display_links = ["user_column", "name_column"]
    list_filter = [InUseFilter]
    readonly_fields = ["created", "last_used", "wrong_codes", "qrcode_link"]
    search_help_text = _("Search by user name or e-mail address.")

    def get_list_display(self, request):
        return self.list_display  # the QR code is on each authenticator's own page

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["user", "name", "confirmed"]})]
        if obj is not None:
            fieldsets.append((_("Use"), {"fields": ["created", "last_used", "wrong_codes", "qrcode_link"]}))
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in FIELD_TEXTS:
            field.label, field.help_text = FIELD_TEXTS[db_field.name]
        return field

    @admin.display(description=_("staff member"), ordering="user__username")
    def user_column(self, device: TOTPDevice):
        return device.user

    @admin.display(description=_("name"), ordering="name")
    def name_column(self, device: TOTPDevice):
        return device.name

    @admin.display(description=_("in use"), boolean=True, ordering="confirmed")
    def in_use(self, device: TOTPDevice):
        return device.confirmed

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, device: TOTPDevice):
        return _when(device.created_at)

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device: TOTPDevice):
        return _when(device.last_used_at)

    @admin.display(description=_("wrong codes in a row"))
    def wrong_codes(self, device: TOTPDevice):
        return device.throttling_failure_count

    @admin.display(description=_("QR code"))
    def qrcode_link(self, device: TOTPDevice):
        if otp_settings.OTP_ADMIN_HIDE_SENSITIVE_DATA or device.pk is None:
            return "—"
        url = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', url, _("Show the QR code to scan"))
