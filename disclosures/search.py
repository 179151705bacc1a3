"""Full-text search over published disclosures: tokenisation, keeping the index current, and queries.

Tokenisation (the same on both databases). Text is NFKC-normalised and lower-cased, then split into runs
of CJK characters, runs of Latin letters and runs of digits; everything else separates. A Latin or digit
run is one token; a CJK run becomes its overlapping character bigrams ("信息公开" → 信息 息公 公开), a
one-character run stays one token. A query is tokenised the same way and each of its space-separated
chunks must match as a phrase (consecutive tokens), so "2022年预算" finds exactly the texts that contain
"2022年预算", and "招生章程" never matches a text that only has 招生 and 章程 apart. Bigrams need no
dictionary (a segmenter such as jieba misses names, majors and new words, and segments a query and a
document differently), work identically in SQLite's FTS5 and PostgreSQL's ``simple`` tsvector, and
are checked by the relevance set in tests/search/.

Ranking: items whose title contains every chunk first, then those whose title or body contains them,
then attachment-only matches; newest first within each tier.

The index is written only through ``index_disclosure`` and ``index_attachment``, which the services call.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.cache import bump_content_version
from core.progress import ProgressFactory, no_progress
from disclosures import attachment_text
from disclosures.models import Attachment, Disclosure, DisclosureStatus
from disclosures.search_models import AttachmentText, SearchDocument

MAX_QUERY_CHARS = 100
MAX_QUERY_CHUNKS = 8
ATTACHMENT_MAX_CHARS = 20000
DOCUMENT_MAX_CHARS = 40000
SNIPPET_CHARS = 120
SNIPPET_SCAN_CHARS = 6000
FTS_TABLE = "disclosures_search_fts"

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
_SEGMENT = re.compile(f"([{_CJK}]+)|([a-z]+)|([0-9]+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _segments(text: str) -> list[tuple[bool, str]]:
    """(is_cjk, run) for every token run of normalised ``text``."""
    return [(bool(m.group(1)), m.group(0)) for m in _SEGMENT.finditer(text)]


def _run_tokens(is_cjk: bool, run: str) -> list[str]:
    if is_cjk and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def tokens(text: str) -> list[str]:
    result: list[str] = []
    for is_cjk, run in _segments(normalise(text)):
        result.extend(_run_tokens(is_cjk, run))
    return result


def token_text(text: str) -> str:
    """What goes into the database's full-text index: the tokens, separated by spaces."""
    return " ".join(tokens(text))


# --------------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------------


class QueryError(ValueError):
    """A query that cannot be searched; the message says what to do instead."""


@dataclass
class SearchQuery:
    text: str
    phrases: list[list[str]] = field(default_factory=list)  # each must occur as consecutive tokens
    terms: list[str] = field(default_factory=list)  # what to highlight

    def fts5(self, columns: str = "") -> str:
        prefix = f"{columns} : " if columns else ""
        return " AND ".join(prefix + '"' + " ".join(phrase) + '"' for phrase in self.phrases)

    def tsquery(self, weights: str = "") -> str:
        suffix = f":{weights}" if weights else ""
        return " & ".join("(" + " <-> ".join(f"'{token}'{suffix}" for token in phrase) + ")" for phrase in self.phrases)


def parse_query(raw: str | None) -> SearchQuery:
    """Turn what a visitor typed into phrases of tokens, or raise ``QueryError`` with a clear message."""
    text = " ".join(_CONTROL.sub(" ", raw or "").split())
    if not text:
        raise QueryError(_("Type what you are looking for, for example 招生章程 or 2024年预算."))
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(_("The search text is too long: use at most %(max)d characters.") % {"max": MAX_QUERY_CHARS})
    query = SearchQuery(text=text)
    single_characters = False
    for chunk in normalise(text).split():
        segments = _segments(chunk)
        # A one-character CJK run at either end of a chunk may be part of a longer run in a text, where
        # it only appears inside bigrams: leave it out of the phrase (it is still highlighted).
        while segments and segments[0][0] and len(segments[0][1]) == 1:
            single_characters = True
            segments = segments[1:]
        while segments and segments[-1][0] and len(segments[-1][1]) == 1:
            single_characters = True
            segments = segments[:-1]
        phrase: list[str] = []
        for is_cjk, run in segments:
            phrase.extend(_run_tokens(is_cjk, run))
            if run not in query.terms:
                query.terms.append(run)
        if phrase and phrase not in query.phrases:
            query.phrases.append(phrase)
    if not query.phrases:
        if single_characters:
            raise QueryError(_("Type at least two Chinese characters, or a word or number."))
        raise QueryError(_("Type words, numbers or Chinese characters: symbols and operators are not searched."))
    if len(query.phrases) > MAX_QUERY_CHUNKS:
        raise QueryError(
            _("Use at most %(max)d separate words: leave out the less important ones.") % {"max": MAX_QUERY_CHUNKS}
        )
    return query


