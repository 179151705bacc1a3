"""Settings for the test suite: the real settings with fast hashing, in-memory cache and plain static files."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("PORTAL_MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-test-media-"))

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests open connections from several threads (the live server); close them after each request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Every request sees the content version of the moment (production re-reads it once a second per process).
CONTENT_VERSION_SECONDS = 0
# Sign-in lock-out off (Client.login() passes no request, which django-axes needs); tests/portal/test_staff_login.py
# turns it on for its own tests.
AXES_ENABLED = False
# Tests sign staff in with force_login (no authenticator); tests/portal/test_staff_login.py turns the
# administrators' two-factor requirement back on for its own tests.
STAFF_REQUIRE_2FA_FOR_ADMINS = False

# A read-replica alias that mirrors the test database, so that the router can be tested (tests/portal/
# test_db_router.py turns it on); the suite itself reads and writes through the primary only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
