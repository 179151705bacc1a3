"""Full-text search over published disclosures: tokenisation, keeping the index current, and queries.

Folding. Text and queries alike are NFKC-normalised, lower-cased and folded from traditional to simplified
characters (OpenCC's character table, from ``opencc-python-reimplemented``), one character for one, so that
財務預算 finds 财务预算 and 财务预算 finds 財務預算, and positions in the folded text are positions in the original.

Index (the same on both databases). Folded text is split into runs of CJK characters, of Latin letters and of
digits; a Latin or digit run is one token, a CJK run becomes its overlapping character bigrams ("信息公开" → 信息
息公 公开). Bigrams need no dictionary at index time (names, majors and new words are found whatever a segmenter
makes of them), and work identically in SQLite's FTS5 and PostgreSQL's ``simple`` tsvector.

Queries. A query is cut into words by a Chinese segmenter (``rjieba``, the Python binding of jieba-rs: jieba's
dictionary and algorithm, about a hundred times faster than the pure-Python jieba and maintained); a word is
the phrase of its bigrams, and every word must occur, in any order and at any distance ("2024年预算" finds
"2024年部门预算公开", "收费标准" finds "收费项目及标准公示"). Single characters (年, 的) are not required.
Staff-edited synonyms (``SearchSynonym``) give a word alternatives. When nothing is found, each word that
matches nothing is corrected from the index's own vocabulary (``SearchWord``: the words of the published
texts with their pinyin, written at index time): a query in pinyin ("zhaosheng zhangcheng", "yusuan") becomes
the words that read so, a homophone or near-miss ("招生章城", "财务保销") the word that sounds (nearly) the
same; a word with no correction is dropped with a note, the others still searched.

Ranking: the title holding the query's words next to each other first (tier 0), then the title holding all
of them (1), or a synonym of them (2), then title and body holding them next to each other (3), then anywhere
in title and body (4), then attachment-only matches (5); newest first within each tier.

The index is written through ``index_disclosure`` and ``index_attachment``, which the services call; ``rebuild``,
``index_missing`` (after every ``migrate``) and ``rekey`` (a publication time written without re-indexing) repair it.
"""

from __future__ import annotations

import datetime
import functools
import html
import math
import re
import unicodedata
from abc import abstractmethod
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import rjieba
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr, Trunc
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from core.cache import bump_content_version, content_version
from core.progress import ProgressFactory, no_progress
from disclosures import attachment_text
from disclosures.models import Attachment, Disclosure, DisclosureStatus
from disclosures.search_models import AttachmentText, SearchDocument, SearchSynonym, SearchWord

MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 12
ATTACHMENT_MAX_CHARS = 20000
DOCUMENT_MAX_CHARS = 40000
SNIPPET_CHARS = 120
SNIPPET_SCAN_CHARS = 20000
VOCABULARY_SCAN_CHARS = 4000
MAX_WORD_CHARS = 8
ATTACHMENT_TIER = 5
FTS_TABLE = "disclosures_search_fts"
# SQLite's FTS5 rows are keyed by publication second, then id (``index_key``): reading the index backwards reads
# the matches newest first, and the id is the key's low 28 bits (ids to 268 million, seconds to the year 2514 within
# a signed 64-bit integer).
_ID_BITS = 28
_ID_MASK = (1 << _ID_BITS) - 1

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
_SEGMENT = re.compile(f"([{_CJK}]+)|([a-z]+)|([0-9]+)")
_CJK_WORD = re.compile(f"[{_CJK}]{{2,{MAX_WORD_CHARS}}}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


@functools.cache
def _fold_table() -> dict[int, str]:
    """Traditional → simplified, one character for one (OpenCC's TSCharacters; the first of several readings)."""
    table: dict[int, str] = {}
    data = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        source, _tab, targets = line.partition("\t")
        choices = targets.split()
        if len(source) == 1 and choices and len(choices[0]) == 1 and choices[0] != source:
            table[ord(source)] = choices[0]
    return table


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().translate(_fold_table())


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


@functools.lru_cache(maxsize=20000)
def pinyin(word: str) -> str:
    """The toneless pinyin of ``word``, syllables run together: 招生 → zhaosheng."""
    return "".join(lazy_pinyin(word, errors="ignore")).lower()


# Single characters that carry little on their own (dates, particles, conjunctions): a query word of one of
# these is not required. Any other single character stays with its neighbour (转专业 is not 转 + 专业).
_LIGHT_CHARACTERS = frozenset("年月日号的之和与及或等第了在对于为是有各届期份个")


def _cut(run: str) -> list[str]:
    """The words of a CJK run. A long word (4 characters or more) that the finer cut covers with shorter words
    becomes those (学生名单 → 学生 名单), so that each may stand anywhere in a text; a single character that
    is not one of ``_LIGHT_CHARACTERS`` is joined to the word after it (or before it, at the end)."""
    merged = list(rjieba.cut(run))
    position = 0
    while position < len(merged):
        word = merged[position]
        if len(word) == 1 and word not in _LIGHT_CHARACTERS and len(merged) > 1:
            after = merged[position + 1] if position + 1 < len(merged) else None
            before = merged[position - 1] if position else None
            if after is not None and after not in _LIGHT_CHARACTERS:
                merged[position : position + 2] = [word + after]
                continue
            if before is not None and before not in _LIGHT_CHARACTERS:
                merged[position - 1 : position + 1] = [before + word]
                continue
        position += 1
    words: list[str] = []
    for word in merged:
        if len(word) >= 4:
            parts = sorted({part for part in rjieba.cut_for_search(word) if 2 <= len(part) < len(word)}, key=len)
            cover, position = [], 0
            while position < len(word):
                found = next((p for p in reversed(parts) if word.startswith(p, position)), None)
                if found is None:
                    break
                cover.append(found)
                position += len(found)
            if position == len(word) and len(cover) > 1:
                words.extend(cover)
                continue
        words.append(word)
    return words


def word_parts(text: str) -> list[str]:
    """The words of ``text`` a match needs (light single characters left out)."""
    parts: list[str] = []
    for is_cjk, run in _segments(normalise(text)):
        for word in _cut(run) if is_cjk else [run]:
            if not (is_cjk and len(word) == 1 and word in _LIGHT_CHARACTERS) and word not in parts:
                parts.append(word)
    return parts or [normalise(text)]


# --------------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------------


class QueryError(ValueError):
    """A query that cannot be searched; the message says what to do instead."""


@dataclass
class Word:
    """One thing the query asks for: all of ``parts`` (each anywhere), or any one of ``alternatives``."""

    text: str
    parts: list[str]
    alternatives: list[str] = field(default_factory=list)

    def primary(self) -> list[list[str]]:
        return [tokens(part) for part in self.parts]

    def options(self) -> list[list[list[str]]]:
        """Each way to match: a list of phrases that must all occur (an alternative's words, too, anywhere)."""
        return [self.primary(), *([tokens(part) for part in word_parts(alt)] for alt in self.alternatives)]


@dataclass
class SearchQuery:
    text: str  # as typed (cleaned)
    words: list[Word] = field(default_factory=list)
    adjacent: list[list[str]] = field(default_factory=list)  # phrases: the query's words next to each other
    pieces: list[list[tuple[str, int | None]]] = field(default_factory=list)  # per chunk: (text, word index)
    dropped: list[str] = field(default_factory=list)  # words that matched nothing, left out
    corrected: str = ""  # the query as corrected from the vocabulary ("您是不是要找")

    @property
    def terms(self) -> list[str]:
        """What to highlight: every word, part and alternative, longest first."""
        found: list[str] = []
        for word in self.words:
            for term in [*word.parts, *word.alternatives]:
                for _cjk, run in _segments(term):
                    if (len(run) > 1 or not _cjk) and run not in found:
                        found.append(run)
        return sorted(found, key=len, reverse=True)

    @property
    def phrases(self) -> list[list[str]]:
        """Every phrase that must occur when no synonym is involved."""
        return [phrase for word in self.words for phrase in word.primary()]

    @property
    def has_alternatives(self) -> bool:
        return any(word.alternatives for word in self.words)

    # SQLite FTS5 -----------------------------------------------------------------------------------

    def fts5(self, columns: str = "", *, alternatives: bool = True) -> str:
        prefix = f"{columns} : " if columns else ""

        def phrase(tokens_: list[str]) -> str:
            return prefix + '"' + " ".join(tokens_) + '"'

        clauses = []
        for word in self.words:
            options = word.options() if alternatives else [word.primary()]
            rendered = ["(" + " AND ".join(phrase(p) for p in option) + ")" for option in options]
            clauses.append("(" + " OR ".join(rendered) + ")")
        return " AND ".join(clauses)

    def fts5_adjacent(self, columns: str = "") -> str:
        prefix = f"{columns} : " if columns else ""
        return " AND ".join(prefix + '"' + " ".join(phrase) + '"' for phrase in self.adjacent)

    # PostgreSQL tsquery ----------------------------------------------------------------------------

    def tsquery(self, weights: str = "", *, alternatives: bool = True) -> str:
        suffix = f":{weights}" if weights else ""

        def phrase(tokens_: list[str]) -> str:
            return "(" + " <-> ".join(f"'{token}'{suffix}" for token in tokens_) + ")"

        clauses = []
        for word in self.words:
            options = word.options() if alternatives else [word.primary()]
            rendered = ["(" + " & ".join(phrase(p) for p in option) + ")" for option in options]
            clauses.append("(" + " | ".join(rendered) + ")")
        return " & ".join(clauses)

    def tsquery_adjacent(self, weights: str = "") -> str:
        suffix = f":{weights}" if weights else ""
        return " & ".join("(" + " <-> ".join(f"'{t}'{suffix}" for t in phrase) + ")" for phrase in self.adjacent)


def synonym_groups(request=None) -> dict[str, list[str]]:
    """Folded word or phrase → the others of its synonym group(s); read once per content version and process (the
    version as ``request`` read it, when given: not read again)."""
    version = content_version(request)
    if _synonym_memo.get("version") != version:
        groups: dict[str, list[str]] = {}
        for synonym in SearchSynonym.objects.all():
            words = [normalise(word) for word in synonym.word_list()]
            for word in words:
                groups.setdefault(word, [])
                groups[word].extend(other for other in words if other != word and other not in groups[word])
        _synonym_memo.update(version=version, groups=groups)
    return _synonym_memo["groups"]


_synonym_memo: dict = {}


def _clean(raw: str | None) -> str:
    return " ".join(_CONTROL.sub(" ", raw or "").split())


def parse_query(raw: str | None, *, synonyms: dict[str, list[str]] | None = None) -> SearchQuery:
    """Turn what a visitor typed into words, or raise ``QueryError`` with a clear message."""
    text = _clean(raw)
    if not text:
        raise QueryError(_("Type what you are looking for, for example 招生章程 or 2024年预算."))
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(_("The search text is too long: use at most %(max)d characters.") % {"max": MAX_QUERY_CHARS})
    query = SearchQuery(text=text)
    synonyms = synonyms or {}
    single_characters = False
    for chunk in normalise(text).split():
        pieces: list[str] = []
        for is_cjk, run in _segments(chunk):
            pieces.extend(_cut(run) if is_cjk else [run])
        chunk_pieces: list[tuple[str, int | None]] = []
        position = 0
        while position < len(pieces):
            # The longest run of pieces that is a synonym entry (收费标准 is cut 收费 标准) becomes one word.
            span = next(
                (end for end in range(len(pieces), position + 1, -1) if "".join(pieces[position:end]) in synonyms),
                position + 1,
            )
            piece = "".join(pieces[position:span])
            parts = pieces[position:span]
            position = span
            if len(piece) == 1 and _CJK_WORD.match(piece + piece):
                single_characters = True
                chunk_pieces.append((piece, None))  # 年, 的: never required, still part of the adjacent phrase
                continue
            existing = next((i for i, word in enumerate(query.words) if word.text == piece), None)
            if existing is None:
                query.words.append(Word(text=piece, parts=parts, alternatives=list(synonyms.get(piece, []))))
                existing = len(query.words) - 1
            chunk_pieces.append((piece, existing))
        query.pieces.append(chunk_pieces)
    if not query.words:
        if single_characters:
            raise QueryError(_("Type at least two Chinese characters, or a word or number."))
        raise QueryError(_("Type words, numbers or Chinese characters: symbols and operators are not searched."))
    if len(query.words) > MAX_QUERY_WORDS:
        raise QueryError(
            _("Use at most %(max)d separate words: leave out the less important ones.") % {"max": MAX_QUERY_WORDS}
        )
    _set_adjacent(query)
    return query


def _set_adjacent(query: SearchQuery) -> None:
    """The phrases of the query's words as typed next to each other (a chunk between spaces, each as one)."""
    query.adjacent = []
    for chunk in query.pieces:
        # Single characters at either end of a chunk may sit inside a longer run in a text (年第三).
        while chunk and chunk[0][1] is None:
            chunk = chunk[1:]
        while chunk and chunk[-1][1] is None:
            chunk = chunk[:-1]
        phrase = tokens("".join(text for text, _index in chunk))
        if phrase and phrase not in query.adjacent:
            query.adjacent.append(phrase)


def index_key(published_at, pk: int) -> int:
    """A disclosure's row key in SQLite's FTS5 index: its publication second, then its id (migration 0015)."""
    if not 0 < pk <= _ID_MASK:
        raise ValueError(f"A disclosure id the search index cannot key: {pk}")
    seconds = math.floor(published_at.timestamp()) if published_at else 0
    return (seconds << _ID_BITS) | pk


def _fts_match(expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid & {_ID_MASK} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])


