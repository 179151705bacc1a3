"""A real CAS 2.0/3.0 server (django-cas-server) for the campus sign-in tests: its own SQLite, loopback only."""

from common_settings import *  # noqa: F403
from common_settings import INSTALLED_APPS, cookies, database

SECRET_KEY = "cas-test-server-only-not-a-secret-0123456789"
INSTALLED_APPS = [*INSTALLED_APPS, "cas_server"]
DATABASES = database("cas")
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = cookies("cas")
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
CAS_SHOW_POWERED = False
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
