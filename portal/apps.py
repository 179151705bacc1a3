from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


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
        TOTPDevice._meta.verbose_name = _("authenticator")
        TOTPDevice._meta.verbose_name_plural = _("authenticators")


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff sign-in rules of portal.staff_auth.StaffAdminSite."""

    default = False  # named in INSTALLED_APPS; not the "portal" app's own configuration
    default_site = "portal.staff_auth.StaffAdminSite"
