"""Writes to the catalogue and the publishing workflow. Views, admin actions and commands call these;
each checks who is acting (``user``; None only for the system itself), validates, writes inside one
transaction and records an audit event.

Workflow: draft → submitted → returned | (endorsed →) approved → scheduled | published → withdrawn.
A published item is changed through a revision that is reviewed like a new item while the published
version stays online.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.cache import bump_content_version
from core.richtext import sanitize_html
from core.sequences import sequence_next
from core.uploads import DOCX, XLSX, CheckedFile, StoredFiles, check_upload
from disclosures import attachment_text, links, masking, notifications, permissions, search
from disclosures.models import (
    EDITABLE_STATUSES,
    OPEN_REVISION_STATUSES,
    REVISABLE_FIELDS,
    Attachment,
    AuditAction,
    AuditEvent,
    Disclosure,
    DisclosureRevision,
    DisclosureStatus,
    NoticeKind,
    Review,
    ReviewDecision,
    RevisionStatus,
    Validity,
    WithdrawalKind,
)
from disclosures.privacy import Hit, scan_html, scan_text

# Fields whose old and new values an edit records in the audit trail.
AUDITED_FIELDS = ("department", "notice_kind", "corrects", *REVISABLE_FIELDS)
# A publication time this far in the past is a back-dating attempt, not clock skew.
PUBLISH_AT_TOLERANCE = datetime.timedelta(minutes=5)


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
    if disclosure.interprets_id and disclosure.pk and disclosure.interprets_id == disclosure.pk:
        errors["interprets"] = _("An item cannot be the interpretation of itself.")
    if disclosure.date_written and disclosure.date_written > timezone.localdate() + datetime.timedelta(days=366):
        errors["date_written"] = _("The date written is more than a year in the future.")
    if disclosure.notice_kind and not disclosure.corrects_id:
        errors["corrects"] = _("Choose the published item this notice corrects or clarifies.")
    elif disclosure.corrects_id and not disclosure.notice_kind:
        errors["notice_kind"] = _("Say whether this is a correction or a clarification.")
    elif disclosure.corrects_id:
        if disclosure.pk and disclosure.corrects_id == disclosure.pk:
            errors["corrects"] = _("An item cannot correct itself.")
        elif disclosure.corrects.status != DisclosureStatus.PUBLISHED:
            errors["corrects"] = _("Only a published item can be corrected or clarified.")
    if errors:
        raise ValidationError(errors)


# --- audit trail -------------------------------------------------------------------------------------


def _actor_name(user) -> str:
    if user is None:
        return _("System")
    return (user.get_full_name() or user.get_username())[:150]


def _display(disclosure: Disclosure, name: str) -> str:
    value = getattr(disclosure, name)
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    field = Disclosure._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _snapshot(disclosure: Disclosure) -> dict[str, str]:
    return {name: _display(disclosure, name) for name in AUDITED_FIELDS}


def _revision_content(disclosure: Disclosure, revision: DisclosureRevision) -> Disclosure:
    """The item as its revision proposes it (a fresh copy: ``disclosure`` keeps the published content)."""
    return revision_apply_to(Disclosure.objects.get(pk=disclosure.pk), revision.data)


def _diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {name: [before.get(name, ""), after[name]] for name in after if before.get(name, "") != after[name]}


def audit_record(
    *,
    disclosure: Disclosure,
    action: str,
    user=None,
    from_status: str = "",
    to_status: str = "",
    changes: dict | None = None,
    comment: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        disclosure=disclosure,
        action=action,
        actor=user,
        actor_name=_actor_name(user),
        from_status=from_status,
        to_status=to_status,
        changes=changes or {},
        comment=comment,
    )


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this with this item."))


def _lock(disclosure: Disclosure) -> Disclosure:
    """The row, locked for this transaction, so two reviewers cannot act on the same item at once."""
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    for name in (
        "status",
        "published_at",
        "submitted_at",
        "submitted_by_id",
        "endorsed_at",
        "endorsed_by_id",
        "security_checked_at",
        "security_checked_by_id",
        "approved_at",
        "approved_by_id",
        "withdrawn_at",
        "withdrawal_reason",
        "withdrawal_kind",
    ):
        setattr(disclosure, name, getattr(locked, name))
    disclosure.__dict__.pop("_open_revision", None)
    return disclosure


def _save(disclosure: Disclosure, user, *fields: str) -> None:
    """Persist a change of state or content, and bring the search index (and cached pages) up to date."""
    disclosure.updated_by = user
    disclosure.save(update_fields=[*fields, "updated_by", "updated_at"])
    search.index_disclosure(disclosure)


def catalogue_changed() -> None:
    """A department, category or disclosure item changed: cached public pages that show it must refresh."""
    bump_content_version()


# --- content -----------------------------------------------------------------------------------------


def disclosure_save(*, disclosure: Disclosure, user=None) -> Disclosure:
    """Create a draft or update the content of a draft or returned item; a new one gets its index number.

    Published items change through ``disclosure_revise``; submitted and approved ones cannot change.
    """
    if user is not None:
        if disclosure.pk is None:
            _require(permissions.can_create(user), _("You may not create items."))
        _require(
            permissions.can_edit_department(user, disclosure.department_id),
            _("You may only write items for your own departments."),
        )
    disclosure_validate(disclosure)
    with transaction.atomic():
        if disclosure.pk is None:
            year = (disclosure.date_written or timezone.localdate()).year
            disclosure.index_number = index_number_next(year=year)
            disclosure.created_by = user
            disclosure.status = DisclosureStatus.DRAFT
            disclosure.updated_by = user
            disclosure.save()
            search.index_disclosure(disclosure)
            audit_record(
                disclosure=disclosure,
                action=AuditAction.CREATED,
                user=user,
                to_status=disclosure.status,
                changes=_diff({}, _snapshot(disclosure)),
            )
            return disclosure
        stored = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if stored.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("This item is %(status)s and cannot be edited now.") % {"status": stored.get_status_display()}
            )
        if user is not None:
            _require(
                permissions.can_edit_department(user, stored.department_id),
                _("You may only edit items of your own departments."),
            )
        changes = _diff(_snapshot(stored), _snapshot(disclosure))
        disclosure.status = stored.status
        disclosure.updated_by = user
        disclosure.save()
        search.index_disclosure(disclosure)
        if changes:
            audit_record(
                disclosure=disclosure,
                action=AuditAction.EDITED,
                user=user,
                from_status=stored.status,
                to_status=stored.status,
                changes=changes,
            )
    return disclosure


def _revision_value(disclosure: Disclosure, name: str):
    field = Disclosure._meta.get_field(name)
    if field.is_relation:
        return getattr(disclosure, field.attname)
    value = getattr(disclosure, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def revision_apply_to(disclosure: Disclosure, data: dict) -> Disclosure:
    """Put a revision's proposed content onto ``disclosure`` in memory (for the edit form and the review)."""
    for name in REVISABLE_FIELDS:
        if name not in data:
            continue
        field = Disclosure._meta.get_field(name)
        value = data[name]
        if field.is_relation:
            setattr(disclosure, field.attname, value)
            disclosure.__dict__.pop(name, None)
            disclosure._state.fields_cache.pop(name, None)
        elif isinstance(field, models.DateField) and value:
            setattr(disclosure, name, datetime.date.fromisoformat(value))
        else:
            setattr(disclosure, name, value)
    return disclosure


