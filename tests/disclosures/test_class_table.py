"""The class table (专项信息公开情况) of the annual report against a count made by hand: items with known list
numbers, one implementing two list items of different classes, a withdrawn item, a scheduled item withdrawn
before it went live, a campus-only item, and items just outside the academic year (Beijing time)."""

import datetime

import pytest
from django.utils import timezone

from annual_reports.figures import compile_figures
from disclosures.models import Audience, Disclosure, DisclosureStatus
from disclosures.statistics import proactive_statistics
from tests.factories import make_disclosure

# Class of each list number, from the class sizes of the 2014 list (6, 8, 7, 5, 9, 4, 3, 4, 2, 2 items),
# written out here rather than read from the data file or the database.
SIZES = [6, 8, 7, 5, 9, 4, 3, 4, 2, 2]
CLASS_OF = {}
_number = 0
for _klass, _size in enumerate(SIZES, start=1):
    for _ in range(_size):
        _number += 1
        CLASS_OF[_number] = _klass

YEAR = 2024  # academic year 2024-2025: 2024-09-01 .. 2025-08-31, Beijing time


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


def _publish(code, category, department, when, **kwargs):
    return make_disclosure(
        title=f"{code} 公开信息",
        item_code=code,
        category_code=category,
        department_code=department,
        published_at=when,
        **kwargs,
    )


@pytest.fixture
def year_records(db):
    # counted: 04.01 (list 7: class 2) twice, 11.02 (list 19: class 3), 09.06 (list 1 and 27: classes 1 and 5),
    # 05.10 (list 34: class 5), and a withdrawn 04.01 that was public for months
    _publish("04.01", "04", "admissions", at(2024, 9, 1, 0, 0))  # first minute of the year
    _publish("04.01", "04", "admissions", at(2025, 8, 31, 23, 59))  # last minute of the year
    _publish("11.02", "11", "finance", at(2025, 3, 1, 10))
    _publish("09.06", "09", "hr", at(2024, 12, 1, 10))
    _publish("05.10", "05", "academic", at(2025, 1, 10, 10))
    withdrawn = _publish("04.01", "04", "admissions", at(2024, 10, 1, 10), status=DisclosureStatus.WITHDRAWN)
    assert withdrawn.withdrawn_at > withdrawn.published_at
    # not counted: before and after the year, campus-only, and a scheduled item taken back before it went live
    _publish("04.01", "04", "admissions", at(2024, 8, 31, 23, 59))
    _publish("11.02", "11", "finance", at(2025, 9, 1, 0, 0))
    _publish("11.02", "11", "finance", at(2025, 4, 1, 10), audience=Audience.CAMPUS)
    never_public = _publish("09.06", "09", "hr", at(2025, 2, 1, 10), status=DisclosureStatus.WITHDRAWN)
    # as the service leaves it when a scheduled item is withdrawn before its time
    Disclosure.objects.filter(pk=never_public.pk).update(withdrawn_at=at(2025, 1, 20, 10))


def _by_hand():
    """{class: (items published under it)} for the records above, from the list numbers by hand."""
    published = {"04.01": 3, "11.02": 1, "09.06": 1, "05.10": 1}
    list_numbers = {"04.01": [7], "11.02": [19], "09.06": [1, 27], "05.10": [34]}
    counts = dict.fromkeys(range(1, 11), 0)
    for code, n in published.items():
        for klass in {CLASS_OF[number] for number in list_numbers[code]}:
            counts[klass] += n
    return counts


def test_class_table_rows_equal_the_count_by_hand(year_records):
    figures = compile_figures(YEAR)
    assert figures["period"] == ["2024-09-01", "2025-08-31"]
    rows = {row[0]: row for row in figures["special"]}
    expected = _by_hand()
    assert {klass: row[6] for klass, row in rows.items()} == expected
    assert expected[1] == 1 and expected[5] == 2  # 09.06 counts in both of its classes
    # list items per class are the list's own sizes
    assert [rows[klass][2] for klass in range(1, 11)] == SIZES
    # catalogue items with a publication: 04.01 in class 2; 11.02 in 3; 09.06 in 1 and 5; 05.10 in 5
    assert {klass: row[5] for klass, row in rows.items() if row[5]} == {1: 1, 2: 1, 3: 1, 5: 2}


def test_campus_only_and_never_public_items_are_not_counted_as_published(year_records):
    stats = proactive_statistics(start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31))
    # 3 × 04.01 (one withdrawn after months online), 11.02, 09.06, 05.10
    assert stats.total == 6
    assert stats.campus_only == 1
    assert dict(stats.by_category)["财务"] == 1
    assert sum(n for _month, n in stats.by_month) == 6
    figures = compile_figures(YEAR)
    assert figures["proactive"]["total"] == 6 and figures["proactive"]["campus_only"] == 1
    assert sum(row[1] for row in figures["proactive"]["by_category"]) == figures["proactive"]["total"]
