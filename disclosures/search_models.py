"""The search index's tables. Written only by ``disclosures.search``; imported by ``disclosures.models``."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What the search shows of a published disclosure: its plain text, for the highlighted snippets.

    The tokens themselves live in the database's own full-text index, kept next to this row by
    ``disclosures.search``: an FTS5 virtual table on SQLite, a GIN-indexed ``tsvector`` column on PostgreSQL.
    """

    disclosure = models.OneToOneField(
        "disclosures.Disclosure",
        models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("disclosure"),
    )
    text = models.TextField(_("indexed text"), blank=True)
    # The document's row in SQLite's FTS5 index (``search.index_key``: its publication second, then its id), kept
    # here to find that row again when the publication time changes. PostgreSQL keeps the same number, unused.
    index_key = models.BigIntegerField(_("index key"), null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return str(self.disclosure_id)


class AttachmentText(models.Model):
    """The text extracted from an attachment when it was stored (empty when nothing could be read), read once,
    outside any transaction, for both the search index and the privacy scan before approval.

    ``gaps`` says why the file was not read in full (a cap reached, pictures OCR could not read, a file that
    could not be read at all; see ``core.textextract``): such a file is never reported clean. ``sha256`` is
    the file's digest when it was read: text read from another version of the file does not count.
    """

    attachment = models.OneToOneField(
        "disclosures.Attachment",
        models.CASCADE,
        primary_key=True,
        related_name="extracted_text",
        verbose_name=_("attachment"),
    )
    text = models.TextField(_("extracted text"), blank=True)
    gaps = models.JSONField(_("parts not read"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file read"), max_length=64, blank=True)
    extracted_at = models.DateTimeField(_("extracted at"), auto_now=True)

    class Meta:
        verbose_name = _("attachment text")
        verbose_name_plural = _("attachment texts")

    def __str__(self) -> str:
        return str(self.attachment_id)


class SearchWord(models.Model):
    """A word of the published texts (as the segmenter cuts it, folded to simplified characters) with its pinyin:
    the vocabulary that pinyin queries and typo corrections are looked up in. Filled when items are indexed."""

    word = models.CharField(_("word"), max_length=32, unique=True)
    pinyin = models.CharField(_("pinyin"), max_length=200, db_index=True)
    length = models.PositiveSmallIntegerField(_("length"))
    documents = models.PositiveIntegerField(_("documents"), default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [models.Index(fields=["length", "word"], name="disclosures_searchword_len")]

    def __str__(self) -> str:
        return self.word


class SearchSynonym(models.Model):
    """Words people use for the same thing (学费, 收费标准): a query for one also finds the others."""

    words = models.CharField(
        _("words"),
        max_length=500,
        help_text=_("Two or more words or phrases meaning the same thing, separated by spaces or commas."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [word for word in re.split(r"[\s,，、;；]+", self.words) if word]
