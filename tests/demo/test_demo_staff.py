import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.ensure_demo_staff import ACCOUNTS
from disclosures import permissions
from disclosures.models import Department
from feedback import permissions as feedback_permissions
from feedback.models import Channel, Mailbox
from portal.staff_auth import StaffAuthenticationForm
from requests_app import permissions as request_permissions

pytestmark = pytest.mark.django_db


def test_demo_accounts_have_their_roles_and_keep_their_passwords(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff", stdout=io.StringIO())
    out = io.StringIO()
    call_command("ensure_demo_staff", stdout=out)  # idempotent
    printed = out.getvalue()
    User = get_user_model()
    for name, username in (
        ("demo_staff", "demo-admin"),
        ("demo_siteadmin", "demo-siteadmin"),
        ("demo_editor", "demo-editor"),
        ("demo_head", "demo-head"),
        ("demo_reviewer", "demo-reviewer"),
        ("demo_handler", "demo-handler"),
        ("demo_feedback", "demo-feedback"),
    ):
        credentials = json.loads((tmp_path / f"{name}.json").read_text())
        user = User.objects.get(username=username)
        assert credentials["username"] == username and user.check_password(credentials["password"])
        assert f"'{username}'" in printed and f"'{credentials['password']}'" in printed
    assert len(printed.splitlines()) == len(ACCOUNTS)

    def fresh(username):
        return User.objects.get(username=username)

    editor, head, office = fresh("demo-editor"), fresh("demo-head"), fresh("demo-reviewer")
    assert not editor.is_superuser and editor.has_perm("disclosures.submit_disclosure")
    assert not editor.has_perm("disclosures.publish_disclosure")
    assert list(editor.department_memberships.values_list("department__code", flat=True)) == ["admissions"]
    assert head.has_perm("disclosures.endorse_disclosure") and not head.has_perm("disclosures.change_disclosure")
    assert Department.objects.get(code="admissions").head_approval_required
    assert permissions.is_reviewer(office) and permissions.can_view_compliance(office)
    assert request_permissions.can_handle(fresh("demo-handler")) and not request_permissions.can_handle(editor)
    answers = fresh("demo-feedback")
    assert all(feedback_permissions.can_handle_channel(answers, channel) for channel in Channel)
    assert set(Mailbox.objects.filter(readers=answers)) == set(Mailbox.objects.all())
    site_admin = fresh("demo-siteadmin")
    assert not site_admin.is_superuser and permissions.manages_all_departments(site_admin)
    assert site_admin.has_perm("disclosures.change_disclosureitem")
    assert not TOTPDevice.objects.exists()  # no authenticator while the sign-in asks for none


def test_where_the_sign_in_wants_an_authenticator_the_demo_accounts_get_one(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.STAFF_REQUIRE_2FA = True
    out = io.StringIO()
    call_command("ensure_demo_staff", stdout=out)
    assert "authenticator secret" in out.getvalue()
    credentials = json.loads((tmp_path / "demo_siteadmin.json").read_text())
    device = TOTPDevice.objects.get(user__username="demo-siteadmin", confirmed=True)
    assert credentials["totp_key"] == device.key
    code = f"{totp(device.bin_key):06d}"
    request = RequestFactory().post("/admin/login/")
    data = {"username": "demo-siteadmin", "password": credentials["password"], "otp_token": code}
    assert StaffAuthenticationForm(request, data=data).is_valid()
    call_command("ensure_demo_staff", stdout=io.StringIO())  # the same device the next time
    assert TOTPDevice.objects.filter(user__username="demo-siteadmin").count() == 1