def search(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """``queryset`` (of disclosures) narrowed to the matches of ``query``, best first."""
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        # Joined once (an inner join, also in COUNT queries): the match and the tier read the same row.
        vector = '"disclosures_searchdocument"."vector"'
        matches = RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [query.tsquery()], output_field=BooleanField())
        tier = RawSQL(
            f"CASE WHEN {vector} @@ to_tsquery('simple', %s) THEN 0 "
            f"WHEN {vector} @@ to_tsquery('simple', %s) THEN 1 ELSE 2 END",
            [query.tsquery("A"), query.tsquery("AB")],
        )
        return (
            queryset.filter(search_document__isnull=False)
            .filter(matches)
            .annotate(search_tier=tier)
            .order_by("search_tier", "-published_at", "-id")
        )
    fts = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    matching = RawSQL(fts, [query.fts5()])
    tier = RawSQL(
        f'CASE WHEN "{table}"."id" IN ({fts}) THEN 0 WHEN "{table}"."id" IN ({fts}) THEN 1 ELSE 2 END',
        [query.fts5("title"), query.fts5("{title body}")],
    )
    return queryset.filter(pk__in=matching).annotate(search_tier=tier).order_by("search_tier", "-published_at", "-id")


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every occurrence of the terms wrapped in <mark>."""
    if not terms:
        return conditional_escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    parts: list[str] = []
    position = 0
    folded = normalise(text)
    if len(folded) != len(text):  # NFKC changed the length: highlight the raw text case-insensitively
        folded = text
    for match in pattern.finditer(folded):
        parts.append(conditional_escape(text[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", text[match.start() : match.end()]))
        position = match.end()
    parts.append(conditional_escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def snippet(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """A window of ``text`` around the first term found, escaped and highlighted."""
    text = " ".join((text or "")[:SNIPPET_SCAN_CHARS].split())
    folded = normalise(text)
    if len(folded) != len(text):
        folded = text.lower()
    first = min((index for term in terms if (index := folded.find(term)) >= 0), default=-1)
    if first < 0:
        return conditional_escape(text[:width] + ("…" if len(text) > width else ""))
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(conditional_escape(prefix) + highlight(text[start:end], terms) + conditional_escape(suffix))


# --------------------------------------------------------------------------------------------------
# Keeping the index current
# --------------------------------------------------------------------------------------------------


def plain_text(html_text: str) -> str:
    return " ".join(html.unescape(strip_tags(html_text or "")).split())


def _fields(disclosure, attachment_texts: list[str]) -> tuple[str, str, str]:
    body = " ".join(
        part
        for part in (
            disclosure.summary,
            plain_text(disclosure.body),
            disclosure.keywords,
            disclosure.document_number,
            disclosure.index_number,
        )
        if part
    )
    attachments = "\n".join(text for text in attachment_texts if text)[:ATTACHMENT_MAX_CHARS]
    return disclosure.title, body, attachments


def _write_index(disclosure_id: int, title: str, body: str, attachments: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE disclosures_searchdocument SET vector = "
                "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C') WHERE disclosure_id = %s",
                [token_text(title), token_text(body), token_text(attachments), disclosure_id],
            )
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [disclosure_id])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, attachments) VALUES (%s, %s, %s, %s)",
                [disclosure_id, token_text(title), token_text(body), token_text(attachments)],
            )


def _remove(disclosure_id: int) -> None:
    SearchDocument.objects.filter(disclosure_id=disclosure_id).delete()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [disclosure_id])


def index_disclosure(disclosure) -> None:
    """Bring the search entry of ``disclosure`` up to date (added, replaced or removed) and record the change.

    Only published disclosures are indexed; queries still apply the visibility rules.
    """
    with transaction.atomic():
        bump_content_version()
        if disclosure.pk is None:
            return
        if disclosure.status != DisclosureStatus.PUBLISHED:
            _remove(disclosure.pk)
            return
        texts = list(
            AttachmentText.objects.filter(attachment__disclosure_id=disclosure.pk)
            .order_by("attachment__order", "attachment_id")
            .values_list(_text_head(), flat=True)
        )
        title, body, attachments = _fields(disclosure, texts)
        SearchDocument.objects.update_or_create(
            disclosure_id=disclosure.pk, defaults={"text": f"{body}\n{attachments}"[:DOCUMENT_MAX_CHARS]}
        )
        _write_index(disclosure.pk, title, body, attachments)


def _text_head():
    """The beginning of an attachment's kept text, all the index uses (the privacy scan keeps much more)."""
    return Substr("text", 1, ATTACHMENT_MAX_CHARS)