def _sqlite_matches(queryset: QuerySet, expression: str) -> tuple[str, list]:
    """SQLite: the index rows matching an FTS5 ``expression`` whose disclosure is in ``queryset`` (the public rule,
    the API's filters), each checked by its id as the index is read: a statement that stops after n of them reads
    about n, however many items hold the words (where ``id IN (the matches)`` collects every match first)."""
    row_sql, row_params = _row_of(queryset, f'"{FTS_TABLE}".rowid & {_ID_MASK}')
    sql = f'SELECT "{FTS_TABLE}".rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND EXISTS ({row_sql})'
    return sql, [expression, *row_params]


def _rows_of(queryset: QuerySet, sql: str, params: list) -> list:
    """The rows of a raw statement, asked of ``queryset``'s database (a replica, say)."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sqlite_count(queryset: QuerySet, expression: str, limit: int) -> int:
    sql, params = _sqlite_matches(queryset, expression)
    return _rows_of(queryset, f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, limit])[0][0]


def _row_of(queryset: QuerySet, key_sql: str) -> tuple[str, list]:
    """The SQL of ``queryset``'s row whose id is ``key_sql`` (a column of the text index's table), for EXISTS; a
    queryset that can hold nothing gives a statement that finds nothing."""
    row = queryset.order_by().filter(pk=RawSQL(key_sql, [])).values("pk")
    try:
        return row.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # none(), an empty pk__in
        return "SELECT 1 WHERE 1 = 0", []


def _postgresql_count(queryset: QuerySet, tsquery: str, limit: int, *, from_index: bool = False) -> int:
    """PostgreSQL: how many rows of ``queryset`` match ``tsquery``, counted up to ``limit``: the text index's
    matches, each checked against the queryset by its id (a third faster than joining the two tables).

    ``from_index`` (``ranked``'s ``whole_list``): the matches are read from the text index alone (``OFFSET 0`` keeps
    the planner from merging them into the outer query). For a word in about a tenth of the items (报告, 通知, 名单)
    it otherwise walked both tables' primary keys together and tested every document's vector on the way (25-28 ms
    at 100,000 items, against 4 through the index). Not for a list narrowed by filters: the planner's own way, from
    the few rows left, is the fast one there (a common word in the last week: 0.7-3 ms, against 300 ms read from the
    index)."""
    # (An alias of its own: the queryset may join the documents' table too.)
    row_sql, row_params = _row_of(queryset, "search_match.disclosure_id")
    if from_index:
        matches = (
            "(SELECT disclosure_id FROM disclosures_searchdocument WHERE vector @@ to_tsquery('simple', %s) OFFSET 0) "
            "search_match WHERE"
        )
    else:
        matches = "disclosures_searchdocument search_match WHERE search_match.vector @@ to_tsquery('simple', %s) AND"
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {matches} EXISTS ({row_sql}) LIMIT %s) t"
    return _rows_of(queryset, sql, [tsquery, *row_params, limit])[0][0]


def _sqlite_narrowed(queryset: QuerySet) -> bool:
    """Whether ``queryset`` holds so few rows (filters) that it is read through its own indexes (_RankedOnSQLite)."""
    return queryset.order_by()[: SQLITE_NARROW_AT + 1].count() <= SQLITE_NARROW_AT


def has_matches(queryset: QuerySet, query: SearchQuery) -> bool:
    """Whether anything in ``queryset`` matches ``query``."""
    if not query.words:
        return False
    if connections[queryset.db].vendor == "postgresql":
        return _postgresql_count(queryset, query.tsquery(), 1) > 0
    if _sqlite_narrowed(queryset):
        return queryset.filter(pk__in=_fts_match(query.fts5())).exists()
    return _sqlite_count(queryset, query.fts5(), 1) > 0


def matching(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """``queryset`` narrowed to the matches of ``query`` (unordered)."""
    if not query.words:
        return queryset.none()
    if connection.vendor == "postgresql":
        vector = '"disclosures_searchdocument"."vector"'
        matches = RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [query.tsquery()], output_field=BooleanField())
        return queryset.filter(search_document__isnull=False).filter(matches)
    return queryset.filter(pk__in=_fts_match(query.fts5()))


def _tiers(query: SearchQuery) -> list[tuple[int, str, str]]:
    """(tier, SQLite FTS5 expression, PostgreSQL tsquery), best first; what matches none is in an attachment."""
    # In the title as typed, next to each other, with every word of the query there too (so that the title tiers
    # imply the whole query: PostgreSQL reads them from the title's vector alone).
    adjacent_title = (
        f"({query.fts5_adjacent('title')}) AND ({query.fts5('title', alternatives=False)})",
        f"({query.tsquery_adjacent('A')}) & ({query.tsquery('A', alternatives=False)})",
    )
    adjacent_text = (query.fts5_adjacent("{title body}"), query.tsquery_adjacent("AB"))
    tiers = [
        (0, *adjacent_title) if query.adjacent else None,
        (1, query.fts5("title", alternatives=False), query.tsquery("A", alternatives=False)),
        (2, query.fts5("title"), query.tsquery("A")) if query.has_alternatives else None,
        (3, *adjacent_text) if query.adjacent else None,
        (4, query.fts5("{title body}"), query.tsquery("AB")),
    ]
    return [tier for tier in tiers if tier is not None]


def search(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """``queryset`` (of disclosures) narrowed to the matches of ``query``, best first, in one ranked query.

    The pages read ``ranked`` (the same order, a page at a time); this one query is the order's definition, which
    ``tests/search/test_ranked.py`` holds ``ranked`` to, and a plain queryset for the shell and the upgrade test."""
    tiers = _tiers(query)
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        vector = '"disclosures_searchdocument"."vector"'
        cases = " ".join(f"WHEN {vector} @@ to_tsquery('simple', %s) THEN {n}" for n, _fts, _ts in tiers)
        tier = RawSQL(f"CASE {cases} ELSE {ATTACHMENT_TIER} END", [ts for _n, _fts, ts in tiers])
        order = ("search_tier", "-published_at", "-id")
    else:
        fts = f"SELECT rowid & {_ID_MASK} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        cases = " ".join(f'WHEN "{table}"."id" IN ({fts}) THEN {n}' for n, _fts, _ts in tiers)
        tier = RawSQL(f"CASE {cases} ELSE {ATTACHMENT_TIER} END", [expression for _n, expression, _ts in tiers])
        # The index's own order (index_key): the publication second, newest first, then the id.
        order = ("search_tier", Trunc("published_at", "second", tzinfo=datetime.UTC).desc(), "-id")
    return matching(queryset, query).annotate(search_tier=tier).order_by(*order)


# A search serves at most this many results (50 pages); one that finds more says so and asks for another word.
# Counting every match of a word found in nearly every item cost more than the rest of the page (75 of 120 ms at
# 100,000 items on SQLite); counting up to here costs a few milliseconds. Search engines do the same ("about 1,000
# results").
MAX_RESULTS = 1000

# PostgreSQL: a tier with at least this many text matches is read by walking the list's date index (it fills a
# page within a few hundred rows); a smaller one by its matches' keys, sorted (a walk would read the whole index to
# find them). SQLite reads every tier from its index in date order (index_key) and needs no such choice.
RANK_WALK_AT = 2000
# SQLite: a queryset of at most this many rows (filters: a category and a year) is read through its own indexes.
SQLITE_NARROW_AT = 5000
# PostgreSQL: how many of the list's newest rows a tier of many is first looked for in (see _from_newest).
NEWEST_WINDOW = 2000


def ranked(queryset: QuerySet, query: SearchQuery, *, whole_list: bool = False) -> Sequence:
    """The matches of ``query`` in ``queryset`` in ``search``'s order, as a sequence a paginator can slice and count.

    ``whole_list``: the queryset is the visitor's whole list, narrowed by no filter (``DisclosureFilter.narrows``),
    so that PostgreSQL counts its matches from the text index (see ``_postgresql_count``).

    A page is read tier by tier, best first, each tier newest first from its own rows, until the page is full:
    ranking every match in one ``ORDER BY CASE ...`` evaluated the tiers for each of them (a word in most titles
    cost a third of a second at 10,000 items on SQLite, against a hundredth read this way)."""
    if not query.words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _RankedOnPostgreSQL(queryset, query, whole_list=whole_list)
    return _RankedOnSQLite(queryset, query)


class _Ranked(Sequence):
    """A ranked search as a sequence: the reading of rows and the count are the database's own (below)."""

    queryset: QuerySet

    @abstractmethod
    def count(self) -> int:
        """How many rows match, counted up to MAX_RESULTS + 1 (a count above MAX_RESULTS means "more")."""

    @abstractmethod
    def _keys(self, start: int, stop: int) -> list[tuple[int, int]]:
        """(id, tier) of the results from ``start`` to ``stop``, in order."""

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):  # (Sequence's would read the rows one query each)
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or index.stop is None or index.stop < 0:
                raise ValueError("ranked results take a plain slice from a position to a position")
            return self._rows(index.start or 0, index.stop)
        rows = self._rows(index, index + 1)
        if not rows:
            raise IndexError(index)
        return rows[0]

    def _rows(self, start: int, stop: int) -> list:
        keys = self._keys(start, stop) if stop > start else []
        if not keys:
            return []
        objects = {row.pk: row for row in self.queryset.filter(pk__in=[pk for pk, _n in keys]).order_by()}
        result = []
        for pk, number in keys:
            if pk in objects:
                objects[pk].search_tier = number
                result.append(objects[pk])
        return result


