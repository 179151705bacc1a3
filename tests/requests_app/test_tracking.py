"""Tracking by number + access code: hashed codes, throttling, and nobody sees another applicant's data."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core import tracking
from requests_app import services
from tests.factories import pdf_bytes, upload
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db
TRACK = reverse("requests_app:track")


def status_url(application):
    return reverse("requests_app:status", args=[application.tracking_number])


def test_access_code_is_hashed_and_verified():
    application, code = make_application()
    assert code not in application.access_code_hash
    assert tracking.access_code_verify(code, application.access_code_hash)
    assert tracking.access_code_verify(code.lower(), application.access_code_hash)  # forgiving about case
    assert not tracking.access_code_verify("WRONGCODE0", application.access_code_hash)


def test_tracking_numbers_are_sequential_per_year():
    first, _ = make_application()
    second, _ = make_application(phone="13900000000")
    assert first.tracking_number[:7] == second.tracking_number[:7]
    assert int(second.tracking_number[7:]) == int(first.tracking_number[7:]) + 1


def test_the_right_code_opens_the_status_page_without_the_id_number(client):
    application, code = make_application()
    response = client.post(TRACK, {"tracking_number": application.tracking_number.lower(), "access_code": code})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert application.tracking_number in text
    assert application.id_number not in text
    assert application.phone not in text
    assert "张三丰" not in text
    assert page["Cache-Control"].startswith("max-age=0")


def test_outsiders_cannot_see_an_application(client):
    application, code = make_application()
    assert client.get(status_url(application)).status_code == 404
    assert client.get(reverse("requests_app:receipt", args=[application.tracking_number])).status_code == 404
    # Knowing one's own application does not open another one.
    mine, my_code = make_application(phone="13900000000", email="me@example.com")
    client.post(TRACK, {"tracking_number": mine.tracking_number, "access_code": my_code})
    assert client.get(status_url(mine)).status_code == 200
    assert client.get(status_url(application)).status_code == 404
    wrong = client.post(TRACK, {"tracking_number": application.tracking_number, "access_code": my_code})
    assert wrong.status_code == 200
    assert wrong.context["form"].non_field_errors()


def test_id_proofs_are_served_only_to_handlers(staff_client):
    client = Client()
    application, code = make_application(files=[upload("id.pdf", pdf_bytes())])
    stored = application.files.get()
    url = reverse("requests_app:file-download", args=[application.tracking_number, stored.pk])
    client.post(TRACK, {"tracking_number": application.tracking_number, "access_code": code})
    assert client.get(url).status_code == 404  # not even to the applicant's session
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert application.events.filter(kind="file_downloaded").exists()


@override_settings(TRACKING_MAX_FAILURES=3, TRACKING_LOCKOUT_SECONDS=600)
def test_repeated_wrong_codes_are_throttled_even_with_the_right_one_after(client):
    application, code = make_application()
    for _ in range(3):
        response = client.post(TRACK, {"tracking_number": application.tracking_number, "access_code": "AAAAAAAAAA"})
        assert response.status_code == 200
    locked = client.post(TRACK, {"tracking_number": application.tracking_number, "access_code": code})
    assert locked.status_code == 429
    assert "10" in str(locked.context["form"].non_field_errors())


@override_settings(TRACKING_MAX_FAILURES=5)
def test_wrong_codes_from_one_address_do_not_lock_the_applicant_out_elsewhere(client):
    application, code = make_application()
    for _n in range(5):
        client.post(
            TRACK, {"tracking_number": application.tracking_number, "access_code": "AAAAAAAAAA"}, REMOTE_ADDR="10.0.0.1"
        )
    locked = client.post(
        TRACK, {"tracking_number": application.tracking_number, "access_code": code}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429  # the guesser's address waits for this number…
    response = client.post(
        TRACK, {"tracking_number": application.tracking_number, "access_code": code}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 302  # …the applicant, elsewhere, is let in


@override_settings(TRACKING_MAX_FAILURES=3)
def test_ipv6_addresses_of_one_slash_64_count_as_one_client(client):
    application, code = make_application()
    for n in range(3):
        client.post(
            TRACK,
            {"tracking_number": application.tracking_number, "access_code": "AAAAAAAAAA"},
            REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}",
        )
    data = {"tracking_number": application.tracking_number, "access_code": code}
    assert client.post(TRACK, data, REMOTE_ADDR="2001:db8:1:2:ffff:1:2:3").status_code == 429
    assert client.post(TRACK, data, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302  # another /64


def test_one_address_is_limited_over_all_numbers(rf, settings):
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 2
    from requests_app.models import DisclosureApplication

    request = rf.post("/", REMOTE_ADDR="10.2.2.2")
    for number in ("YSQ2099000001", "YSQ2099000002"):
        assert tracking.lookup(request, DisclosureApplication.objects.all(), number=number, code="X") is None
    with pytest.raises(tracking.Throttled):
        tracking.lookup(request, DisclosureApplication.objects.all(), number="YSQ2099000003", code="X")
    elsewhere = rf.post("/", REMOTE_ADDR="10.3.3.3")
    assert tracking.lookup(elsewhere, DisclosureApplication.objects.all(), number="YSQ2099000003", code="X") is None


def test_access_codes_are_a_keyed_hash_checked_in_microseconds():
    import time

    code = tracking.access_code_new()
    hashed = tracking.access_code_hash(code)
    assert hashed.startswith("hmac_sha256$") and code not in hashed
    started = time.perf_counter()
    for _n in range(1000):
        assert not tracking.access_code_verify("WRONGCODE0", hashed)
    per_check = (time.perf_counter() - started) / 1000
    assert per_check < 0.001, per_check  # PBKDF2 took 0.55 s
    from django.conf import settings

    old_key = settings.SECRET_KEY
    with override_settings(SECRET_KEY="another-secret-key-0123456789-abcdefghij"):
        assert not tracking.access_code_verify(code, hashed)  # keyed: useless without the secret key
        with override_settings(SECRET_KEY_FALLBACKS=[old_key]):
            assert tracking.access_code_verify(code, hashed)  # a key rotation keeps codes working


@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
)
def test_codes_stored_by_the_password_hasher_still_work_and_are_re_stored(client):
    from django.contrib.auth.hashers import make_password

    from requests_app.models import DisclosureApplication

    application, code = make_application()
    DisclosureApplication.objects.filter(pk=application.pk).update(
        access_code_hash=make_password(tracking.normalise_code(code), hasher="pbkdf2_sha256")
    )
    data = {"tracking_number": application.tracking_number, "access_code": code}
    assert client.post(TRACK, data).status_code == 302
    application.refresh_from_db()
    assert application.access_code_hash.startswith("hmac_sha256$")
    assert tracking.access_code_verify(code, application.access_code_hash)


def test_the_applicant_answers_a_clarification_on_the_tracking_page(client, staff_user):
    application, code = make_application()
    services.application_request_clarification(application=application, user=staff_user, message="请说明年份")
    client.post(TRACK, {"tracking_number": application.tracking_number, "access_code": code})
    page = client.get(status_url(application))
    assert "请说明年份" in page.content.decode()
    url = reverse("requests_app:answer-clarification", args=[application.tracking_number])
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400
    response = client.post(url, {"text": "2024年", "attachments": [upload("说明.pdf", pdf_bytes())]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "accepted"
    assert application.files.filter(role="clarification").count() == 1


def test_the_applicant_downloads_the_reply_letter_and_released_files(client, staff_user):
    application, code = make_application()
    services.application_reply(
        application=application,
        user=staff_user,
        kind="disclosed",
        letter="张三丰：现予以公开。",
        files=[upload("招标文件.pdf", pdf_bytes())],
    )
    client.post(TRACK, {"tracking_number": application.tracking_number, "access_code": code})
    letter = client.get(reverse("requests_app:reply-letter", args=[application.tracking_number]))
    assert letter.status_code == 200
    assert "attachment" in letter["Content-Disposition"]
    assert "现予以公开" in letter.content.decode("utf-8-sig")
    released = application.files.get(role="released")
    response = client.get(reverse("requests_app:file-download", args=[application.tracking_number, released.pk]))
    assert response.status_code == 200


def test_a_deadline_in_a_year_without_official_data_is_flagged_provisional(staff_client, staff_user):
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2027, 9, 27, 2, 0, tzinfo=datetime.UTC), tick=False):
        application, code = make_application()
        applicant = Client()
        applicant.post(TRACK, {"tracking_number": application.tracking_number, "access_code": code})
        page = applicant.get(status_url(application))
        assert page.context["deadline"].provisional
        assert "暂定" in page.content.decode()
        staff_client.force_login(staff_user)  # a session from 2026 has expired by 2027
        listing = staff_client.get(reverse("admin:requests_app_disclosureapplication_changelist"))
        assert "暂定" in listing.content.decode()


def test_simultaneous_guesses_do_not_slip_past_the_limit(rf, settings, monkeypatch):
    # Many requests in flight at once all passed the "is this client locked out?" check before any of them
    # recorded its failure, so a burst of parallel guesses went beyond the limit. Each attempt is counted before
    # its code is checked: here every guess starts while the ones before it are still being checked.
    settings.TRACKING_MAX_FAILURES = 5
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 100
    from requests_app.models import DisclosureApplication

    application, code = make_application()
    request = rf.post("/", REMOTE_ADDR="10.4.4.4")
    checked, refused = [], []
    real_verify = tracking.access_code_verify

    def verify_while_more_arrive(guess, hashed):
        checked.append(guess)
        if len(checked) + len(refused) < 30:
            try:
                tracking.lookup(
                    request, DisclosureApplication.objects.all(), number=application.tracking_number, code="AAAAAAAAAA"
                )
            except tracking.Throttled:
                refused.append(guess)
        return real_verify(guess, hashed)

    monkeypatch.setattr(tracking, "access_code_verify", verify_while_more_arrive)
    assert (
        tracking.lookup(
            request, DisclosureApplication.objects.all(), number=application.tracking_number, code="AAAAAAAAAA"
        )
        is None
    )
    assert len(checked) == 5  # the limit, not 30
    monkeypatch.setattr(tracking, "access_code_verify", real_verify)
    # A right code from elsewhere is let in, and is not counted as a failure there.
    elsewhere = rf.post("/", REMOTE_ADDR="10.5.5.5")
    for _n in range(8):
        found = tracking.lookup(
            elsewhere, DisclosureApplication.objects.all(), number=application.tracking_number, code=code
        )
        assert found == application
