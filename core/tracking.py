"""Tracking numbers and access codes, reusable by anything the public files and later looks up.

- ``tracking_number_next(prefix=..., year=...)``: ``YSQ2026000123``, distinct under concurrency.
- ``access_code_new()``: a code shown once to the applicant; ``access_code_hash()`` stores it hashed.
- ``lookup(request, queryset, number=..., code=...)``: the object, or ``None`` for a wrong number or code
  (compared in constant time, with the same work done for an unknown number); raises ``Throttled`` after too
  many failures for one number from one client (``TRACKING_MAX_FAILURES``), or from one client in all
  (``TRACKING_MAX_FAILURES_PER_ADDRESS``). Nobody elsewhere is locked out of their own number: the lock is per
  number *and* address, and an IPv6 client counts by its /64.

Access codes are 10 characters of a 32-letter alphabet (50 bits), random: a slow password hash adds nothing
against guessing (the lock-out bounds that) and cost 0.55 s of CPU per wrong attempt. They are kept as an HMAC-
SHA256 keyed with the secret key (``hmac_sha256$…``), checked in microseconds. Codes stored by the password
hasher before (PBKDF2) still verify, and are re-stored as HMAC at their first correct use.
"""

from __future__ import annotations

import hashlib
import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.counters import counter_decr, counter_incr
from core.http import client_address_key
from core.sequences import sequence_next

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10
_DUMMY_HASH: str | None = None


class Throttled(ValidationError):
    pass


class TrackForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=30)
    access_code = forms.CharField(label=_("Access code"), max_length=30, widget=forms.PasswordInput(render_value=True))


def tracking_number_next(*, prefix: str, year: int) -> str:
    number = sequence_next(name=f"tracking:{prefix}:{year}")
    return f"{prefix}{year}{number:06d}"


def normalise_number(value: str) -> str:
    return "".join((value or "").split()).upper()


def normalise_code(value: str) -> str:
    return "".join((value or "").split()).upper().replace("-", "")


def access_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


HMAC_PREFIX = "hmac_sha256$"
HMAC_SALT = "core.tracking.access_code"


def _code_hmac(code: str, secret: str) -> str:
    return salted_hmac(HMAC_SALT, normalise_code(code), secret=secret, algorithm="sha256").hexdigest()


def access_code_hash(code: str) -> str:
    return HMAC_PREFIX + _code_hmac(code, settings.SECRET_KEY)


def access_code_verify(code: str, hashed: str) -> bool:
    """Constant-time check: the keyed hash under the secret key (or a fallback key during a key rotation), or
    for a code stored before the keyed hash, the password hasher's check."""
    if not hashed:
        return False
    if hashed.startswith(HMAC_PREFIX):
        digest = hashed[len(HMAC_PREFIX) :]
        secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return any(constant_time_compare(_code_hmac(code, secret), digest) for secret in secrets_to_try)
    return check_password(normalise_code(code), hashed)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"tracking:fail:{kind}:{digest}"


def _limits(request, number: str) -> list[tuple[str, int]]:
    """(counter, limit) pairs: this number from this client, and this client over all numbers."""
    client = client_address_key(request)
    return [
        (_key("number-address", f"{number}|{client}"), settings.TRACKING_MAX_FAILURES),
        (_key("address", client), settings.TRACKING_MAX_FAILURES_PER_ADDRESS),
    ]


def _count_attempt(request, number: str) -> list[str] | None:
    """Count this attempt as a failure before its code is checked (so that requests in flight together cannot
    all pass the limit before any has recorded its failure): the counters it went up on, or None (counted
    back) when one of them is already past its limit."""
    keys = []
    over = False
    for key, limit in _limits(request, number):
        keys.append(key)
        over = counter_incr(key, timeout=settings.TRACKING_LOCKOUT_SECONDS) > limit or over
    if over:
        _count_back(keys)
        return None
    return keys


def _count_back(keys: list[str]) -> None:
    for key in keys:
        counter_decr(key)


def throttled_error() -> Throttled:
    minutes = max(settings.TRACKING_LOCKOUT_SECONDS // 60, 1)
    return Throttled(
        _("Too many wrong attempts. Please wait %(minutes)s minutes and try again."),
        code="throttled",
        params={"minutes": minutes},
    )


def lookup(request, queryset, *, number: str, code: str, number_field: str = "tracking_number"):
    """The object whose number and access code match, else None; Throttled when locked out."""
    global _DUMMY_HASH
    number = normalise_number(number)
    counted = _count_attempt(request, number)
    if counted is None:
        raise throttled_error()
    obj = queryset.filter(**{number_field: number}).first() if number else None
    if obj is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = access_code_hash(secrets.token_hex(8))
        access_code_verify(code, _DUMMY_HASH)  # same work as a real check
        return None  # counted already
    if not access_code_verify(code, obj.access_code_hash):
        return None
    _count_back(counted)  # the right code: not a failure
    current = access_code_hash(code)
    if obj.access_code_hash != current:
        # Stored by the password hasher (before the keyed hash), or under a fallback key of a key rotation: store
        # it under the current key now that it is known.
        obj.access_code_hash = current
        type(obj)._default_manager.filter(pk=obj.pk).update(access_code_hash=current)
    return obj


def track_page(request, *, queryset, grant, status_url_name: str, template: str):
    """The "tracking number + access code" page shared by applications and feedback messages.

    A correct pair grants this browser session access (``grant(request, obj)``) and goes on to the status
    page; a wrong pair or a locked-out client stays on the form with the reason (429 when locked out).
    """
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = lookup(
                request, queryset, number=form.cleaned_data["tracking_number"], code=form.cleaned_data["access_code"]
            )
        except Throttled as error:
            form.add_error(None, error)
        else:
            if found is None:
                form.add_error(None, gettext("The tracking number and access code do not match."))
            else:
                grant(request, found)
                return redirect(status_url_name, number=found.tracking_number)
    status = 429 if any(e.code == "throttled" for e in form.non_field_errors().as_data()) else 200
    return render(request, template, {"form": form}, status=status)


# How many tracked numbers one browser session remembers.
SESSION_NUMBERS = 10


def session_grant(request, *, session_key: str, number: str) -> None:
    """After a correct number + access code, this browser session may follow that number."""
    allowed = [n for n in request.session.get(session_key, []) if n != number]
    request.session[session_key] = (allowed + [number])[-SESSION_NUMBERS:]


def session_granted(request, *, session_key: str, number: str) -> bool:
    return number in request.session.get(session_key, [])