class _RankedOnSQLite(_Ranked):
    """Each tier is one FTS5 expression over its own rows (the query's matches, in this tier, in none before it),
    read backwards along the index's keys (newest first), each candidate checked against the queryset by its id:
    a page reads its own rows and a few more, however many items match.

    A queryset narrowed by filters to a few thousand items (a category and a year, say) would reject most
    candidates, and reading through them cost half a second at 100,000 items: such a queryset is read the other
    way, its rows matching the tier (``id IN (the matches)``, through its own indexes) put in the index's order
    here (``index_key``)."""

    def __init__(self, queryset: QuerySet, query: SearchQuery):
        self.queryset = queryset
        tiers = _tiers(query)
        numbers = [n for n, _fts, _ts in tiers] + [ATTACHMENT_TIER]
        self.everything = query.fts5()
        expressions = [fts for _n, fts, _ts in tiers] + [self.everything]
        self.tiers = []
        for i, (number, expression) in enumerate(zip(numbers, expressions, strict=True)):
            exclusive = f"(({self.everything}) AND ({expression}))"
            for earlier in expressions[:i]:
                exclusive = f"({exclusive} NOT ({earlier}))"
            self.tiers.append((number, exclusive))

    @functools.cached_property
    def narrowed(self) -> bool:
        return _sqlite_narrowed(self.queryset)

    def _narrowed_keys(self, expression: str) -> list[int]:
        """The ids of the narrowed queryset's rows matching ``expression``, in the index's order."""
        rows = self.queryset.filter(pk__in=_fts_match(expression)).order_by().values_list("published_at", "pk")
        return [pk for _published, pk in sorted(rows, key=lambda row: index_key(*row), reverse=True)]

    def count(self) -> int:
        """How many rows match, counted up to MAX_RESULTS + 1 (a count above MAX_RESULTS means "more")."""
        if self.narrowed:
            return self.queryset.filter(pk__in=_fts_match(self.everything)).order_by()[: MAX_RESULTS + 1].count()
        return _sqlite_count(self.queryset, self.everything, MAX_RESULTS + 1)

    def _keys(self, start: int, stop: int) -> list[tuple[int, int]]:
        keys: list[tuple[int, int]] = []
        skip, need = start, stop - start
        for number, expression in self.tiers:
            if need <= 0:
                break
            if self.narrowed:
                found = self._narrowed_keys(expression)
                if skip >= len(found):
                    skip -= len(found)
                    continue
                found = found[skip : skip + need]
                skip = 0
                keys += [(pk, number) for pk in found]
                need -= len(found)
                continue
            sql, params = _sqlite_matches(self.queryset, expression)
            found = _rows_of(
                self.queryset, f'{sql} ORDER BY "{FTS_TABLE}".rowid DESC LIMIT %s OFFSET %s', [*params, need, skip]
            )
            if not found:
                if skip:  # the tier lies wholly before the slice: fewer rows than skip, counted only so far
                    skip -= _sqlite_count(self.queryset, expression, skip)
                continue
            skip = 0
            keys += [(key & _ID_MASK, number) for (key,) in found]
            need -= len(found)
        return keys


