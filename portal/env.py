"""Typed readers for settings that come from environment variables.

Each helper fails loudly with ``ImproperlyConfigured`` naming the variable when its value is malformed,
so a typo in a deployment stops start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import ipaddress
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for part in env_list(name):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of networks in CIDR form (10.0.0.0/8); got {part!r}."
            ) from None
    return networks


def env_header(name: str, default: str = "") -> str:
    """An HTTP header name (``X-Forwarded-Proto``) as Django's ``request.META`` key (``HTTP_X_FORWARDED_PROTO``).

    An empty value means none.
    """
    raw = os.environ.get(name, default).strip()
    if not raw:
        return ""
    if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", raw):
        raise ImproperlyConfigured(f"{name} must be an HTTP header name such as X-Forwarded-Proto; got {raw!r}.")
    return "HTTP_" + raw.upper().replace("-", "_")


def env_url(name: str, *, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and ("://" not in raw or raw.split("://", 1)[0] not in schemes):
        raise ImproperlyConfigured(f"{name} must be a URL starting with one of {', '.join(schemes)}; got {raw!r}.")
    return raw


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}.")
    return value


def env_database(name: str, *, schemes: tuple[str, ...], conn_max_age: int = 60) -> dict | None:
    """The Django DATABASES entry for the URL in ``name``, or None when it is not set."""
    import dj_database_url

    url = env_url(name, schemes=schemes)
    if not url:
        return None
    try:
        return dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} could not be read: {exc}") from None


S3_VARIABLES = (
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "MEDIA_S3_ACCESS_KEY_ID",
    "MEDIA_S3_SECRET_ACCESS_KEY",
    "MEDIA_S3_PREFIX",
    "MEDIA_S3_ADDRESSING_STYLE",
)


def env_s3_media_storage() -> dict | None:
    """The STORAGES["default"] entry for S3-compatible object storage, or None (local files) when
    MEDIA_S3_BUCKET is not set.

    Uploaded files stay private in the bucket: the site never links to them, it streams them through the views
    that check who may see them, so no public-read ACL, no custom domain and signed URLs only.
    """
    bucket = env_str("MEDIA_S3_BUCKET").strip()
    if not bucket:
        stray = [name for name in S3_VARIABLES if env_str(name).strip()]
        if stray:
            raise ImproperlyConfigured(f"{', '.join(stray)} set but MEDIA_S3_BUCKET is not: set it or remove them.")
        return None
    if not all(c.isalnum() or c in "-." for c in bucket) or not 3 <= len(bucket) <= 63:
        raise ImproperlyConfigured(
            f"MEDIA_S3_BUCKET must be a bucket name (3 to 63 letters, digits, '-' or '.'); got {bucket!r}."
        )
    access_key = env_str("MEDIA_S3_ACCESS_KEY_ID").strip()
    secret_key = env_str("MEDIA_S3_SECRET_ACCESS_KEY").strip()
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY go together: set both, or neither to use the "
            "machine's own credentials (instance role, ~/.aws/credentials)."
        )
    options: dict = {
        "bucket_name": bucket,
        "default_acl": None,  # objects inherit the bucket's (private) policy; no public-read ACL is ever sent
        "querystring_auth": True,
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": env_choice("MEDIA_S3_ADDRESSING_STYLE", ("auto", "path", "virtual"), "auto"),
    }
    endpoint = env_url("MEDIA_S3_ENDPOINT_URL", schemes=("http", "https"))
    if endpoint:
        options["endpoint_url"] = endpoint.rstrip("/")
    region = env_str("MEDIA_S3_REGION").strip()
    if region:
        options["region_name"] = region
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    prefix = env_str("MEDIA_S3_PREFIX").strip().strip("/")
    if prefix:
        options["location"] = prefix
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def env_pattern(name: str, pattern: str, *, example: str, default: str = "") -> str:
    """A value that must match ``pattern`` in full (a filing number, a code); empty means none."""
    raw = os.environ.get(name, default).strip()
    if raw and not re.fullmatch(pattern, raw):
        raise ImproperlyConfigured(f"{name} must look like {example}; got {raw!r}.")
    return raw
