from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default = True


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff sign-in rules of portal.staff_auth.StaffAdminSite."""

    default = False  # named in INSTALLED_APPS; not the "portal" app's own configuration
    default_site = "portal.staff_auth.StaffAdminSite"
