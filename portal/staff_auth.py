"""Staff sign-in to the admin.

The password comes first (django-axes counts failures and locks a user name out, per address and, with a higher
limit, across addresses); then, for staff who have set up an authenticator app (a confirmed TOTP device of
django-otp), the six-digit code it shows, or one of their one-use backup codes (django-otp static tokens).
Superusers and site administrators need one by default (``STAFF_REQUIRE_2FA_FOR_ADMINS``); with
``STAFF_REQUIRE_2FA`` every staff member does. Staff set one up on the admin's two-factor page, which shows the
backup codes once; an administrator can also create one under 双因素认证 (TOTP devices) and hand over its QR code,
and at the server ``manage.py two_factor_setup USER`` does it for an account that cannot sign in yet.
"""

from __future__ import annotations

import io
import re
from base64 import b32encode

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosures.permissions import SITE_ADMIN_GROUP
from portal import todo

# Six to eight digits from an authenticator app, or a backup code (eight letters and digits).
TOKEN_PATTERN = re.compile(r"\d{6,8}|[a-z2-7]{8}")
BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"


def normalise_token(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").lower()


def second_factor_required(user) -> bool:
    """Whether this account may only use the admin after a second factor: every staff member with
    STAFF_REQUIRE_2FA; superusers and site administrators by default (STAFF_REQUIRE_2FA_FOR_ADMINS)."""
    if settings.STAFF_REQUIRE_2FA:
        return True
    if not settings.STAFF_REQUIRE_2FA_FOR_ADMINS:
        return False
    if not hasattr(user, "_second_factor_required"):
        user._second_factor_required = user.is_superuser or user.groups.filter(name=SITE_ADMIN_GROUP).exists()
    return user._second_factor_required


def backup_codes_new(user) -> list[str]:
    """New one-use backup codes for this account (the old ones stop working); shown once, to be kept on paper."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def failure_limit(request, credentials=None) -> int:
    """django-axes' AXES_FAILURE_LIMIT: LOGIN_FAILURE_LIMIT once this user name failed that often from this
    address, else LOGIN_ACCOUNT_FAILURE_LIMIT, which the failures from all addresses together are held to."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None)
    pair = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    if (pair or 0) >= settings.LOGIN_FAILURE_LIMIT:
        return settings.LOGIN_FAILURE_LIMIT
    return settings.LOGIN_ACCOUNT_FAILURE_LIMIT


def is_verified(user) -> bool:
    """Whether this session was signed in with an authenticator code (set by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_satisfied(request) -> bool:
    """Whether this session may use the admin as far as two-factor authentication goes."""
    if is_verified(request.user):
        return True
    if second_factor_required(request.user):
        return False
    # Asked once per request (the admin checks its permission several times a page), not remembered from the
    # sign-in: an authenticator added later, say to an account thought compromised, shuts out the sessions that
    # signed in without it at once.
    if not hasattr(request, "_staff_has_no_device"):
        # The authenticator app alone is asked about (one query, not one per kind of device): backup codes are
        # only ever made beside an authenticator, and sign-in itself asks every kind of device.
        request._staff_has_no_device = not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return request._staff_has_no_device


class SecondFactorMiddleware:
    """Outside the admin too, a staff session that does not meet the second-factor rule counts as signed out.

    The admin asks ``second_factor_satisfied`` itself; the public site gives signed-in staff more as well
    (campus-only items, applicants' ID proofs to handlers, the editor's image upload), and a session signed in
    with the password alone must not keep those once the account has an authenticator or STAFF_REQUIRE_2FA is
    on. The session is kept, so signing in again with the code is all it takes. Goes after django-otp's
    middleware; visitors who are not signed-in staff cost nothing more.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff and not second_factor_satisfied(request):
            request.user = AnonymousUser()
        return self.get_response(request)


class StaffAuthenticationForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=12,
        help_text=_("Only if you have set up two-factor authentication: the six digits your authenticator app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "token_required": _("Enter the code your authenticator app shows for this account."),
        "invalid_token": _("The authenticator code is wrong or has expired. Enter the code shown now."),
        "device_required": _(
            "Two-factor authentication is required for this account, and it has no authenticator yet. "
            "Ask a superuser to set one up for you (at the server: manage.py two_factor_setup with your user name)."
        ),
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None:
            self._check_second_factor(user, normalise_token(cleaned_data.get("otp_token", "")))
        return cleaned_data

    def _check_second_factor(self, user, token: str) -> None:
        error = None
        # Verification records throttling state on the device: keep it even when the code is refused.
        with transaction.atomic():
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if not devices:
                if second_factor_required(user):
                    error = "device_required"
            elif not token:
                error = "token_required"
            else:
                error = "invalid_token"
                if TOKEN_PATTERN.fullmatch(token):
                    for device in devices:
                        allowed, _details = device.verify_is_allowed()
                        if allowed and device.verify_token(token):
                            user.otp_device = device  # django-otp marks the session verified on login
                            error = None
                            break
        if error:
            if error == "invalid_token":
                # A wrong code counts towards the lock-out like a wrong password.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
            raise ValidationError(self.error_messages[error], code=error)


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): a page saying so, status 429."""
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in locked"),
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/locked_out.html", context, status=429)


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )


def qr_code_svg(data: str) -> str:
    """The QR code of ``data`` as an inline SVG element (drawn here: no image is fetched from anywhere)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def _groups(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


class StaffAdminSite(admin.AdminSite):
    """The admin, with the second factor: unverified sessions of staff who need one are not let in."""

    login_form = StaffAuthenticationForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_satisfied(request)

    def index(self, request, extra_context=None):
        """The admin's first page starts with the signed-in person's to-do (portal.todo)."""
        return super().index(request, {"todo_sections": todo.todo_sections(request), **(extra_context or {})})

    def get_urls(self):
        return [path("two-factor/", self.admin_view(self.two_factor_view), name="two-factor")] + super().get_urls()

    def two_factor_view(self, request):
        """A staff member sets up an authenticator app: scan the QR code, confirm with a code it shows."""
        user = request.user
        confirmed = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at"))
        device = None
        form = None
        backup_codes = []  # shown on this answer only: never again
        if confirmed and request.method == "POST" and "backup_codes" in request.POST:
            backup_codes = backup_codes_new(user)
        elif not confirmed:
            device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
            form = EnrolForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                token = normalise_token(form.cleaned_data["token"])
                with transaction.atomic():
                    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                    accepted = bool(TOKEN_PATTERN.fullmatch(token)) and device.verify_token(token)
                    if accepted:
                        device.confirmed = True
                        device.save(update_fields=["confirmed"])
                if accepted:
                    otp_login(request, device)
                    messages.success(
                        request,
                        _("Two-factor authentication is on: from now on, sign in with a code from your app."),
                    )
                    confirmed, device, form = [device], None, None
                    backup_codes = backup_codes_new(user)
                else:
                    form.add_error("token", _("The code does not match. Check the time on your phone and try again."))
        context = {
            **self.each_context(request),
            "title": _("Two-factor authentication"),
            "confirmed_devices": confirmed,
            "device": device,
            "form": form,
            "qr_svg": mark_safe(qr_code_svg(device.config_url)) if device else "",
            "secret": " ".join(_groups(b32encode(device.bin_key).decode(), 4)) if device else "",
            "required": second_factor_required(user),
            "backup_codes": backup_codes,
            "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/two_factor.html", context)