def index_attachment(attachment) -> None:
    """Re-index the disclosure of a newly stored attachment (its text is kept by ``attachment_text``)."""
    index_disclosure(attachment.disclosure)


def rebuild(
    *, extract: bool = False, batch_size: int = 500, stdout=None, progress: ProgressFactory = no_progress
) -> int:
    """Rebuild the whole index from the disclosures (and, with ``extract``, re-read every attachment).
    ``progress`` makes the bars (see core.progress) for reading attachments and indexing."""
    if extract:
        missing = Attachment.objects.all()
    else:
        missing = Attachment.objects.filter(extracted_text__isnull=True)
    with progress("Reading attachments", missing.count()) as bar:
        for attachment in bar.iterate(missing.iterator()):
            attachment_text.save(attachment, attachment_text.read_attachment(attachment))
    published = Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED).order_by("pk")
    with transaction.atomic(), progress("Indexing", published.count()) as bar:
        SearchDocument.objects.all().delete()
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
        texts: dict[int, list[str]] = {}
        for disclosure_id, text in (
            AttachmentText.objects.order_by("attachment__order", "attachment_id")
            .values_list("attachment__disclosure_id", _text_head())
            .iterator()
        ):
            texts.setdefault(disclosure_id, []).append(text)
        count = 0
        batch: list = []
        for disclosure in published.iterator(chunk_size=batch_size):
            batch.append(disclosure)
            if len(batch) >= batch_size:
                count += _index_batch(batch, texts)
                bar.update(count)
                batch = []
        count += _index_batch(batch, texts)
        bar.update(count)
        bump_content_version()
    if stdout is not None:
        stdout.write(f"Indexed {count} published disclosures.")
    return count


def index_missing(*, batch_size: int = 500, apps=None, **_signal) -> int:
    """Index the published disclosures that have no search entry (run after every ``migrate``).

    An installation that published items before the search index existed gets them indexed on its next
    ``migrate``; everywhere else this finds nothing. Attachment text already extracted is used; files are
    not read here (``manage.py rebuild_search_index`` does that). After a ``migrate`` that leaves the database
    short of the tables as today's models have them (taken back before the search index, say), ``apps`` (the
    migrated state post_migrate passes) says so and nothing is done.
    """
    if apps is not None and not _tables_as_models(apps, Disclosure, Attachment, AttachmentText, SearchDocument):
        return 0
    missing = Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED, search_document__isnull=True).order_by("pk")
    count = 0
    with transaction.atomic():
        for _start in range(0, missing.count(), batch_size):
            batch = list(missing[:batch_size])  # each batch indexed leaves the set of those still missing
            texts: dict[int, list[str]] = {}
            for disclosure_id, text in (
                AttachmentText.objects.filter(attachment__disclosure__in=batch)
                .order_by("attachment__order", "attachment_id")
                .values_list("attachment__disclosure_id", _text_head())
            ):
                texts.setdefault(disclosure_id, []).append(text)
            count += _index_batch(batch, texts)
        if count:
            bump_content_version()
    return count


def _tables_as_models(apps, *models) -> bool:
    """Whether the migration state ``apps`` has each of ``models`` with the same columns as the live model."""
    for model in models:
        try:
            state_model = apps.get_model(model._meta.label)
        except LookupError:
            return False
        if {f.column for f in state_model._meta.concrete_fields} != {f.column for f in model._meta.concrete_fields}:
            return False
    return True


def _index_batch(disclosures: list, texts: dict[int, list[str]]) -> int:
    """Index many disclosures in a few statements (the rebuild, ``index_missing`` and the benchmark use it)."""
    if not disclosures:
        return 0
    rows = [(d.pk, *_fields(d, texts.get(d.pk, []))) for d in disclosures]
    SearchDocument.objects.bulk_create(
        [SearchDocument(disclosure_id=pk, text=f"{body}\n{att}"[:DOCUMENT_MAX_CHARS]) for pk, _t, body, att in rows]
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s, %s, %s)"] * len(rows))
            cursor.execute(
                "UPDATE disclosures_searchdocument AS s SET vector = "
                "setweight(to_tsvector('simple', v.t), 'A') || setweight(to_tsvector('simple', v.b), 'B') || "
                f"setweight(to_tsvector('simple', v.a), 'C') FROM (VALUES {values}) AS v(id, t, b, a) "
                "WHERE s.disclosure_id = v.id",
                [value for pk, t, b, a in rows for value in (pk, token_text(t), token_text(b), token_text(a))],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, attachments) VALUES (%s, %s, %s, %s)",
                [(pk, token_text(t), token_text(b), token_text(a)) for pk, t, b, a in rows],
            )
    return len(rows)


def index_many(disclosures: list) -> int:
    """Index freshly created published disclosures without attachments in bulk (used by the benchmark)."""
    return _index_batch(disclosures, {})
