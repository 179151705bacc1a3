import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user(db):
    from tests.factories import StaffFactory

    return StaffFactory(username="staff")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def seeded_catalogue(db):
    """The catalogue seed, re-applied where a transactional test's flush removed it."""
    import importlib

    from django.apps import apps

    from disclosures.models import Category

    if not Category.objects.exists():
        importlib.import_module("disclosures.migrations.0002_seed_catalogue").seed(apps, None)
