"""Give an account an authenticator and backup codes at the server: for a superuser or site administrator who
cannot sign in yet because two-factor sign-in is required (the first superuser of a new installation, say).

    manage.py two_factor_setup USER          # prints the set-up address (otpauth://) and ten backup codes

An account that already has a confirmed authenticator keeps it; only new backup codes are made (the old stop
working). Scan the address with an authenticator app (or enter the key by hand), sign in with a code it shows or
with a backup code, then look at the admin's two-factor page.
"""

from __future__ import annotations

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.staff_auth import backup_codes_new


class Command(BaseCommand):
    help = "Set up two-factor sign-in for a staff account: an authenticator key and one-use backup codes."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
            self.stdout.write(f"Authenticator set-up address: {device.config_url}")
            self.stdout.write(f"Key (to type in by hand): {b32encode(device.bin_key).decode()}")
        else:
            self.stdout.write(f"{username} already has an authenticator ({device.name}); it is kept.")
        self.stdout.write("Backup codes (each signs in once; the previous ones no longer work):")
        for code in backup_codes_new(user):
            self.stdout.write(f"  {code}")
