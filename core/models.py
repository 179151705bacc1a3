"""Tables the plumbing keeps: named counters, rate-limit counters and the staff's corrections to the working-day
calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sequence(models.Model):
    """A named counter for generated numbers (索引号, tracking numbers): unique under concurrency."""

    name = models.CharField(max_length=60, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "disclosures_sequence"
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class LimitCounter(models.Model):
    """A counter of rate limits and lock-outs (core.counters), for when no shared cache (Redis) is configured: the
    database is the one store every process of the site shares."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("limit counter")
        verbose_name_plural = _("limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (official schedule)")
    MAKEUP = "makeup", _("Make-up working day (official schedule)")
    CLOSURE = "closure", _("College closure")
    OTHER = "other", _("Other correction")


class CalendarDay(models.Model):
    """A day whose working status differs from, or completes, the official calendar data."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices, default=CalendarDayKind.HOLIDAY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        db_table = "disclosures_calendarday"
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}"


class PendingUpload(models.Model):
    """A file sent with a form that came back with errors, kept so that it need not be chosen again
    (core.pending_uploads). Bound to the form's address and field; removed once the form is saved, and after
    settings.PENDING_UPLOAD_HOURS when the form is abandoned."""

    token = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=300)
    field = models.CharField(max_length=200)
    file = models.FileField(upload_to="pending/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self) -> str:
        return self.original_name
