"""Remedies named in notices come from the admin's table (Order 29 art. 30; 条例 art. 51), placeholders are
flagged to staff, and recorded reconsiderations and lawsuits feed the report's table (国办公开办函〔2021〕30号,
table 四) through compile_figures' "reviews" key."""

import datetime

import pytest
from django.urls import reverse

from annual_reports.figures import compile_figures
from requests_app import services
from requests_app.models import RemedyBody, ReviewCase

pytestmark = pytest.mark.django_db
D = datetime.date


def test_seeded_placeholders_are_flagged_in_the_inbox(staff_client):
    page = staff_client.get(reverse("admin:requests_app_disclosureapplication_changelist"))
    assert "【待填写】" not in page.content.decode()
    flag = ("placeholders to fill in", "仍有待填写的内容")
    assert any(text in page.content.decode() for text in flag)
    RemedyBody.objects.filter(enabled=True).update(name="信息公开办公室", contact="福州市某路1号，0591-1234567")
    page = staff_client.get(reverse("admin:requests_app_disclosureapplication_changelist"))
    assert not any(text in page.content.decode() for text in flag)


def test_the_remedies_paragraphs_name_the_bodies_set_in_the_admin():
    RemedyBody.objects.filter(kind="supervision").update(name="学校纪委办公室", contact="0591-7654321")
    RemedyBody.objects.filter(kind="education_department").update(name="福建省教育厅", contact="0591-87091234")
    text = "\n".join(services.remedies_paragraphs())
    assert "学校纪委办公室" in text and "福建省教育厅" in text and "0591-87091234" in text
    assert "六十日" not in text  # reconsideration is off until the college enables it
    RemedyBody.objects.filter(kind="reconsideration").update(enabled=True, name="福建省教育厅", contact="福州市")
    assert "六十日" in "\n".join(services.remedies_paragraphs())


def test_reviews_feed_the_report_table():
    ReviewCase.objects.create(
        kind="reconsideration",
        filed_on=D(2025, 10, 1),
        case="张某",
        body="省教育厅",
        result="maintained",
        decided_on=D(2025, 12, 1),
    )
    ReviewCase.objects.create(
        kind="reconsideration",
        filed_on=D(2025, 11, 1),
        case="李某",
        body="省教育厅",
        result="corrected",
        decided_on=D(2026, 9, 30),
    )
    ReviewCase.objects.create(
        kind="lawsuit_direct",
        filed_on=D(2026, 3, 1),
        case="(2026)闽0102行初1号",
        body="鼓楼区人民法院",
        result="other",
        decided_on=D(2026, 6, 1),
    )
    ReviewCase.objects.create(
        kind="lawsuit_after",
        filed_on=D(2024, 3, 1),
        case="旧案",
        body="法院",
        result="maintained",
        decided_on=D(2024, 6, 1),
    )
    reviews = compile_figures(2025)["reviews"]
    assert reviews["columns"] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    # The format's heads: 行政复议; 行政诉讼 split into 未经复议直接起诉 and 复议后起诉, each with the five results.
    rows = {(row[0], row[1]): row[2:] for row in reviews["rows"]}
    assert list(rows) == [("行政复议", ""), ("行政诉讼", "未经复议直接起诉"), ("行政诉讼", "复议后起诉")]
    assert rows["行政复议", ""] == [1, 0, 0, 1, 2]  # the second was decided after 31 August 2026: not yet concluded
    assert rows["行政诉讼", "未经复议直接起诉"] == [0, 0, 1, 0, 1]
    assert rows["行政诉讼", "复议后起诉"] == [0, 0, 0, 0, 0]


def test_the_office_head_edits_the_remedy_bodies_and_handlers_record_reviews(client):
    from django.contrib.auth.models import Group

    from tests.factories import StaffFactory
    from tests.requests_app.factories import office_head

    head = office_head()
    client.force_login(head)
    body = RemedyBody.objects.get(kind="education_department")
    url = reverse("admin:requests_app_remedybody_change", args=[body.pk])
    assert client.get(url).status_code == 200
    handler = StaffFactory(username="handler", is_superuser=False)
    handler.groups.add(Group.objects.get(name="依申请公开办理人员"))
    client.force_login(handler)
    assert client.get(reverse("admin:requests_app_reviewcase_add")).status_code == 200
    response = client.post(url, {"kind": body.kind, "name": "改名", "contact": "x", "enabled": "on"})
    assert response.status_code == 403
