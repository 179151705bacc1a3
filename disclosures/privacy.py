"""Personal data: recognising it (ID-card, mobile, bank-card numbers, e-mail addresses) and masking it.

Used by the privacy scan before publication, by the application forms to check identity numbers, and
wherever personal data is shown in a list. Pure functions only.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html import unescape

from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _valid_date(text: str) -> bool:
    try:
        day = datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= day <= datetime.date.today()


def id_card_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_card_is_valid(value: str) -> bool:
    """A mainland resident ID number: 18 characters with a valid check character, or the old 15 digits."""
    value = (value or "").strip().upper()
    if re.fullmatch(r"[1-9]\d{16}[\dX]", value):
        return _valid_date(value[6:14]) and id_card_check_char(value[:17]) == value[17]
    if re.fullmatch(r"[1-9]\d{14}", value):
        return _valid_date("19" + value[6:12])
    return False


def credit_code_is_valid(value: str) -> bool:
    """A unified social credit code (统一社会信用代码) with a valid check character."""
    value = (value or "").strip().upper()
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        return False
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(value[:17], CREDIT_CODE_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return CREDIT_CODE_CHARS[check] == value[17]


def luhn_is_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """``230102199001011234`` → ``2301**********1234``."""
    return mask_middle((value or "").strip(), keep_start=4, keep_end=4)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; other numbers keep their first 3 and last 2 characters."""
    value = (value or "").strip()
    if re.fullmatch(r"1\d{10}", value):
        return mask_middle(value, keep_start=3, keep_end=4)
    return mask_middle(value, keep_start=3, keep_end=2)


