"""Rate limits and lock-outs count in one store every process shares, even without Redis (core.counters), and
per-address limits count an IPv6 client by its /64 (core.http.address_key)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

from core import abuse, counters
from core.http import address_key

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_address_key_counts_ipv6_by_slash_64():
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:10.1.2.3") == "10.1.2.3"
    assert address_key("10.1.2.3") == "10.1.2.3"
    assert address_key("not an address") == "not an address"


def test_rate_limits_count_rotating_ipv6_addresses_of_one_network_once(rf, settings):
    settings.ABUSE_RATE_LIMITS = {"default": {"ip": (3, 3600), "contact": (100, 86400)}}
    for n in range(3):
        abuse.rate_limit(rf.post("/", REMOTE_ADDR=f"2001:db8:9:9::{n + 1}"), scope="default")
    with pytest.raises(abuse.RateLimited):
        abuse.rate_limit(rf.post("/", REMOTE_ADDR="2001:db8:9:9:abcd::1"), scope="default")
    abuse.rate_limit(rf.post("/", REMOTE_ADDR="2001:db8:9:a::1"), scope="default")  # another network


def test_two_cache_instances_still_count_together(rf, settings, monkeypatch):
    """Two workers each have their own local-memory cache: the counts must not live there."""
    settings.ABUSE_RATE_LIMITS = {"default": {"ip": (4, 3600), "contact": (100, 86400)}}
    worker_caches = [LocMemCache(f"worker-{n}", {}) for n in range(2)]
    accepted = 0
    for attempt in range(10):
        monkeypatch.setattr(counters, "cache", worker_caches[attempt % 2])
        try:
            abuse.rate_limit(rf.post("/", REMOTE_ADDR="10.4.4.4"), scope="default")
        except abuse.RateLimited:
            continue
        accepted += 1
    assert accepted == 4


WORKER = """
import json, django
django.setup()
from django.test import RequestFactory
from core import abuse
accepted = 0
for _n in range({tries}):
    try:
        abuse.rate_limit(RequestFactory().post("/", REMOTE_ADDR="10.5.5.5"), scope="default")
    except abuse.RateLimited:
        continue
    accepted += 1
print(json.dumps(accepted))
"""


def _database_url_for_workers(tmp_path) -> str:
    """SQLite: a file copy of the in-memory test database; PostgreSQL: the test database itself."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor not in ("sqlite", "postgresql"), reason="SQLite or PostgreSQL")
def test_two_processes_share_the_limit(tmp_path):
    """Two real processes (each with its own local-memory cache, as gunicorn workers have) on one database:
    together they accept the limit (10 per hour from one address), not twice it."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": _database_url_for_workers(tmp_path),
        "ABUSE_LIMIT_PER_IP_HOUR": "10",
        "LIMIT_COUNTERS": "database",
    }
    environment.pop("REDIS_URL", None)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER.format(tries=15)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _n in range(2)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(results) == 10, results


@pytest.mark.django_db
@pytest.mark.parametrize("store", ["database", "cache"])
def test_a_hit_can_be_taken_back(settings, store):
    from django.core.cache import cache

    from core.counters import counter_decr, counter_get, counter_incr

    settings.LIMIT_COUNTERS = store
    cache.clear()
    assert counter_incr("take-back", timeout=60) == 1
    assert counter_incr("take-back", timeout=60) == 2
    counter_decr("take-back")
    assert counter_get("take-back") == 1
    counter_decr("never-counted")  # nothing to take back: no error, no negative count
    assert counter_get("never-counted") == 0
