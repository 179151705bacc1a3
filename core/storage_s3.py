"""Editor images in the S3-compatible bucket that holds the uploaded files (when MEDIA_S3_BUCKET is set).

Imported only in that case (settings.CKEDITOR_5_FILE_STORAGE), so that boto3 is not loaded otherwise.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.urls import reverse
from storages.backends.s3 import S3Storage

from core.uploads import EditorImageNames


class S3EditorImageStorage(EditorImageNames, S3Storage):
    """Same bucket and options as the default storage; the address put into item bodies is the site's own
    (``views.editor_image`` reads the image from the bucket), never a signed URL that would expire."""

    def __init__(self, **options):
        super().__init__(**{**settings.STORAGES["default"].get("OPTIONS", {}), **options})

    def url(self, name, parameters=None, expire=None, http_method=None):
        return reverse("disclosures:editor-image", args=[PurePosixPath(name).name])
