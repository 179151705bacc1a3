"""Writes to the catalogue. Views, admin actions and commands call these; each validates and writes
inside one transaction."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures import search
from disclosures.models import Attachment, Disclosure, DisclosureStatus, Sequence, Validity
from disclosures.uploads import CheckedFile, check_upload


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


def index_number_next(*, year: int) -> str:
    prefix = settings.PORTAL_INDEX_PREFIX
    number = sequence_next(name=f"index:{prefix}:{year}")
    return f"{prefix}-{year}-{number:04d}"


def disclosure_validate(disclosure: Disclosure) -> None:
    errors: dict[str, str] = {}
    if disclosure.item_id and disclosure.category_id and disclosure.item.category_id != disclosure.category_id:
        errors["item"] = _("This disclosure item belongs to another category.")
    if disclosure.replaced_by_id:
        if disclosure.validity not in (Validity.AMENDED, Validity.REPEALED):
            errors["replaced_by"] = _("Only an amended or repealed rule can be replaced by another item.")
        elif disclosure.pk and disclosure.replaced_by_id == disclosure.pk:
            errors["replaced_by"] = _("An item cannot replace itself.")
    if disclosure.date_written and disclosure.date_written > timezone.localdate() + datetime.timedelta(days=366):
        errors["date_written"] = _("The date written is more than a year in the future.")
    if errors:
        raise ValidationError(errors)


def disclosure_save(*, disclosure: Disclosure, user=None) -> Disclosure:
    """Create or update a disclosure's content; a new one gets its index number here."""
    disclosure_validate(disclosure)
    with transaction.atomic():
        if not disclosure.index_number:
            year = (disclosure.date_written or timezone.localdate()).year
            disclosure.index_number = index_number_next(year=year)
            disclosure.created_by = user
        disclosure.updated_by = user
        disclosure.save()
        search.index_disclosure(disclosure)
    return disclosure


def disclosure_publish(*, disclosure: Disclosure, user=None, at: datetime.datetime | None = None) -> Disclosure:
    if disclosure.status == DisclosureStatus.PUBLISHED:
        raise ValidationError(_("This item is already published."))
    with transaction.atomic():
        disclosure.status = DisclosureStatus.PUBLISHED
        disclosure.published_at = at or timezone.now()
        disclosure.withdrawn_at = None
        disclosure.withdrawal_reason = ""
        disclosure.updated_by = user
        disclosure.save(
            update_fields=["status", "published_at", "withdrawn_at", "withdrawal_reason", "updated_by", "updated_at"]
        )
        search.index_disclosure(disclosure)
    return disclosure


def disclosure_withdraw(*, disclosure: Disclosure, user=None, reason: str) -> Disclosure:
    reason = (reason or "").strip()
    if disclosure.status != DisclosureStatus.PUBLISHED:
        raise ValidationError(_("Only a published item can be withdrawn."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    with transaction.atomic():
        disclosure.status = DisclosureStatus.WITHDRAWN
        disclosure.withdrawn_at = timezone.now()
        disclosure.withdrawal_reason = reason
        disclosure.updated_by = user
        disclosure.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_by", "updated_at"])
        search.index_disclosure(disclosure)
    return disclosure


def attachment_check(*, uploaded) -> CheckedFile:
    return check_upload(uploaded, max_bytes=settings.ATTACHMENT_MAX_BYTES)


def attachment_store(*, attachment: Attachment, checked: CheckedFile) -> Attachment:
    """Save an attachment whose file has passed ``attachment_check``."""
    attachment.original_name = checked.original_name
    attachment.size = checked.size
    attachment.content_type = checked.kind.content_type
    attachment.sha256 = checked.sha256
    with transaction.atomic():
        attachment.save()
        search.index_attachment(attachment)
    return attachment


def attachment_add(*, disclosure: Disclosure, uploaded, title: str = "", order: int = 0) -> Attachment:
    checked = attachment_check(uploaded=uploaded)
    attachment = Attachment(disclosure=disclosure, file=uploaded, title=title, order=order)
    return attachment_store(attachment=attachment, checked=checked)


def attachment_count_download(*, attachment: Attachment) -> None:
    Attachment.objects.filter(pk=attachment.pk).update(download_count=F("download_count") + 1)
