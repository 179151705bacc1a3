"""The project's own admin pages: authenticators for two-factor sign-in (the apps register their models)."""

from django.contrib import admin
from django_otp.plugins.otp_static import admin as static_admin

from portal.authenticator_admin import AuthenticatorAdmin, TOTPDevice

# In place of django-otp's own admin (whose module registered it on import).
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorAdmin)
# Backup codes are made on the two-factor page (shown once) or by `manage.py two_factor_setup`; an admin page
# listing them would show them again.
if admin.site.is_registered(static_admin.StaticDevice):  # registered when its module was imported above
    admin.site.unregister(static_admin.StaticDevice)