def revision_changes(*, disclosure: Disclosure, revision: DisclosureRevision) -> list[tuple[str, str, str]]:
    """What an open revision would change, for its reviewer: (the field's name, published value, proposed value)."""
    before, after = _snapshot(disclosure), _snapshot(_revision_content(disclosure, revision))
    return [
        (Disclosure._meta.get_field(name).verbose_name, before[name], after[name])
        for name in REVISABLE_FIELDS
        if before[name] != after[name]
    ]


def disclosure_change(*, disclosure: Disclosure, user) -> DisclosureRevision | None:
    """Save an edited item (the admin form's instance): a draft or returned item's content at once, a published
    item's as its open revision while the published version stays online. Returns that revision, or None."""
    if disclosure.pk is not None and disclosure.status == DisclosureStatus.PUBLISHED:
        published = Disclosure.objects.get(pk=disclosure.pk)
        return disclosure_revise(disclosure=published, user=user, proposed=disclosure)
    disclosure_save(disclosure=disclosure, user=user)
    return None


def disclosure_revise(*, disclosure: Disclosure, user, proposed: Disclosure) -> DisclosureRevision:
    """Record changes to a published item as its open revision; the published version stays online.

    ``proposed`` is an unsaved copy of the item carrying the new content (the admin form's instance).
    """
    _require(permissions.can_edit(user, disclosure), _("You may not change this item."))
    if proposed.department_id != disclosure.department_id:
        raise ValidationError({"department": _("The department of a published item cannot change.")})
    disclosure_validate(proposed)
    proposed.body = sanitize_html(proposed.body)
    with transaction.atomic():
        _lock(disclosure)
        if disclosure.status != DisclosureStatus.PUBLISHED:
            raise ValidationError(_("Only a published item is changed through a revision."))
        revision = (
            DisclosureRevision.objects.select_for_update()
            .filter(disclosure=disclosure, status__in=OPEN_REVISION_STATUSES)
            .first()
        )
        if revision is not None and revision.status == RevisionStatus.SUBMITTED:
            raise ValidationError(_("A revision of this item is being reviewed; wait for the decision."))
        data = {name: _revision_value(proposed, name) for name in REVISABLE_FIELDS}
        before = _snapshot(disclosure)
        if revision is not None:
            before = _snapshot(_revision_content(disclosure, revision))
        changes = _diff(before, _snapshot(proposed))
        if revision is None:
            revision = DisclosureRevision.objects.create(
                disclosure=disclosure, data=data, created_by=user, status=RevisionStatus.DRAFT
            )
        else:
            revision.data = data
            revision.status = RevisionStatus.DRAFT if revision.status == RevisionStatus.DRAFT else revision.status
            revision.save(update_fields=["data", "updated_at"])
        if changes:
            audit_record(
                disclosure=disclosure,
                action=AuditAction.REVISION_EDITED,
                user=user,
                from_status=disclosure.status,
                to_status=disclosure.status,
                changes=changes,
            )
        disclosure._open_revision = revision
    return revision


