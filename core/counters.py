"""Counters of rate limits and lock-outs that every process of the site shares.

``counter_incr(key, timeout=...)`` counts one hit and returns the count within the window that began with the
first hit; ``counter_decr(key)`` takes one back; ``counter_get(key)`` reads it (0 when absent or expired). They
count in ``LIMIT_COUNTERS``:

- ``"database"`` (the default without Redis): the LimitCounter table, created by ``migrate``; one atomic UPDATE
  per hit, so two gunicorn workers (or two machines on one database) count together. The embedded local-memory
  cache would keep a count per process and let N workers accept N times every limit.
- ``"cache"`` (the default when REDIS_URL is set): Django's cache, whose Redis ``incr`` is atomic and shared.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.models import LimitCounter

# One hit in this many also deletes the expired rows (an indexed range delete), so the table stays small.
PURGE_ONE_IN = 200


def _database_incr(key: str, timeout: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        if not LimitCounter.objects.filter(key=key, expires_at__gt=now).update(count=F("count") + 1):
            LimitCounter.objects.filter(key=key, expires_at__lte=now).delete()
            try:
                with transaction.atomic():
                    LimitCounter.objects.create(key=key, count=1, expires_at=now + datetime.timedelta(seconds=timeout))
            except IntegrityError:  # another process created it first: count on it
                LimitCounter.objects.filter(key=key).update(count=F("count") + 1)
        count = LimitCounter.objects.filter(key=key).values_list("count", flat=True).first() or 1
    if random.randrange(PURGE_ONE_IN) == 0:
        LimitCounter.objects.filter(expires_at__lte=now).delete()
    return count


def _cache_incr(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def counter_incr(key: str, *, timeout: int) -> int:
    """Count one hit for ``key``; the count since the window of ``timeout`` seconds began."""
    if settings.LIMIT_COUNTERS == "cache":
        return _cache_incr(key, timeout)
    return _database_incr(key, timeout)


def counter_decr(key: str) -> None:
    """Take back one hit counted by ``counter_incr`` (an attempt counted before it was known to be a failure)."""
    if settings.LIMIT_COUNTERS == "cache":
        try:
            cache.decr(key)
        except ValueError:  # expired meanwhile: nothing to take back
            pass
        return
    LimitCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def counter_get(key: str) -> int:
    if settings.LIMIT_COUNTERS == "cache":
        return cache.get(key) or 0
    found = LimitCounter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("count", flat=True)
    return next(iter(found), 0)
