"""The search page and the index kept by the services, on the suite's database (SQLite or PostgreSQL)."""

import datetime
import urllib.parse

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import cache
from disclosures import search, services
from disclosures.models import Disclosure
from tests.factories import approve, editor, make_disclosure, pdf_bytes, reviewer, upload
from tests.search.test_tokenise import HOSTILE

pytestmark = pytest.mark.django_db
URL = reverse("search")


NO_CACHE = {"PAGE_CACHE_ENABLED": False, "FRAGMENT_CACHE_ENABLED": False}


def titles(client, q, **params):
    with override_settings(**NO_CACHE):
        response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    page = response.context["page_obj"]
    return [d.title for d in page.object_list] if page is not None else None


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_queries_never_fail(client, raw):
    make_disclosure(title="2024年部门预算公开")
    with override_settings(**NO_CACHE):
        response = client.get(URL, {"q": raw})
    assert response.status_code == 200
    assert response.context["error"] or response.context["page_obj"] is not None


def test_hostile_query_strings_in_the_url(client):
    for query in ("q=%00", "q=%FF%FE", "q=a&q=b", "q=%E9%A2", "q=" + "%22" * 50, "q=x&page=-1", "q=x&year=abc"):
        assert client.get(f"{URL}?{query}").status_code == 200


def test_empty_query_is_explained_and_keeps_the_text(client):
    response = client.get(URL, {"q": "   "})
    assert response.context["error"]
    response = client.get(URL, {"q": "预"})
    assert "预" in response.content.decode()
    assert response.context["error"]


def test_chinese_without_spaces_mixed_latin_and_digits(client):
    make_disclosure(title="2022年预算说明", body="<p>附件为PPT格式</p>")
    make_disclosure(title="2023年部门决算", body="<p>无</p>")
    assert titles(client, "2022年预算") == ["2022年预算说明"]
    assert titles(client, "PPT") == ["2022年预算说明"]
    assert titles(client, "ppt") == ["2022年预算说明"]
    assert titles(client, "预算说明") == ["2022年预算说明"]
    assert titles(client, "算预") == []
    assert titles(client, "部门决算") == ["2023年部门决算"]


def test_title_before_body_before_attachment_then_newest(client):
    old_title = make_disclosure(title="斑马项目旧公告", published_at=days_ago(30))
    new_title = make_disclosure(title="斑马项目新公告", published_at=days_ago(20))
    body = make_disclosure(title="其他通知", body="<p>涉及斑马项目的说明</p>", published_at=days_ago(1))
    attached = make_disclosure(title="附件通知", body="<p>见附件</p>", published_at=days_ago(0))
    services.attachment_add(disclosure=attached, uploaded=upload("a.pdf", pdf_bytes("zebra project budget")))
    make_disclosure(title="无关通知", published_at=days_ago(2))
    assert titles(client, "斑马项目") == [new_title.title, old_title.title, body.title]
    assert titles(client, "zebra") == [attached.title]
    with override_settings(**NO_CACHE):
        response = client.get(URL, {"q": "zebra"})
    assert response.context["page_obj"].object_list[0].search_tier == search.ATTACHMENT_TIER


def test_the_index_follows_the_publishing_workflow(client):
    author = editor("factory-editor", "admissions")
    office = reviewer("factory-reviewer")
    disclosure = make_disclosure(title="孔雀计划通知", status="draft")
    services.disclosure_submit(disclosure=disclosure, user=author)
    approve(disclosure, office)
    assert titles(client, "孔雀计划") == []  # approved is not yet published
    services.disclosure_publish(disclosure=disclosure, user=office)
    assert titles(client, "孔雀计划") == ["孔雀计划通知"]
    proposed = Disclosure.objects.get(pk=disclosure.pk)
    proposed.title = "白鹭计划通知"
    services.disclosure_revise(disclosure=disclosure, user=author, proposed=proposed)
    services.disclosure_submit(disclosure=disclosure, user=author)
    assert titles(client, "孔雀计划") == ["孔雀计划通知"]  # the published version stays until approval
    approve(disclosure, office)
    assert titles(client, "孔雀") == []  # (孔雀计划 would drop 孔雀 and show 白鹭计划通知 for 计划)
    assert titles(client, "白鹭计划") == ["白鹭计划通知"]
    services.disclosure_withdraw(disclosure=disclosure, user=office, reason="过时")
    assert titles(client, "白鹭") == []


