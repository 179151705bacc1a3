"""Uploaded files: their type is decided by their content, never by their name alone."""

from __future__ import annotations

import hashlib
import logging
import stat
import struct
import tempfile
import uuid
import zipfile
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: frozenset[str]
    label: str


PDF = FileKind("application/pdf", frozenset({"pdf"}), "PDF")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx", "wps"}), "Word"
)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx", "et"}), "Excel")
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    frozenset({"pptx", "dps"}),
    "PowerPoint",
)
DOC = FileKind("application/msword", frozenset({"doc", "wps"}), "Word")
XLS = FileKind("application/vnd.ms-excel", frozenset({"xls", "et"}), "Excel")
PPT = FileKind("application/vnd.ms-powerpoint", frozenset({"ppt", "dps"}), "PowerPoint")
ZIP = FileKind("application/zip", frozenset({"zip"}), "ZIP")
PNG = FileKind("image/png", frozenset({"png"}), "PNG")
JPEG = FileKind("image/jpeg", frozenset({"jpg", "jpeg"}), "JPEG")
GIF = FileKind("image/gif", frozenset({"gif"}), "GIF")
WEBP = FileKind("image/webp", frozenset({"webp"}), "WebP")

ALL_KINDS = (PDF, DOCX, XLSX, PPTX, DOC, XLS, PPT, ZIP, PNG, JPEG, GIF, WEBP)
IMAGE_KINDS = (PNG, JPEG, GIF, WEBP)
_LABELS = {kind.content_type: kind.label for kind in ALL_KINDS}


def kind_label(content_type: str) -> str:
    return _LABELS.get(content_type, content_type)


def _ooxml_kind(fileobj) -> FileKind | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
        if any(name.startswith("ppt/") for name in names):
            return PPTX
    return ZIP


def sniff(fileobj, extension: str) -> FileKind | None:
    """The kind of file the content shows, or None when it is none we accept.

    Old binary Office files (and WPS ones) share one container format, so for those the extension picks
    among the kinds the container allows.
    """
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = WEBP
    elif head.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(fileobj)
        fileobj.seek(0)
    elif head.startswith(OLE2_MAGIC):
        kind = next((k for k in (DOC, XLS, PPT) if extension in k.extensions), None)
    return kind


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    size: int
    sha256: str
    original_name: str


def check_upload(uploaded, *, max_bytes: int, kinds=ALL_KINDS) -> CheckedFile:
    """Validate an uploaded file by content and size; raise ValidationError with a clear message."""
    name = PurePosixPath(uploaded.name or "").name
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(uploaded, extension)
    allowed_extensions = sorted({ext for k in kinds for ext in k.extensions})
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(types)s."),
            code="bad_type",
            params={"types": ", ".join(allowed_extensions)},
        )
    if extension not in kind.extensions:
        raise ValidationError(
            _("The file name ends in “.%(ext)s” but the content is a %(kind)s file. Rename it and try again."),
            code="bad_extension",
            params={"ext": extension or "?", "kind": kind.label},
        )
    if kind == ZIP:
        check_zip_members(uploaded)
        uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(kind=kind, size=uploaded.size, sha256=digest.hexdigest(), original_name=name[:255])


# What a ZIP may hold: at most this many members, unpacking to at most this much in all (a small archive that
# unpacks to gigabytes, a "zip bomb", is refused before anyone downloads it).
ZIP_MAX_MEMBERS = 500
ZIP_MAX_UNPACKED_BYTES = 500 * 1024 * 1024
# The kinds a ZIP's members may be: those accepted as single uploads, except archives inside archives.
ZIP_MEMBER_KINDS = tuple(kind for kind in ALL_KINDS if kind != ZIP)
_CHUNK = 1024 * 1024


def _zip_refused(message, member: str = "", **params) -> ValidationError:
    return ValidationError(message, code="bad_zip_member", params={"member": member[:120], **params})


# Info-ZIP's "Unicode Path" extra field: 7-Zip and unzip name the member by it rather than by the name Python's
# zipfile reads (which ignores it), so a member checked as "a.pdf" could unpack as "a.html" or "../a".
ZIP_UNICODE_PATH_FIELD = 0x7075


def _extra_fields(extra: bytes):
    at = 0
    while at + 4 <= len(extra):
        field_id, size = struct.unpack_from("<HH", extra, at)
        yield field_id, extra[at + 4 : at + 4 + size]
        at += 4 + size


