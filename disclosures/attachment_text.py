"""The text of attachments, read once when a file is stored and kept for the search index and the privacy scan.

Reading a file (``core.textextract``: OCR of scanned pages included) takes seconds; it never runs inside a
database transaction, because a transaction that writes holds a lock (on SQLite, ``BEGIN IMMEDIATE`` locks the
whole database) and an applicant filing a form at that moment would wait or lose it. ``read_upload`` reads a
new upload before its attachment is saved (the admin calls it before its own transaction starts) and keeps the
result on the upload; ``read_missing`` reads, before an approval, any attachment whose text is missing or was
read from another version of the file. The privacy scan then only searches the kept text, which takes
milliseconds, and the search index takes the beginning of it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext_noop

from core.textextract import Extraction, ExtractionError, extract, gap_message, is_supported
from core.uploads import kind_label
from disclosures.search_models import AttachmentText

logger = logging.getLogger(__name__)

# Where the result of reading an upload is kept on the upload object, until its attachment is saved.
_MEMO = "_portal_extraction"

GAP_UNSUPPORTED = gettext_noop("Files of this type (%(kind)s) cannot be scanned; check it by eye.")
GAP_UNREADABLE = gettext_noop("The file could not be read: %(reason)s")
GAP_NOT_READ = gettext_noop("The file has not been read yet; open the review page again in a moment.")


def read(content, content_type: str) -> Extraction:
    """Read ``content`` (bytes or a binary file) of a sniffed content type; never raises for a bad file."""
    if not is_supported(content_type):
        return Extraction("", [{"message": GAP_UNSUPPORTED, "params": {"kind": kind_label(content_type)}}])
    try:
        return extract(
            content, content_type, max_chars=settings.PRIVACY_SCAN_MAX_CHARS, seconds=settings.PRIVACY_SCAN_SECONDS
        )
    except (ExtractionError, OSError, ValueError) as exc:
        return Extraction("", [{"message": GAP_UNREADABLE, "params": {"reason": str(exc)}}])


def read_upload(uploaded, *, content_type: str, sha256: str) -> Extraction:
    """Read an upload (once: the result is kept on it, for the file with this digest)."""
    kept = getattr(uploaded, _MEMO, None)
    if kept is not None and kept[0] == sha256:
        return kept[1]
    extraction = read(uploaded, content_type)
    try:
        setattr(uploaded, _MEMO, (sha256, extraction))
    except AttributeError:  # bytes, or an object that takes no attributes: read again next time
        pass
    return extraction


def kept_for_upload(uploaded, *, sha256: str) -> Extraction | None:
    kept = getattr(uploaded, _MEMO, None)
    return kept[1] if kept is not None and kept[0] == sha256 else None


def save(attachment, extraction: Extraction) -> AttachmentText:
    row, _created = AttachmentText.objects.update_or_create(
        attachment=attachment,
        defaults={"text": extraction.text, "gaps": extraction.gaps, "sha256": attachment.sha256},
    )
    return row


def read_attachment(attachment) -> Extraction:
    """Read a stored attachment's file (outside any transaction: see the module's note)."""
    try:
        with attachment.file.open("rb") as handle:
            return read(handle, attachment.content_type)
    except (OSError, ValueError) as exc:
        return Extraction("", [{"message": GAP_UNREADABLE, "params": {"reason": str(exc)}}])


def stored(attachment) -> Extraction | None:
    """The text kept for the attachment's current file, or None when it has not been read."""
    row = AttachmentText.objects.filter(attachment=attachment).first()
    if row is None or row.sha256 != attachment.sha256:
        return None
    return Extraction(row.text, list(row.gaps))


def read_missing(attachments) -> int:
    """Read and keep the text of every attachment whose text is missing or belongs to another file.

    Call it outside any transaction (before an approval takes its lock). Returns how many files were read.
    """
    count = 0
    for attachment in attachments:
        row = AttachmentText.objects.filter(attachment=attachment).only("sha256").first()
        if row is not None and row.sha256 == attachment.sha256:
            continue
        save(attachment, read_attachment(attachment))
        count += 1
    return count


def gap_messages(extraction: Extraction) -> list[str]:
    return [gap_message(gap) for gap in extraction.gaps]