# --- workflow ----------------------------------------------------------------------------------------


def disclosure_submit(*, disclosure: Disclosure, user, comment: str = "") -> Disclosure:
    """The department sends a draft, a returned item or a published item's revision for review."""
    with transaction.atomic():
        _lock(disclosure)
        _require(permissions.can_submit(user, disclosure), _("You may not submit this item for review."))
        now = timezone.now()
        if disclosure.status == DisclosureStatus.PUBLISHED:
            revision = permissions.open_revision(disclosure)
            revision.status = RevisionStatus.SUBMITTED
            revision.submitted_by = user
            revision.endorsed_at = None  # submitted again: the department head approves what is sent now
            revision.endorsed_by = None
            revision.save(update_fields=["status", "submitted_by", "endorsed_at", "endorsed_by", "updated_at"])
            audit_record(
                disclosure=disclosure,
                action=AuditAction.REVISION_SUBMITTED,
                user=user,
                from_status=disclosure.status,
                to_status=disclosure.status,
                comment=comment,
            )
        else:
            old = disclosure.status
            disclosure.status = DisclosureStatus.SUBMITTED
            disclosure.submitted_at = now
            disclosure.submitted_by = user
            disclosure.endorsed_at = None
            disclosure.endorsed_by = None
            _save(disclosure, user, "status", "submitted_at", "submitted_by", "endorsed_at", "endorsed_by")
            audit_record(
                disclosure=disclosure,
                action=AuditAction.SUBMITTED,
                user=user,
                from_status=old,
                to_status=disclosure.status,
                comment=comment,
            )
        transaction.on_commit(lambda: notifications.notify_submitted(disclosure=disclosure))
    return disclosure


def disclosure_endorse(*, disclosure: Disclosure, user, comment: str = "") -> Disclosure:
    """The department head's first approval, required where the department asks for it."""
    with transaction.atomic():
        _lock(disclosure)
        _require(permissions.can_endorse(user, disclosure), _("You may not approve this item for the department."))
        revision = None
        if disclosure.status == DisclosureStatus.PUBLISHED:
            # A revision of a published item: the approval is the revision's (the item keeps its own).
            revision = permissions.open_revision(disclosure)
            revision.endorsed_at = timezone.now()
            revision.endorsed_by = user
            revision.save(update_fields=["endorsed_at", "endorsed_by", "updated_at"])
        else:
            disclosure.endorsed_at = timezone.now()
            disclosure.endorsed_by = user
            _save(disclosure, user, "endorsed_at", "endorsed_by")
        Review.objects.create(
            disclosure=disclosure, revision=revision, reviewer=user, decision=ReviewDecision.ENDORSED, comment=comment
        )
        audit_record(
            disclosure=disclosure,
            action=AuditAction.ENDORSED,
            user=user,
            from_status=disclosure.status,
            to_status=disclosure.status,
            comment=comment,
        )
    return disclosure


