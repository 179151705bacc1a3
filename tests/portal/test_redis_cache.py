"""The page cache on Redis (REDIS_URL, or this machine's Redis on 127.0.0.1): skipped when none answers."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_disclosure

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means no Redis here
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not _redis_answers(), reason="no Redis answers at REDIS_URL"),
]


@pytest.fixture
def redis_cache():
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"portal-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=settings):
        yield caches["default"]
        # The keys expire with PAGE_CACHE_SECONDS; the unique prefix keeps them apart from anyone else's.


def test_pages_and_counts_are_cached_in_redis_and_follow_changes(client, redis_cache):
    make_disclosure(title="第一条通知")
    url = reverse("disclosures:disclosure-list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    make_disclosure(title="第二条通知")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss" and "第二条通知" in fresh.content.decode()
    search = client.get(reverse("search"), {"q": "通知"})
    assert "第二条<mark>通知</mark>" in search.content.decode()
