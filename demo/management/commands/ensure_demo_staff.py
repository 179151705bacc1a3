"""Make sure a demo staff account exists for every role and print how to sign in with each.

- ``demo-admin``: superuser;
- ``demo-siteadmin``: site administrator (网站管理员): the catalogue, departments, accounts, the calendar;
- ``demo-editor``: department liaison (信息公开联系人) of the Admissions and Careers Office (招生就业处): writes and
  submits its items;
- ``demo-head``: head of the same department (部门负责人): gives the department's approval first (the command
  turns that approval on for 招生就业处, so the head has something to do);
- ``demo-reviewer``: the disclosure office (信息公开办公室): reviews, approves, publishes, withdraws, writes the
  annual report;
- ``demo-handler``: application handler (依申请公开办理人员): takes an application from receipt to reply;
- ``demo-feedback``: feedback handler: consultations, complaints and both leaders' mailboxes.

Each password is generated once and kept in an ignored local file (var/demo_<role>.json; the superuser's is
var/demo_staff.json), so every ``make run`` prints the same credentials until those files are removed.

Where the staff sign-in requires an authenticator code for an account (``STAFF_REQUIRE_2FA``, or a rule that
asks it of administrators), the command gives that account a confirmed authenticator, keeps its secret in the
same file and prints the secret and the code of the moment, so the demo sign-in keeps working. Accounts that
need two-factor sign-in (superusers and site administrators by default, STAFF_REQUIRE_2FA_FOR_ADMINS) also get
ten backup codes, kept in the same file and printed; each run makes the used ones valid again.
"""

from __future__ import annotations

import json
import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosures import permissions
from disclosures.models import Department, DepartmentMembership
from feedback.models import Mailbox
from portal.staff_auth import BACKUP_DEVICE_NAME, StaffAuthenticationForm, backup_codes_new, second_factor_required
from requests_app.permissions import HANDLER_GROUP

USERNAME = "demo-admin"
DEMO_DEPARTMENT = "admissions"


@dataclass(frozen=True)
class Account:
    filename: str
    username: str
    role: str
    superuser: bool = False
    groups: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    mailboxes: bool = False


# Group names are data of the migrations that create them (disclosures 0004, requests_app 0003 and 0005).
ACCOUNTS = [
    Account("demo_staff.json", USERNAME, "superuser", superuser=True),
    Account("demo_siteadmin.json", "demo-siteadmin", "site administrator", groups=(permissions.SITE_ADMIN_GROUP,)),
    Account(
        "demo_editor.json",
        "demo-editor",
        "department editor",
        groups=(permissions.EDITOR_GROUP,),
        departments=(DEMO_DEPARTMENT,),
    ),
    Account(
        "demo_head.json",
        "demo-head",
        "department head",
        groups=(permissions.HEAD_GROUP,),
        departments=(DEMO_DEPARTMENT,),
    ),
    Account(
        "demo_reviewer.json",
        "demo-reviewer",
        "disclosure office reviewer",
        groups=(permissions.REVIEWER_GROUP,),
        departments=("xxgk",),
    ),
    Account("demo_handler.json", "demo-handler", "application handler", groups=(HANDLER_GROUP,), departments=("xxgk",)),
    Account(
        "demo_feedback.json",
        "demo-feedback",
        "feedback handler",
        groups=("在线咨询受理", "监督投诉受理", "领导信箱阅处"),
        mailboxes=True,
    ),
]


def needs_authenticator(user, password: str) -> bool:
    """Does the staff sign-in refuse this account's password alone for want of an authenticator?"""
    request = RequestFactory().post("/admin/login/")
    form = StaffAuthenticationForm(request, data={"username": user.get_username(), "password": password})
    form.is_valid()
    return any(error.code == "device_required" for error in form.errors.as_data().get("__all__", []))


class Command(BaseCommand):
    help = "Create (once) a demo staff account for every role and print their user names and passwords."

    def handle(self, *args, **options):
        Department.objects.filter(code=DEMO_DEPARTMENT).update(head_approval_required=True)
        for account in ACCOUNTS:
            self._ensure(account)

    def _ensure(self, account: Account) -> None:
        path = settings.VAR_DIR / account.filename
        if path.exists():
            credentials = json.loads(path.read_text())
        else:
            credentials = {"username": account.username, "password": secrets.token_urlsafe(12)}
        User = get_user_model()
        user, created = User.objects.get_or_create(username=credentials["username"])
        if created or not user.check_password(credentials["password"]):
            user.set_password(credentials["password"])
        user.is_staff = True
        user.is_superuser = account.superuser
        user.is_active = True
        if not user.email:
            user.email = f"{credentials['username']}@localhost"
        user.save()
        for name in account.groups:
            group = Group.objects.filter(name=name).first()
            if group is None:
                self.stderr.write(f"Group {name!r} is missing: run `manage.py migrate` first.")
            else:
                user.groups.add(group)
        for department in Department.objects.filter(code__in=account.departments):
            DepartmentMembership.objects.get_or_create(user=user, department=department)
        if account.mailboxes:
            for mailbox in Mailbox.objects.all():
                mailbox.readers.add(user)
        user = User.objects.get(pk=user.pk)  # fresh: no cached permissions
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and needs_authenticator(user, credentials["password"]):
            key = credentials.get("totp_key") or secrets.token_hex(20)
            device = TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
        if device is not None:
            credentials["totp_key"] = device.key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(credentials))
        path.chmod(0o600)
        line = (
            f"Demo staff account ({account.role}): user name {credentials['username']!r}, "
            f"password {credentials['password']!r}"
        )
        if device is not None:
            secret = b32encode(device.bin_key).decode()
            code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
            line += f", authenticator secret {secret!r} (code now: {code})"
        self.stdout.write(f"{line} (stored in {path})")
        if second_factor_required(user):
            self._backup_codes(user, credentials, path)

    def _backup_codes(self, user, credentials: dict, path) -> None:
        """Accounts that need two-factor sign-in get backup codes, kept in the same ignored file and re-issued on
        each run, so the printed codes always sign in (each once per run)."""
        codes = credentials.get("backup_codes")
        if not codes:
            codes = credentials["backup_codes"] = backup_codes_new(user)
            path.write_text(json.dumps(credentials))
        else:
            device, _created = StaticDevice.objects.get_or_create(
                user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
            )
            unused = set(device.token_set.values_list("token", flat=True))
            StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes if c not in unused])
        self.stdout.write(
            f"  two-factor sign-in is required for {credentials['username']!r}: type the authenticator code or one "
            f"of these backup codes in the authenticator code field: {' '.join(codes)}"
        )
