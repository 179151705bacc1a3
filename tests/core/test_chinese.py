"""Chinese numerals and dates."""

import datetime

import pytest

from core.chinese import cn_date, cn_digits, cn_number, cn_numeric_date, cn_value


def test_numbers_and_digits():
    assert [cn_number(n) for n in (0, 1, 10, 12, 20, 99)] == ["零", "一", "十", "十二", "二十", "九十九"]
    assert cn_value("二十") == 20 and cn_value("廿") is None
    assert cn_digits(2026) == "二〇二六"
    with pytest.raises(ValueError):
        cn_number(100)


def test_dates():
    day = datetime.date(2026, 12, 2)
    assert cn_date(day) == "二〇二六年十二月二日"
    assert cn_numeric_date(day) == "2026年12月2日"
