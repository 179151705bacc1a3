import datetime

import pytest

from core.workdays import Override, WorkingCalendar

D = datetime.date


def test_national_day_and_its_make_up_days():
    calendar = WorkingCalendar()
    # 2025: 1-8 October off; Sunday 28 September and Saturday 11 October are make-up working days.
    assert calendar.add_working_days(D(2025, 9, 22), 15) == calendar.add_working_days(D(2025, 9, 22), 15)
    result = calendar.add_working_days(D(2025, 9, 22), 15)
    assert result.date == D(2025, 10, 17) and not result.provisional
    assert calendar.is_working_day(D(2025, 9, 28)) and calendar.is_working_day(D(2025, 10, 11))
    assert not calendar.is_working_day(D(2025, 10, 8))


def test_a_year_without_official_data_is_provisional_and_never_fails():
    calendar = WorkingCalendar()
    result = calendar.add_working_days(D(2026, 12, 20), 15)
    assert result.provisional
    assert result.date == D(2027, 1, 11)  # weekends and 1 January skipped
    assert not calendar.is_working_day(D(2027, 10, 1))


def test_staff_entered_schedule_makes_the_year_official_and_overrides_the_data():
    overrides = {
        D(2027, 1, 4): Override(is_working_day=False, official=True),
        D(2025, 10, 17): Override(is_working_day=False, official=False),  # a college closure
    }
    calendar = WorkingCalendar(overrides)
    assert not calendar.year_is_provisional(2027)
    assert calendar.add_working_days(D(2026, 12, 31), 1).date == D(2027, 1, 5)
    assert calendar.add_working_days(D(2025, 9, 22), 15).date == D(2025, 10, 20)


@pytest.mark.django_db
def test_the_workdays_command_prints_the_date(capsys):
    from django.core.management import call_command

    call_command("workdays", "--from", "2025-09-22", "--add", "15")
    assert capsys.readouterr().out.strip() == "2025-10-17"


def test_a_provisional_year_keeps_the_lunar_statutory_holidays_of_the_2024_rules():
    """《全国年节及纪念日放假办法》 (2024 amendment) art. 2, for 2027 which has no published schedule yet:
    Spring Festival eve to day 3 (5-8 February), Qingming (5 April), Dragon Boat (9 June), Mid-Autumn
    (15 September) are holidays, as are 1-2 May and 1-3 October; the days around them are working days."""
    calendar = WorkingCalendar()
    assert calendar.year_is_provisional(2027)
    for day in (D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1)):
        assert not calendar.is_working_day(day), day
    for day in (D(2027, 2, 4), D(2027, 2, 9), D(2027, 4, 6), D(2027, 6, 10), D(2027, 9, 16), D(2027, 10, 4)):
        assert calendar.is_working_day(day), day
    # Filed on Monday 1 February 2027: 15 working days skip the Spring Festival (Friday 5, Monday 8 February).
    result = calendar.due_after_receipt(D(2027, 2, 1), 15)
    assert result.date == D(2027, 2, 24) and result.provisional