def disclosure_return(*, disclosure: Disclosure, user, comment: str) -> Disclosure:
    """The reviewer sends the item (or its revision) back to the department with comments."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the department should change.")})
    with transaction.atomic():
        _lock(disclosure)
        _require(permissions.can_review(user, disclosure), _("You may not review this item."))
        revision = None
        if disclosure.status == DisclosureStatus.PUBLISHED:
            revision = permissions.open_revision(disclosure)
            revision.status = RevisionStatus.RETURNED
            revision.endorsed_at = None
            revision.endorsed_by = None
            revision.save(update_fields=["status", "endorsed_at", "endorsed_by", "updated_at"])
            action, old = AuditAction.REVISION_RETURNED, disclosure.status
        else:
            old = disclosure.status
            disclosure.status = DisclosureStatus.RETURNED
            disclosure.endorsed_at = None
            disclosure.endorsed_by = None
            _save(disclosure, user, "status", "endorsed_at", "endorsed_by")
            action = AuditAction.RETURNED
        Review.objects.create(
            disclosure=disclosure, revision=revision, reviewer=user, decision=ReviewDecision.RETURNED, comment=comment
        )
        audit_record(
            disclosure=disclosure,
            action=action,
            user=user,
            from_status=old,
            to_status=disclosure.status,
            comment=comment,
        )
        transaction.on_commit(lambda: notifications.notify_returned(disclosure=disclosure, comment=comment))
    return disclosure


@dataclass
class ScanFinding:
    source: str  # what was scanned: the title, the body, an attachment's name
    hit: Hit

    def as_record(self) -> dict:
        return {"source": self.source, "kind": self.hit.kind, "masked": self.hit.masked, "context": self.hit.context}


@dataclass
class ScanReport:
    findings: list[ScanFinding] = field(default_factory=list)
    unscanned: list[str] = field(default_factory=list)  # attachments that could not be read, with why

    @property
    def clean(self) -> bool:
        return not self.findings and not self.unscanned


def privacy_scan(*, disclosure: Disclosure, revision: DisclosureRevision | None = None) -> ScanReport:
    """Scan the text to be released (a revision's content, if given) and every attachment's kept text.

    Files are not read here: their text was kept when they were stored (``attachment_text``; call
    ``attachment_texts_prepare`` first, outside any transaction, for files stored before that). A file whose text
    is missing, or that was not read in full (a cap reached, scanned pages OCR could not read), is reported
    among ``unscanned`` and approval needs the reviewer's acknowledgement.
    """
    content = revision_apply_to(Disclosure(pk=disclosure.pk), revision.data) if revision else disclosure
    report = ScanReport()
    for label, hits in (
        (_("Title"), scan_text(content.title)),
        (_("Summary"), scan_text(content.summary)),
        (_("Document number"), scan_text(content.document_number)),
        (_("Keywords"), scan_text(content.keywords)),  # indexed for the search
        (_("Body"), scan_html(content.body)),
    ):
        report.findings += [ScanFinding(str(label), hit) for hit in hits]
    for attachment in disclosure.attachments.all():
        name = attachment.display_title
        # The link text (the attachment's title, else its file name) and the file name of the download.
        for label in dict.fromkeys((attachment.title, attachment.original_name)):
            report.findings += [ScanFinding(name, hit) for hit in scan_text(label)]
        kept = attachment_text.stored(attachment)
        if kept is None:
            report.unscanned.append(f"{name}: {_(attachment_text.GAP_NOT_READ)}")
            continue
        report.unscanned += [f"{name}: {message}" for message in kept.messages()]
        report.findings += [ScanFinding(name, hit) for hit in scan_text(kept.text)]
    return report


def attachment_texts_prepare(*, disclosure: Disclosure) -> int:
    """Read the files of the item's attachments whose text is not kept yet (stored before the text was kept,
    or read from an earlier version of the file). Slow: call it outside any transaction, never under a lock."""
    return attachment_text.read_missing(disclosure.attachments.all())


# --- one-click masking on the review page --------------------------------------------------------------

MASKED_FIELDS = ("title", "summary", "document_number", "keywords", "body")
MASKABLE_TYPES = {DOCX.content_type: masking.mask_docx, XLSX.content_type: masking.mask_xlsx}


def disclosure_mask_text(*, disclosure: Disclosure, user) -> int:
    """Replace each finding of the privacy scan in the text to be released (the item's, or its open revision's)
    by its masked form (``2301**********1234``), for the reviewer. Returns how many were masked; recorded in the
    item's history with the masked values only."""
    with transaction.atomic():
        _lock(disclosure)
        _require(permissions.can_review(user, disclosure), _("You may not review this item."))
        revision = permissions.open_revision(disclosure) if disclosure.status == DisclosureStatus.PUBLISHED else None
        source = revision.data if revision is not None else {name: getattr(disclosure, name) for name in MASKED_FIELDS}
        masked: dict[str, list[str]] = {}
        for name in MASKED_FIELDS:
            if not source.get(name):
                continue
            # The body is HTML: a number split by tags or in an alt text or link is masked in its source.
            text, hits = (masking.mask_html if name == "body" else masking.mask_in_place)(source[name])
            if hits:
                source[name] = text
                masked[name] = ["", ", ".join(hit.masked for hit in hits)]
        if not masked:
            return 0
        if revision is not None:
            revision.save(update_fields=["data", "updated_at"])
        else:
            for name in masked:
                setattr(disclosure, name, source[name])
            _save(disclosure, user, *masked)
        count = sum(len(value[1].split(", ")) for value in masked.values())
        audit_record(
            disclosure=disclosure,
            action=AuditAction.REVISION_EDITED if revision is not None else AuditAction.EDITED,
            user=user,
            changes=masked,
            comment=_("Personal data masked on the review page: %(count)d finding(s).") % {"count": count},
        )
    return count


