"""Campus sign-in through the college's unified identity service (校园统一身份认证): CAS or OpenID Connect.

``PORTAL_SSO`` chooses: ``cas`` (CAS 2.0/3.0, the ticket validated by django-cas-ng's client against
``CAS_SERVER_URL``), ``oidc`` (the authorization-code flow of mozilla-django-oidc, PKCE and nonce), ``none``.

Whoever the service vouches for is matched against the staff accounts (``PORTAL_SSO_MATCH_FIELD``: username or
e-mail, compared with the CAS user / ``CAS_USERNAME_ATTRIBUTE`` or the ``OIDC_USERNAME_CLAIM`` claim). A match with
an active staff account signs that account in; no account is ever created. Anyone else (students, teachers
without a staff account) gets a campus session: a flag in the session (``core.http.CAMPUS_SESSION_KEY``), not a
user, that shows campus-only items off campus and nothing of the admin.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from core.http import CAMPUS_SESSION_KEY, campus_session

logger = logging.getLogger(__name__)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def staff_account(name: str | None):
    """The one active staff account whose username or e-mail (PORTAL_SSO_MATCH_FIELD) is ``name``, else None."""
    name = (name or "").strip()
    if not name:
        return None
    field = settings.PORTAL_SSO_MATCH_FIELD
    matches = list(get_user_model().objects.filter(**{f"{field}__iexact": name}, is_active=True, is_staff=True)[:2])
    return matches[0] if len(matches) == 1 else None


def sign_in(request, method: str, name: str) -> None:
    """Sign the staff account in, or open a campus session for ``name``; a new session key either way."""
    user = staff_account(name)
    if user is not None:
        auth.login(request, user, backend=MODEL_BACKEND)
        logger.info("campus sign-in (%s): staff account %s", method, user.pk)
        return
    if request.user.is_authenticated:
        auth.logout(request)
    request.session.cycle_key()  # no session fixation
    request.session[CAMPUS_SESSION_KEY] = {"method": method, "name": name, "at": timezone.now().isoformat()}
    logger.info("campus sign-in (%s): campus session", method)


def safe_next(request, default: str = "/") -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def failure(request, message: str, status: int = 403):
    return render(request, "portal/campus_sign_in_failed.html", {"message": message}, status=status)


def _enabled(method: str) -> None:
    if settings.PORTAL_SSO != method:
        raise Http404


def cas_client(request, next_url: str):
    from django_cas_ng.utils import get_cas_client

    service = request.build_absolute_uri(reverse("portal:sso-cas-callback")) + "?" + urlencode({"next": next_url})
    return get_cas_client(service_url=service, request=request)


@never_cache
def sign_in_view(request):
    """「校园统一身份认证登录」: off to the college's sign-in service, back to ``next``."""
    next_url = safe_next(request)
    if settings.PORTAL_SSO == "cas":
        return HttpResponseRedirect(cas_client(request, next_url).get_login_url())
    if settings.PORTAL_SSO == "oidc":
        return OIDCAuthenticationRequestView.as_view()(request)
    raise Http404


@never_cache
def cas_callback(request):
    """The CAS service address: the ticket is validated by the CAS server (serviceValidate / p3)."""
    _enabled("cas")
    next_url = safe_next(request)
    ticket = request.GET.get("ticket", "")
    if not ticket:
        return HttpResponseRedirect(cas_client(request, next_url).get_login_url())
    try:
        name, attributes, _pgtiou = cas_client(request, next_url).verify_ticket(ticket)
    except Exception:  # the server unreachable or its answer unreadable
        logger.exception("CAS ticket validation failed")
        return failure(request, _("The campus sign-in service could not be reached. Please try again later."), 502)
    if not name:
        return failure(request, _("The campus sign-in service did not confirm who you are. Please sign in again."))
    attribute = settings.CAS_USERNAME_ATTRIBUTE
    if attribute:
        value = (attributes or {}).get(attribute)
        name = value[0] if isinstance(value, list) and value else value
        if not name:
            return failure(request, _("The campus sign-in service did not say who you are. Please sign in again."))
    sign_in(request, "cas", str(name))
    return HttpResponseRedirect(next_url)


class CampusOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code exchange, ID-token signature (JWKS) and nonce checks, then our matching.

    Not in AUTHENTICATION_BACKENDS: only the callback below calls it, so a student's sign-in is never a "failed
    sign-in" to django-axes (it would lock a campus NAT address out) and no account is ever created.
    """

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        name = claims.get(settings.OIDC_USERNAME_CLAIM)
        return str(name) if name else None


class OIDCCallback(View):
    """The redirect URI: the state must be one this session started with (mozilla-django-oidc's sign-in view)."""

    def get(self, request):
        _enabled("oidc")
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if state else None
        if entry is not None:
            request.session["oidc_states"] = states
        if request.GET.get("error") or not request.GET.get("code") or entry is None:
            return failure(request, _("The campus sign-in service did not confirm who you are. Please sign in again."))
        next_url = request.session.pop("oidc_login_next", None) or "/"
        try:
            name = CampusOIDCBackend().authenticate(
                request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except requests.RequestException:
            logger.exception("OIDC token or user-info request failed")
            return failure(request, _("The campus sign-in service could not be reached. Please try again later."), 502)
        except SuspiciousOperation:
            logger.warning("OIDC ID token refused", exc_info=True)
            name = None
        if not name:
            return failure(request, _("The campus sign-in service did not confirm who you are. Please sign in again."))
        sign_in(request, "oidc", name)
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = "/"
        return HttpResponseRedirect(next_url)


oidc_callback = never_cache(OIDCCallback.as_view())


@never_cache
def sign_out_view(request):
    """Sign out of this site (a button, POST), then of the college's service where it has a sign-out address."""
    if request.method != "POST":
        signed_in = campus_session(request) is not None or request.user.is_authenticated
        return render(request, "portal/campus_sign_out.html", {"signed_in": signed_in})
    method = (campus_session(request) or {}).get("method") or settings.PORTAL_SSO
    auth.logout(request)  # flushes the session, the campus flag with it
    home = request.build_absolute_uri("/")
    if method == "cas" and settings.CAS_SERVER_URL:
        return HttpResponseRedirect(cas_client(request, "/").get_logout_url(redirect_url=home))
    if method == "oidc" and settings.OIDC_OP_LOGOUT_ENDPOINT:
        query = urlencode({"post_logout_redirect_uri": home, "client_id": settings.OIDC_RP_CLIENT_ID})
        return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")
    return HttpResponseRedirect("/")
