import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from disclosures import permissions


@pytest.mark.django_db
def test_demo_accounts_have_their_roles_and_keep_their_passwords(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff", stdout=io.StringIO())
    call_command("ensure_demo_staff", stdout=io.StringIO())  # idempotent
    User = get_user_model()
    for name, username in (
        ("demo_staff", "demo-admin"),
        ("demo_editor", "demo-editor"),
        ("demo_reviewer", "demo-reviewer"),
    ):
        credentials = json.loads((tmp_path / f"{name}.json").read_text())
        user = User.objects.get(username=username)
        assert credentials["username"] == username and user.check_password(credentials["password"])
    editor = User.objects.get(username="demo-editor")
    reviewer = User.objects.get(username="demo-reviewer")
    assert not editor.is_superuser and editor.has_perm("disclosures.submit_disclosure")
    assert not editor.has_perm("disclosures.publish_disclosure")
    assert list(editor.department_memberships.values_list("department__code", flat=True)) == ["admissions"]
    assert permissions.is_reviewer(reviewer) and permissions.can_view_compliance(reviewer)
