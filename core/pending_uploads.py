"""Files that a form sent back with errors keeps (pending uploads), so nobody chooses them again.

A file field (``KeptFileBoundField``) of a bound form shown again with an uploaded file that its field accepted stores
the file as a ``PendingUpload`` and renders, beside the input, the file's name and a hidden token
(``<field>__kept``). When the form is sent again, ``PendingUploadMiddleware`` puts the kept files back into
``request.FILES`` under their field (a newly chosen file replaces the kept one of a single-file input; a
multiple-file input gets both), so forms and services see them as uploaded. A pending upload is bound to the
address and the field it was sent to; it is removed when the form is saved (a redirect answers the post) and,
when the form is abandoned, after ``settings.PENDING_UPLOAD_HOURS`` (``manage.py purge_pending_uploads``, and
a few at a time whenever a file is kept).
"""

from __future__ import annotations

import contextvars
import datetime
import logging
import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms import BoundField
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.models import PendingUpload

KEPT_SUFFIX = "__kept"
PURGE_BATCH = 20
logger = logging.getLogger(__name__)
_current_path: contextvars.ContextVar[str | None] = contextvars.ContextVar("pending_upload_path", default=None)


def _expiry_cutoff(now=None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(hours=settings.PENDING_UPLOAD_HOURS)


def purge_expired(*, now=None, limit: int | None = None) -> int:
    """Remove the pending uploads of abandoned forms (and their files); the number removed."""
    expired = PendingUpload.objects.filter(created_at__lt=_expiry_cutoff(now)).order_by("created_at")
    if limit is not None:
        expired = expired[:limit]
    return discard(list(expired))


def discard(rows) -> int:
    for row in rows:
        try:
            row.file.delete(save=False)
        except OSError:
            logger.warning("Could not remove the pending upload %s", row.file.name, exc_info=True)
    PendingUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def keep(uploaded, *, path: str, field: str) -> str:
    """Store ``uploaded`` as a pending upload of the form at ``path`` and its ``field``; its token."""
    token = getattr(uploaded, "pending_token", None)
    if token:
        return token
    token = secrets.token_urlsafe(32)
    suffix = PurePosixPath(uploaded.name or "").suffix.lower()[:10]
    uploaded.seek(0)
    row = PendingUpload(
        token=token,
        path=path[:300],
        field=field[:200],
        original_name=PurePosixPath(uploaded.name or "").name[:255],
        content_type=(getattr(uploaded, "content_type", "") or "")[:120],
        size=uploaded.size or 0,
    )
    storage = row.file.storage
    name = row.file.field.generate_filename(row, f"{uuid.uuid4().hex}{suffix}")
    try:
        row.file.name = storage.save(name, uploaded)
    except OSError:
        # A full disk leaves part of the file: nothing is kept, nothing left behind.
        try:
            if storage.exists(name):
                storage.delete(name)
        except OSError:
            logger.warning("Could not remove the part written of %s", name, exc_info=True)
        raise
    uploaded.seek(0)
    row.save()
    uploaded.pending_token = token
    purge_expired(limit=PURGE_BATCH)
    return token


def _restored(row: PendingUpload) -> UploadedFile:
    uploaded = UploadedFile(
        file=row.file.open("rb"), name=row.original_name, content_type=row.content_type, size=row.size
    )
    uploaded.pending_token = row.token
    return uploaded


def restore(request) -> list[PendingUpload]:
    """Put the kept files named in this post back into ``request.FILES``; the pending uploads used."""
    keys = [key for key in request.POST if key.endswith(KEPT_SUFFIX)]
    if not keys:
        return []
    files = request.FILES.copy() if request.FILES else MultiValueDict()
    used = []
    for key in keys:
        field = key[: -len(KEPT_SUFFIX)]
        rows = list(
            PendingUpload.objects.filter(
                token__in=request.POST.getlist(key)[:20],
                path=request.path[:300],
                field=field,
                created_at__gte=_expiry_cutoff(),
            )
        )
        if not rows:
            continue
        chosen = [f for f in request.FILES.getlist(field) if f]
        multiple = request.POST.get(f"{field}__multiple") == "1"
        if chosen and not multiple:
            continue  # a file chosen anew replaces the kept one
        used.extend(rows)
        files.setlist(field, [_restored(row) for row in rows] + chosen)
    request._files = files
    return used


class PendingUploadMiddleware:
    """Restores the kept files of a post before the view, and removes them once the form was saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_path.set(request.path)
        try:
            used = restore(request) if request.method == "POST" else []
            response = self.get_response(request)
        finally:
            _current_path.reset(token)
        if used and 300 <= response.status_code < 400:
            discard(used)
        return response


class KeptFileBoundField(BoundField):
    """A file field that keeps, and names, the files already sent when its form is shown again with errors
    (set as the field's ``bound_field_class``)."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        html = super().as_widget(widget, attrs, only_initial)
        path = _current_path.get()
        if not self.form.is_bound or self.errors or path is None:
            return html
        data = self.data
        uploaded = [f for f in (data if isinstance(data, list | tuple) else [data]) if isinstance(f, UploadedFile)]
        kept = []
        for file in uploaded:
            try:
                kept.append((keep(file, path=path, field=self.html_name), PurePosixPath(file.name or "").name))
            except OSError:
                logger.warning("Could not keep the upload %s", file.name, exc_info=True)
        if not kept:
            return html
        multiple = (widget or self.field.widget).allow_multiple_selected
        note = (
            _("Already sent and kept: no need to choose it again (another file chosen is added).")
            if multiple
            else _("Already sent and kept: no need to choose it again (another file chosen replaces it).")
        )
        return format_html(
            '{}<div class="kept-uploads">{}{}<span class="kept-note">{}</span></div>',
            html,
            format_html('<input type="hidden" name="{}__multiple" value="1">', self.html_name) if multiple else "",
            format_html_join(
                "",
                '<input type="hidden" name="{}" value="{}"><span class="kept-file">{}</span> ',
                ((f"{self.html_name}{KEPT_SUFFIX}", token, filename) for token, filename in kept),
            ),
            note,
        )