class _RankedOnPostgreSQL(_Ranked):
    """Each tier as SQL over the vector of the part it asks for, the title's (migration 0014) or the title's and the
    body's (0016): a weighted match on the document's vector would be rechecked on the whole of it, attachments' text
    included, where an unweighted one is answered by its own index. A small tier is read by its matches' keys and
    sorted, a large one first from the list's newest rows (``_from_newest``), else from its matches' keys."""

    def __init__(self, queryset: QuerySet, query: SearchQuery, *, whole_list: bool):
        self.queryset, self.query, self.whole_list = queryset, query, whole_list
        self._sizes: dict[int, int] = {}
        self._counted: int | None = None  # by count(): MAX_RESULTS + 1 means more, how many more unknown
        tiers = _tiers(query)
        numbers = [n for n, _fts, _ts in tiers] + [ATTACHMENT_TIER]
        title = '"disclosures_searchdocument"."title_vector" @@ to_tsquery(\'simple\', %s)'
        text = '"disclosures_searchdocument"."text_vector" @@ to_tsquery(\'simple\', %s)'
        document = '"disclosures_searchdocument"."vector" @@ to_tsquery(\'simple\', %s)'
        self.everything = (document, [query.tsquery()])
        # Each tier on the vector of its own part, unweighted (``_tiers`` weighs the same on the document's): the
        # title tiers (0 to 2) on the title's, the text tiers (3, 4) on the title's and the body's (migration 0016).
        every_word = query.tsquery(alternatives=False)
        own = {
            0: (title, f"({query.tsquery_adjacent()}) & ({every_word})"),
            1: (title, every_word),
            2: (title, query.tsquery()),
            3: (text, query.tsquery_adjacent()),
            4: (text, query.tsquery()),
        }
        conditions = [(own[n][0], [own[n][1]]) for n, _fts, _ts in tiers]
        conditions.append(self.everything)
        self.tiers = []
        for i, number in enumerate(numbers):
            # The tier's own condition first, the whole query's last: PostgreSQL checks them in the order
            # written, and a title's vector is read at once where the document's is fetched from its storage.
            sql, params = conditions[i][0], list(conditions[i][1])
            for earlier_sql, earlier_params in conditions[:i]:
                sql += f" AND NOT ({earlier_sql})"
                params += earlier_params
            # (Only the adjacent words' tier does not imply the whole query; the attachment tier is the query. A
            # match in a part implies one in the whole because tsquery() builds only &, | and <-> of words: a
            # query with ! (NOT) or weights would have to be checked on the whole again.)
            if number == 3:
                sql += f" AND {self.everything[0]}"
                params += self.everything[1]
            self.tiers.append((number, (sql, params)))

    def count(self) -> int:
        """How many rows match, counted up to MAX_RESULTS + 1 (a count above MAX_RESULTS means "more")."""
        tsquery = self.query.tsquery()
        self._counted = _postgresql_count(self.queryset, tsquery, MAX_RESULTS + 1, from_index=self.whole_list)
        return self._counted

    @property
    def _all_few(self) -> bool:
        """Whether every tier is known to be one of few without counting it: the whole list's matches were counted
        (by the paginator, before the page is read), all of them, and are fewer than RANK_WALK_AT, so no tier has
        more (the items hidden from this visitor aside). Counting each tier up to RANK_WALK_AT cost more than
        reading it then: a count of the title's matches reads a document for each of them. A list narrowed by
        filters counts its own rows, not the tiers' matches in the text index that a tier of few is read from."""
        counted = self._counted
        return self.whole_list and counted is not None and counted <= MAX_RESULTS and counted < RANK_WALK_AT

    def _size(self, index: int) -> int:
        """How many rows of the text index match a tier (index 1 on), counted up to RANK_WALK_AT; asked only when
        the page is not yet full (a later tier can cost a recheck of whole documents: a 100,000-item benchmark
        run with all of them asked at once made search 3× slower)."""
        if index not in self._sizes:
            sql, params = self.tiers[index - 1][1]
            self._sizes[index] = _rows_of(
                self.queryset,
                f"SELECT count(*) FROM (SELECT 1 FROM disclosures_searchdocument WHERE {sql} LIMIT %s) t",
                [*params, RANK_WALK_AT],
            )[0][0]
        return self._sizes[index]

    def _matching(self, expression) -> QuerySet:
        """The queryset's rows matching one tier's condition on the text index."""
        sql, params = expression
        condition = RawSQL(sql, params, output_field=BooleanField())
        return self.queryset.filter(search_document__isnull=False).filter(condition)

    def _from_newest(self, expression, wanted: int) -> list[int] | None:
        """The first ``wanted`` rows of a tier when the list's newest NEWEST_WINDOW rows hold them, each row asked
        for the tier's condition in turn (a subquery the planner cannot join); None when they hold fewer.

        The planner's estimate of a match of several words takes them as independent: for a tier of thousands it
        fetched and sorted them all (45 ms at 100,000 items, against 1 this way). Walking the whole list instead
        would cost a second for words found only in old items ("印发2012"); the window bounds that."""
        sql, params = expression
        newest = self.queryset.order_by("-published_at", "-id").annotate(newest_id=F("pk"), newest_at=F("published_at"))
        newest = newest.values_list("newest_id", "newest_at")[:NEWEST_WINDOW]
        try:
            newest_sql, newest_params = newest.query.get_compiler(using=self.queryset.db).as_sql()
        except EmptyResultSet:
            return []
        rows = _rows_of(
            self.queryset,
            f"SELECT newest.newest_id FROM ({newest_sql}) newest WHERE (SELECT {sql} FROM "
            'disclosures_searchdocument WHERE "disclosures_searchdocument"."disclosure_id" = newest.newest_id) '
            "ORDER BY newest.newest_at DESC, newest.newest_id DESC LIMIT %s",
            [*newest_params, *params, wanted],
        )
        found = [pk for (pk,) in rows]
        return found if len(found) >= wanted else None

    def _keys(self, start: int, stop: int) -> list[tuple[int, int]]:
        keys: list[tuple[int, int]] = []
        skip, need = start, stop - start
        for tier, (number, expression) in enumerate(self.tiers, start=1):
            if need <= 0:
                break
            size = None if self._all_few else self._size(tier)
            if size == 0:
                continue
            if size is None or size < RANK_WALK_AT:
                # Few: all of them (through the text index), put in the list's order here.
                rows = sorted(self._matching(expression).order_by().values_list("published_at", "pk"), reverse=True)
                if skip >= len(rows):
                    skip -= len(rows)
                    continue
                found = [pk for _published, pk in rows[skip : skip + need]]
            elif (newest := self._from_newest(expression, skip + need)) is not None:
                # Many, and the newest items hold the slice (most pages end there).
                found = newest[skip : skip + need]
            else:
                # Many, and few of them among the newest: the matches' keys from the text index first (OFFSET 0
                # keeps the planner from walking the list's date index and testing each row's vector on the way:
                # the matches of "管理2015" lie 70,000 rows deep at 100,000 items, a second's walk), then the page
                # from them in the list's order.
                sql, params = expression
                matches = RawSQL(f"SELECT disclosure_id FROM disclosures_searchdocument WHERE {sql} OFFSET 0", params)
                rows = self.queryset.filter(pk__in=matches).order_by("-published_at", "-id")
                if skip:
                    # Counted only as far as needed: a tier of 100,000 rows is not counted to skip 20 of them.
                    in_tier = rows.order_by()[: skip + 1].count()
                    if skip >= in_tier:
                        skip -= in_tier
                        continue
                found = list(rows.values_list("pk", flat=True)[skip : skip + need])
            skip = 0
            keys += [(pk, number) for pk in found]
            need -= len(found)
        return keys


