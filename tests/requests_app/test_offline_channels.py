"""Every channel (条例 art. 31): staff register applications received in person, by registered or ordinary post,
by fax and by e-mail, with the day of receipt by the channel's rule, the scanned paper form and envelope, the same
fields and checks as the online form, and a tracking number and access code to hand over; the same clock and
statistics follow. Done by a handler who is no superuser."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from core import tracking
from core.workdays import load_calendar
from requests_app.models import DisclosureApplication, FileRole
from requests_app.statistics import application_statistics
from tests.factories import StaffFactory, pdf_bytes, upload
from tests.requests_app.factories import form_post

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
REGISTER = reverse("admin:requests_app_application_register")
D = datetime.date


@pytest.fixture
def handler(client):
    user = StaffFactory(username="handler", is_superuser=False)
    user.groups.add(Group.objects.get(name="依申请公开办理人员"))
    client.force_login(user)
    return user


def post(**overrides):
    data = form_post(**overrides)
    data.pop("consent"), data.pop("website")
    return data


@pytest.mark.parametrize(
    ("channel", "basis", "received"),
    [
        ("in_person", D(2025, 9, 5), D(2025, 9, 5)),
        ("registered_post", D(2025, 9, 6), D(2025, 9, 8)),  # signed for on a Saturday
        ("ordinary_post", D(2025, 9, 29), D(2025, 9, 29)),
        ("fax", D(2025, 10, 3), D(2025, 10, 9)),  # confirmed in the National Day holiday
        ("email", D(2025, 9, 28), D(2025, 9, 28)),  # a make-up working Sunday
    ],
)
def test_each_channel_is_registered_with_its_day_of_receipt(client, handler, channel, basis, received):
    with time_machine.travel(datetime.datetime(2025, 10, 10, 10, tzinfo=BEIJING), tick=False):
        assert client.get(reverse("admin:requests_app_disclosureapplication_changelist")).status_code == 200
        response = client.post(
            REGISTER,
            {
                **post(),
                "channel": channel,
                "receipt_basis_on": basis.isoformat(),
                "scans": [upload("申请表.pdf", pdf_bytes("form")), upload("信封.pdf", pdf_bytes("envelope"))],
            },
        )
    assert response.status_code == 200, response.content.decode()[:2000]
    application = DisclosureApplication.objects.get()
    page = response.content.decode()
    code = page.split('class="access-code">')[1].split("<")[0]
    assert application.tracking_number in page and tracking.access_code_verify(code, application.access_code_hash)
    assert application.channel == channel and application.registered_by == handler
    assert application.files.filter(role=FileRole.PAPER_SCAN).count() == 2
    assert f"{received:%Y-%m-%d}" in page
    due = load_calendar().add_working_days(received, 15).date
    assert f"{due:%Y-%m-%d}" in page
    stats = application_statistics(start=D(2025, 9, 1), end=D(2026, 8, 31))
    assert stats.received["total"] == 1 and stats.carried_over["total"] == 1


def test_the_online_forms_checks_apply_and_nothing_typed_is_lost(client, handler):
    response = client.post(
        REGISTER, {**post(id_number="110105194912310021"), "channel": "in_person", "receipt_basis_on": "2025-09-05"}
    )
    assert response.status_code == 200 and not DisclosureApplication.objects.exists()
    page = response.content.decode()
    assert "110105194912310021" in page and "2024年学校基本建设项目招标文件" in page
    future = client.post(REGISTER, {**post(), "channel": "fax", "receipt_basis_on": "2999-01-01"})
    assert not DisclosureApplication.objects.exists() and "errornote" in future.content.decode()


def test_an_incomplete_paper_form_is_registered_as_written(client, handler):
    response = client.post(
        REGISTER,
        {
            **post(id_number="", phone="", purpose="", email=""),
            "delivery": "collect",
            "channel": "ordinary_post",
            "receipt_basis_on": "2025-09-05",
            "as_written": "on",
        },
    )
    assert response.status_code == 200
    application = DisclosureApplication.objects.get()
    assert application.id_number == "" and application.description == "2024年学校基本建设项目招标文件"


def test_staff_without_the_handling_permission_cannot_register(client):
    client.force_login(StaffFactory(username="other", is_superuser=False))
    assert client.get(REGISTER).status_code == 403
