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
