import pytest
from django.core.cache import cache

from tests.sso.servers import cas_server, oidc_server  # noqa: F401  (the real CAS and OIDC servers, session fixtures)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves its language active in the thread (Django's
    LocaleMiddleware does not undo it), and reverse() follows it since the pages have English addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    reseed_catalogue()


def reseed_catalogue() -> None:
    """Put the catalogue seed back if a transactional test's flush removed it (needs database access)."""
    import importlib

    from django.apps import apps

    from disclosures.models import Category

    if not Category.objects.exists():
        importlib.import_module("disclosures.migrations.0002_seed_catalogue").seed(apps, None)
        importlib.import_module("disclosures.migrations.0008_catalogue_report_fix_catalogue").forward(apps, None)


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The upgrade tests (tests/portal/test_upgrade.py) take the schema back to the old migration graph and
    forward again: they run first among the tests that flush the database (pytest-django runs those after the
    others), on the database exactly as the migrations made it, whatever later flushes and restores leave."""
    upgrade = [item for item in items if item.nodeid.startswith("tests/portal/test_upgrade.py")]
    if not upgrade:
        return
    rest = [item for item in items if item not in upgrade]
    first = next((index for index, item in enumerate(rest) if _flushes_the_database(item)), len(rest))
    items[:] = rest[:first] + upgrade + rest[first:]
