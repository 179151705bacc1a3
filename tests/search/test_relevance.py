"""The relevance set: 50 queries against the demo content (`manage.py load_demo`), on the suite's database.

Each case names the items that must come first by a pattern on their titles: every visible item whose title
matches comes before every item whose title does not, and at least one does. Every result must contain the
query (title, body or attachment), the tiers must be in order (title, body, attachment) and newest first
within a tier. The demo is loaded once for the module.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core.models import Sequence
from demo import generator as demo
from disclosures import search
from disclosures.models import Attachment, AuditEvent, Disclosure, DisclosureRevision, Review
from disclosures.search_models import AttachmentText, SearchDocument

CASES = [
    ("预算", "预算"),
    ("决算", "决算"),
    ("招生章程", "招生章程"),
    ("收费标准", "收费标准"),
    ("学费", "学费"),
    ("住宿费", "住宿费"),
    ("奖学金", "奖学金"),
    ("国家励志奖学金", "国家励志奖学金"),
    ("助学金", "助学金"),
    ("勤工助学", "勤工助学"),
    ("食堂", "食堂"),
    ("饭菜价格", "饭菜价格"),
    ("消防安全", "消防安全"),
    ("应急预案", "应急预案"),
    ("学生公寓", "学生公寓"),
    ("一卡通", "一卡通"),
    ("医疗保险", "医疗保险"),
    ("招聘", "招聘"),
    ("高层次人才", "高层次人才"),
    ("职称", "职称"),
    ("因公出国", "因公出国"),
    ("巡察", "巡察"),
    ("审计整改", "审计整改"),
    ("举报", "举报"),
    ("信息公开指南", "信息公开指南"),
    ("年度报告", "年度报告"),
    ("办学基本情况", "办学基本情况"),
    ("学术委员会", "学术委员会"),
    ("三重一大", "三重一大"),
    ("发展规划", "发展规划"),
    ("录取分数", "录取分数"),
    ("转专业", "转专业"),
    ("学籍", "学籍"),
    ("就业质量", "就业质量"),
    ("校企合作", "校企合作"),
    ("中外合作办学", "中外合作办学"),
    ("产业学院", "产业学院"),
    ("政府采购", "政府采购"),
    ("国有资产", "国有资产"),
    ("捐赠", "捐赠"),
    ("差旅费", "差旅费"),
    ("塑胶跑道", "塑胶跑道"),
    ("家庭经济困难", "家庭经济困难"),
    ("2025年部门预算", "2025年部门预算"),
    ("学生 管理", "学生.*管理|管理.*学生"),
    ("食堂 满意度", "食堂.*满意度"),
    ("满意率", "满意度|年度报告|评议"),
    ("资产总额", "资产"),
    ("计费单位", "收费"),
    ("专业代码", "专业"),
]


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.load_demo()
        yield
        AuditEvent.objects.all().delete()
        Review.objects.all().delete()
        DisclosureRevision.objects.all().delete()
        AttachmentText.objects.all().delete()
        SearchDocument.objects.all().delete()
        Attachment.objects.all().delete()
        Disclosure.objects.update(replaced_by=None)
        Disclosure.objects.all().delete()
        get_user_model().objects.filter(username__in=[demo.DEMO_USERNAME, demo.DEMO_OFFICE_USERNAME]).delete()
        Sequence.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {search.FTS_TABLE}")


def results(client, q):
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False):
        response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    assert response.context["error"] is None, response.context["error"]
    page = response.context["page_obj"]
    return page, list(page.object_list)


def squeeze(text):
    return re.sub(r"\s+", "", search.normalise(text))


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "first"), CASES, ids=[case[0] for case in CASES])
def test_relevance(demo_content, client, query, first):
    page, found = results(client, query)
    assert page.paginator.count <= 20 or len(found) == 20
    all_found = list(search.search(Disclosure.objects.published().filter(audience="public"), search.parse_query(query)))
    assert all_found, query
    matches = [bool(re.search(first, d.title)) for d in all_found]
    assert any(matches), f"{query}: no item whose title matches {first!r}"
    assert matches == sorted(matches, reverse=True), f"{query}: {[d.title for d in all_found]}"
    # Tiers in order, newest first within each tier.
    keys = [(d.search_tier, -d.published_at.timestamp(), -d.pk) for d in all_found]
    assert keys == sorted(keys)
    # Precision: every result contains each chunk of the query somewhere.
    for disclosure in all_found:
        text = squeeze(disclosure.title + disclosure.search_document.text)
        for chunk in query.split():
            assert squeeze(chunk) in text, (query, disclosure.title)
    # The page shows the first 20 of the same ranking.
    assert [d.pk for d in found] == [d.pk for d in all_found[:20]]


@pytest.mark.django_db
def test_relevance_set_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.django_db
def test_index_number_finds_its_item(demo_content, client):
    disclosure = Disclosure.objects.published().filter(audience="public").order_by("pk").first()
    page, found = results(client, disclosure.index_number)
    assert found[0].pk == disclosure.pk


@pytest.mark.django_db
def test_attachment_text_is_searchable(demo_content):
    texts = AttachmentText.objects.exclude(text="").count()
    assert texts >= 60  # the demo's PDF, DOCX and XLSX attachments all give text


@pytest.mark.django_db
def test_reversed_bigrams_do_not_match(demo_content, client):
    page, found = results(client, "算预")
    assert all("算预" in squeeze(d.title + d.search_document.text) for d in found)
