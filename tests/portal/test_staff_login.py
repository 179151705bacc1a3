"""Staff sign-in: lock-out after repeated failures, session expiry, password rules and two-factor authentication."""

import html as html_module
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.LOGIN_FAILURE_LIMIT = 3


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    # A refused code makes django-otp wait before the next try; the tests try at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(client, username, password=PASSWORD, token=None, **extra):
    data = {"username": username, "password": password, "next": INDEX}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, **extra)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_sign_in_works_and_the_session_ends_with_the_browser_or_a_working_day(client, axes_on):
    StaffFactory(username="office")
    response = sign_in(client, "office")
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert client.session.get_expiry_age() == 8 * 3600


def test_repeated_failures_lock_the_account_until_an_administrator_resets_it(client, axes_on):
    StaffFactory(username="office")
    for _ in range(2):
        response = sign_in(client, "office", "wrong-password")
        assert response.status_code == 200 and not signed_in(client)
    locked = sign_in(client, "office", "wrong-password")
    assert locked.status_code == 429
    assert "admin/locked_out.html" in [t.name for t in locked.templates]
    assert "3" in locked.content.decode()  # the limit is named on the page
    # Even the right password is refused now, from this address.
    assert sign_in(client, "office").status_code == 429
    assert not signed_in(client)

    # An administrator unlocks the account in the admin (Access attempts → delete).
    admin_client = client_class_for(client)()
    admin_client.force_login(StaffFactory(username="site-admin"))
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "office" in attempts.content.decode()
    attempt = AccessAttempt.objects.get(username="office")
    deleted = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert sign_in(client, "office").status_code == 302 and signed_in(client)


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(client, axes_on):
    StaffFactory(username="office")
    for _ in range(3):
        sign_in(client, "office", "wrong-password")
    assert sign_in(client, "office").status_code == 429
    # Another address may still try: an outsider cannot lock staff out (below the account's limit).
    other = client_class_for(client)()
    assert sign_in(other, "office", REMOTE_ADDR="10.1.2.3").status_code == 302


def client_class_for(client):
    return type(client)


