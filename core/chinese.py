"""Chinese numerals and dates as official documents write them.

- ``cn_number(12)`` → 十二: counting numerals, for headings (一、二、…; （一）) and running numbers (1 to 99).
- ``cn_value("十二")`` → 12: the reverse, ``None`` for anything else.
- ``cn_digits(2026)`` → 二〇二六: a number written digit by digit, as years are.
- ``cn_date(date)`` → 二〇二六年十二月二日: the date of a formal document (公文落款).
- ``cn_numeric_date(date)`` → 2026年12月2日: the same date in Arabic figures, as notices on the web write it.
"""

from __future__ import annotations

import datetime

DIGITS = "〇一二三四五六七八九"


def cn_number(value: int) -> str:
    """0 → 零, 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 0 <= value < 100:
        raise ValueError(f"cn_number counts from 0 to 99, not {value}")
    if value == 0:
        return "零"
    if value < 10:
        return DIGITS[value]
    tens, ones = divmod(value, 10)
    return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")


_VALUES = {cn_number(value): value for value in range(1, 100)}


def cn_value(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20; None for anything else."""
    return _VALUES.get(numeral)


def cn_digits(value: int) -> str:
    """2026 → 二〇二六."""
    return "".join(DIGITS[int(digit)] for digit in str(value))


def cn_date(day: datetime.date) -> str:
    """2026-12-02 → 二〇二六年十二月二日."""
    return f"{cn_digits(day.year)}年{cn_number(day.month)}月{cn_number(day.day)}日"


def cn_numeric_date(day: datetime.date) -> str:
    """2026-12-02 → 2026年12月2日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