def mask_email(value: str) -> str:
    value = (value or "").strip()
    local, at, domain = value.partition("@")
    if not at:
        return mask_middle(value, keep_start=1, keep_end=0)
    return f"{local[:1]}***@{domain}"


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``."""
    value = (value or "").strip()
    return value[:1] + "*" * (len(value) - 1) if value else ""


class HitKind:
    ID_CARD = "id_card"
    MOBILE = "mobile"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    # Found by ``mask_introductions`` only (in what people write about themselves on the board):
    NAME = "name"
    LABELLED_NUMBER = "labelled_number"

    LABELS = {
        ID_CARD: _("ID-card number"),
        MOBILE: _("Mobile number"),
        BANK_CARD: _("Bank-card number"),
        EMAIL: _("E-mail address"),
        NAME: _("Name"),
        LABELLED_NUMBER: _("Student, staff or examination number"),
    }


@dataclass(frozen=True)
class Hit:
    kind: str
    value: str
    masked: str
    start: int
    context: str  # the surrounding text, with the value itself masked
    end: int = -1  # where the value ends in the text scanned (it may hold spaces: "1101 0519 ...")

    @property
    def label(self) -> str:
        return str(HitKind.LABELS[self.kind])


# Full-width forms (１３８…, ＋８６, ＠, the ideographic space) and dashes read as their ASCII forms. Each maps to
# one character, so positions in the folded text are positions in the original.
_DASHES = (*range(0x2010, 0x2016), 0x2212)
_FOLD = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20} | dict.fromkeys(_DASHES, 0x2D)
# A run of digit groups as editors and askers type them: "13812345678", "138 1234 5678", "138-1234-5678",
# "+86 138…", a number broken over two lines, an ID number ending in X.
_SEPARATOR = r"(?:[ \t\u00a0]*-[ \t\u00a0]*|[ \t\u00a0\r\n]{1,4})"
_NUMBER_RUN = re.compile(rf"(?<![0-9])[0-9]+(?:{_SEPARATOR}[0-9]+)*(?:{_SEPARATOR}?[Xx](?![0-9A-Za-z]))?")
_GROUP = re.compile(r"[0-9]+[Xx]?|[Xx]")
LETTER_SPACED = 11  # "1 3 8 1 2 3 4 5 6 7 8", or a PDF that draws each digit alone: one digit per line
_MOBILE = re.compile(r"(?:0086|86)?(1[3-9][0-9]{9})")
MAX_GROUPS = 5  # 6222 0212 3456 7890 123: no personal number is typed in more groups
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_TAG = re.compile(r"<[^>]*>")
# Tags inside a line of text: they may split a number ("138<b>1234</b>5678") and are read as nothing.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|big|code|del|em|font|i|ins|mark|s|small|span|strike|strong|sub|sup|u)(?:\s[^>]*)?/?>", re.I
)
# Attributes whose values are published with the page: a picture's alt text, a link's target (mailto:, tel:).
_SHOWN_ATTRIBUTE = re.compile(r"""\s(?:alt|title|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>'"]+))""", re.I)
CONTEXT_CHARS = 20


def fold(text: str) -> str:
    """``text`` with full-width characters and dashes in their ASCII form, keeping its length."""
    return (text or "").translate(_FOLD)


def _html_pieces(html: str):
    """The text of an HTML fragment as (text, source start, source end) pieces: entities decoded, inline tags
    read as nothing, other tags as a space, and the values of published attributes (alt, title, href) read."""
    position = 0
    for tag in _TAG.finditer(html):
        yield from _text_pieces(html, position, tag.start())
        if not _INLINE_TAG.fullmatch(tag.group()):
            yield " ", tag.start(), tag.start()
        for attribute in _SHOWN_ATTRIBUTE.finditer(tag.group()):
            group = next(g for g in (1, 2, 3) if attribute.group(g) is not None)
            yield " ", tag.start(), tag.start()
            yield from _text_pieces(html, tag.start() + attribute.start(group), tag.start() + attribute.end(group))
            yield " ", tag.start(), tag.start()
        position = tag.end()
    yield from _text_pieces(html, position, len(html))


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _text_pieces(html: str, start: int, end: int):
    position = start
    for entity in _ENTITY.finditer(html, start, end):
        for index in range(position, entity.start()):
            yield html[index], index, index + 1
        decoded = unescape(entity.group())
        yield from ((char, entity.start(), entity.end()) for char in decoded[:1])
        yield from ((char, entity.end(), entity.end()) for char in decoded[1:])
        position = entity.end()
    for index in range(position, end):
        yield html[index], index, index + 1


def html_to_text(html: str) -> str:
    """Text of an HTML fragment, as readers and robots see it: block tags replaced by spaces so cell contents do
    not run together, inline tags by nothing (so a number split by them is read whole), entities decoded, and
    the alt text, titles and link targets (mailto:, tel:) included."""
    return "".join(piece for piece, _start, _end in _html_pieces(html or ""))


def mask_html(html: str) -> tuple[str, list[Hit]]:
    """``html`` with every finding of ``scan_html`` masked in its source, tags and markup kept: each character of
    a number (wherever tags split it, or in an attribute) is replaced by its masked character."""
    html = html or ""
    pieces = list(_html_pieces(html))
    text = "".join(piece for piece, _start, _end in pieces)
    hits = scan_text(text)
    replace: dict[int, tuple[int, str]] = {}  # source start → (source end, replacement)
    for hit in hits:
        for index, char in zip(range(hit.start, hit.end), same_length(text[hit.start : hit.end], hit), strict=True):
            _piece, start, end = pieces[index]
            if end > start and char != text[index]:
                replace[start] = (end, char)
    out: list[str] = []
    position = 0
    for start in sorted(replace):
        end, char = replace[start]
        out += [html[position:start], char]
        position = end
    out.append(html[position:])
    return "".join(out), hits


def same_length(span: str, hit: Hit) -> str:
    """The masked form of ``span`` (the matched text, separators included) with exactly its length."""
    if hit.kind == HitKind.EMAIL:
        local, _at, domain = span.partition("@")
        return local[:1] + "*" * (len(local) - 1) + "@" + domain
    masked = iter(hit.masked)
    return "".join(char if not char.isalnum() else next(masked, "*") for char in span)


def _context(text: str, start: int, end: int, masked: str) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return " ".join(f"{before}{masked}{after}".split())


def _number(compact: str) -> tuple[str, str, str] | None:
    """(kind, value, masked) when ``compact`` (digits, maybe a final X) is a personal number."""
    if len(compact) in (15, 18) and id_card_is_valid(compact):
        return HitKind.ID_CARD, compact, mask_id_number(compact)
    if 16 <= len(compact) <= 19 and luhn_is_valid(compact):
        return HitKind.BANK_CARD, compact, mask_middle(compact, keep_start=4, keep_end=4)
    mobile = _MOBILE.fullmatch(compact)
    if mobile:
        prefix = compact[: mobile.start(1)]
        return HitKind.MOBILE, mobile.group(1), prefix + mask_phone(mobile.group(1))
    return None


def _letter_spaced(groups: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``groups`` with each streak of at least ``LETTER_SPACED`` one-character groups joined into one."""
    out: list[tuple[int, int, str]] = []
    streak: list[tuple[int, int, str]] = []
    for group in [*groups, (0, 0, "")]:
        if len(group[2]) == 1:
            streak.append(group)
            continue
        if len(streak) >= LETTER_SPACED:
            out.append((streak[0][0], streak[-1][1], "".join(g[2] for g in streak)))
        else:
            out += streak
        streak = []
        if group[2]:
            out.append(group)
    return out


def _numbers(text: str):
    """(kind, value, masked, start, end) of each personal number in ``text``, however its digits are grouped."""
    for run in _NUMBER_RUN.finditer(text):
        groups = _letter_spaced([(g.start(), g.end(), g.group().upper()) for g in _GROUP.finditer(run.group())])
        first = 0
        while first < len(groups):
            best = None
            compact = ""
            for last in range(first, min(len(groups), first + MAX_GROUPS)):
                digits = groups[last][2]
                if last > first and len(groups[last - 1][2]) < 3 and not (last - 1 == first and digits[:1] == "1"):
                    break  # "1 2 3 4": short groups are counts, not a number typed in parts ("86 138…" is)
                compact += digits
                if len(compact) > 23:
                    break
                found = _number(compact)
                if found:
                    best = (last, groups[last][1], found)
                elif compact.endswith("X") and _number(compact[:-1]):  # "13812345678 X光": the X is a word
                    end = groups[last - 1][1] if groups[last][2] == "X" else groups[last][1] - 1
                    best = (last, end, _number(compact[:-1]))
                if "X" in digits:
                    break
            if best is None:
                first += 1
                continue
            last, end, (kind, value, masked) = best
            yield kind, value, masked, run.start() + groups[first][0], run.start() + end
            first = last + 1


def scan_text(text: str) -> list[Hit]:
    """Every ID-card, mobile, bank-card number and e-mail address in ``text``, in order of appearance: digits
    typed in groups (spaces, hyphens, a line break), in full-width form or after +86 are found too.

    Each hit's context shows the surrounding text with every value found in it masked, not only its own.
    """
    text = fold(text or "")
    found: list[tuple[str, str, str, int, int]] = list(_numbers(text))  # kind, value, masked, start, end
    for match in _EMAIL.finditer(text):
        found.append((HitKind.EMAIL, match.group(), mask_email(match.group()), *match.span()))
    found.sort(key=lambda hit: hit[3])
    # The text with every hit masked, and where each hit lies in it.
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    position = length = 0
    for _kind, _value, masked, start, end in found:
        start = max(start, position)  # overlapping matches (an e-mail made of digits) mask once
        pieces.append(text[position:start])
        length += start - position
        shown = masked if end > start else ""
        pieces.append(shown)
        spans.append((length, length + len(shown)))
        length += len(shown)
        position = max(position, end)
    pieces.append(text[position:])
    masked_text = "".join(pieces)
    return [
        Hit(kind, value, masked, start, _context(masked_text, *span, masked_text[span[0] : span[1]] or masked), end)
        for (kind, value, masked, start, end), span in zip(found, spans, strict=True)
    ]


def mask_text(text: str) -> tuple[str, list[Hit]]:
    """``text`` with every personal number and e-mail address replaced by its masked form, and the hits."""
    text = text or ""
    hits = scan_text(text)
    pieces: list[str] = []
    position = 0
    for hit in hits:
        if hit.start < position:  # overlapping matches mask once
            continue
        pieces += [text[position : hit.start], hit.masked]
        position = hit.end
    pieces.append(text[position:])
    return "".join(pieces), hits


def mask_person(text: str, name: str) -> str:
    """``text`` with a person's name (and, for names of three or more characters, the given name alone, as in
    "三丰同学") replaced by its masked form ``张**``."""
    name = (name or "").strip()
    if len(name) < 2 or not text:
        return text or ""
    text = text.replace(name, mask_name(name))
    if len(name) >= 3:
        text = text.replace(name[1:], "*" * (len(name) - 1))
    return text


def scan_html(html: str) -> list[Hit]:
    return scan_text(html_to_text(html))


# What an asker writes about themselves: "我是张三，学号 2021012345", "本人李四", "姓名：王五", "QQ 12345678".
_SELF_NAME = re.compile(
    r"(?:我是|我叫|本人(?:是|叫)?|姓名\s*[:：]?\s*)([\u4e00-\u9fff]{2,3})(?=[，,。.、;；!！?？\s（(]|$)"
)
NOT_NAMES = frozenset({"学生", "家长", "老师", "教师", "新生", "考生", "校友", "职工", "本科", "研究", "一名", "想问"})
_LABELLED = re.compile(
    r"(?:学号|工号|考生号|准考证号?|学籍号|证件号码?|护照号码?|账号|帐号|卡号|QQ号?|qq号?|微信号?)"
    r"\s*(?:是|为|[:：])?\s*([A-Za-z0-9][A-Za-z0-9_-]{4,})"
)


def mask_introductions(text: str) -> tuple[str, list[Hit]]:
    """``text`` with the names and the labelled numbers people give about themselves masked ("我是张**，学号
    20******45"): on the board a question must not identify its asker (《个人信息保护法》 Art. 4: any information
    that identifies a natural person), whatever name they typed in the form. The hits name what was masked."""
    text = text or ""
    folded = fold(text)  # matched in ASCII form, masked in the text as written
    hits: list[Hit] = []
    spans: list[tuple[int, int, str]] = []
    for match in _SELF_NAME.finditer(folded):
        if match.group(1) not in NOT_NAMES:
            spans.append((*match.span(1), HitKind.NAME))
    for match in _LABELLED.finditer(folded):
        spans.append((*match.span(1), HitKind.LABELLED_NUMBER))
    chars = list(text)
    for start, end, kind in sorted(spans):
        value = text[start:end]
        masked = mask_name(value) if kind == HitKind.NAME else mask_middle(value, keep_start=2, keep_end=2)
        chars[start:end] = masked
        hits.append(Hit(kind, value, masked, start, masked, end))
    return "".join(chars), hits
