"""A form sent back with errors keeps the files already sent (pending uploads bound to the form's address and
field): the item form's attachments and the public application's; saved forms and abandoned ones leave none."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import PendingUpload
from disclosures.models import Attachment
from requests_app.models import DisclosureApplication
from tests.factories import pdf_bytes, upload
from tests.portal.test_faults import admin_form_data, files_on_disk, media  # noqa: F401 (a fixture)
from tests.requests_app.factories import form_post

pytestmark = pytest.mark.django_db


def kept_tokens(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{re.escape(name)}__kept" value="([^"]+)">', page)


def test_the_item_form_keeps_its_attachment_through_an_error(staff_client, media):  # noqa: F811
    url = reverse("admin:disclosures_disclosure_add")
    data = admin_form_data(title="")  # the title is missing
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": upload("预算.pdf", pdf_bytes("Budget")),
            "attachments-0-title": "预算表",
            "attachments-0-order": "0",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    tokens = kept_tokens(page, "attachments-0-file")
    assert len(tokens) == 1 and "预算.pdf" in page and "无需重新选择" in page
    assert PendingUpload.objects.get().path == url
    # Sent again with the title and without choosing the file: the item has its attachment.
    data.pop("attachments-0-file")
    data.update({"title": "2024年预算公开说明", "attachments-0-file__kept": tokens[0]})
    assert staff_client.post(url, data).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "预算.pdf" and attachment.file.read() == pdf_bytes("Budget")
    assert not PendingUpload.objects.exists()
    assert files_on_disk(media) == [str(media / attachment.file.name)]


def test_a_refused_file_is_not_kept(staff_client, media):  # noqa: F811
    data = admin_form_data(title="")
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-0-file": upload("x.pdf", b"not a pdf")})
    response = staff_client.post(reverse("admin:disclosures_disclosure_add"), data)
    assert response.status_code == 200
    assert not kept_tokens(response.content.decode(), "attachments-0-file")
    assert not PendingUpload.objects.exists()


def test_the_public_application_keeps_its_files_through_an_error(client, media):  # noqa: F811
    url = reverse("requests_app:apply")
    data = form_post(phone="12")  # a wrong phone number
    data["attachments"] = [upload("身份证.pdf", pdf_bytes("ID")), upload("说明.pdf", pdf_bytes("Note"))]
    response = client.post(url, data)
    assert response.status_code == 200
    tokens = kept_tokens(response.content.decode(), "attachments")
    assert len(tokens) == 2
    data = form_post()
    data["attachments__kept"] = tokens
    data["attachments__multiple"] = "1"
    assert client.post(url, data).status_code == 302
    application = DisclosureApplication.objects.get()
    assert sorted(f.original_name for f in application.files.all()) == ["说明.pdf", "身份证.pdf"]
    assert not PendingUpload.objects.exists()


def test_a_kept_file_is_bound_to_its_form(client, staff_client, media):  # noqa: F811
    data = admin_form_data(title="")
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-0-file": upload("预算.pdf", pdf_bytes())})
    staff_client.post(reverse("admin:disclosures_disclosure_add"), data)
    token = PendingUpload.objects.get().token
    data = form_post()
    data["attachments__kept"] = [token]  # another form's file: not taken
    assert client.post(reverse("requests_app:apply"), data).status_code == 302
    assert not DisclosureApplication.objects.get().files.exists()
    assert PendingUpload.objects.filter(token=token).exists()


def test_abandoned_files_are_removed(staff_client, media, settings):  # noqa: F811
    data = admin_form_data(title="")
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-0-file": upload("预算.pdf", pdf_bytes())})
    staff_client.post(reverse("admin:disclosures_disclosure_add"), data)
    assert len(files_on_disk(media)) == 1
    PendingUpload.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.PENDING_UPLOAD_HOURS + 1)
    )
    out = io.StringIO()
    call_command("purge_pending_uploads", stdout=out)
    assert "1" in out.getvalue()
    assert not PendingUpload.objects.exists() and files_on_disk(media) == []
