"""Public polish: the same breadcrumbs everywhere (首页 › 目录 › 类别 › 公开事项; the reports list too), a visible RSS
link on the category and list pages, receipts with a print button and full-width punctuation, the mailbox's
promise agreeing with the due date its receipt shows, report links without an underlined leading space."""

import re

import pytest
from django.urls import reverse

from annual_reports.models import AnnualReport
from disclosures.models import Category
from feedback import services as feedback_services
from feedback.models import Channel, Mailbox
from tests.factories import make_disclosure
from tests.feedback.factories import form_post

pytestmark = pytest.mark.django_db


def crumbs(page: str) -> list[str]:
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return [part.strip() for part in re.sub(r"<[^>]+>", "", nav).split("›")]


def test_breadcrumbs_run_home_catalogue_category_item(client):
    disclosure = make_disclosure(title="招生章程")
    page = client.get(disclosure.get_absolute_url()).content.decode()
    assert crumbs(page) == ["首页", "信息公开目录", "学生事务", f"04.01 {disclosure.item.title}"]
    assert crumbs(client.get(reverse("reports:report-list")).content.decode()) == ["首页", "信息公开年度报告"]


def test_rss_links_on_category_and_list_pages(client):
    category = Category.objects.get(code="04")
    page = client.get(category.get_absolute_url()).content.decode()
    assert f'class="feed-link" href="{reverse("portal:category-feed-rss", kwargs={"slug": category.slug})}"' in page
    for url in (reverse("disclosures:disclosure-list"), reverse("disclosures:category-list")):
        assert f'class="feed-link" href="{reverse("portal:feed-rss")}"' in client.get(url).content.decode()


def test_the_feedback_receipt_prints_and_uses_full_width_punctuation(client):
    response = client.post(reverse("feedback:consultation-form"), form_post(), follow=True)
    page = response.content.decode()
    receipt = page[page.index('<div class="receipt">') :]
    assert "data-print-button" in receipt
    text = re.sub(r"<[^>]+>", "", receipt[: receipt.index("</div>")])
    assert not re.search(r"[\u4e00-\u9fff]\s*[:;,()]", text), text


def test_the_mailbox_promises_the_reply_its_receipt_dates(client):
    mailbox = Mailbox.objects.get(slug="president")
    page = client.get(mailbox.get_absolute_url()).content.decode()
    days = feedback_services.reply_days(Channel.MAILBOX)
    assert "不一定答复" not in page and "并非都会答复" not in page
    assert f"{days} 个工作日内答复" in page


def test_report_links_have_no_space_inside_before_the_title(client):
    AnnualReport.objects.create(year=2024, title="2024-2025学年信息公开工作年度报告", status="published")
    page = client.get(reverse("reports:report-list")).content.decode()
    link = re.search(r'<a href="/reports/[^"]+">(.*?)</a>', page, re.S).group(1)
    assert "</span>2024-2025学年" in link and "</span> " not in link