def attachment_mask(*, attachment: Attachment, user) -> int:
    """Replace a Word or Excel attachment by a copy with every finding masked (the original file is deleted once
    the change is committed), for the reviewer; recorded in the item's history. Returns how many were masked."""
    disclosure = attachment.disclosure
    _require(permissions.can_review(user, disclosure), _("You may not review this item."))
    if disclosure.status == DisclosureStatus.PUBLISHED:
        raise ValidationError(_("The attachments of a published item cannot change; withdraw or correct it."))
    mask = MASKABLE_TYPES.get(attachment.content_type)
    if mask is None:
        raise ValidationError(
            _("Only Word and Excel files can be masked here. Ask the department for a corrected file, or confirm.")
        )
    with attachment.file.open("rb") as handle:
        data = handle.read()
    masked_data, hits = mask(data)
    # The file name and the title are shown as the link and the download's name: masked as well.
    name, name_hits = masking.mask_in_place(attachment.original_name)
    title, title_hits = masking.mask_in_place(attachment.title)
    hits += name_hits + title_hits
    if not hits:
        return 0
    checked = CheckedFile(
        kind=uploads.DOCX if attachment.content_type == DOCX.content_type else uploads.XLSX,
        size=len(masked_data),
        sha256=hashlib.sha256(masked_data).hexdigest(),
        original_name=name,
    )
    copy = ContentFile(masked_data, name=name)
    extraction = attachment_text.read_upload(copy, content_type=attachment.content_type, sha256=checked.sha256)
    old_sha, old_name = attachment.sha256, attachment.file.name
    with StoredFiles() as stored_files, transaction.atomic():
        _lock(disclosure)
        attachment.file = copy
        attachment.size, attachment.sha256 = checked.size, checked.sha256
        attachment.original_name, attachment.title = name, title
        stored_files.save(attachment.file, copy)
        attachment.save(update_fields=["file", "size", "sha256", "original_name", "title"])
        attachment_text.save(attachment, extraction)
        search.index_attachment(attachment)
        _delete_file_on_commit(attachment.file.storage, old_name)
        audit_record(
            disclosure=disclosure,
            action=AuditAction.ATTACHMENT_ADDED,
            user=user,
            changes={"attachment": [f"{name} ({old_sha[:12]})", f"{name} ({checked.sha256[:12]})"]},
            comment=_("Replaced by a masked copy on the review page: %(values)s.")
            % {"values": ", ".join(hit.masked for hit in hits)},
        )
    return len(hits)