def test_staff_passwords_need_ten_characters_and_are_checked():
    validators = [v["NAME"].rsplit(".", 1)[-1] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= set(validators)
    with pytest.raises(ValidationError):
        validate_password("Xq7#kLm2p")  # nine characters
    with pytest.raises(ValidationError):
        validate_password("password123")
    validate_password("Xq7#kLm2pZ")


def make_device(user, *, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def test_with_an_authenticator_the_admin_needs_the_right_code(client):
    user = StaffFactory(username="office")
    device = make_device(user)
    without = sign_in(client, "office")
    assert without.status_code == 200 and not signed_in(client)
    assert without.context["form"].errors
    wrong = sign_in(client, "office", token="000000" if current_code(device) != "000000" else "111111")
    assert wrong.status_code == 200 and not signed_in(client)
    assert sign_in(client, "office", token="not a code").status_code == 200 and not signed_in(client)
    right = sign_in(client, "office", token=current_code(device))
    assert right.status_code == 302 and signed_in(client)
    assert client.get(INDEX).status_code == 200


def test_a_session_without_the_code_is_refused_when_the_user_has_an_authenticator(client):
    user = StaffFactory(username="office")
    make_device(user)
    client.force_login(user)  # password only (or a session older than the device)
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # An unconfirmed device (set-up not finished) asks for nothing.
    TOTPDevice.objects.update(confirmed=False)
    client.force_login(user)
    assert client.get(INDEX).status_code == 200


def test_an_authenticator_added_later_shuts_out_sessions_signed_in_without_it(client):
    user = StaffFactory(username="office")
    assert sign_in(client, "office").status_code == 302 and client.get(INDEX).status_code == 200
    make_device(user)  # say the account is thought compromised: its password-only sessions must end now
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_wrong_codes_count_towards_the_lock_out(client, axes_on):
    user = StaffFactory(username="office")
    device = make_device(user)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    for _ in range(2):
        assert sign_in(client, "office", token=wrong).status_code == 200
    assert sign_in(client, "office", token=wrong).status_code == 429


def test_required_two_factor_refuses_staff_without_an_authenticator(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    user = StaffFactory(username="office")
    response = sign_in(client, "office")
    assert response.status_code == 200 and not signed_in(client)
    assert "device_required" in [e.code for e in response.context["form"].non_field_errors().as_data()]
    client.force_login(user)
    assert client.get(INDEX).status_code == 302
    device = make_device(user)
    assert sign_in(client, "office", token=current_code(device)).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_staff_set_up_an_authenticator_from_the_admin(client):
    user = StaffFactory(username="office")
    client.force_login(user)
    url = reverse("admin:two-factor")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in html and "otpauth://totp/" in html and "secret=" in html
    assert client.get(url).context["device"] == device  # reloading keeps the same key
    wrong = "000000" if current_code(device) != "000000" else "111111"
    assert client.post(url, {"token": wrong}).context["form"].errors
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    confirmed = client.post(url, {"token": current_code(device)})
    assert confirmed.status_code == 200 and len(confirmed.context["backup_codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    # This session counts as verified; the next sign-in asks for the code.
    assert client.get(INDEX).status_code == 200
    assert "otpauth://" not in client.get(url).content.decode()
    client.logout()
    assert sign_in(client, "office").status_code == 200 and not signed_in(client)


def test_administrators_see_the_qr_code_of_a_device_they_created(client):
    admin_user = StaffFactory(username="site-admin")
    device = make_device(StaffFactory(username="office"))
    client.force_login(admin_user)
    config = client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk]))
    assert config.status_code == 200 and "otpauth://totp/" in config.content.decode()
    qr = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"


def visible_latin_words(response) -> set[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    return set(re.findall(r"[A-Za-z][A-Za-z ]{3,}[a-z]", text))


def test_the_sign_in_admin_pages_are_in_chinese(client):
    """django-otp and django-axes ship no Chinese: their admin pages use the site's translations."""
    admin_user = StaffFactory(username="管理员")
    device = TOTPDevice.objects.create(user=StaffFactory(username="办公室"), name="手机", confirmed=True)
    client.force_login(admin_user)
    pages = [
        reverse("admin:index"),
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_add"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessfailurelog_changelist"),
        reverse("admin:axes_accesslog_changelist"),
    ]
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        assert visible_latin_words(response) == set(), url
    assert "身份验证器" in client.get(reverse("admin:index")).content.decode()
    config = client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).content.decode()
    assert "身份验证器二维码" in config and "otpauth://totp/" in config


def test_a_password_only_session_loses_staff_rights_on_the_public_site_too(client):
    """Handlers download applicants' ID proofs and staff see campus-only items through public URLs: once the
    account has an authenticator, a session signed in without it gets none of that, as in the admin."""
    from disclosures.models import Audience
    from tests.factories import make_disclosure, pdf_bytes, upload
    from tests.requests_app.factories import make_application

    user = StaffFactory(username="handler")  # a superuser: handles applications, sees everything
    application, _code = make_application(files=[upload("身份证.pdf", pdf_bytes())])
    id_proof = reverse("requests_app:file-download", args=[application.tracking_number, application.files.get().pk])
    campus_item = make_disclosure(title="校内公开通知", audience=Audience.CAMPUS).get_absolute_url()
    assert sign_in(client, "handler").status_code == 302  # no authenticator yet: the password is enough
    assert client.get(id_proof).status_code == 200 and client.get(campus_item).status_code == 200
    device = make_device(user)
    assert client.get(id_proof).status_code == 404
    assert client.get(campus_item).status_code == 403
    assert sign_in(client, "handler", token=current_code(device)).status_code == 302
    assert client.get(id_proof).status_code == 200 and client.get(campus_item).status_code == 200


def test_guessing_one_account_from_many_addresses_stops_at_the_account_limit(client, axes_on, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    StaffFactory(username="office")
    answered = 0
    for n in range(8):  # two wrong passwords from each of eight addresses: below the per-address limit of 3
        for _try in range(2):
            response = sign_in(client_class_for(client)(), "office", "wrong-password", REMOTE_ADDR=f"10.8.0.{n}")
            answered += response.status_code == 200
    assert answered == 5  # the sixth wrong try locks the account, from every address…
    assert sign_in(client_class_for(client)(), "office", REMOTE_ADDR="10.9.9.9").status_code == 429
    # …while another account is not.
    StaffFactory(username="other-office")
    assert sign_in(client_class_for(client)(), "other-office", REMOTE_ADDR="10.9.9.9").status_code == 302


@pytest.fixture
def admins_need_2fa(settings):
    settings.STAFF_REQUIRE_2FA_FOR_ADMINS = True


def test_superusers_and_site_administrators_need_two_factor_by_default(client, admins_need_2fa):
    from disclosures import permissions
    from tests.factories import editor, staff_member

    StaffFactory(username="root")
    response = sign_in(client, "root")
    assert response.status_code == 200 and not signed_in(client)
    assert "device_required" in [e.code for e in response.context["form"].non_field_errors().as_data()]
    site_admin = staff_member("site-admin", permissions.SITE_ADMIN_GROUP)
    assert sign_in(client, "site-admin").status_code == 200 and not signed_in(client)
    client.force_login(site_admin)  # a session without the second factor does not reach the admin
    assert client.get(INDEX).status_code == 302
    client.logout()
    editor("plain-editor")  # other staff are not asked (unless STAFF_REQUIRE_2FA)
    assert sign_in(client, "plain-editor").status_code == 302


def test_the_default_comes_from_the_real_settings():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from portal import settings; print(settings.STAFF_REQUIRE_2FA_FOR_ADMINS)"],
        capture_output=True,
        text=True,
        env={"DJANGO_SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
        cwd=str(django_settings.BASE_DIR),
    )
    assert out.stdout.strip() == "True", out.stderr


def test_backup_codes_are_shown_once_and_sign_in_once(client, admins_need_2fa, settings):
    from io import StringIO

    from django.core.management import call_command

    user = StaffFactory(username="root")
    out = StringIO()
    call_command("two_factor_setup", "root", stdout=out)
    codes = [line.strip() for line in out.getvalue().splitlines() if line.startswith("  ")]
    assert len(codes) == 10
    assert sign_in(client, "root", token=codes[0]).status_code == 302 and signed_in(client)
    assert client.get(INDEX).status_code == 200
    client.logout()
    assert sign_in(client, "root", token=codes[0]).status_code == 200  # used up
    assert sign_in(client, "root", token=codes[1].upper()).status_code == 302
    # The two-factor page makes new ones and shows them on that answer only.
    page = client.post(reverse("admin:two-factor"), {"backup_codes": "1"})
    fresh = page.context["backup_codes"]
    assert len(fresh) == 10 and all(code in page.content.decode() for code in fresh)
    again = client.get(reverse("admin:two-factor")).content.decode()
    assert not any(code in again for code in fresh)
    client.logout()
    assert sign_in(client, "root", token=codes[2]).status_code == 200  # the old ones stopped working
    assert user.staticdevice_set.get().token_set.count() == 10


def test_enrolling_an_authenticator_shows_backup_codes(client):
    user = StaffFactory(username="office")
    client.force_login(user)
    url = reverse("admin:two-factor")
    client.get(url)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(url, {"token": current_code(device)})
    assert confirmed.status_code == 200 and len(confirmed.context["backup_codes"]) == 10


def test_demo_admin_signs_in_with_a_printed_backup_code(client, admins_need_2fa, settings, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff", stdout=StringIO())
    credentials = json.loads((tmp_path / "demo_staff.json").read_text())
    code = credentials["backup_codes"][0]
    assert sign_in(client, "demo-admin", credentials["password"], token=code).status_code == 302
    client.logout()
    out = StringIO()
    call_command("ensure_demo_staff", stdout=out)  # the next `make run` makes the printed codes valid again
    assert code in out.getvalue()
    assert sign_in(client, "demo-admin", credentials["password"], token=code).status_code == 302