# Understanding a query that finds nothing -------------------------------------------------------------


def understand(queryset: QuerySet, query: SearchQuery) -> SearchQuery:
    """``query``, or when it finds nothing in ``queryset``: its words that match nothing corrected from the
    vocabulary (pinyin, homophones, near-misses) or dropped. The result says what was changed."""
    if not query.words or has_matches(queryset, query):
        return query
    missing = [i for i, word in enumerate(query.words) if not _word_matches(queryset, word)]
    if not missing:
        return query  # every word is found, only never together: nothing to correct
    replacement: dict[int, str] = {}
    # Pinyin typed with or without spaces ("zhaosheng zhangcheng"): consecutive Latin words read together.
    latin = [i for i in missing if query.words[i].text.isascii() and query.words[i].text.isalpha()]
    for group in _consecutive(latin):
        words = _pinyin_words("".join(query.words[i].text for i in group))
        if words and all(_word_matches(queryset, Word(text=w, parts=[w])) for w in words):
            replacement[group[0]] = "".join(words)
            replacement.update({i: "" for i in group[1:]})
    for i in missing:
        if i in replacement:
            continue
        for candidate in _corrections(query.words[i].text):
            if _word_matches(queryset, Word(text=candidate, parts=[candidate])):
                replacement[i] = candidate
                break
    dropped = [query.words[i].text for i in missing if i not in replacement]
    chunks: list[str] = []
    for chunk in query.pieces:
        text = ""
        for piece, index in chunk:
            if index is not None and index in replacement:
                text += replacement[index]
            elif index is not None and query.words[index].text in dropped:
                text += " "
            else:
                text += piece
        chunks.append(text)
    new_text = " ".join(" ".join(chunks).split())
    try:
        new_query = parse_query(new_text, synonyms=synonym_groups())
    except QueryError:
        new_query = SearchQuery(text=new_text)  # nothing left to search: no results, with the notes
    new_query.text = query.text
    new_query.dropped = dropped
    if replacement:
        new_query.corrected = new_text
    return new_query


def _consecutive(indexes: list[int]) -> list[list[int]]:
    groups: list[list[int]] = []
    for index in indexes:
        if groups and groups[-1][-1] == index - 1:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _word_matches(queryset: QuerySet, word: Word) -> bool:
    return has_matches(queryset, SearchQuery(text=word.text, words=[word]))


