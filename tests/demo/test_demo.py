import datetime
import io
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from annual_reports.document import html_blocks
from core.pdf import pdf_document
from core.workdays import WorkingCalendar
from demo import generator as demo
from demo.bodies import BODY_MAX_CHARS, BODY_MIN_CHARS
from demo.datafiles import COLLEGE
from demo.planner import CAMPUS_ITEM, SHANGHAI, Planner, make_plans
from disclosures.models import (
    Attachment,
    Audience,
    Category,
    Department,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
    Validity,
    academic_year_of,
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CJK = re.compile(r"[\u4e00-\u9fff]{4,}")


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db) -> str:
    return load()


def demo_items():
    return Disclosure.objects.filter(created_by__username=demo.DEMO_USERNAME)


@pytest.mark.django_db
def test_published_items_cover_every_category_over_three_academic_years(loaded):
    published = demo_items().published()
    assert published.count() >= 200
    assert set(published.values_list("category__code", flat=True)) == set(
        Category.objects.values_list("code", flat=True)
    )
    years = {academic_year_of(timezone.localdate(at)) for at in published.values_list("published_at", flat=True)}
    assert {2023, 2024, 2025} <= years
    assert all(at <= timezone.now() for at in published.values_list("published_at", flat=True))
    assert "Demo content loaded" in loaded


@pytest.mark.django_db
def test_annual_items_appear_once_per_academic_year(loaded):
    for item in DisclosureItem.objects.filter(cadence="annual"):
        years = [
            academic_year_of(timezone.localdate(at))
            for at in demo_items().filter(item=item).exclude(published_at=None).values_list("published_at", flat=True)
        ]
        assert len(years) == len(set(years)), item.code
        assert {2023, 2024, 2025} <= set(years), item.code


@pytest.mark.django_db
def test_metadata_drafts_withdrawals_and_author(loaded):
    items = demo_items()
    titles = list(items.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    assert items.filter(status=DisclosureStatus.DRAFT).count() == 6
    withdrawn = items.filter(status=DisclosureStatus.WITHDRAWN)
    assert withdrawn.count() == 3
    assert all(d.withdrawal_reason for d in withdrawn)
    assert items.exclude(document_number="").count() >= 20
    author = get_user_model().objects.get(username=demo.DEMO_USERNAME)
    assert not author.is_active
    assert not author.has_usable_password()
    for disclosure in items.exclude(published_at=None):
        local = timezone.localtime(disclosure.published_at, SHANGHAI)
        assert local.weekday() < 5
        assert 8 <= local.hour <= 17
        assert disclosure.date_written < local.date()
        assert BODY_BOUNDS[0] <= len(disclosure.body) <= BODY_BOUNDS[1]


BODY_BOUNDS = (BODY_MIN_CHARS, BODY_MAX_CHARS)


@pytest.mark.django_db
def test_campus_only_items_and_superseded_rules(loaded):
    items = demo_items()
    campus = items.filter(audience=Audience.CAMPUS)
    assert campus.count() >= 10
    assert not items.filter(item__code=CAMPUS_ITEM, audience=Audience.PUBLIC).exists()
    repealed = items.filter(validity=Validity.REPEALED).exclude(replaced_by=None)
    assert repealed.exists()
    superseded = items.filter(validity__in=[Validity.REPEALED, Validity.AMENDED]).exclude(replaced_by=None)
    assert superseded.count() >= 4
    for old in superseded.select_related("replaced_by"):
        assert old.replaced_by.validity == Validity.IN_FORCE
        assert old.replaced_by.date_written > old.date_written
    assert items.filter(category__code="02").exclude(validity="").count() == items.filter(category__code="02").count()


@pytest.mark.django_db
def test_attachments_are_pdf_docx_and_xlsx_and_pdf_text_extracts(loaded):
    attachments = Attachment.objects.filter(disclosure__created_by__username=demo.DEMO_USERNAME)
    assert attachments.values("disclosure").distinct().count() >= 50
    assert {PDF, DOCX, XLSX} <= set(attachments.values_list("content_type", flat=True))
    assert all(a.size < 64 * 1024 for a in attachments)
    pdf = attachments.filter(content_type=PDF).select_related("disclosure").first()
    with pdf.file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert CJK.search(text)
    assert COLLEGE in text
    assert pdf.disclosure.title[:8] in text.replace("\n", "")


@pytest.mark.django_db
def test_running_twice_adds_nothing(loaded):
    count = demo_items().count()
    attachments = Attachment.objects.count()
    second = load()
    assert "already there" in second
    assert demo_items().count() == count
    assert Attachment.objects.count() == attachments


@pytest.mark.django_db
def test_bodies_carry_no_identity_or_mobile_numbers(loaded):
    for body in demo_items().values_list("body", flat=True):
        assert not re.search(r"\d{18}", body)
        assert not re.search(r"1[3-9]\d{9}", body)


@pytest.mark.django_db
def test_plans_are_deterministic():
    items = list(DisclosureItem.objects.select_related("category", "department").order_by("code"))
    departments = {department.code: department for department in Department.objects.all()}
    today = datetime.date(2026, 11, 20)

    def titles_and_bodies():
        planner = Planner(
            rng=random.Random(demo.SEED), calendar=WorkingCalendar(), today=today, departments=departments
        )
        return [(plan.title, plan.published_at, plan.body) for plan in make_plans(planner, items)]

    assert titles_and_bodies() == titles_and_bodies()


def test_pdf_text_is_extractable():
    data = pdf_document("2024年收费标准", ["学费每生每学年5000元。", "联系电话：0451-86661203"])
    reader = PdfReader(io.BytesIO(data), strict=True)
    text = reader.pages[0].extract_text()
    assert "2024年收费标准" in text
    assert "学费每生每学年5000元。" in text
    assert "0451-86661203" in text


@pytest.mark.django_db
def test_the_compliance_dashboard_has_something_to_show():
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from disclosures.compliance import ItemState, catalogue_rows

    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        load()
        states = {row.item.code: row.state for row in catalogue_rows()}
    assert states["05.03"] == ItemState.OVERDUE and states["12.02"] == ItemState.OVERDUE
    assert list(states.values()).count(ItemState.CURRENT) > 40


@pytest.mark.django_db
def test_no_item_repeats_its_first_sentence(loaded):
    """The summary (内容概述) is shown above the body: it never repeats the body's opening."""
    repeated = []
    for disclosure in Disclosure.objects.exclude(summary=""):
        first = next(iter(html_blocks(disclosure.body)), "")
        if disclosure.summary[:16] in first:
            repeated.append(disclosure.index_number)
    assert repeated == []
