"""Named counters: the next number of a sequence (索引号, tracking numbers, 文号), unique under concurrency."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from core.models import Sequence


def sequence_next(*, name: str) -> int:
    """The next value of a named counter; distinct for concurrent callers on SQLite and PostgreSQL."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Sequence.objects.get_or_create(name=name)
        except IntegrityError:
            pass  # another transaction created it first
        sequence = Sequence.objects.select_for_update().get(name=name)
        sequence.value = F("value") + 1
        sequence.save(update_fields=["value"])
        sequence.refresh_from_db(fields=["value"])
        return sequence.value
