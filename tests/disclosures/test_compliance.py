"""The compliance rules (pure functions with fixed dates) and the dashboard with its exports."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from disclosures import compliance
from disclosures.compliance import ItemState, item_state, term_start
from disclosures.models import Cadence, Disclosure, DisclosureStatus
from tests.factories import StaffFactory, make_disclosure, reviewer

D = datetime.date


@pytest.mark.parametrize(
    ("cadence", "month", "last", "today", "expected"),
    [
        (Cadence.ANNUAL, 10, None, D(2025, 9, 15), ItemState.NEVER),
        (Cadence.ANNUAL, 10, D(2024, 10, 20), D(2025, 9, 15), ItemState.CURRENT),  # due 31 Oct, not yet soon
        (Cadence.ANNUAL, 10, D(2024, 10, 20), D(2025, 10, 5), ItemState.DUE_SOON),
        (Cadence.ANNUAL, 10, D(2024, 10, 20), D(2025, 11, 1), ItemState.OVERDUE),
        (Cadence.ANNUAL, 10, D(2025, 10, 2), D(2025, 11, 1), ItemState.CURRENT),
        (Cadence.ANNUAL, 3, D(2024, 3, 2), D(2025, 1, 10), ItemState.CURRENT),  # due 31 Mar 2025, not yet soon
        (Cadence.ANNUAL, 3, D(2024, 3, 2), D(2025, 3, 5), ItemState.DUE_SOON),
        (Cadence.ANNUAL, 3, D(2024, 3, 2), D(2025, 4, 1), ItemState.OVERDUE),
        (Cadence.PER_TERM, None, D(2025, 6, 1), D(2025, 11, 15), ItemState.OVERDUE),  # autumn term + 60 days
        (Cadence.PER_TERM, None, D(2025, 9, 10), D(2025, 11, 15), ItemState.CURRENT),
        (Cadence.ON_CHANGE, None, D(2015, 1, 1), D(2025, 11, 15), ItemState.CURRENT),
        (Cadence.CONTINUOUS, None, D(2015, 1, 1), D(2025, 11, 15), ItemState.CURRENT),
        (Cadence.ON_CHANGE, None, None, D(2025, 11, 15), ItemState.NEVER),
    ],
)
def test_item_state(cadence, month, last, today, expected):
    assert item_state(cadence=cadence, month=month, last_published=last, today=today)[0] == expected


def test_terms():
    assert term_start(D(2025, 9, 1)) == D(2025, 9, 1)
    assert term_start(D(2026, 2, 28)) == D(2025, 9, 1)
    assert term_start(D(2026, 3, 1)) == D(2026, 3, 1)
    assert compliance.window_for(D(2025, 11, 1)) == (D(2025, 11, 1), D(2025, 12, 31))
    assert compliance.window_for(D(2025, 12, 1)) == (D(2025, 12, 1), D(2026, 1, 31))


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_late_publication_counts_working_days():
    # Written 2025-09-01; 20 working days later is Sunday 2025-09-28, a make-up working day (调休).
    on_time = make_disclosure(
        title="按时", date_written=D(2025, 9, 1), published_at=timezone.make_aware(datetime.datetime(2025, 9, 28, 9))
    )
    late = make_disclosure(
        title="超期", date_written=D(2025, 9, 1), published_at=timezone.make_aware(datetime.datetime(2025, 10, 13, 9))
    )
    rows = compliance.late_publications(start=D(2025, 9, 1), end=D(2025, 11, 20))
    assert [row.disclosure for row in rows] == [late] and rows[0].due == D(2025, 9, 28)
    assert rows[0].working_days_late == 6  # 29, 30 September; 9, 10, 11 (调休) and 13 October
    assert on_time not in [row.disclosure for row in rows]
    admissions = next(r for r in compliance.department_rows() if r.department.code == "admissions")
    assert admissions.late_year == 1 and admissions.published_year == 2


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_dashboard_and_exports(client, django_assert_max_num_queries):
    make_disclosure(title="招生章程", published_at=timezone.make_aware(datetime.datetime(2025, 11, 3, 9)))
    make_disclosure(title="草稿", status=DisclosureStatus.DRAFT)
    make_disclosure(title="退回", status=DisclosureStatus.RETURNED)
    client.force_login(reviewer())
    url = reverse("admin:disclosures_compliance")
    # 25, and 4 for the guide's placeholders, the broken links and the updates after a change (two)
    with django_assert_max_num_queries(29):
        response = client.get(url + "?window=2025-11")
    assert response.status_code == 200
    html = response.content.decode()
    assert "信息公开工作监测" in html and "招生就业处" in html and "04.01" in html
    admissions = next(r for r in response.context["department_rows"] if r.department.code == "admissions")
    assert (admissions.drafts, admissions.returned, admissions.published_month) == (1, 1, 1)
    report = response.context["report"]
    assert report.totals["published"] == 1 and report.totals["returned"] == 1
    assert sum(response.context["state_counts"].values()) == len(response.context["item_rows"])
    # A malformed window is reported, not a 500.
    bad = client.get(url + "?window=2025-13")
    assert bad.status_code == 200 and bad.context["window_error"]

    xlsx = client.get(reverse("admin:disclosures_compliance_export", args=["xlsx"]) + "?window=2025-11")
    content = xlsx.getvalue()  # a file response: read once
    assert xlsx.status_code == 200 and content[:2] == b"PK"
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == 4
    assert workbook.worksheets[0]["B3"].value == 1  # items published in the window

    exported = client.get(reverse("admin:disclosures_compliance_export", args=["csv"]) + "?window=2025-11")
    text = exported.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "2025-11-01" in rows[0][0] and any(row and row[0] == "招生就业处" for row in rows)
    assert client.get(reverse("admin:disclosures_compliance_export", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_exports_neutralise_formulas():
    make_disclosure(title='=HYPERLINK("http://evil")', published_at=timezone.now() - datetime.timedelta(days=1))
    Disclosure.objects.update(date_written=D(2020, 1, 1))  # late, so it is listed
    report = compliance.self_inspection(start_month=compliance.default_window())
    text = compliance.export_csv(report).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_editors_cannot_see_the_dashboard(client):
    from tests.factories import editor

    client.force_login(editor())
    assert client.get(reverse("admin:disclosures_compliance")).status_code == 403
    client.force_login(StaffFactory(username="root"))
    assert client.get(reverse("admin:disclosures_compliance")).status_code == 200
