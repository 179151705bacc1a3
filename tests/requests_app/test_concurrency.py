"""Fifty applicants submitting at once get fifty distinct tracking numbers, and nothing is lost (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from requests_app.models import DisclosureApplication
from tests.requests_app.factories import make_application

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"),
]


def test_fifty_concurrent_submissions():
    barrier = threading.Barrier(50)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(n):
        try:
            barrier.wait(timeout=30)
            application, _ = make_application(phone=f"139{n:08d}")
            with lock:
                numbers.append(application.tracking_number)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(numbers) == 50
    assert len(set(numbers)) == 50
    assert DisclosureApplication.objects.count() == 50
    assert sorted(int(n[7:]) for n in numbers) == list(range(1, 51))