def _unicode_path_names(fileobj, member: zipfile.ZipInfo) -> list[str]:
    """The names the member's Unicode Path fields give it, in the central directory and in its local header
    (an unpacker reading the archive as a stream sees only the latter)."""
    extras = [member.extra]
    position = fileobj.tell()
    try:
        fileobj.seek(member.header_offset)
        header = fileobj.read(30)
        if len(header) == 30 and header[:4] == b"PK\x03\x04":
            name_length, extra_length = struct.unpack_from("<HH", header, 26)
            fileobj.seek(member.header_offset + 30 + name_length)
            extras.append(fileobj.read(extra_length))
    finally:
        fileobj.seek(position)
    names = []
    for extra in extras:
        for field_id, data in _extra_fields(extra):
            if field_id == ZIP_UNICODE_PATH_FIELD and len(data) >= 5:
                names.append(data[5:].decode("utf-8", errors="replace"))
    return names


def check_zip_members(fileobj) -> None:
    """Inspect every member of a ZIP as a single upload is inspected, by content: each must be a file of an
    accepted kind whose name ends as its content says (no programs, no HTML, no scripts), named without any
    folder, drive or ``..`` (unpacking it cannot write outside the folder chosen), not encrypted (it could not be
    inspected); and the archive holds at most ZIP_MAX_MEMBERS members unpacking to at most ZIP_MAX_UNPACKED_BYTES,
    counted while unpacking (the sizes an archive declares may lie)."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _zip_refused(_("The ZIP file is damaged and cannot be opened.")) from None
    with archive:
        members = archive.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            raise _zip_refused(
                _("The ZIP file holds %(count)s files; at most %(limit)s are accepted."),
                count=len(members),
                limit=ZIP_MAX_MEMBERS,
            )
        budget = ZIP_MAX_UNPACKED_BYTES
        for member in members:
            name = member.filename
            parts = name.replace("\\", "/").split("/")
            if member.is_dir() or len(parts) > 1 or ":" in name or name in ("", ".", ".."):
                raise _zip_refused(
                    _(
                        "“%(member)s” in the ZIP file is in a folder or names a path; put the files in the ZIP file "
                        "itself, without folders."
                    ),
                    name,
                )
            # Unix archivers keep the file's mode in the top half of external_attr: only a regular file (or no
            # type recorded, as Windows tools write) is a document; a symlink's content is a path it points to.
            file_type = stat.S_IFMT(member.external_attr >> 16)
            if file_type not in (0, stat.S_IFREG):
                raise _zip_refused(_("“%(member)s” in the ZIP file is a link or a device, not a file."), name)
            if any(other != name for other in _unicode_path_names(fileobj, member)):
                raise _zip_refused(
                    _("“%(member)s” in the ZIP file carries a second, different name; it is not accepted."), name
                )
            if member.flag_bits & 0x1:
                raise _zip_refused(_("“%(member)s” in the ZIP file is encrypted and cannot be checked."), name)
            with tempfile.SpooledTemporaryFile(max_size=8 * _CHUNK) as copy:
                try:
                    with archive.open(member) as unpacked:
                        while chunk := unpacked.read(_CHUNK):
                            budget -= len(chunk)
                            if budget < 0:
                                raise _zip_refused(
                                    _("The ZIP file unpacks to more than %(limit)s; it is not accepted."),
                                    name,
                                    limit=filesizeformat(ZIP_MAX_UNPACKED_BYTES),
                                )
                            copy.write(chunk)
                except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                    raise _zip_refused(_("“%(member)s” in the ZIP file is damaged."), name) from None
                extension = PurePosixPath(name).suffix.lower().lstrip(".")
                kind = sniff(copy, extension) if copy.tell() else None
            if kind is None or kind not in ZIP_MEMBER_KINDS or extension not in kind.extensions:
                raise _zip_refused(
                    _("“%(member)s” in the ZIP file is not a file of an accepted type (%(types)s)."),
                    name,
                    types=", ".join(sorted({ext for k in ZIP_MEMBER_KINDS for ext in k.extensions})),
                )


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage raises when it cannot write: OSError for local files, botocore's errors for S3."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # S3 support not installed
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_errors()


def stored_file_response(request, open_file, *, content_type: str, filename: str | None = None) -> HttpResponse:
    """Send a stored file: ``open_file()`` opens it. A file that is gone answers 404; a storage that cannot be
    read (a failing disk, an S3 outage) the site's 503 page saying so, never a 500. With ``filename`` the file
    is offered as a download under that name."""
    try:
        # FileResponse asks the file for its size: with S3 that is the first request to the storage.
        response = FileResponse(
            open_file(), as_attachment=filename is not None, filename=filename or "", content_type=content_type
        )
    except STORAGE_ERRORS as error:
        if storage_missing(error):
            raise Http404 from error
        logger.error("The file storage could not be read", exc_info=error)
        response = render(
            request, "503.html", {"retry_after": STORAGE_RETRY_AFTER_SECONDS, "storage": True}, status=503
        )
        response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    response["X-Content-Type-Options"] = "nosniff"
    return response


def storage_missing(error: BaseException) -> bool:
    """Whether a storage error says the file is not there (as opposed to the storage being unreachable)."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)  # botocore's ClientError
    code = str(((response or {}).get("Error") or {}).get("Code", "")) if isinstance(response, dict) else ""
    return code in {"NoSuchKey", "404", "NotFound"}


