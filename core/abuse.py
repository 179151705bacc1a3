"""Abuse resistance for public forms, reusable by every form the public files.

API:
- ``AbuseProtectedFormMixin``: mix into a ``forms.Form``/``ModelForm`` and pass ``request=``. It adds a
  honeypot field, an optional arithmetic challenge (``ABUSE_CAPTCHA`` = off / on / test), and, once the form
  is otherwise valid, counts the submission against per-IP and per-contact limits. Set ``abuse_scope`` and
  override ``abuse_contacts()`` to name the contact fields (phone, e-mail) that the per-contact limit keys on.
- ``rate_limit(request, scope=..., contacts=...)``: the same limits for code outside a form; raises
  ``RateLimited`` (a ``ValidationError``) with a message that says when to try again.

Counters live in the store every process shares (``core.counters``: the database, or Redis when configured).
In test mode the challenge also accepts the answer ``PASSED``.
"""

from __future__ import annotations

import hashlib
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.counters import counter_incr
from core.http import client_address_key

HONEYPOT_FIELD = "website"
CAPTCHA_SALT = "requests_app.abuse.captcha"  # kept from its first home: tokens already issued stay valid
CAPTCHA_MAX_AGE = 1800
TEST_ANSWER = "PASSED"


class RateLimited(ValidationError):
    pass


def _limits(scope: str) -> dict[str, tuple[int, int]]:
    """The limits for a scope; ``survey:12`` uses those of ``survey`` (one counter per survey, shared limits)."""
    limits = settings.ABUSE_RATE_LIMITS
    return limits.get(scope) or limits.get(scope.split(":", 1)[0]) or limits["default"]


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"abuse:{scope}:{kind}:{digest}"


def normalise_contact(value: str) -> str:
    return "".join((value or "").split()).lower().replace("-", "")


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one hit; True while the count stays within ``limit`` for the window."""
    return counter_incr(key, timeout=window) <= limit


def rate_limit(request, *, scope: str, contacts: list[str] | tuple[str, ...] = ()) -> None:
    """Count one submission for this client and these contacts; raise RateLimited beyond the limits."""
    limits = _limits(scope)
    checks = []
    ip_limit, ip_window = limits["ip"]
    checks.append((_key(scope, "ip", client_address_key(request)), ip_limit, ip_window))
    contact_limit, contact_window = limits["contact"]
    for contact in {normalise_contact(c) for c in contacts if c and normalise_contact(c)}:
        checks.append((_key(scope, "contact", contact), contact_limit, contact_window))
    for key, limit, window in checks:
        if not _hit(key, limit, window):
            hours = max(window // 3600, 1)
            raise RateLimited(
                _(
                    "Too many submissions from this network or with these contact details. "
                    "Please try again in %(hours)s hour(s), or contact the office by phone."
                ),
                code="rate_limited",
                params={"hours": hours},
            )


def captcha_mode() -> str:
    return settings.ABUSE_CAPTCHA


def captcha_new() -> tuple[str, str]:
    """A fresh challenge: (question, signed token)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(8)}, salt=CAPTCHA_SALT)
    return f"{a} + {b} = ?", token


def captcha_verify(token: str, answer: str) -> bool:
    """Check an answer once: a token cannot be replayed, and expires after half an hour."""
    answer = (answer or "").strip()
    if captcha_mode() == "test" and answer == TEST_ANSWER:
        return True
    try:
        data = signing.loads(token or "", salt=CAPTCHA_SALT, max_age=CAPTCHA_MAX_AGE)
    except signing.BadSignature:
        return False
    if counter_incr(f"abuse:captcha-used:{data['n']}", timeout=CAPTCHA_MAX_AGE) > 1:
        return False  # answered before, perhaps in another process
    return answer == str(data["a"] + data["b"])


class AbuseProtectedFormMixin:
    abuse_scope = "default"

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.captcha_question = ""
        if captcha_mode() != "off":
            self.fields["captcha_token"] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.fields["captcha_answer"] = forms.CharField(
                label=_("Check"),
                max_length=10,
                help_text=_("Type the result as a number. It tells us you are a person."),
            )
            if not self.is_bound:
                self._new_challenge()

    def _new_challenge(self) -> None:
        question, token = captcha_new()
        self.captcha_question = question
        self.fields["captcha_answer"].label = _("Check: %(question)s") % {"question": question}
        self.fields["captcha_token"].initial = token
        if self.is_bound:
            # A used challenge cannot be answered twice: show a new one with the form's errors.
            self.data = self.data.copy()
            self.data[self.add_prefix("captcha_token")] = token
            self.data[self.add_prefix("captcha_answer")] = ""

    def abuse_contacts(self) -> list[str]:
        return []

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        if not self._errors:
            # Counted only when everything else is valid: typing mistakes never use up the limit.
            try:
                rate_limit(self.request, scope=self.abuse_scope, contacts=self.abuse_contacts())
            except RateLimited as error:
                self.add_error(None, error)
        if captcha_mode() != "off" and self._errors:
            self._new_challenge()

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise ValidationError(_("The form could not be accepted. Please try again."), code="honeypot")
        if captcha_mode() != "off" and "captcha_answer" in self.cleaned_data:
            if not captcha_verify(self.cleaned_data.get("captcha_token", ""), self.cleaned_data["captcha_answer"]):
                self.add_error("captcha_answer", _("The check answer was wrong or expired. Answer the new question."))
        return cleaned
