"""Who is asking: the client's address behind the trusted proxies, the campus networks, staff sessions.

``can_see_campus_only`` is the one answer to "may this request see what is shown on campus only": staff
signed in, a client address inside ``CAMPUS_NETWORKS``, or a campus session (a student or teacher signed in
through the college's CAS or OpenID Connect provider, portal.campus_sso). The page cache keys on it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address, trusting exactly TRUSTED_PROXY_COUNT proxies' X-Forwarded-For entries."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


# IPv6 subscribers get a whole /64 (often larger): every address in it is one client to the per-address limits.
IPV6_CLIENT_PREFIX = 64


def address_key(address: str) -> str:
    """What per-address limits count for ``address``: an IPv4 address itself (an IPv4-mapped IPv6 one as IPv4),
    and for IPv6 the first address of its /64, so that rotating addresses inside one network counts once. A valid
    address either way (django-axes stores it in an address column)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False).network_address)
    return str(ip)


def client_address_key(request) -> str:
    """The client, as every per-address limit counts it (rate limits, tracking look-ups, sign-in lock-out)."""
    return address_key(client_ip(request))


def is_campus_request(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in settings.CAMPUS_NETWORKS)


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


# The session key of a campus session: who the college's sign-in service vouched for (not a staff account).
CAMPUS_SESSION_KEY = "campus_sso"


def campus_session(request) -> dict | None:
    """The campus session of this request, when campus sign-in is on and the visitor signed in through it."""
    if settings.PORTAL_SSO == "none":
        return None
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return None  # no session cookie: nothing to read (and no Vary: Cookie for anonymous visitors)
    value = session.get(CAMPUS_SESSION_KEY)
    return value if isinstance(value, dict) else None


def can_see_campus_only(request) -> bool:
    if getattr(request, "_can_see_campus_only", None) is None:
        request._can_see_campus_only = (
            is_staff(getattr(request, "user", None))
            or is_campus_request(request)
            or campus_session(request) is not None
        )
    return request._can_see_campus_only