def _pinyin_words(letters: str) -> list[str] | None:
    """The vocabulary's words that read ``letters`` together (zhaoshengzhangcheng → 招生 章程), fewest words and
    commonest first; None when the letters are not pinyin of indexed words."""
    n = len(letters)
    if n < 2 or n > 60:
        return None
    keys = {letters[i:j] for i in range(n) for j in range(i + 2, min(n, i + 36) + 1)}
    best: dict[str, tuple[str, int]] = {}
    for word, reading, documents in SearchWord.objects.filter(pinyin__in=keys).values_list(
        "word", "pinyin", "documents"
    ):
        if reading not in best or documents > best[reading][1]:
            best[reading] = (word, documents)
    paths: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)
    paths[0] = (0, 0, [])
    for i in range(n):
        if paths[i] is None:
            continue
        count, minus_documents, words = paths[i]
        for j in range(i + 2, n + 1):
            entry = best.get(letters[i:j])
            if entry:
                candidate = (count + 1, minus_documents - entry[1], [*words, entry[0]])
                if paths[j] is None or candidate[:2] < paths[j][:2]:
                    paths[j] = candidate
    return paths[n][2] if paths[n] else None


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _corrections(word: str) -> list[str]:
    """Words of the vocabulary ``word`` may have been meant as: the same reading (招生章城 → 章程, 保销 → 报销),
    then one character changed to one that sounds nearly the same (zh/z, -ng/-n), commonest first."""
    if not _CJK_WORD.fullmatch(word):
        return []
    reading = pinyin(word)
    found = list(
        SearchWord.objects.filter(pinyin=reading)
        .exclude(word=word)
        .order_by("-documents")
        .values_list("word", flat=True)[:5]
    )
    near = Q()
    for i in range(len(word)):
        near |= Q(word__startswith=word[:i], word__endswith=word[i + 1 :])
    for candidate in (
        SearchWord.objects.filter(near, length=len(word))
        .exclude(word=word)
        .order_by("-documents")
        .values_list("word", flat=True)[:200]
    ):
        changed = [i for i in range(len(word)) if candidate[i] != word[i]]
        if (
            candidate not in found
            and len(changed) == 1
            and _edit_distance(pinyin(candidate[changed[0]]), pinyin(word[changed[0]])) <= 1
        ):
            found.append(candidate)
    return found[:8]


# Words of an application's description (search before you apply) ---------------------------------------

# What nearly every application says, which tells nothing of what it asks for.
_DESCRIPTION_STOP_WORDS = frozenset(
    "申请 公开 信息 学校 我校 贵校 我想 想要 希望 请求 提供 相关 有关 关于 获取 查询 需要 要求 本人 我们 您好 你好 "
    "麻烦 谢谢 具体 详细 内容 资料 文件 材料 情况 以及 或者 还有 一下 一份 是否 能否 可以".split()
)
DESCRIPTION_WORDS = 6


def description_query(text: str) -> str:
    """The words of a free-text description worth searching for (at most ``DESCRIPTION_WORDS``), as a query."""
    words: list[str] = []
    for is_cjk, run in _segments(normalise(text[: MAX_QUERY_CHARS * 5])):
        for word in _cut(run) if is_cjk else [run]:
            if (len(word) > 1 or not is_cjk) and word not in _DESCRIPTION_STOP_WORDS and word not in words:
                words.append(word)
    return " ".join(words[:DESCRIPTION_WORDS])


def relaxed(queryset: QuerySet, query: SearchQuery) -> SearchQuery:
    """``query`` understood; while it still finds nothing, its last word left out (down to one word)."""
    query = understand(queryset, query)
    while len(query.words) > 1 and not has_matches(queryset, query):
        last = query.words.pop()
        query.dropped.append(last.text)
        query.pieces = [[(text, index) for text, index in chunk if index != len(query.words)] for chunk in query.pieces]
        _set_adjacent(query)
    return query


