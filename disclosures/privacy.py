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

    LABELS = {
        ID_CARD: _("ID-card number"),
        MOBILE: _("Mobile number"),
        BANK_CARD: _("Bank-card number"),
        EMAIL: _("E-mail address"),
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


_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d[\d ]{13,22}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_TAG = re.compile(r"<[^>]+>")
CONTEXT_CHARS = 20


def html_to_text(html: str) -> str:
    """Text of an HTML fragment, tags replaced by spaces so cell contents do not run together."""
    return unescape(_TAG.sub(" ", html or ""))


def _context(text: str, start: int, end: int, masked: str) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return " ".join(f"{before}{masked}{after}".split())


def scan_text(text: str) -> list[Hit]:
    """Every ID-card, mobile, bank-card number and e-mail address in ``text``, in order of appearance.

    Each hit's context shows the surrounding text with every value found in it masked, not only its own.
    """
    text = text or ""
    found: list[tuple[str, str, str, int, int]] = []  # kind, value, masked, start, end
    taken: list[tuple[int, int]] = []
    for match in _DIGIT_RUN.finditer(text):
        compact = match.group().replace(" ", "").upper()
        if len(compact) in (15, 18) and id_card_is_valid(compact):
            found.append((HitKind.ID_CARD, compact, mask_id_number(compact), *match.span()))
        elif 16 <= len(compact) <= 19 and luhn_is_valid(compact):
            found.append((HitKind.BANK_CARD, compact, mask_middle(compact, keep_start=4, keep_end=4), *match.span()))
        else:
            continue
        taken.append(match.span())
    for match in _MOBILE.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            found.append((HitKind.MOBILE, match.group(), mask_phone(match.group()), *match.span()))
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
