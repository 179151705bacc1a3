"""Slow work outside the database lock (issue 14): applicants and askers filing while an item with large
attachments is approved, and while another is saved with a large upload, all succeed and none waits more than a
second, on SQLite (whose immediate transactions lock the whole database) and on PostgreSQL.

Before: approval re-read every attachment inside its transaction (with two large XLSX files the lock was held for
about ten seconds here), and the admin's save read the upload inside its own; a filing at that moment waited or
failed with ``database is locked``. Now a file is read once, when it is stored, before any transaction starts; the
scan searches the kept text and the approval holds the lock only to write the decision.
"""

from __future__ import annotations

import copy
import io
import threading
import time

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from disclosures import services
from disclosures.models import Attachment, Disclosure, DisclosureStatus
from feedback import services as feedback_services
from feedback.models import Channel, FeedbackMessage
from requests_app import services as request_services
from requests_app.models import DisclosureApplication
from tests.factories import make_disclosure, reviewer, upload
from tests.feedback.factories import message_data
from tests.portal.test_faults import admin_form_data
from tests.requests_app.factories import application_data
from tests.requests_app.test_concurrency_sqlite import file_database  # noqa: F401 - the SQLite file copy

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LONGEST_WAIT = 1.0
FILINGS = 8


def large_xlsx(rows: int = 19_000) -> bytes:
    """An XLSX of about 0.6 MB: a grant list whose text takes seconds to read."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    for number in range(rows):
        sheet.append(
            [number, f"学生{number}", "计算机科学与技术学院", f"2023{number:06d}", "国家助学金", 3300.5, "已发放"]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def big_file() -> bytes:
    return large_xlsx()


@pytest.fixture
def database(request, tmp_path, settings, seeded_catalogue):
    """On SQLite, a file copy of the test database (threads cannot share the in-memory one with its busy timeout;
    see tests/requests_app/test_concurrency_sqlite.py), opened as the site opens it; on PostgreSQL, None."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    if connection.vendor != "sqlite":
        return None
    return request.getfixturevalue("file_database")


def start(database, work, results: dict, key: str) -> threading.Thread:
    """Run ``work()`` in a thread with its own connection (to the file database on SQLite)."""
    wrapper = type(connections["default"])

    def run():
        if database is not None:
            connections["default"] = wrapper(copy.deepcopy(database), "default")
        try:
            results[key] = work()
        except BaseException as error:  # noqa: BLE001 - asserted on in the test
            results[key] = error
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def run(database, work):
    results: dict = {}
    start(database, work, results, "value").join(timeout=300)
    if isinstance(results.get("value"), BaseException):
        raise results["value"]
    return results.get("value")


def test_filings_never_wait_for_an_approval_or_a_save(database, big_file):
    def setup():
        disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED, title="2024年国家助学金发放名单")
        for name in ("助学金名单一.xlsx", "助学金名单二.xlsx"):
            services.attachment_add(disclosure=disclosure, uploaded=upload(name, big_file))
        office = reviewer()
        admin = get_user_model().objects.create_superuser("lock-admin", "lock@example.com", "pw")
        return disclosure.pk, office.pk, admin.pk

    disclosure_pk, office_pk, admin_pk = run(database, setup)

    def approve():
        began = time.monotonic()
        services.disclosure_approve_and_publish(
            disclosure=Disclosure.objects.get(pk=disclosure_pk),
            user=get_user_model().objects.get(pk=office_pk),
            no_state_secrets=True,
            no_trade_secrets=True,
            no_personal_privacy=True,
            acknowledge_scan=True,
        )
        return time.monotonic() - began

    def save():
        client = Client()
        client.force_login(get_user_model().objects.get(pk=admin_pk))
        data = admin_form_data(title="2024年勤工助学岗位名单")
        data.update(
            {
                "attachments-TOTAL_FORMS": "1",
                "attachments-0-file": upload("岗位名单.xlsx", big_file),
                "attachments-0-title": "岗位名单",
                "attachments-0-order": "0",
            }
        )
        return client.post(reverse("admin:disclosures_disclosure_add"), data).status_code

    def filings(kind: str):
        def work():
            waits = []
            for number in range(FILINGS):
                began = time.monotonic()
                if kind == "application":
                    request_services.application_submit(data=application_data(phone=f"139{number:08d}"))
                else:
                    feedback_services.message_submit(channel=Channel.CONSULTATION, data=message_data())
                waits.append(time.monotonic() - began)
                time.sleep(0.15)
            return waits

        return work

    results: dict = {}
    threads = [start(database, approve, results, "approve"), start(database, save, results, "save")]
    time.sleep(0.3)  # the approval and the save are under way
    threads += [
        start(database, filings("application"), results, "applications"),
        start(database, filings("message"), results, "messages"),
    ]
    for thread in threads:
        thread.join(timeout=300)
    for key in ("approve", "save", "applications", "messages"):
        assert not isinstance(results.get(key), BaseException), results.get(key)
    assert results["save"] == 302
    waits = results["applications"] + results["messages"]
    assert len(waits) == 2 * FILINGS  # every filing succeeded ...
    assert max(waits) < LONGEST_WAIT, f"a filing waited {max(waits):.2f} s (approval took {results['approve']:.2f} s)"

    def stored():
        return (
            DisclosureApplication.objects.count(),
            FeedbackMessage.objects.count(),
            Disclosure.objects.get(pk=disclosure_pk).status,
            Attachment.objects.filter(disclosure__title="2024年勤工助学岗位名单").count(),
        )

    assert run(database, stored) == (FILINGS, FILINGS, DisclosureStatus.PUBLISHED, 1)  # ... exactly once
