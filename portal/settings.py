"""Settings for the disclosure portal.

Everything that differs between machines comes from environment variables (see README.md); the helpers
in ``portal.env`` stop start-up with a message naming the variable when a value is malformed.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_networks, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY").strip()
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 characters long.")
        return key
    # A key generated for this checkout (by `make install`/`make run`, or here in DEBUG mode) lives in an
    # ignored file; a deployment sets DJANGO_SECRET_KEY instead and never has one.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        if not DEBUG:
            raise ImproperlyConfigured(
                "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (`make run` generates one for you)."
            )
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "requests_app",
    "disclosures",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_ckeditor_5",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the path, the query or the session cookie.
    "portal.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # ETag on every page and 304 answers to conditional requests; then the anonymous page cache.
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.middleware.PageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL names another one.
_database_url = env_url("DATABASE_URL", schemes=("sqlite", "postgres", "postgresql"))
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Keep connections open between requests: opening one (and its PRAGMAs) costs more than a page query.
            "CONN_MAX_AGE": 60,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Concurrent writers wait for each other instead of failing with "database is locked".
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set.
_redis_url = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}

# Anonymous GET pages are cached (keyed on the content version the services move on every change).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300, minimum=1)
# Rendered pieces of pages (filter forms, lists), keyed the same way; on whether or not whole pages are cached.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE", True)
# Each process re-reads the content version from the database at most this often (0: on every request).
CONTENT_VERSION_SECONDS = float(env_int("CONTENT_VERSION_MS", 1000, minimum=0)) / 1000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("PORTAL_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# Uploads
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 50, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# HTTPS and proxies
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

# Campus-only items are shown to these networks (and to signed-in staff).
CAMPUS_NETWORKS = env_networks("CAMPUS_NETWORKS")

# E-mail: the console unless an SMTP host is configured.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "xxgk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The college this site serves.
PORTAL_SITE_NAME = env_str("PORTAL_SITE_NAME", "城市职业学院信息公开网")
PORTAL_SITE_NAME_EN = env_str("PORTAL_SITE_NAME_EN", "City Vocational College: Information Disclosure")
PORTAL_INDEX_PREFIX = env_str("PORTAL_INDEX_PREFIX", "HCVC")
# Proactive items are due within this many working days of being made (the 2014 list's rule).
PUBLICATION_LIMIT_WORKING_DAYS = env_int("PUBLICATION_LIMIT_WORKING_DAYS", 20, minimum=1)
ITEMS_PER_PAGE = 20
# The address of the site in e-mail notices (no trailing slash).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# What the public page of an item withdrawn for a legal reason answers: 410 (gone) or 404 (not found).
DISCLOSURE_LEGAL_WITHDRAWAL_STATUS = env_int("DISCLOSURE_LEGAL_WITHDRAWAL_STATUS", 410, minimum=404)
if DISCLOSURE_LEGAL_WITHDRAWAL_STATUS not in (404, 410):
    raise ImproperlyConfigured(
        f"DISCLOSURE_LEGAL_WITHDRAWAL_STATUS must be 404 or 410; got {DISCLOSURE_LEGAL_WITHDRAWAL_STATUS}."
    )
# Whether the person who submitted an item may also approve it (off: four eyes on every release).
DISCLOSURE_SELF_APPROVAL = env_bool("DISCLOSURE_SELF_APPROVAL", False)
# Attachment text extraction for the privacy scan: characters kept per file and seconds spent per file.
PRIVACY_SCAN_MAX_CHARS = env_int("PRIVACY_SCAN_MAX_CHARS", 500_000, minimum=1000)
PRIVACY_SCAN_SECONDS = env_int("PRIVACY_SCAN_SECONDS", 10, minimum=1)

# Applications for disclosure (依申请公开). The Measures' defaults: reply within 15 working days of receipt,
# one extension of at most 15 more. The State Council's regulation for government bodies uses 20 + 20.
APPLICATION_TRACKING_PREFIX = env_str("APPLICATION_TRACKING_PREFIX", "YSQ")
APPLICATION_REPLY_DAYS = env_int("APPLICATION_REPLY_DAYS", 15, minimum=1)
APPLICATION_EXTENSION_DAYS = env_int("APPLICATION_EXTENSION_DAYS", 15, minimum=0)
# Working days the applicant has to answer a request for clarification before the application lapses.
APPLICATION_CLARIFICATION_DAYS = env_int("APPLICATION_CLARIFICATION_DAYS", 15, minimum=1)
# Reminders go to handlers for applications due within this many working days (and overdue ones).
APPLICATION_REMINDER_DAYS = env_int("APPLICATION_REMINDER_DAYS", 3, minimum=0)
# ID proofs are deleted and ID numbers masked this many days after an application is closed.
APPLICATION_RETENTION_DAYS = env_int("APPLICATION_RETENTION_DAYS", 730, minimum=1)
APPLICATION_ATTACHMENT_MAX_BYTES = env_int("APPLICATION_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
APPLICATION_MAX_ATTACHMENTS = env_int("APPLICATION_MAX_ATTACHMENTS", 5, minimum=1)
# Public forms: an arithmetic check ("off", "on", or "test", which also accepts the answer PASSED).
ABUSE_CAPTCHA = env_str("ABUSE_CAPTCHA", "off").strip().lower()
if ABUSE_CAPTCHA not in {"off", "on", "test"}:
    raise ImproperlyConfigured(f"ABUSE_CAPTCHA must be off, on or test; got {ABUSE_CAPTCHA!r}.")
# Submissions allowed per client address per hour and per phone/e-mail per day, for every public form.
ABUSE_RATE_LIMITS = {
    "default": {
        "ip": (env_int("ABUSE_LIMIT_PER_IP_HOUR", 10, minimum=1), 3600),
        "contact": (env_int("ABUSE_LIMIT_PER_CONTACT_DAY", 5, minimum=1), 86400),
    },
    # Evaluation surveys (scope "survey:<id>"): answers per client address per survey and day; one per browser
    # is enforced separately by a signed cookie.
    "survey": {
        "ip": (env_int("SURVEY_ANSWERS_PER_IP_DAY", 30, minimum=1), 86400),
        "contact": (1, 86400),
    },
}
# Wrong access codes allowed (per client and per tracking number) before a lock-out of this many seconds.
TRACKING_MAX_FAILURES = env_int("TRACKING_MAX_FAILURES", 5, minimum=1)
TRACKING_LOCKOUT_SECONDS = env_int("TRACKING_LOCKOUT_SECONDS", 900, minimum=1)

# Feedback channels (在线咨询, 监督投诉, 书记/校长信箱): working days to answer, and tracking-number prefixes.
FEEDBACK_REPLY_DAYS = {
    "consultation": env_int("FEEDBACK_CONSULTATION_DAYS", 5, minimum=1),
    "complaint": env_int("FEEDBACK_COMPLAINT_DAYS", 15, minimum=1),
    "mailbox": env_int("FEEDBACK_MAILBOX_DAYS", 10, minimum=1),
}
FEEDBACK_TRACKING_PREFIXES = {"consultation": "ZX", "complaint": "TS", "mailbox": "XX"}
FEEDBACK_BOARD_PER_PAGE = 10
# Open messages due within this many working days (and overdue ones) are in the daily reminder e-mail.
FEEDBACK_REMINDER_DAYS = env_int("FEEDBACK_REMINDER_DAYS", 2, minimum=0)
# Senders' names, phone numbers and e-mail addresses are masked this many days after a message is closed.
FEEDBACK_RETENTION_DAYS = env_int("FEEDBACK_RETENTION_DAYS", 730, minimum=1)

LOGIN_URL = "admin:login"

# Rich-text editor (CKEditor 5). Stored HTML is sanitised with nh3 whatever the editor sends.
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_FILE_STORAGE = "disclosures.uploads.EditorImageStorage"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "underline",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "outdent",
                "indent",
                "|",
                "insertTable",
                "imageUpload",
                "blockQuote",
                "|",
                "removeFormat",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "Heading 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "Heading 3", "class": "ck-heading_heading3"},
                {"model": "heading4", "view": "h4", "title": "Heading 4", "class": "ck-heading_heading4"},
            ]
        },
        "table": {
            "contentToolbar": ["tableColumn", "tableRow", "mergeTableCells", "tableProperties", "tableCellProperties"]
        },
        "image": {"toolbar": ["imageTextAlternative", "|", "imageStyle:alignLeft", "imageStyle:alignRight"]},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
