"""Make sure the demo staff accounts exist and print how to sign in with them.

- ``demo-admin``: site administrator (superuser);
- ``demo-editor``: department liaison of the Admissions and Careers Office (招生就业处): writes and submits;
- ``demo-reviewer``: the disclosure office (信息公开办公室): reviews, approves, publishes, withdraws;
- ``demo-handler``: the office's application handler (依申请公开办理人员): takes an application from receipt to reply.

Each password is generated once and kept in an ignored local file (var/demo_staff.json,
var/demo_editor.json, var/demo_reviewer.json), so every `make run` prints the same credentials until those
files are removed.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from disclosures import permissions
from disclosures.models import Department, DepartmentMembership
from requests_app.permissions import HANDLER_GROUP

USERNAME = "demo-admin"
ACCOUNTS = [
    # (file, user name, superuser, group, department codes)
    ("demo_staff.json", USERNAME, True, None, ()),
    ("demo_editor.json", "demo-editor", False, permissions.EDITOR_GROUP, ("admissions",)),
    ("demo_reviewer.json", "demo-reviewer", False, permissions.REVIEWER_GROUP, ("xxgk",)),
    ("demo_handler.json", "demo-handler", False, HANDLER_GROUP, ("xxgk",)),  # applications, receipt to reply
]


class Command(BaseCommand):
    help = "Create (once) the demo staff accounts and print their user names and passwords."

    def handle(self, *args, **options):
        for filename, username, superuser, group_name, departments in ACCOUNTS:
            path = settings.VAR_DIR / filename
            if path.exists():
                credentials = json.loads(path.read_text())
            else:
                credentials = {"username": username, "password": secrets.token_urlsafe(12)}
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(credentials))
                path.chmod(0o600)
            User = get_user_model()
            user, created = User.objects.get_or_create(username=credentials["username"])
            if created or not user.check_password(credentials["password"]):
                user.set_password(credentials["password"])
            user.is_staff = True
            user.is_superuser = superuser
            user.is_active = True
            if not user.email:
                user.email = f"{credentials['username']}@localhost"
            user.save()
            if group_name:
                group = Group.objects.filter(name=group_name).first()
                if group is None:
                    self.stderr.write(f"Group {group_name!r} is missing: run `manage.py migrate` first.")
                else:
                    user.groups.add(group)
            for department in Department.objects.filter(code__in=departments):
                DepartmentMembership.objects.get_or_create(user=user, department=department)
            self.stdout.write(
                f"Demo staff account: user name {credentials['username']!r}, password {credentials['password']!r} "
                f"(stored in {path})"
            )
