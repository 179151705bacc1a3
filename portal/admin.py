"""The project's own admin pages: authenticators for two-factor sign-in (the apps register their models)."""

from django.contrib import admin

from portal.authenticator_admin import AuthenticatorAdmin, TOTPDevice

# In place of django-otp's own admin (whose module registered it on import).
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorAdmin)
