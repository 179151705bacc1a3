"""The public form: validation with clear messages that keep what was typed, and abuse resistance."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core import abuse
from requests_app.models import DisclosureApplication, FileRole
from tests.factories import pdf_bytes, upload
from tests.requests_app.factories import form_post, valid_credit_code, valid_id_number

pytestmark = pytest.mark.django_db
URL = reverse("requests_app:apply")


def test_guide_and_form_pages_render(client):
    guide = client.get(reverse("requests_app:guide"))
    assert guide.status_code == 200
    assert "信息公开办公室" in guide.content.decode()
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="website"' in page.content.decode()


def test_a_citizen_files_an_application_and_gets_a_receipt_with_the_code_once(client):
    response = client.post(URL, form_post())
    application = DisclosureApplication.objects.get()
    assert response.status_code == 302
    assert application.tracking_number.startswith("YSQ")
    receipt = client.get(response["Location"])
    text = receipt.content.decode()
    assert application.tracking_number in text
    code = receipt.context["access_code"]
    assert code and code in text
    assert code not in application.access_code_hash
    assert receipt.context["deadline"].due_on is not None
    # Shown once.
    again = client.get(response["Location"])
    assert again.context["access_code"] is None
    # E-mailed to the applicant with the code.
    assert len(mail.outbox) == 1
    assert code in mail.outbox[0].body


def test_wrong_id_check_character_is_refused_and_everything_typed_is_kept(client):
    number = valid_id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client.post(URL, form_post(id_number=wrong, description="我想要的信息"))
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    text = response.content.decode()
    assert "我想要的信息" in text and wrong in text
    assert not DisclosureApplication.objects.exists()


def test_passport_numbers_are_not_checked_as_id_cards(client):
    response = client.post(URL, form_post(id_type="passport", id_number="E12345678"))
    assert response.status_code == 302


def test_organisation_needs_a_valid_credit_code_and_representative(client):
    post = form_post(applicant_type="organisation", name="某某科技有限公司", id_type="", id_number="")
    post.update(credit_code="91350100M000100Y44", legal_representative="", contact_person="")
    response = client.post(URL, post)
    errors = response.context["form"].errors
    assert {"credit_code", "legal_representative", "contact_person", "organisation_type"} <= set(errors)
    post.update(
        credit_code=valid_credit_code(),
        legal_representative="李四",
        contact_person="王五",
        organisation_type="research",
    )
    assert client.post(URL, post).status_code == 302
    application = DisclosureApplication.objects.get()
    assert application.id_number == "" and application.credit_code == valid_credit_code()


def test_delivery_by_email_needs_an_address_and_fee_waiver_needs_a_reason(client):
    response = client.post(URL, form_post(email="", fee_waiver_requested=True))
    errors = response.context["form"].errors
    assert "email" in errors and "fee_waiver_reason" in errors


def test_consent_is_required(client):
    post = form_post()
    del post["consent"]
    assert "consent" in client.post(URL, post).context["form"].errors


def test_attachments_are_checked_by_content(client):
    post = form_post()
    post["attachments"] = [upload("身份证.pdf", b"not a pdf at all")]
    response = client.post(URL, post)
    assert "attachments" in response.context["form"].errors
    post["attachments"] = [upload("身份证.pdf", pdf_bytes())]
    assert client.post(URL, post).status_code == 302
    assert DisclosureApplication.objects.get().files.get().role == FileRole.ID_PROOF


def test_the_honeypot_rejects_the_submission_with_a_message(client):
    response = client.post(URL, {**form_post(), "website": "http://spam.example"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not DisclosureApplication.objects.exists()


@override_settings(ABUSE_RATE_LIMITS={"default": {"ip": (2, 3600), "contact": (5, 86400)}})
def test_per_ip_limit(client):
    for n in range(2):
        assert client.post(URL, form_post(phone=f"1381234567{n}", email=f"a{n}@example.com")).status_code == 302
    response = client.post(URL, form_post(phone="13900000000", email="b@example.com", description="第三次"))
    assert response.status_code == 200
    assert "第三次" in response.content.decode()
    assert any("Too many" in e or "过多" in e for e in response.context["form"].non_field_errors())
    # Another address is not limited.
    assert (
        client.post(URL, form_post(phone="13900000001", email="c@example.com"), REMOTE_ADDR="10.9.9.9").status_code
        == 302
    )


@override_settings(ABUSE_RATE_LIMITS={"default": {"ip": (100, 3600), "contact": (1, 86400)}})
def test_per_contact_limit_across_addresses(client):
    assert client.post(URL, form_post(), REMOTE_ADDR="10.0.0.1").status_code == 302
    response = client.post(URL, form_post(email="other@example.com"), REMOTE_ADDR="10.0.0.2")  # same phone
    assert response.status_code == 200
    assert DisclosureApplication.objects.count() == 1


def test_invalid_submissions_do_not_count_against_the_limit(client, settings):
    settings.ABUSE_RATE_LIMITS = {"default": {"ip": (1, 3600), "contact": (1, 86400)}}
    for _ in range(3):
        client.post(URL, form_post(id_number="123"))
    assert client.post(URL, form_post()).status_code == 302


@override_settings(ABUSE_CAPTCHA="on")
def test_captcha_on_requires_the_right_answer_once(client):
    page = client.get(URL)
    form = page.context["form"]
    token = form.fields["captcha_token"].initial
    a, b = form.captcha_question.split(" = ")[0].split(" + ")
    wrong = client.post(URL, {**form_post(), "captcha_token": token, "captcha_answer": "99"})
    assert "captcha_answer" in wrong.context["form"].errors
    # A fresh challenge is issued; the old token cannot be replayed.
    assert wrong.context["form"]["captcha_token"].value() != token
    replay = client.post(URL, {**form_post(), "captcha_token": token, "captcha_answer": str(int(a) + int(b))})
    assert "captcha_answer" in replay.context["form"].errors
    new_form = replay.context["form"]
    a, b = new_form.captcha_question.split(" = ")[0].split(" + ")
    ok = client.post(
        URL, {**form_post(), "captcha_token": new_form["captcha_token"].value(), "captcha_answer": str(int(a) + int(b))}
    )
    assert ok.status_code == 302


@override_settings(ABUSE_CAPTCHA="test")
def test_captcha_test_mode_accepts_passed(client):
    assert client.post(URL, {**form_post(), "captcha_answer": abuse.TEST_ANSWER}).status_code == 302


def test_rate_limit_function_is_shared_through_the_cache(rf):
    request = rf.post("/", REMOTE_ADDR="10.1.1.1")
    with override_settings(ABUSE_RATE_LIMITS={"default": {"ip": (1, 3600), "contact": (9, 86400)}}):
        abuse.rate_limit(request, scope="consultation")
        with pytest.raises(abuse.RateLimited):
            abuse.rate_limit(request, scope="consultation")
        abuse.rate_limit(request, scope="complaint")  # scopes are separate


def test_overlong_texts_get_a_message_not_an_error(client):
    response = client.post(URL, form_post(description="字" * 5001))
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