def disclosure_approve(
    *,
    disclosure: Disclosure,
    user,
    no_state_secrets: bool,
    no_trade_secrets: bool,
    no_personal_privacy: bool,
    acknowledge_scan: bool = False,
    comment: str = "",
) -> Review:
    """Record the confidentiality review and the release approval of an item (or of its revision).

    All three confidentiality confirmations are required; a privacy scan with findings (or with
    attachments it could not read) needs the reviewer's explicit acknowledgement, which is recorded.
    An approved revision replaces the published content at once.
    """
    errors = {}
    if not transaction.get_connection().in_atomic_block:
        attachment_texts_prepare(disclosure=disclosure)  # the slow part, before the lock
    if not (no_state_secrets and no_trade_secrets and no_personal_privacy):
        errors["no_state_secrets"] = _(
            "Confirm that the item contains no state secrets, no trade secrets and no personal privacy."
        )
    with transaction.atomic():
        _lock(disclosure)
        _require(permissions.can_review(user, disclosure), _("You may not review this item."))
        revision = permissions.open_revision(disclosure) if disclosure.status == DisclosureStatus.PUBLISHED else None
        submitter_id = revision.submitted_by_id if revision else disclosure.submitted_by_id
        if not settings.DISCLOSURE_SELF_APPROVAL and submitter_id is not None and submitter_id == user.pk:
            raise PermissionDenied(_("Someone other than the person who submitted the item must approve it."))
        if disclosure.needs_endorsement:  # a new item and a revision alike
            raise ValidationError(_("The department head must approve this item before the office does."))
        report = privacy_scan(disclosure=disclosure, revision=revision)
        if not report.clean and not acknowledge_scan:
            errors["acknowledge_scan"] = _(
                "The privacy scan found personal data or could not read every attachment. Remove the data, or "
                "confirm that its publication is lawful and intended."
            )
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        review = Review.objects.create(
            disclosure=disclosure,
            revision=revision,
            reviewer=user,
            decision=ReviewDecision.APPROVED,
            no_state_secrets=True,
            no_trade_secrets=True,
            no_personal_privacy=True,
            scan_hits=[finding.as_record() for finding in report.findings]
            + [{"unscanned": u} for u in report.unscanned],
            scan_acknowledged=not report.clean,
            comment=comment,
            created_at=now,
        )
        disclosure.security_checked_at = now
        disclosure.security_checked_by = user
        disclosure.approved_at = now
        disclosure.approved_by = user
        fields = ["security_checked_at", "security_checked_by", "approved_at", "approved_by"]
        scan_note = _("Privacy scan: %(count)d finding(s), acknowledged.") % {"count": len(report.findings)}
        full_comment = "\n".join(part for part in (comment, "" if report.clean else scan_note) if part)
        if revision is not None:
            before = _snapshot(disclosure)
            revision_apply_to(disclosure, revision.data)
            disclosure.body = sanitize_html(disclosure.body)
            disclosure_validate(disclosure)
            revision.status = RevisionStatus.APPLIED
            revision.save(update_fields=["status", "updated_at"])
            _save(disclosure, user, *fields, *REVISABLE_FIELDS)
            audit_record(
                disclosure=disclosure,
                action=AuditAction.REVISION_APPLIED,
                user=user,
                from_status=disclosure.status,
                to_status=disclosure.status,
                changes=_diff(before, _snapshot(disclosure)),
                comment=full_comment,
            )
            transaction.on_commit(lambda: notifications.notify_published(disclosure=disclosure))
        else:
            old = disclosure.status
            disclosure.status = DisclosureStatus.APPROVED
            _save(disclosure, user, "status", *fields)
            audit_record(
                disclosure=disclosure,
                action=AuditAction.APPROVED,
                user=user,
                from_status=old,
                to_status=disclosure.status,
                comment=full_comment,
            )
    return review


def disclosure_approve_and_publish(
    *, disclosure: Disclosure, user, publish: bool = True, at: datetime.datetime | None = None, **approval
) -> Review:
    """The reviewer's approval (``disclosure_approve``, which takes the confirmations, the acknowledgement of the
    privacy scan and the comment in ``approval``) and, when ``publish`` is asked for and the reviewer may
    publish, the publication now or at ``at`` (``disclosure_publish``), in one transaction: a publication that
    fails leaves the item unapproved as well. An approved revision is online at once: nothing to publish.
    The files are read before the transaction starts; the lock is held only to check and write the decision."""
    if not transaction.get_connection().in_atomic_block:
        attachment_texts_prepare(disclosure=disclosure)
    with transaction.atomic():
        review = disclosure_approve(disclosure=disclosure, user=user, **approval)
        if publish and review.revision_id is None and permissions.can_publish(user, disclosure):
            disclosure_publish(disclosure=disclosure, user=user, at=at)
    return review


