"""Who may see what in the catalogue. Views, admin and templates ask here and nowhere else."""

from __future__ import annotations

import ipaddress

from django.conf import settings

from disclosures.models import Audience, Disclosure, DisclosureStatus


def client_ip(request) -> str:
    """The client's address, trusting exactly TRUSTED_PROXY_COUNT proxies' X-Forwarded-For entries."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


def is_campus_request(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in settings.CAMPUS_NETWORKS)


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def can_see_campus_only(request) -> bool:
    if getattr(request, "_can_see_campus_only", None) is None:
        request._can_see_campus_only = is_staff(getattr(request, "user", None)) or is_campus_request(request)
    return request._can_see_campus_only


def can_preview(user, disclosure: Disclosure) -> bool:
    """Staff who may view disclosures in the admin may also preview unpublished ones on the site."""
    return is_staff(user) and user.has_perm("disclosures.view_disclosure")


def can_view(request, disclosure: Disclosure) -> bool:
    """May this request read the item's page and download its attachments?"""
    if not disclosure.is_public:
        return can_preview(request.user, disclosure)
    if disclosure.audience == Audience.CAMPUS:
        return can_see_campus_only(request)
    return True


def is_withdrawn(disclosure: Disclosure) -> bool:
    return disclosure.status == DisclosureStatus.WITHDRAWN
