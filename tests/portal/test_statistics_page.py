"""/statistics/ (issue 18): the academic year's figures from the annual report's statistics functions, as SVG
charts with their numbers in tables beside them, and a CSV of the same numbers."""

import csv
import datetime
import io

import pytest
import time_machine
from django.utils import timezone

from disclosures.statistics import proactive_statistics
from requests_app import services as application_services
from tests.factories import make_disclosure
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=BEIJING)


def at(y, m, d):
    return datetime.datetime(y, m, d, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def year_of_records(staff_user):
    with time_machine.travel(at(2025, 10, 9), tick=False):
        make_disclosure(title="招生章程", published_at=timezone.now())
        make_disclosure(title="部门预算", category_code="11", item_code=None, department_code="finance",
                        published_at=timezone.now())  # fmt: skip
        on_time, _code = make_application()
        late, _code = make_application(phone="13900000002")
    with time_machine.travel(at(2025, 10, 20), tick=False):
        application_services.application_reply(application=on_time, user=staff_user, kind="disclosed", letter="公开")
    with time_machine.travel(at(2025, 11, 3), tick=False):
        make_disclosure(title="招生计划", published_at=timezone.now())
    with time_machine.travel(at(2025, 12, 20), tick=False):
        application_services.application_reply(application=late, user=staff_user, kind="disclosed", letter="公开")
    with time_machine.travel(at(2024, 10, 9), tick=False):
        make_application(phone="13900000003")


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_each_chart_with_its_numbers(client, year_of_records):
    response = client.get("/statistics/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "统计数据 2025-2026" in content
    assert content.count('<svg class="chart" role="img"') == 5
    # The numbers beside the charts are the annual report's (the same function).
    figures = proactive_statistics(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 3, 16))
    assert dict(figures.by_month)["2025-10"] == 2 and dict(figures.by_month)["2025-11"] == 1
    assert '<th scope="row">2025-10</th><td class="num">2</td>' in content
    assert '<th scope="row">2025-11</th><td class="num">1</td>' in content
    # Applications: two received this year, one answered in time and one late; one the year before.
    assert '<th scope="row">2025-2026</th><td class="num">2</td><td class="num">1</td><td class="num">1</td>' in content
    assert '<th scope="row">2024-2025</th><td class="num">1</td>' in content
    assert 'href="/statistics/2025.csv"' in content


@time_machine.travel(TODAY, tick=False)
def test_the_csv_has_the_same_numbers(client, year_of_records):
    response = client.get("/statistics/2025.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert ["按月份统计", "2025-10", "发布信息数", "2"] in rows, rows
    assert ["每学年依申请公开情况", "2025-2026", "按时答复", "1"] in rows


@time_machine.travel(TODAY, tick=False)
def test_an_earlier_year_and_english_and_bad_years(client, year_of_records):
    earlier = client.get("/statistics/?year=2024").content.decode()
    assert "2024-2025" in earlier and '<th scope="row">2025-10</th>' not in earlier
    english = client.get("/en/statistics/").content.decode()
    assert "Items published per month" in english
    assert client.get("/statistics/?year=1990").status_code == 404
    assert client.get("/statistics/?year=abc").status_code == 404
    assert client.get("/statistics/2030.csv").status_code == 404