# Showing results ------------------------------------------------------------------------------------------


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
    """The passage of ``text`` (``width`` characters) holding the most of the terms, closest together,
    escaped and highlighted; the text's start when no term is in it."""
    text = " ".join((text or "")[:SNIPPET_SCAN_CHARS].split())
    folded = normalise(text)
    if len(folded) != len(text):
        folded = text.lower()
    hits: list[tuple[int, str]] = []
    for term in terms:
        start = folded.find(term)
        while start >= 0 and len(hits) < 400:
            hits.append((start, term))
            start = folded.find(term, start + len(term))
    if not hits:
        return conditional_escape(text[:width] + ("…" if len(text) > width else ""))
    hits.sort()
    best = (0, 0, 0)  # (distinct terms in the window, minus the span they take, minus the position)
    for anchor, (position, _term) in enumerate(hits):
        inside: dict[str, int] = {}
        for end, term in hits[anchor:]:
            if end + len(term) > position + width:
                break
            inside[term] = end
        if not inside:
            continue
        span = max(end + len(term) for term, end in inside.items()) - position
        score = (len(inside), -span, -position)
        if score > best or best == (0, 0, 0):
            best = score
    first = -best[2]
    start = max(0, min(first - width // 6, len(text) - width))
    end = min(len(text), start + width)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(conditional_escape(prefix) + highlight(text[start:end], terms) + conditional_escape(suffix))


# --------------------------------------------------------------------------------------------------
# Keeping the index current
# --------------------------------------------------------------------------------------------------


def plain_text(html_text: str) -> str:
    return " ".join(html.unescape(strip_tags(html_text or "")).split())


def _fields(disclosure, attachment_texts: list[str]) -> tuple[str, str, str, str]:
    """(title, body, attachments) as indexed, and the text excerpts are taken from: summary, body and
    attachments, without the metadata (keywords, 文号, 索引号) that is searched but never shown as an excerpt."""
    text = " ".join(part for part in (disclosure.summary, plain_text(disclosure.body)) if part)
    metadata = " ".join(
        part for part in (disclosure.keywords, disclosure.document_number, disclosure.index_number) if part
    )
    attachments = "\n".join(text for text in attachment_texts if text)[:ATTACHMENT_MAX_CHARS]
    shown = f"{text}\n{attachments}"[:DOCUMENT_MAX_CHARS]
    return disclosure.title, f"{text} {metadata}", attachments, shown


def _vocabulary(title: str, body: str) -> set[str]:
    """The words of a text for the vocabulary (CJK words of 2 to MAX_WORD_CHARS characters, folded)."""
    words: set[str] = set()
    for is_cjk, run in _segments(normalise(f"{title} {body[:VOCABULARY_SCAN_CHARS]}")):
        if is_cjk and len(run) > 1:
            words.update(word for word in rjieba.cut(run) if _CJK_WORD.fullmatch(word))
    return words


def _add_vocabulary(counts: Counter) -> None:
    """Add ``counts`` (word → documents) to the vocabulary: existing words counted up, new ones created."""
    words = list(counts)
    for start in range(0, len(words), 500):
        chunk = words[start : start + 500]
        existing = set(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
        by_count: dict[int, list[str]] = {}
        for word in existing:
            by_count.setdefault(counts[word], []).append(word)
        for count, same in by_count.items():
            SearchWord.objects.filter(word__in=same).update(documents=F("documents") + count)
        SearchWord.objects.bulk_create(
            [
                SearchWord(word=word, pinyin=pinyin(word)[:200], length=len(word), documents=counts[word])
                for word in chunk
                if word not in existing
            ],
            ignore_conflicts=True,
        )


def _write_index(disclosure_id: int, old_key: int | None, key: int, title: str, body: str, attachments: str) -> None:
    """Write the index entry of a disclosure whose SearchDocument row is saved; SQLite's row is found by the key
    it had (``old_key``, None for a new one) and written under ``key``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE disclosures_searchdocument SET vector = "
                "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C') WHERE disclosure_id = %s",
                [token_text(title), token_text(body), token_text(attachments), disclosure_id],
            )
        else:
            if old_key is not None:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [old_key])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, attachments) VALUES (%s, %s, %s, %s)",
                [key, token_text(title), token_text(body), token_text(attachments)],
            )


def _remove(disclosure_id: int) -> None:
    SearchDocument.objects.filter(disclosure_id=disclosure_id).delete()  # and its FTS5 row: remove_index_row


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
        title, body, attachments, shown = _fields(disclosure, texts)
        old_keys = SearchDocument.objects.filter(disclosure_id=disclosure.pk).values_list("index_key", flat=True)
        old_key = next(iter(old_keys), None)
        key = index_key(disclosure.published_at, disclosure.pk)
        _document, created = SearchDocument.objects.update_or_create(
            disclosure_id=disclosure.pk, defaults={"text": shown, "index_key": key}
        )
        _write_index(disclosure.pk, old_key, key, title, body, attachments)
        if created:  # a revision re-indexes: its words are counted once, when the item is first published
            _add_vocabulary(Counter(_vocabulary(title, body)))


def rekey(disclosure_ids=None) -> int:
    """Move the index rows of these disclosures (None: of all) to the keys of their publication times as stored
    now, for a publication time written without re-indexing (back-dated demo items and tests; ``index_missing``
    after every ``migrate`` does it for all). SQLite reads results in key order; PostgreSQL keeps the key only."""
    documents = SearchDocument.objects.order_by().values_list("disclosure_id", "disclosure__published_at", "index_key")
    if disclosure_ids is None:
        batches = [documents]
    else:
        ids = list(disclosure_ids)
        batches = [documents.filter(disclosure_id__in=ids[i : i + 500]) for i in range(0, len(ids), 500)]
    stale = [(pk, index_key(published_at, pk), old) for batch in batches for pk, published_at, old in batch]
    stale = [(pk, key, old) for pk, key, old in stale if key != old]
    with transaction.atomic():
        moves = [(key, old) for _pk, key, old in stale if old is not None]
        if moves and connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {FTS_TABLE} SET rowid = %s WHERE rowid = %s", moves)
        documents = [SearchDocument(disclosure_id=pk, index_key=key) for pk, key, _old in stale]
        SearchDocument.objects.bulk_update(documents, ["index_key"], batch_size=500)
    if stale:
        bump_content_version()
    return len(stale)


def remove_index_row(sender, instance, **_signal) -> None:
    """A search document deleted through the ORM in any way (its disclosure deleted, by hand, the services) takes
    its FTS5 row with it: a row left behind would be read as the disclosure that later takes its id (SQLite reuses
    the highest). ``rebuild`` empties both tables itself."""
    if instance.index_key is not None and connections[instance._state.db or "default"].vendor == "sqlite":
        with connections[instance._state.db or "default"].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.index_key])


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
        SearchWord.objects.all().delete()
        with connection.cursor() as cursor:  # all at once (a queryset delete reads every document for its signal)
            cursor.execute(f"DELETE FROM {SearchDocument._meta.db_table}")
            if connection.vendor != "postgresql":
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
        # And the rows whose publication time was written without re-indexing: back in date order.
        moved = rekey()
        if count or moved:
            bump_content_version()
    return count + moved


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
    fields = [(d.pk, index_key(d.published_at, d.pk), *_fields(d, texts.get(d.pk, []))) for d in disclosures]
    SearchDocument.objects.bulk_create(
        [SearchDocument(disclosure_id=pk, index_key=key, text=shown) for pk, key, *_rest, shown in fields]
    )
    rows = [(pk, key, title, body, attachments) for pk, key, title, body, attachments, _shown in fields]
    vocabulary: Counter = Counter()
    for _pk, _key, title, body, _attachments in rows:
        vocabulary.update(_vocabulary(title, body))
    _add_vocabulary(vocabulary)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s, %s, %s)"] * len(rows))
            cursor.execute(
                "UPDATE disclosures_searchdocument AS s SET vector = "
                "setweight(to_tsvector('simple', v.t), 'A') || setweight(to_tsvector('simple', v.b), 'B') || "
                f"setweight(to_tsvector('simple', v.a), 'C') FROM (VALUES {values}) AS v(id, t, b, a) "
                "WHERE s.disclosure_id = v.id",
                [value for pk, _k, t, b, a in rows for value in (pk, token_text(t), token_text(b), token_text(a))],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, attachments) VALUES (%s, %s, %s, %s)",
                [(key, token_text(t), token_text(b), token_text(a)) for _pk, key, t, b, a in rows],
            )
    return len(rows)


def index_many(disclosures: list) -> int:
    """Index freshly created published disclosures without attachments in bulk (used by the benchmark)."""
    return _index_batch(disclosures, {})
