"""Faults: the database going away answers a clean 503 and the site recovers when it returns; a full disk while
files are stored leaves nothing half-saved and tells the person, whose typed input is kept."""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Sequence
from core.uploads import STORAGE_FAILED_MESSAGE, StorageFailed
from disclosures import services as disclosure_services
from disclosures.models import Attachment, Disclosure
from portal.views import RETRY_AFTER_SECONDS
from requests_app import permissions as application_permissions
from requests_app import services
from requests_app.models import (
    ApplicationFile,
    ApplicationState,
    DisclosureApplication,
    EventKind,
    FileRole,
)
from tests.factories import category, department, docx_bytes, make_disclosure, pdf_bytes, upload
from tests.integrity import assert_whole
from tests.requests_app.factories import form_post, make_application


def files_on_disk(root) -> list[str]:
    return sorted(str(Path(folder, name)) for folder, _dirs, names in os.walk(root) for name in names)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


# --- the database goes away ------------------------------------------------------------------------------


@contextmanager
def database_down(error_class=OperationalError):
    """Every query fails as it does when the server has gone away (or, on SQLite, the file cannot be read)."""

    def fail(self, *args, **kwargs):
        raise error_class("server closed the connection unexpectedly")

    with mock.patch.object(CursorWrapper, "execute", fail), mock.patch.object(CursorWrapper, "executemany", fail):
        yield


def assert_clean_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert [t.name for t in response.templates] == ["503.html", "error_base.html", "includes/site_identity.html"]
    text = response.content.decode()
    assert "css/site.css" in text and 'class="site-header"' in text  # the site's own style


@pytest.mark.django_db
@pytest.mark.parametrize("error_class", [OperationalError, InterfaceError])
def test_the_database_going_away_answers_503_and_the_site_recovers(error_class, media):
    item = make_disclosure()
    browser = Client(raise_request_exception=False)
    pages = ["/", item.get_absolute_url(), "/items/", "/api/v1/items/", "/apply/new/", "/board/", "/reports/"]
    with database_down(error_class):
        for page in pages:
            if page.startswith("/api/"):  # the API answers in JSON (issue 18)
                response = browser.get(page)
                assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER_SECONDS)
                assert "no-store" in response["Cache-Control"] and response.json()["error"]
            else:
                assert_clean_503(browser.get(page))
        assert_clean_503(browser.post("/apply/new/", form_post()))
    for page in pages:
        assert browser.get(page).status_code == 200, page
    assert browser.post("/apply/new/", form_post()).status_code == 302
    assert DisclosureApplication.objects.count() == 1
    assert_whole("after the outage")


@pytest.mark.django_db
def test_the_503_page_is_translated(media):
    browser = Client(raise_request_exception=False)
    browser.cookies["django_language"] = "en"
    with database_down():
        response = browser.get("/en/", HTTP_ACCEPT_LANGUAGE="en")
    assert_clean_503(response)
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_other_errors_still_answer_500(media):
    browser = Client(raise_request_exception=False)
    with mock.patch("core.cache.memoize", side_effect=RuntimeError("a bug")):
        response = browser.get("/")
    assert response.status_code == 500
    assert [t.name for t in response.templates] == ["500.html", "error_base.html", "includes/site_identity.html"]
    assert not response.has_header("Retry-After")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_a_postgresql_backend_killed_between_two_requests_answers_503_then_reconnects(seeded_catalogue, media):
    import psycopg2

    browser = Client(raise_request_exception=False)
    assert browser.get("/apply/new/").status_code == 200
    pid = connection.connection.get_backend_pid()
    params = connection.get_connection_params()
    with psycopg2.connect(**params) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert_clean_503(browser.get("/apply/new/"))
    # The broken connection was closed: the next request opens a new one and works.
    assert browser.get("/apply/new/").status_code == 200
    assert connection.connection.get_backend_pid() != pid
    assert browser.post("/apply/new/", form_post()).status_code == 302
    assert_whole("after the reconnection")


# --- the disk fills up -----------------------------------------------------------------------------------