def disclosure_publish(*, disclosure: Disclosure, user, at: datetime.datetime | None = None) -> Disclosure:
    """Publish an approved item now, or schedule it for ``at`` (``publish_due`` releases it then)."""
    now = timezone.now()
    if at is not None and at < now - PUBLISH_AT_TOLERANCE:
        raise ValidationError({"publish_at": _("The publication time cannot be in the past.")})
    with transaction.atomic():
        _lock(disclosure)
        if disclosure.status == DisclosureStatus.PUBLISHED:
            raise ValidationError(_("This item is already published."))
        _require(permissions.can_publish(user, disclosure), _("You may not publish this item."))
        if disclosure.security_checked_at is None or disclosure.approved_at is None:
            raise ValidationError(_("The item needs a confidentiality review and a release approval first."))
        old = disclosure.status
        if at is not None and at > now:
            disclosure.status = DisclosureStatus.SCHEDULED
            disclosure.published_at = at
            action = AuditAction.SCHEDULED
        else:
            disclosure.status = DisclosureStatus.PUBLISHED
            disclosure.published_at = now
            action = AuditAction.PUBLISHED
        _save(disclosure, user, "status", "published_at")
        audit_record(
            disclosure=disclosure,
            action=action,
            user=user,
            from_status=old,
            to_status=disclosure.status,
            changes={"published_at": ["", timezone.localtime(disclosure.published_at).isoformat(timespec="minutes")]},
        )
        if disclosure.status == DisclosureStatus.PUBLISHED:
            transaction.on_commit(lambda: notifications.notify_published(disclosure=disclosure))
            transaction.on_commit(lambda: links.check_internal(disclosure))
    return disclosure