def test_visibility_rules_apply(client):
    make_disclosure(title="校内喜鹊通知", audience="campus")
    make_disclosure(title="将来喜鹊通知", published_at=timezone.now() + datetime.timedelta(days=3))
    make_disclosure(title="公开喜鹊通知")
    assert titles(client, "喜鹊") == ["公开喜鹊通知"]
    with override_settings(CAMPUS_NETWORKS=[__import__("ipaddress").ip_network("10.0.0.0/8")]):
        response = client.get(URL, {"q": "喜鹊"}, REMOTE_ADDR="10.1.2.3")
        assert {d.title for d in response.context["page_obj"].object_list} == {"校内喜鹊通知", "公开喜鹊通知"}


def test_filters_combine_with_the_query(client):
    make_disclosure(title="招生计划甲", category_code="04", item_code="04.01")
    make_disclosure(title="招生计划乙", category_code="11", item_code=None, department_code="finance")
    assert titles(client, "招生计划", category="student-affairs") == ["招生计划甲"]
    assert titles(client, "招生计划", category="nope") is not None  # a bad filter is reported, not fatal


def test_the_filter_form_is_rendered_once_for_all_queries_with_the_same_filters(client):
    """The search page's filter form shows the filters, not the words: each new query (a crawler, people typing)
    reuses it, and a query with other filters gets its own, showing them."""
    from django.core.cache import cache as django_cache

    make_disclosure(title="招生计划甲", category_code="04", item_code="04.01")

    def forms_cached():
        return sum("search-filter-form" in key for key in django_cache._cache)  # the test settings' LocMemCache

    for q in ("招生", "计划", "招生计划"):
        assert client.get(URL, {"q": q}).status_code == 200
    assert forms_cached() == 1
    page = client.get(URL, {"q": "计划", "category": "student-affairs"}).content.decode()
    assert forms_cached() == 2
    assert '<option value="student-affairs" selected>' in page
    assert '<details class="search-filters" open>' in page
    page = client.get(URL, {"q": "甲"}).content.decode()
    assert '<option value="student-affairs" selected>' not in page and '<details class="search-filters">' in page
    assert forms_cached() == 2


def test_results_are_highlighted_and_escaped(client):
    make_disclosure(title="<script>x</script>鸿雁通知", body="<p>正文提到鸿雁 &lt;b&gt;</p>")
    content = client.get(URL, {"q": "鸿雁"}).content.decode()
    assert "<script>x</script>" not in content
    assert "&lt;script&gt;x&lt;/script&gt;<mark>鸿雁</mark>" in content
    assert "<b>" not in content


def test_empty_result_suggests_what_to_do(client):
    make_disclosure(title="通知")
    with override_settings(**NO_CACHE):
        response = client.get(URL, {"q": "量子计算机"})
    assert response.context["page_obj"].paginator.count == 0
    assert 'class="notice search-empty"' in response.content.decode()


def test_search_page_queries_do_not_grow(client, django_assert_max_num_queries):
    for n in range(25):
        make_disclosure(title=f"信鸽通知{n}")
    client.get(URL, {"q": "信鸽"})
    with django_assert_max_num_queries(10), override_settings(**NO_CACHE):
        response = client.get(URL, {"q": "信鸽", "page": 2})
    assert len(response.context["page_obj"].object_list) == 5


def test_rebuild_command_reindexes_everything(client):
    disclosure = make_disclosure(title="黄鹂通知")
    services.attachment_add(disclosure=disclosure, uploaded=upload("a.pdf", pdf_bytes("oriole report")))
    from disclosures.search_models import SearchDocument

    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--extract", stdout=open("/dev/null", "w"))
    assert titles(client, "黄鹂") == ["黄鹂通知"]
    assert titles(client, "oriole") == ["黄鹂通知"]


def test_search_box_in_the_header_points_at_search(client):
    content = client.get(reverse("home")).content.decode()
    assert f'action="{URL}"' in content


def test_search_function_on_a_queryset():
    make_disclosure(title="燕子通知")
    results = search.search(Disclosure.objects.published(), search.parse_query("燕子"))
    assert [d.title for d in results] == ["燕子通知"]
    assert urllib.parse.quote("燕子")


def test_a_catalogue_change_in_the_admin_refreshes_cached_pages(admin_client):
    before = cache.content_version()
    category = Disclosure._meta.get_field("category").related_model.objects.get(code="04")
    response = admin_client.post(
        reverse("admin:disclosures_category_change", args=[category.pk]),
        {
            "code": "04",
            "slug": category.slug,
            "name": "学生事务（改）",
            "name_en": category.name_en,
            "description": "",
            "order": category.order,
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cache._version_memo["read_at"] = float("-inf")
    assert cache.content_version() > before