@contextmanager
def disk_full(*, after_files: int = 0):
    """The storage takes ``after_files`` files, then writes a few bytes of the next one and fails as a full
    disk does (the part written stays on disk, as it would)."""
    real_save = FileSystemStorage._save
    saved = {"count": 0}

    def save(self, name, content):
        if saved["count"] < after_files:
            saved["count"] += 1
            return real_save(self, name, content)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read(16))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    with mock.patch.object(FileSystemStorage, "_save", save):
        yield


def non_field_errors(response) -> list[str]:
    form = response.context["form"] if "form" in response.context else response.context["answer_form"]
    return [str(error) for error in form.non_field_errors()]


@pytest.mark.django_db
@pytest.mark.parametrize("after_files", [0, 1])
def test_a_full_disk_files_no_application_and_keeps_what_was_typed(after_files, media):
    post = form_post(description="需要2023年度预算执行情况的全部附件")
    post["attachments"] = [upload("身份证.pdf", pdf_bytes()), upload("授权书.docx", docx_bytes())]
    with disk_full(after_files=after_files):
        response = Client(raise_request_exception=False).post(reverse("requests_app:apply"), post)
    assert response.status_code == 503
    assert response.has_header("Retry-After")
    assert non_field_errors(response) == [str(STORAGE_FAILED_MESSAGE)]
    assert "需要2023年度预算执行情况的全部附件" in response.content.decode()  # the typed text is still in the form
    assert not DisclosureApplication.objects.exists()
    assert not ApplicationFile.objects.exists()
    assert files_on_disk(media) == []  # neither the first file nor the part of the second
    assert not Sequence.objects.filter(name__startswith="tracking:", value__gt=0).exists()  # no number used
    assert_whole("after the full disk")
    # Once there is room again, the same submission is filed with the first number of the year.
    response = Client().post(
        reverse("requests_app:apply"), {**post, "attachments": [upload("身份证.pdf", pdf_bytes())]}
    )
    assert response.status_code == 302
    assert DisclosureApplication.objects.get().tracking_number.endswith("000001")
    assert_whole("after the retry")


@pytest.mark.django_db
def test_a_full_disk_while_answering_a_clarification_changes_nothing(media):
    application, _code = make_application()
    services.application_request_clarification(application=application, user=None, message="请补充身份证明")
    browser = Client(raise_request_exception=False)
    session = browser.session
    session[application_permissions.SESSION_KEY] = [application.tracking_number]
    session.save()
    url = reverse("requests_app:answer-clarification", args=[application.tracking_number])
    with disk_full():
        response = browser.post(url, {"text": "补充材料见附件", "attachments": [upload("补正.pdf", pdf_bytes())]})
    assert response.status_code == 503
    assert non_field_errors(response) == [str(STORAGE_FAILED_MESSAGE)]
    assert "补充材料见附件" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.CLARIFICATION  # the clock is still stopped
    assert not application.events.filter(kind=EventKind.CLARIFICATION_RECEIVED).exists()
    assert not application.files.exists()
    assert files_on_disk(media) == []
    assert_whole("after the failed answer")


@pytest.mark.django_db
def test_a_full_disk_while_replying_with_files_sends_no_reply(staff_client, media):
    application, _code = make_application()
    services.application_accept(application=application, user=None)
    url = reverse("admin:requests_app_disclosureapplication_action", args=[application.pk, "reply"])
    post = {"outcome": "disclosed", "letter": "您申请的信息见附件。", "files": [upload("预算.pdf", pdf_bytes())]}
    with disk_full():
        response = staff_client.post(url, post)
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == [str(STORAGE_FAILED_MESSAGE)]
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED and not application.reply_letter
    assert not application.files.filter(role=FileRole.RELEASED).exists()
    assert files_on_disk(media) == []


@pytest.mark.django_db
def test_a_full_disk_adds_no_disclosure_attachment(media):
    draft = make_disclosure(status="draft")
    with disk_full(), pytest.raises(StorageFailed):
        disclosure_services.attachment_add(disclosure=draft, uploaded=upload("预算.pdf", pdf_bytes()))
    assert not Attachment.objects.exists()
    assert not draft.events.filter(action="attachment_added").exists()
    assert files_on_disk(media) == []


