"""The disclosure office works without superuser rights: `demo-handler` (created by ensure_demo_staff, in the
handler group) takes an application from receipt to reply; the reply form keeps the files given at its first step;
an application about the applicant's own records needs the identity proof checked first (Order 29)."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from requests_app import services
from requests_app.models import ApplicationState, FileRole
from tests.factories import pdf_bytes, upload
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db


def action_url(application, name):
    return reverse("admin:requests_app_disclosureapplication_action", args=[application.pk, name])


@pytest.fixture
def demo_handler(client, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff")
    credentials = json.loads((tmp_path / "demo_handler.json").read_text())
    user = get_user_model().objects.get(username="demo-handler")
    assert not user.is_superuser and user.groups.filter(name="依申请公开办理人员").exists()
    assert client.login(username=credentials["username"], password=credentials["password"])
    return user


def test_the_demo_handler_takes_an_application_from_receipt_to_reply_and_keeps_the_files(client, demo_handler):
    application, _ = make_application()
    change = reverse("admin:requests_app_disclosureapplication_change", args=[application.pk])
    assert client.get(change).status_code == 200
    assert client.post(action_url(application, "accept"), {}).status_code == 302
    first = client.post(
        action_url(application, "reply"),
        {"outcome": "disclosed", "letter": "", "files": [upload("录取分数.pdf", pdf_bytes("scores"))]},
    )
    assert first.status_code == 200
    form = first.context["form"]
    letter, staged = form["letter"].value(), form["staged"].value()
    assert application.tracking_number in letter and staged
    second = client.post(action_url(application, "reply"), {"outcome": "disclosed", "letter": letter, "staged": staged})
    assert second.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.REPLIED
    released = application.files.get(role=FileRole.RELEASED)
    assert released.original_name == "录取分数.pdf" and released.file.read().startswith(b"%PDF")
    staged_dir = settings.MEDIA_ROOT / "applications" / "staged"
    assert not staged_dir.exists() or not list(staged_dir.iterdir())  # the kept copy is removed once sent


def test_a_forged_staged_reference_is_ignored(client, demo_handler):
    application, _ = make_application()
    response = client.post(
        action_url(application, "reply"), {"outcome": "disclosed", "letter": "答复", "staged": "../../etc/passwd"}
    )
    assert response.status_code == 302
    assert not application.files.filter(role=FileRole.RELEASED).exists()


def test_own_records_need_the_identity_checked_before_the_reply_and_the_letter_stays_on_the_tracking_page():
    application, _ = make_application(own_records=True, files=[upload("身份证.pdf", pdf_bytes("id"))])
    with pytest.raises(ValidationError) as error:
        services.application_reply(application=application, user=None, outcome="disclosed", letter="您的成绩单")
    assert "identity" in str(error.value) or "身份" in str(error.value)
    services.application_verify_identity(application=application, user=None, note="核对身份证原件")
    mail.outbox.clear()
    services.application_reply(application=application, user=None, outcome="disclosed", letter="您的成绩单见附件")
    assert "您的成绩单" not in mail.outbox[-1].body


def test_the_online_form_asks_for_an_identity_proof_for_own_records(client):
    from tests.requests_app.factories import form_post

    response = client.post(reverse("requests_app:apply"), {**form_post(), "own_records": "on"})
    assert response.status_code == 200 and "attachments" in response.context["form"].errors


def test_a_reply_becomes_a_draft_proactive_item_in_one_step_and_is_counted(seeded_catalogue):
    import datetime

    from disclosures.models import Category, Department, DisclosureStatus
    from requests_app.statistics import application_statistics

    application, _ = make_application()
    services.application_reply(
        application=application, user=None, outcome="disclosed", letter="2025年各专业录取分数见附表。"
    )
    category = Category.objects.first()
    department = Department.objects.filter(active=True).first()
    draft = services.application_to_proactive(
        application=application, user=None, category=category, department=department
    )
    application.refresh_from_db()
    assert application.proactive_disclosure == draft and draft.status == DisclosureStatus.DRAFT
    assert "2024年学校基本建设项目招标文件" in draft.title and "录取分数" in draft.body
    with pytest.raises(ValidationError):
        services.application_to_proactive(application=application, user=None, category=category, department=department)
    today = datetime.date.today()
    stats = application_statistics(start=today - datetime.timedelta(days=30), end=today + datetime.timedelta(days=1))
    assert stats.to_proactive == 1
