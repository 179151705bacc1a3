"""Make sure a demo staff account exists and print how to sign in with it.

The password is generated once and kept in an ignored local file (var/demo_staff.json), so every
`make run` prints the same credentials until that file is removed.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "demo-admin"


class Command(BaseCommand):
    help = "Create (once) the demo staff account and print its user name and password."

    def handle(self, *args, **options):
        path = settings.VAR_DIR / "demo_staff.json"
        if path.exists():
            credentials = json.loads(path.read_text())
        else:
            credentials = {"username": USERNAME, "password": secrets.token_urlsafe(12)}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(credentials))
            path.chmod(0o600)
        User = get_user_model()
        user, created = User.objects.get_or_create(username=credentials["username"])
        if created or not user.check_password(credentials["password"]):
            user.set_password(credentials["password"])
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.save()
        self.stdout.write(
            f"Demo staff account: user name {credentials['username']!r}, password {credentials['password']!r} "
            f"(stored in {path})"
        )