@pytest.mark.django_db
def test_a_download_from_a_failing_disk_answers_503_and_a_lost_file_404(client, media):
    item = make_disclosure()
    attachment = disclosure_services.attachment_add(disclosure=item, uploaded=upload("预算.pdf", pdf_bytes()))
    url = reverse("disclosures:attachment-download", args=[item.index_number, attachment.pk])

    def unreadable(self, name, mode="rb"):
        raise OSError(errno.EIO, os.strerror(errno.EIO), name)

    with mock.patch.object(FileSystemStorage, "_open", unreadable):
        response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 503
    assert response.has_header("Retry-After") and response["Cache-Control"] == "no-store"
    assert "暂时" in response.content.decode()  # the site's own page, in Chinese
    assert client.get(url).status_code == 200  # readable again
    Path(media, attachment.file.name).unlink()
    assert client.get(url).status_code == 404


def admin_form_data(**overrides) -> dict:
    """The admin's add form for an item, with the management forms of its inlines."""
    data = {
        "title": "新的通知",
        "category": category("04").pk,
        "department": department("admissions").pk,
        "audience": "public",
        "date_written": timezone.localdate().isoformat(),
        "body": "<p>正文</p>",
    }
    for name in (
        "item",
        "notice_kind",
        "corrects",
        "document_number",
        "validity",
        "replaced_by",
        "keywords",
        "summary",
    ):
        data[name] = ""
    for prefix in ("attachments", "reviews", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"})
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_full_disk_in_the_admin_saves_no_item_and_keeps_the_form(staff_client, media):
    data = admin_form_data(title="2024年预算公开说明")
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": upload("预算.pdf", pdf_bytes()),
            "attachments-0-title": "预算表",
            "attachments-0-order": "0",
        }
    )
    url = reverse("admin:disclosures_disclosure_add")
    with disk_full():
        response = staff_client.post(url, data)
    assert response.status_code == 503
    assert str(STORAGE_FAILED_MESSAGE) in response.content.decode()
    assert "2024年预算公开说明" in response.content.decode()
    assert not Disclosure.objects.filter(title="2024年预算公开说明").exists()
    assert not Attachment.objects.exists()
    assert files_on_disk(media) == []
    assert not Sequence.objects.filter(name__startswith="index:", value__gt=0).exists()
    # With room on the disk the same form saves the item and its attachment.
    data["attachments-0-file"] = upload("预算.pdf", pdf_bytes())
    assert staff_client.post(url, data).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.disclosure.title == "2024年预算公开说明"
    assert files_on_disk(media) == [str(Path(media, attachment.file.name))]


@pytest.mark.django_db
def test_a_full_disk_at_the_second_attachment_in_the_admin_leaves_no_file_of_the_first(staff_client, media):
    data = admin_form_data(title="2024年预算公开说明")
    data["attachments-TOTAL_FORMS"] = "2"
    for index, (name, content) in enumerate([("预算.pdf", pdf_bytes()), ("说明.docx", docx_bytes())]):
        data.update(
            {
                f"attachments-{index}-file": upload(name, content),
                f"attachments-{index}-title": name,
                f"attachments-{index}-order": str(index),
            }
        )
    with disk_full(after_files=1):
        response = staff_client.post(reverse("admin:disclosures_disclosure_add"), data)
    assert response.status_code == 503
    page = response.content.decode()
    assert str(STORAGE_FAILED_MESSAGE) in page and "2024年预算公开说明" in page  # the reason, and what was typed
    assert not Disclosure.objects.filter(title="2024年预算公开说明").exists()
    assert not Attachment.objects.exists()
    assert files_on_disk(media) == []  # the first attachment's file went with the rolled-back save


@pytest.mark.django_db
def test_files_written_before_a_failed_commit_are_removed(media):
    """A failure after the files were written (the database refusing the commit, say) removes them too."""
    from django.db import transaction

    from core.uploads import StoredFiles

    application, _code = make_application()
    with pytest.raises(OperationalError), StoredFiles() as stored, transaction.atomic():
        row = ApplicationFile(application=application, role=FileRole.ID_PROOF, content_type="application/pdf")
        stored.save(row.file, upload("a.pdf", pdf_bytes()))
        row.save()
        assert files_on_disk(media)
        raise OperationalError("could not commit")
    assert files_on_disk(media) == []
    assert not ApplicationFile.objects.exists()
