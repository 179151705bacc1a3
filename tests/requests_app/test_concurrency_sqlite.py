"""SQLite under concurrent writers (the default database): applicants filing at once through the public form
are each stored exactly once with distinct tracking numbers, thanks to the settings' WAL journal, busy timeout
and immediate transactions; a lock held longer than the timeout answers a clean 503 and loses nothing.

The test database is in memory (shared between threads through SQLite's shared cache, whose table locks do not
wait for the busy timeout), so these tests copy it into a file and point their threads' connections at it,
with the site's own connection options (the PostgreSQL counterpart is test_concurrency.py).
"""

from __future__ import annotations

import copy
import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from requests_app.models import DisclosureApplication
from tests.integrity import half_records
from tests.requests_app.factories import form_post

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking (PostgreSQL: test_concurrency.py)"),
]
THREADS = 12
EACH = 2


@pytest.fixture
def file_database(tmp_path, seeded_catalogue, settings):
    """Settings for a copy of the migrated test database in a file, opened as portal/settings.py opens SQLite."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    database = copy.deepcopy(connection.settings_dict)
    database["NAME"] = str(path)
    return database


def in_thread(database, work):
    """Run ``work()`` in a thread whose default connection is the file database; return what it returned."""
    result = {}
    wrapper = type(connections["default"])  # the SQLite backend's DatabaseWrapper

    def run():
        connections["default"] = wrapper(copy.deepcopy(database), "default")
        try:
            result["value"] = work()
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            result["error"] = error
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def stored(database) -> list[str]:
    return in_thread(database, lambda: list(DisclosureApplication.objects.values_list("tracking_number", flat=True)))


def test_the_settings_open_sqlite_in_wal_mode_with_a_busy_timeout(file_database):
    def pragmas():
        with connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            return journal, cursor.fetchone()[0]

    assert in_thread(file_database, pragmas) == ("wal", 20000)
    assert file_database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_concurrent_applicants_are_each_stored_once(file_database):
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def applicant(n: int):
        def work():
            browser = Client(raise_request_exception=False, REMOTE_ADDR=f"198.51.100.{n + 1}")
            barrier.wait(timeout=30)
            for i in range(EACH):
                post = form_post(phone=f"1390000{n:02d}{i:02d}", email=f"a{n}-{i}@example.com", name=f"申请人{n}-{i}")
                status = browser.post("/apply/new/", post).status_code
                with lock:
                    statuses.append(status)

        try:
            in_thread(file_database, work)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    assert statuses == [302] * (THREADS * EACH)
    numbers = stored(file_database)
    assert len(numbers) == len(set(numbers)) == THREADS * EACH
    assert sorted(int(number[-6:]) for number in numbers) == list(range(1, THREADS * EACH + 1))
    names = in_thread(file_database, lambda: sorted(DisclosureApplication.objects.values_list("name", flat=True)))
    assert names == sorted(f"申请人{n}-{i}" for n in range(THREADS) for i in range(EACH))
    assert in_thread(file_database, half_records) == []


def test_a_lock_held_past_the_busy_timeout_answers_503_and_loses_nothing(file_database):
    file_database["OPTIONS"]["timeout"] = 0.3  # the site waits 20 s; the test, a moment
    holder = sqlite3.connect(file_database["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer (a long import, say) holds the write lock
    browser = Client(raise_request_exception=False, REMOTE_ADDR="198.51.100.200")
    try:
        response = in_thread(file_database, lambda: browser.post("/apply/new/", form_post()))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.has_header("Retry-After")
    assert stored(file_database) == []
    # The lock is gone: the applicant sends the form again and it is filed, with the first number.
    response = in_thread(file_database, lambda: browser.post("/apply/new/", form_post()))
    assert response.status_code == 302
    assert [number[-6:] for number in stored(file_database)] == ["000001"]
    assert in_thread(file_database, half_records) == []
