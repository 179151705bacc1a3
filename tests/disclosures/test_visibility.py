"""Drafts, scheduled, withdrawn and campus-only items never reach anonymous outsiders."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from disclosures.models import Audience, DisclosureStatus
from tests.factories import make_disclosure, pdf_bytes, upload

LIST_URLS = [
    reverse("home"),
    reverse("disclosures:category-detail", kwargs={"slug": "student-affairs"}),
    reverse("disclosures:disclosure-item-detail", kwargs={"slug": "student-affairs", "code": "04.01"}),
    reverse("disclosures:disclosure-list"),
    reverse("disclosures:disclosure-list") + "?category=student-affairs",
]


@pytest.fixture
def items(db):
    def with_attachment(disclosure):
        services.attachment_add(disclosure=disclosure, uploaded=upload("附件.pdf", pdf_bytes()))
        return disclosure

    return {
        "public": with_attachment(make_disclosure(title="公开的通知")),
        "draft": with_attachment(make_disclosure(title="草稿通知", status=DisclosureStatus.DRAFT)),
        "campus": with_attachment(make_disclosure(title="校内公开通知", audience=Audience.CAMPUS)),
        "scheduled": with_attachment(
            make_disclosure(title="定时发布通知", published_at=timezone.now() + datetime.timedelta(days=2))
        ),
        "withdrawn": with_attachment(make_disclosure(title="已撤回通知", status=DisclosureStatus.WITHDRAWN)),
    }


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_show_only_public_items_to_outsiders(client, items, url):
    html = client.get(url).content.decode()
    assert "公开的通知" in html
    for hidden in ("草稿通知", "校内公开通知", "定时发布通知", "已撤回通知"):
        assert hidden not in html


@pytest.mark.parametrize("url", LIST_URLS)
def test_campus_networks_see_campus_only_items_in_lists(client, items, settings, url):
    import ipaddress

    settings.CAMPUS_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    html = client.get(url, REMOTE_ADDR="10.1.2.3").content.decode()
    assert "校内公开通知" in html
    assert "草稿通知" not in html


def test_catalogue_counts_only_what_outsiders_may_see(client, items):
    response = client.get(reverse("disclosures:category-list"))
    student_affairs = next(c for c in response.context["categories"] if c.code == "04")
    assert student_affairs.visible_count == 1
    admissions_item = next(i for i in student_affairs.item_list if i.code == "04.01")
    assert admissions_item.last_published == items["public"].published_at


def test_item_pages_for_outsiders(client, items):
    assert client.get(items["public"].get_absolute_url()).status_code == 200
    assert client.get(items["draft"].get_absolute_url()).status_code == 404
    assert client.get(items["scheduled"].get_absolute_url()).status_code == 404
    campus = client.get(items["campus"].get_absolute_url())
    assert campus.status_code == 403 and "通知全文内容" not in campus.content.decode()
    withdrawn = client.get(items["withdrawn"].get_absolute_url())
    assert withdrawn.status_code == 200
    assert "撤回" in withdrawn.content.decode() and "通知全文内容" not in withdrawn.content.decode()


def test_downloads_for_outsiders(client, items):
    def download(key):
        attachment = items[key].attachments.get()
        return client.get(attachment.get_absolute_url())

    assert download("public").status_code == 200
    assert download("draft").status_code == 404
    assert download("scheduled").status_code == 404
    assert download("withdrawn").status_code == 404
    assert download("campus").status_code == 403


def test_campus_only_item_behind_a_trusted_proxy(client, items, settings):
    import ipaddress

    settings.CAMPUS_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    settings.TRUSTED_PROXY_COUNT = 1
    url = items["campus"].get_absolute_url()
    # The proxy's own address is on campus, but the client it forwards for is not.
    assert client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 200
    # A client cannot spoof its way in by prepending an address.
    spoofed = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9")
    assert spoofed.status_code == 403


def test_staff_see_campus_only_items_and_can_preview_drafts(staff_client, items):
    assert staff_client.get(items["campus"].get_absolute_url()).status_code == 200
    preview = staff_client.get(items["draft"].get_absolute_url())
    assert preview.status_code == 200
    assert "工作人员预览" in preview.content.decode() and "通知全文内容" in preview.content.decode()
    # Previews are never counted as public downloads.
    attachment = items["draft"].attachments.get()
    assert staff_client.get(attachment.get_absolute_url()).status_code == 200
    attachment.refresh_from_db()
    assert attachment.download_count == 0


def _attachment_url(disclosure):
    attachment = disclosure.attachments.get()
    return reverse("disclosures:attachment-download", args=[disclosure.index_number, attachment.pk])


@pytest.mark.parametrize("name", ["draft", "scheduled"])
def test_conditional_requests_on_hidden_items_answer_like_unknown_ones(client, items, name):
    hidden = items[name]
    unknown = reverse("disclosures:disclosure-detail", args=["HCVC-1999-9999"])
    future = {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}
    assert client.get(unknown, **future).status_code == 404
    response = client.get(hidden.get_absolute_url(), **future)
    assert response.status_code == 404 and not response.has_header("Last-Modified")
    assert client.get(_attachment_url(hidden), HTTP_IF_NONE_MATCH="*").status_code == 404
    etag = f'"{hidden.attachments.get().sha256}"'
    assert client.get(_attachment_url(hidden), HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_campus_only_attachment_refused_outside_tells_no_etag(client, items):
    response = client.get(_attachment_url(items["campus"]))
    assert response.status_code == 403
    assert items["campus"].attachments.get().sha256 not in response.get("ETag", "")
    assert client.get(_attachment_url(items["campus"]), HTTP_IF_NONE_MATCH="*").status_code == 403
    future = {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}
    page = client.get(items["campus"].get_absolute_url(), **future)
    assert page.status_code == 403 and not page.has_header("Last-Modified")


def test_conditional_requests_still_work_for_those_who_may_read(client, items):
    public = items["public"]
    response = client.get(_attachment_url(public))
    assert response.status_code == 200 and response["ETag"]
    assert client.get(_attachment_url(public), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    future = {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}
    assert client.get(public.get_absolute_url(), **future).status_code == 304