def disclosure_publish_due(*, now: datetime.datetime | None = None) -> list[Disclosure]:
    """Publish every scheduled item whose time has come (run from cron by ``manage.py publish_due``)."""
    now = now or timezone.now()
    done = []
    due = Disclosure.objects.filter(status=DisclosureStatus.SCHEDULED, published_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            disclosure = Disclosure.objects.select_for_update().get(pk=pk)
            if disclosure.status != DisclosureStatus.SCHEDULED or disclosure.published_at > now:
                continue  # another run got there first, or it was rescheduled
            disclosure.status = DisclosureStatus.PUBLISHED
            _save(disclosure, None, "status")
            audit_record(
                disclosure=disclosure,
                action=AuditAction.PUBLISHED,
                from_status=DisclosureStatus.SCHEDULED,
                to_status=DisclosureStatus.PUBLISHED,
            )
            transaction.on_commit(lambda d=disclosure: notifications.notify_published(disclosure=d))
            transaction.on_commit(lambda d=disclosure: links.check_internal(d))
        done.append(disclosure)
    return done


def disclosure_withdraw(*, disclosure: Disclosure, user, reason: str, kind: str = WithdrawalKind.OTHER) -> Disclosure:
    """Take a published (or scheduled) item off the site. It is never deleted and keeps its history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    if kind not in WithdrawalKind.values:
        raise ValidationError({"kind": _("Choose the kind of reason.")})
    with transaction.atomic():
        _lock(disclosure)
        if disclosure.status not in (DisclosureStatus.PUBLISHED, DisclosureStatus.SCHEDULED):
            raise ValidationError(_("Only a published item can be withdrawn."))
        _require(permissions.can_withdraw(user, disclosure), _("You may not withdraw this item."))
        old = disclosure.status
        disclosure.status = DisclosureStatus.WITHDRAWN
        disclosure.withdrawn_at = timezone.now()
        disclosure.withdrawal_reason = reason
        disclosure.withdrawal_kind = kind
        _save(disclosure, user, "status", "withdrawn_at", "withdrawal_reason", "withdrawal_kind")
        DisclosureRevision.objects.filter(disclosure=disclosure, status__in=OPEN_REVISION_STATUSES).update(
            status=RevisionStatus.DISCARDED
        )
        audit_record(
            disclosure=disclosure,
            action=AuditAction.WITHDRAWN,
            user=user,
            from_status=old,
            to_status=disclosure.status,
            changes={"withdrawal_kind": ["", str(WithdrawalKind(kind).label)]},
            comment=reason,
        )
    return disclosure


def correction_prepare(*, corrects: Disclosure, kind: str = NoticeKind.CORRECTION) -> Disclosure:
    """An unsaved draft of a correction or clarification notice for a published item."""
    return Disclosure(
        corrects=corrects,
        notice_kind=kind,
        category=corrects.category,
        item=corrects.item,
        department=corrects.department,
        audience=corrects.audience,
        date_written=timezone.localdate(),
    )


def attachment_check(*, uploaded) -> CheckedFile:
    return check_upload(uploaded, max_bytes=settings.ATTACHMENT_MAX_BYTES)


def attachment_may_change(*, disclosure: Disclosure, user) -> None:
    """Attachments change with the content of a draft or returned item, by its department's staff."""
    if user is None:
        return
    _require(
        permissions.can_edit_department(user, disclosure.department_id),
        _("You may only change attachments of your own departments' items."),
    )
    if disclosure.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Attachments can only change while the item is a draft or returned for changes."))


def attachment_store(*, attachment: Attachment, checked: CheckedFile, user=None) -> Attachment:
    """Save an attachment whose file has passed ``attachment_check``, and record it in the item's history."""
    attachment_may_change(disclosure=attachment.disclosure, user=user)
    attachment.original_name = checked.original_name
    attachment.size = checked.size
    attachment.content_type = checked.kind.content_type
    attachment.sha256 = checked.sha256
    new_file = bool(attachment.file) and not attachment.file._committed
    extraction = None
    if new_file:
        # Read when it was checked (before the transaction: ``attachment_read``); read here only for callers that
        # did not, and never again for the same upload.
        extraction = attachment_read(uploaded=attachment.file.file, checked=checked)
    # A file that cannot be written (StorageFailed) leaves neither a row nor a part of the file behind.
    with StoredFiles() as stored_files, transaction.atomic():
        replaced = attachment.pk is not None
        if attachment.file and not attachment.file._committed:  # a new upload, not yet written
            if replaced:  # the file it replaces goes once the change is committed, as a removed one does
                _delete_file_on_commit(
                    attachment.file.storage,
                    Attachment.objects.filter(pk=attachment.pk).values_list("file", flat=True).first(),
                )
            stored_files.save(attachment.file, attachment.file.file)
        attachment.save()
        if extraction is not None:
            attachment_text.save(attachment, extraction)
        search.index_attachment(attachment)
        audit_record(
            disclosure=attachment.disclosure,
            action=AuditAction.ATTACHMENT_ADDED,
            user=user,
            changes={
                "attachment": [_("(replaced)") if replaced else "", f"{checked.original_name} ({checked.sha256[:12]})"]
            },
        )
    return attachment


def attachment_read(*, uploaded, checked: CheckedFile):
    """Read the text of an upload that passed ``attachment_check`` (seconds: scanned pages go through OCR), once;
    ``attachment_store`` keeps it. Call it outside any transaction."""
    return attachment_text.read_upload(uploaded, content_type=checked.kind.content_type, sha256=checked.sha256)


def attachment_add(*, disclosure: Disclosure, uploaded, title: str = "", order: int = 0, user=None) -> Attachment:
    checked = attachment_check(uploaded=uploaded)
    attachment_read(uploaded=uploaded, checked=checked)
    attachment = Attachment(disclosure=disclosure, file=uploaded, title=title, order=order)
    return attachment_store(attachment=attachment, checked=checked, user=user)


def attachment_remove(*, attachment: Attachment, user=None) -> None:
    disclosure = attachment.disclosure
    attachment_may_change(disclosure=disclosure, user=user)
    with transaction.atomic():
        audit_record(
            disclosure=disclosure,
            action=AuditAction.ATTACHMENT_REMOVED,
            user=user,
            changes={"attachment": [f"{attachment.original_name} ({attachment.sha256[:12]})", ""]},
        )
        attachment.delete()
        search.index_disclosure(disclosure)
        # The file goes only once the removal is committed: inside a larger transaction that fails (an admin
        # save whose next upload hits a full disk) the row comes back, and so must its file.
        _delete_file_on_commit(attachment.file.storage, attachment.file.name)


def attachments_save(*, user=None, removed=(), stored=(), retitled=()) -> None:
    """The attachment changes of one edit, in one transaction: the ``removed`` attachments, the ``stored`` ones
    ((attachment, checked file) pairs: new files and replaced ones) and the ``retitled`` ones (title or order).
    The new files are read first, before the transaction (when the caller has not started one)."""
    if not transaction.get_connection().in_atomic_block:
        for attachment, checked in stored:
            if attachment.file and not attachment.file._committed:  # a new upload (as attachment_store reads it)
                attachment_read(uploaded=attachment.file.file, checked=checked)
    with transaction.atomic():
        for attachment in removed:
            attachment_remove(attachment=attachment, user=user)
        for attachment, checked in stored:
            attachment_store(attachment=attachment, checked=checked, user=user)
        for attachment in retitled:
            attachment_may_change(disclosure=attachment.disclosure, user=user)
            attachment.save(update_fields=["title", "order"])


def _delete_file_on_commit(storage, name: str | None) -> None:
    """Delete a stored file once the transaction that stops referring to it commits. A storage that fails then
    leaves an orphan file, logged, never an error for a change already saved."""
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def attachment_count_download(*, attachment: Attachment) -> None:
    Attachment.objects.filter(pk=attachment.pk).update(download_count=F("download_count") + 1)
