"""Settings for the disclosure portal.

Everything that differs between machines comes from environment variables (see README.md); the helpers
in ``portal.env`` stop start-up with a message naming the variable when a value is malformed.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from portal.env import (
    env_bool,
    env_choice,
    env_database,
    env_header,
    env_int,
    env_list,
    env_networks,
    env_pattern,
    env_s3_media_storage,
    env_str,
    env_url,
)

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
    # The apps by feature, each depending only on those below it (import-linter checks it: pyproject.toml).
    "portal",
    "annual_reports",
    "feedback",
    "requests_app",
    "disclosures",
    "core",
    "demo",
    # The admin with the staff sign-in rules (lock-out, two-factor): portal.staff_auth.StaffAdminSite.
    "portal.apps.StaffAdminConfig",
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
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-use backup codes
]

MIDDLEWARE = [
    # Security headers first, so that every response carries them (static files and cached pages included).
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, JSON, XML and feeds compressed when the client accepts it: above everything that reads or writes the
    # body (the page cache stores it uncompressed), below WhiteNoise (static files come precompressed).
    "portal.middleware.CompressionMiddleware",
    # Before anything reads the path, the query or the session cookie.
    "portal.middleware.NulCharacterMiddleware",
    "portal.db_router.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Pages: the language their address says (/en/…); the admin, the API and feeds: the visitor's choice.
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.staff_auth.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Files sent with a form that came back with errors are kept for the next post (core.pending_uploads).
    "core.pending_uploads.PendingUploadMiddleware",
    # ETag on every page and 304 answers to conditional requests; then the anonymous page cache.
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.middleware.PageCacheMiddleware",
    # Staff sign-in lock-out (django-axes): last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
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
_database = env_database("DATABASE_URL", schemes=("sqlite", "postgres", "postgresql"))
if _database:
    DATABASES = {"default": _database}
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

# A PostgreSQL read replica (hot standby): anonymous GET/HEAD requests without a session read from it, everything
# else (writes, staff, applicants following their own records, transactions, commands) uses the primary.
# See portal/db_router.py. Migrations run on the primary only; in tests the replica mirrors the test database.
_replica = env_database("DATABASE_REPLICA_URL", schemes=("postgres", "postgresql"))
if _replica:
    if DATABASES["default"]["ENGINE"] != _replica["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to name the PostgreSQL primary.")
    # Even a writable copy refuses writes: the router never sends any, and a mistake fails loudly.
    _replica_options = _replica.setdefault("OPTIONS", {})
    _replica_options["options"] = f"{_replica_options.get('options', '')} -c default_transaction_read_only=on".strip()
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set.
_redis_url = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Where rate limits and lock-outs count (core.counters): a store every process shares. "database" (a table made by
# migrate) unless Redis is configured, then "cache"; never the local-memory cache, which counts per process.
LIMIT_COUNTERS = env_choice("LIMIT_COUNTERS", ("database", "cache"), "cache" if _redis_url else "database")
if LIMIT_COUNTERS == "cache" and not _redis_url:
    raise ImproperlyConfigured("LIMIT_COUNTERS=cache needs a shared cache: set REDIS_URL, or use database.")

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
# locale_vendor: Chinese for third-party strings without it (see the header of its django.po).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("PORTAL_MEDIA_ROOT", str(VAR_DIR / "media")))
# Backups are encrypted (portal/backup.py) with this key (32 bytes, URL-safe base64), or with the key in this file
# (created by the first backup): kept outside the backups, and a copy of it somewhere safe.
BACKUP_KEY = env_str("BACKUP_KEY", "")
BACKUP_KEY_FILE = Path(env_str("BACKUP_KEY_FILE", str(VAR_DIR / "backup.key")))
# Uploaded files: local files under MEDIA_ROOT, or a private S3-compatible bucket when MEDIA_S3_BUCKET is set
# (see portal/env.py). Either way they are only ever served through views that check who may see them.
_s3_media = env_s3_media_storage()
STORAGES = {
    "default": _s3_media or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# Uploads
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 50, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# HTTPS and proxies. `make run` serves plain HTTP on 127.0.0.1 (DJANGO_HTTPS unset); a deployment behind TLS sets
# DJANGO_HTTPS=1 and passes `manage.py check --deploy` without a warning.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
HTTPS = env_bool("DJANGO_HTTPS", False)
# The header a TLS-terminating proxy sets to "https" (it must overwrite whatever the client sent): by default
# trusted only for a site served over HTTPS behind trusted proxies (on a plain-HTTP site a client could
# otherwise pass for a secure one).
_proxy_ssl_header = env_header("DJANGO_PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS and TRUSTED_PROXY_COUNT else "")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # A load balancer's health check may speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=1)
    # The portal usually lives on a host of its own (xxgk.example.edu.cn): covering the hosts below it is safe.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading binds the whole registrable domain (the college's), so it is the domain owner's decision and
    # off by default; the check that only reminds of it is silenced while it is off.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of the site uses, denied to every page (portal.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no inline script
# or style, no plugins, no framing. Nonces are never used: anonymous pages are cached and shared. The admin's
# rich-text editor pages alone add inline styles and data: images, which CKEditor 5 uses while an image uploads
# (core.richtext.RichTextAdminMixin).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    }
}
CSP_EDITOR_UPDATE = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]}

# Sessions (staff sign-in, and the tracking pages' access grants): a working day at most, and gone when the
# browser closes.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Staff sign-in: django-axes locks a user name out, for the client address that failed, after this many wrong
# passwords (or authenticator codes) in a row, for this long, or until an administrator deletes the attempt
# (admin: 访问尝试 / Access attempts) or runs `manage.py axes_reset_username NAME`. Locking the pair rather than the
# name alone keeps an outsider from locking staff out, and one campus NAT address from locking out everyone.
# Across addresses, an account takes LOGIN_ACCOUNT_FAILURE_LIMIT wrong tries in all (guessing from many addresses
# stops there); portal.staff_auth.failure_limit gives django-axes the limit that applies to each sign-in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20, minimum=1)
AXES_FAILURE_LIMIT = "portal.staff_auth.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.staff_auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.http.client_address_key"  # IPv6 counted by /64
AXES_VERBOSE = False  # no banner on every start-up; failures are still logged
# Two-factor sign-in (django-otp, TOTP authenticator apps): staff with a confirmed device must give its code; with
# STAFF_REQUIRE_2FA on, staff without one cannot use the admin until an administrator sets one up for them.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)
# Superusers and site administrators (网站管理员), who grant rights and read applicants' data, need it by default.
STAFF_REQUIRE_2FA_FOR_ADMINS = env_bool("STAFF_REQUIRE_2FA_FOR_ADMINS", True)

# Campus-only items are shown to these networks (and to signed-in staff).
CAMPUS_NETWORKS = env_networks("CAMPUS_NETWORKS")

# Campus sign-in (README "Campus sign-in"): the college's CAS (2.0/3.0, django-cas-ng's client) or OpenID Connect
# provider (mozilla-django-oidc). Staff are matched to their existing account (never created); anyone else the
# provider vouches for gets a campus session (campus-only items off campus, nothing of the admin).
PORTAL_SSO = env_choice("PORTAL_SSO", ("none", "cas", "oidc"), "none")
# Which account field the provider's name is compared with (case-insensitively): username or email.
PORTAL_SSO_MATCH_FIELD = env_choice("PORTAL_SSO_MATCH_FIELD", ("username", "email"), "username")
CAS_SERVER_URL = env_url("CAS_SERVER_URL", schemes=("http", "https"))
CAS_VERSION = env_choice("CAS_VERSION", ("2", "3"), "3")
# Empty: the CAS user itself; else the name of a CAS attribute (e.g. mail) holding the value to match.
CAS_USERNAME_ATTRIBUTE = env_str("CAS_USERNAME_ATTRIBUTE")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_OP_AUTHORIZATION_ENDPOINT", schemes=("http", "https"))
OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_OP_TOKEN_ENDPOINT", schemes=("http", "https"))
OIDC_OP_USER_ENDPOINT = env_url("OIDC_OP_USER_ENDPOINT", schemes=("http", "https"))
OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_OP_JWKS_ENDPOINT", schemes=("http", "https"))
OIDC_OP_LOGOUT_ENDPOINT = env_url("OIDC_OP_LOGOUT_ENDPOINT", schemes=("http", "https"))
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:sso-oidc-callback"
if PORTAL_SSO == "cas" and not CAS_SERVER_URL:
    raise ImproperlyConfigured("PORTAL_SSO=cas needs CAS_SERVER_URL (e.g. https://cas.example.edu.cn/cas/).")
if PORTAL_SSO == "oidc":
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"PORTAL_SSO=oidc needs {', '.join(_missing)}.")

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
# Site identity, in every page's footer: the college's full name (also in report titles and notices), its ICP
# filing number (ICP备案号, linked to the MIIT filing system), its public-security filing number (公安机关备案号,
# linked to that number's record on the MPS filing system) and its 网站标识码 (the code of the government and
# public-institution website register).
PORTAL_COLLEGE_NAME = env_str("PORTAL_COLLEGE_NAME", "城市职业学院").strip() or "城市职业学院"
PORTAL_ICP_NUMBER = env_pattern("PORTAL_ICP_NUMBER", r"\S*ICP[备证]\d+号(-\d+)?", example="黑ICP备12345678号")
PORTAL_PSB_NUMBER = env_pattern("PORTAL_PSB_NUMBER", r"\S*公网安备\s*\d{10,20}号", example="黑公网安备23010002000001号")
PORTAL_PSB_CODE = "".join(ch for ch in PORTAL_PSB_NUMBER if ch.isdigit())
PORTAL_SITE_CODE = env_pattern("PORTAL_SITE_CODE", r"[A-Za-z0-9]{6,20}", example="2301000001")
# The name authenticator apps show beside a staff member's two-factor codes.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", PORTAL_SITE_NAME)
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
# Seconds manage.py check_links waits for an external address before calling it broken.
LINK_CHECK_TIMEOUT = env_int("LINK_CHECK_TIMEOUT", 5, minimum=1)
# Whether the person who submitted an item may also approve it (off: four eyes on every release).
DISCLOSURE_SELF_APPROVAL = env_bool("DISCLOSURE_SELF_APPROVAL", False)
# Attachment text extraction for the privacy scan: characters kept per file and seconds spent per file.
PRIVACY_SCAN_MAX_CHARS = env_int("PRIVACY_SCAN_MAX_CHARS", 500_000, minimum=1000)
PRIVACY_SCAN_SECONDS = env_int("PRIVACY_SCAN_SECONDS", 30, minimum=1)
# OCR of scanned pages and pictures (Debian's tesseract-ocr and tesseract-ocr-chi-sim; `make ocr-deps`): the
# program, its languages, and how many pages or pictures of one file it reads. Without the program such pages
# count as not scanned and approval needs the reviewer's acknowledgement.
OCR_COMMAND = env_str("OCR_COMMAND", "tesseract")
OCR_LANGUAGES = env_str("OCR_LANGUAGES", "chi_sim+eng")
OCR_MAX_PAGES = env_int("OCR_MAX_PAGES", 20, minimum=1)

# Applications for disclosure (依申请公开). The Measures' defaults: reply within 15 working days of receipt,
# one extension of at most 15 more. The State Council's regulation for government bodies uses 20 + 20.
# Files kept for a form sent back with errors are removed this many hours after, if the form is abandoned.
PENDING_UPLOAD_HOURS = env_int("PENDING_UPLOAD_HOURS", 24, minimum=1)
APPLICATION_TRACKING_PREFIX = env_str("APPLICATION_TRACKING_PREFIX", "YSQ")
# The 文号 of the notices: 〔year〕<prefix>第n号, numbered per calendar year.
APPLICATION_NOTICE_PREFIX = env_str("APPLICATION_NOTICE_PREFIX", "依申请")
APPLICATION_REPLY_DAYS = env_int("APPLICATION_REPLY_DAYS", 15, minimum=1)
APPLICATION_EXTENSION_DAYS = env_int("APPLICATION_EXTENSION_DAYS", 15, minimum=0)
# Working days the applicant has to answer a request for clarification before the application lapses (the
# default period the request names; 《政府信息公开条例》 art. 30 asks for 合理的补正期限).
APPLICATION_CLARIFICATION_DAYS = env_int("APPLICATION_CLARIFICATION_DAYS", 15, minimum=1)
# The one request for clarification must be made within this many working days after receipt (条例 art. 30:
# 7; Order 29, as colleges quote it, names no limit, so the Regulation's applies).
APPLICATION_CLARIFICATION_REQUEST_DAYS = env_int("APPLICATION_CLARIFICATION_REQUEST_DAYS", 7, minimum=1)
# A consulted third party answers within this many working days of receiving the letter (条例 art. 32: 15);
# the pause of the clock ends when they answer or when this period ends, whichever comes first.
APPLICATION_THIRD_PARTY_DAYS = env_int("APPLICATION_THIRD_PARTY_DAYS", 15, minimum=1)
# College closures (寒暑假) are not statutory holidays and do not stop the clock unless this is on.
APPLICATION_CLOSURES_STOP_CLOCK = env_bool("APPLICATION_CLOSURES_STOP_CLOCK", False)
# The day of receipt by channel (条例 art. 31): "handed_in" (the day handed in), "signed_for" (the day the
# college signed for it), "confirmed" (the day receipt was confirmed to the applicant). As
# APPLICATION_RECEIPT_RULES="channel=rule,..." to change one; a filing outside working days counts from the next.
APPLICATION_RECEIPT_RULES = {
    "online": "confirmed",  # the system confirms at once
    "in_person": "handed_in",
    "registered_post": "signed_for",
    "ordinary_post": "confirmed",
    "fax": "confirmed",
    "email": "confirmed",
}
for _pair in env_list("APPLICATION_RECEIPT_RULES"):
    _channel, _, _rule = _pair.partition("=")
    if _channel.strip() not in APPLICATION_RECEIPT_RULES or _rule.strip() not in {
        "handed_in",
        "signed_for",
        "confirmed",
    }:
        raise ImproperlyConfigured(
            f"APPLICATION_RECEIPT_RULES: {_pair!r} is not channel=handed_in|signed_for|confirmed."
        )
    APPLICATION_RECEIPT_RULES[_channel.strip()] = _rule.strip()
# The earliest day of receipt staff may register for an offline application: Order 29 is in force from
# 2010-09-01 (its promulgation text); a college founded later sets its founding day (YYYY-MM-DD).
try:
    APPLICATION_EARLIEST_RECEIPT_ON = date.fromisoformat(env_str("APPLICATION_EARLIEST_RECEIPT_ON", "2010-09-01"))
except ValueError as _error:
    raise ImproperlyConfigured("APPLICATION_EARLIEST_RECEIPT_ON must be a date, YYYY-MM-DD.") from _error
# Fees: "none" (the default; most colleges charge nothing), "cost" (Order 29's cost fees for searching, copying
# and posting at the province's rates) or "processing" (the State Council's 信息处理费, 条例 art. 42 and
# 国办函〔2020〕109号: 按件 art. 4, 按量 art. 5). A fee notice pauses the clock until payment; unpaid within the
# period, the application is no longer handled (逾期未缴纳).
APPLICATION_FEE_REGIME = env_choice("APPLICATION_FEE_REGIME", ("none", "cost", "processing"), "none")
APPLICATION_FEE_PAYMENT_DAYS = env_int("APPLICATION_FEE_PAYMENT_DAYS", 20, minimum=1)
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
# Wrong tracking look-ups from one client address (IPv6: one /64) over all numbers before it waits as well.
TRACKING_MAX_FAILURES_PER_ADDRESS = env_int("TRACKING_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)

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
CKEDITOR_5_FILE_STORAGE = "core.storage_s3.S3EditorImageStorage" if _s3_media else "core.uploads.EditorImageStorage"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
# Rich text keeps only images the site stores: those this view serves (core.richtext.stored_image_path).
RICHTEXT_IMAGE_VIEW = "disclosures:editor-image"
# Images placed in rich text: checked by content (disclosures.views.editor_image_upload) and at most this big.
EDITOR_IMAGE_MAX_BYTES = env_int("EDITOR_IMAGE_MAX_MB", 5, minimum=1) * 1024 * 1024
CKEDITOR_5_MAX_FILE_SIZE = EDITOR_IMAGE_MAX_BYTES // (1024 * 1024)
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
