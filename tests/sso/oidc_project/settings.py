"""A real OpenID Connect provider (django-oauth-toolkit, OIDC on) for the campus sign-in tests: its own SQLite,
loopback only, signing with the RSA key the test generated (SSO_TEST_RSA_KEY)."""

import os

from common_settings import *  # noqa: F403
from common_settings import INSTALLED_APPS, TEMPLATES, cookies, database

SECRET_KEY = "oidc-test-provider-only-not-a-secret-0123456789"
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]
TEMPLATES[0]["DIRS"] = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")]
DATABASES = database("oidc")
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = cookies("oidc")
LOGIN_URL = "/accounts/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RSA_PRIVATE_KEY": os.environ["SSO_TEST_RSA_KEY"],
    "OAUTH2_VALIDATOR_CLASS": "validator.CampusValidator",
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile"},
    "PKCE_REQUIRED": True,
}
