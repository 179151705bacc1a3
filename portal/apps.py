from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def boolean_icon(value):
    """django.contrib.admin's yes/no/unknown icon, its text translated."""
    name, text = {True: ("yes", _("Yes")), False: ("no", _("No")), None: ("unknown", _("Unknown"))}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default = True

    def ready(self):
        # django-otp names its authenticators in English only. The names shown are set here; the model's
        # declared options, which migrations compare, stay as they are.
        from django.apps import apps
        from django_otp.plugins.otp_totp.models import TOTPDevice

        apps.get_app_config("otp_totp").verbose_name = _("Two-factor authentication")
        # django-axes names its admin section after the package ("AXES" in the menu): named here too.
        apps.get_app_config("axes").verbose_name = _("Sign-in lock-out")
        # The admin's yes/no icons say "True"/"False" in English to screen readers: said in the page's language.
        admin_list._boolean_icon = boolean_icon
        TOTPDevice._meta.verbose_name = _("authenticator")
        TOTPDevice._meta.verbose_name_plural = _("authenticators")


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff sign-in rules of portal.staff_auth.StaffAdminSite."""

    default = False  # named in INSTALLED_APPS; not the "portal" app's own configuration
    default_site = "portal.staff_auth.StaffAdminSite"
