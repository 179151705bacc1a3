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
    # Natural queries: words apart in the title, in another order, with a particle or a date word.
    ("奖学金名单", "奖学金.*名单"),
    ("收费标准", "收费.*标准"),
    ("食堂价格", "食堂.*价格"),
    ("招聘人才", "招聘.*人才"),
    ("学生公寓的指南", "学生公寓.*指南"),
    ("报销规定", "报销"),
    ("就业质量报告", "就业质量.*报告"),
    # Reversed order.
    ("预算部门", "部门预算"),
    ("章程招生", "招生章程"),
    ("名单奖学金", "奖学金.*名单"),
    # Traditional characters.
    ("財務報銷", "财务报销"),
    ("預算", "预算"),
    ("獎學金", "奖学金"),
    ("國有資產", "国有资产"),
    ("學生公寓", "学生公寓"),
    # Pinyin, with or without spaces.
    ("zhaosheng zhangcheng", "招生章程"),
    ("zhaoshengzhangcheng", "招生章程"),
    ("yusuan", "预算"),
    ("guoyou zichan", "国有资产"),
    ("jiangxuejin", "奖学金"),
    # Typos: homophones and near-misses.
    ("招生章城", "招生章程"),
    ("财务保销", "财务报销"),
    ("国有资厂", "国有资产"),
    ("奖学今", "奖学金"),
    # Synonyms (the table seeded by the migration).
    ("学费", "学费|收费标准|收费项目及标准"),
    ("校园卡", "一卡通"),
    ("餐厅", "食堂"),
]

CORRECTED = {
    "zhaosheng zhangcheng": "招生章程",
    "zhaoshengzhangcheng": "招生章程",
    "yusuan": "预算",
    "招生章城": "招生章程",
    "财务保销": "财务报销",
}


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


def ranked(q):
    """The query as the search page understands it, and every public match in order, read as the page reads them
    (tier by tier, at most MAX_RESULTS)."""
    base = Disclosure.objects.published().filter(audience="public")
    query = search.understand(base, search.parse_query(q, synonyms=search.synonym_groups()))
    return query, list(search.ranked(base, query))


def base_titles():
    return list(Disclosure.objects.published().filter(audience="public").values_list("title", flat=True))


def squeeze(text):
    return re.sub(r"\s+", "", search.normalise(text))


def contains_word(text, word):
    """Whether ``text`` holds every part of the word, or of one of its synonyms."""
    options = [word.parts, *(search.word_parts(alternative) for alternative in word.alternatives)]
    return any(all(squeeze(part) in text for part in option) for option in options)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "first"), CASES, ids=[case[0] for case in CASES])
def test_relevance(demo_content, client, query, first):
    page, found = results(client, query)
    assert page.paginator.count <= 20 or len(found) == 20
    understood, all_found = ranked(query)
    assert all_found, query
    assert not understood.dropped, (query, understood.dropped)
    matches = [bool(re.search(first, d.title)) for d in all_found]
    # The demo corpus is drawn at random (seeded, dated from today): when it holds a public item whose title
    # matches, the search finds it; titles matching come first either way.
    titled = [title for title in base_titles() if re.search(first, title)]
    assert any(matches) == bool(titled), f"{query}: titles matching {first!r}: {titled[:3]}"
    assert matches == sorted(matches, reverse=True), f"{query}: {[d.title for d in all_found]}"
    # Tiers in order, newest first within each tier.
    # (SQLite orders by the publication second, its index's key; PostgreSQL by the time itself.)
    exact = connection.vendor == "postgresql"
    keys = [
        (d.search_tier, -(d.published_at.timestamp() if exact else int(d.published_at.timestamp())), -d.pk)
        for d in all_found
    ]
    assert keys == sorted(keys)
    # Precision: every result holds each word of the query (or a synonym of it) somewhere.
    for disclosure in all_found:
        text = squeeze(disclosure.title + disclosure.search_document.text + disclosure.keywords)
        if disclosure.search_tier != search.ATTACHMENT_TIER:
            for word in understood.words:
                assert contains_word(text, word), (query, word.text, disclosure.title)
    # The page shows the first 20 of the same ranking, and says what it corrected.
    assert [d.pk for d in found] == [d.pk for d in all_found[:20]]
    assert understood.corrected == CORRECTED.get(query, understood.corrected)
    if query in CORRECTED:
        assert understood.corrected, query
        content = results_page(client, query)
        assert "您是不是要找：<a href=" in content and f">{CORRECTED[query]}</a>" in content


def results_page(client, q):
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False):
        return client.get(reverse("search"), {"q": q}).content.decode()


@pytest.mark.django_db
def test_a_word_that_matches_nothing_is_dropped_with_a_note(demo_content, client):
    understood, found = ranked("部门预算 量子纠缠")
    assert understood.dropped and found
    assert all("预算" in squeeze(d.title + d.search_document.text) for d in found)
    content = results_page(client, "部门预算 量子纠缠")
    assert "未找到“" in content and "”，已显示其余词的结果" in content


@pytest.mark.django_db
def test_no_results_tips_do_not_ask_for_spaces(demo_content, client):
    content = results_page(client, "量子纠缠")
    assert 'class="notice search-empty"' in content
    assert "空格" not in content and "spaces" not in content


@pytest.mark.django_db
def test_excerpts_come_from_the_text_and_mark_every_word(demo_content, client):
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False):
        response = client.get(reverse("search"), {"q": "招生章程"})
    for disclosure in response.context["page_obj"].object_list:
        assert disclosure.index_number not in disclosure.snippet
        if "招生" in disclosure.search_document.text and "章程" in disclosure.search_document.text:
            assert "<mark>招生</mark>" in disclosure.snippet and "<mark>章程</mark>" in disclosure.snippet


@pytest.mark.django_db
def test_relevance_set_is_large_enough():
    assert len(CASES) >= 75


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