class StorageFailed(Exception):
    """An uploaded file could not be written (disk full, storage unreachable). Nothing of it was kept."""


# What the person who sent the files reads when StorageFailed is raised (the form keeps what they typed).
STORAGE_FAILED_MESSAGE = _(
    "The files could not be stored because of a problem on the server (its storage may be full). Nothing was "
    "saved. Please send the form again later; if it happens again, contact the office."
)
# How long the 503 answer to a storage failure asks the client to wait.
STORAGE_RETRY_AFTER_SECONDS = 300


_enclosing: ContextVar[StoredFiles | None] = ContextVar("stored_files", default=None)


class StoredFiles:
    """The files written while rows are saved in one transaction, removed again when that fails.

    Use it around ``transaction.atomic()`` so that it sees a failed commit too::

        with StoredFiles() as stored, transaction.atomic():
            row = ApplicationFile(...)
            stored.save(row.file, uploaded)
            row.save()

    A storage error (``OSError``: disk full, quota, I/O; or an S3 error) becomes ``StorageFailed`` once the part
    written is removed; any failure of the block removes the files already written, so no file outlives its row.

    Blocks nest: an inner block that succeeds hands its files to the enclosing one, whose transaction may still
    fail (the admin saves an item and all its attachments in one transaction, each attachment in a block of its
    own; a full disk at the second removes the first one's file too).
    """

    def __init__(self):
        self.saved: list[tuple[object, str]] = []
        self._outer: StoredFiles | None = None
        self._token = None

    def __enter__(self) -> StoredFiles:
        self._outer = _enclosing.get()
        self._token = _enclosing.set(self)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        _enclosing.reset(self._token)
        if exc_type is not None:
            self.discard()
        elif self._outer is not None:
            self._outer.saved.extend(self.saved)
            self.saved = []
        return False

    def save(self, field_file, uploaded) -> None:
        """Write ``uploaded`` where the field's ``upload_to`` says (a generated name) and point the field at it;
        the row itself is saved by the caller."""
        field = field_file.field
        name = field.generate_filename(field_file.instance, uploaded.name or "upload")
        try:
            uploaded.seek(0)
            name = field_file.storage.save(name, uploaded, max_length=field.max_length)
        except STORAGE_ERRORS as error:
            self._delete(field_file.storage, name)  # what was written before the error
            raise StorageFailed(str(error)) from error
        self.saved.append((field_file.storage, name))
        field_file.name = name
        field_file._committed = True  # FileField.pre_save must not write it a second time

    def discard(self) -> None:
        for storage, name in reversed(self.saved):
            self._delete(storage, name)
        self.saved.clear()

    @staticmethod
    def _delete(storage, name: str) -> None:
        try:
            storage.delete(name)
        except Exception:  # cleanup after a failure: report, never hide the first error
            logger.warning("Could not remove the stored file %s after a failed save", name, exc_info=True)


class EditorImageNames:
    """Generated names under editor/ for images pasted into the rich-text editor."""

    def get_available_name(self, name, max_length=None):
        suffix = PurePosixPath(name).suffix.lower()[:10]
        return super().get_available_name(f"editor/{uuid.uuid4().hex}{suffix}", max_length)


class EditorImageStorage(EditorImageNames, FileSystemStorage):
    """Where images pasted into the rich-text editor go: media/editor/, served by ``views.editor_image``."""
