import datetime

import pytest
from django.db import IntegrityError

from core import sequences
from disclosures import services
from disclosures.models import Disclosure, DisclosureStatus
from tests.factories import make_disclosure


@pytest.mark.django_db
def test_index_numbers_are_generated_per_year_and_unique(settings):
    settings.PORTAL_INDEX_PREFIX = "HCVC"
    first = make_disclosure(title="一", date_written=datetime.date(2022, 3, 1))
    second = make_disclosure(title="二", date_written=datetime.date(2022, 5, 1))
    other_year = make_disclosure(title="三", date_written=datetime.date(2023, 1, 5))
    assert first.index_number == "HCVC-2022-0001"
    assert second.index_number == "HCVC-2022-0002"
    assert other_year.index_number == "HCVC-2023-0001"


@pytest.mark.django_db
def test_index_number_does_not_change_when_the_item_is_edited():
    disclosure = make_disclosure(date_written=datetime.date(2022, 3, 1), status=DisclosureStatus.DRAFT)
    number = disclosure.index_number
    disclosure.title = "改过的标题"
    disclosure.date_written = datetime.date(2024, 1, 1)
    services.disclosure_save(disclosure=disclosure)
    disclosure.refresh_from_db()
    assert disclosure.index_number == number


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_index_number():
    disclosure = make_disclosure()
    copy = Disclosure.objects.get(pk=disclosure.pk)
    copy.pk = None
    with pytest.raises(IntegrityError):
        copy.save()


@pytest.mark.django_db
def test_sequence_values_are_consecutive():
    values = [sequences.sequence_next(name="test") for _ in range(5)]
    assert values == [1, 2, 3, 4, 5]
