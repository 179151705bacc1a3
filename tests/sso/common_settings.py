"""What the two test sign-in servers (cas_project, oidc_project) share: a small Django project on loopback with
its own SQLite in SSO_TEST_DIR. Each project's settings add its app and name its cookies."""

import os

BASE = os.environ["SSO_TEST_DIR"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
STATIC_URL = "/static/"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"


def database(name: str) -> dict:
    return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE, f"{name}.sqlite3")}}


def cookies(prefix: str) -> tuple[str, str]:
    """Own cookie names: on 127.0.0.1 cookies do not tell ports apart, and the portal under test is there too."""
    return f"{prefix}_test_sessionid", f"{prefix}_test_csrftoken"
