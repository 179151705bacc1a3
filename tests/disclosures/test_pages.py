import pytest
from django.urls import reverse

from disclosures import services
from tests.factories import docx_bytes, make_disclosure, pdf_bytes, upload


@pytest.mark.django_db
def test_item_page_shows_the_official_metadata(client):
    disclosure = make_disclosure(title="2024年招生章程", document_number="城职院发〔2024〕3号")
    html = client.get(disclosure.get_absolute_url()).content.decode()
    for label in ("索引号", "发布机构", "文号", "成文日期", "发布日期", "类别", "公开事项", "有效性"):
        assert label in html
    assert disclosure.index_number in html and "城职院发〔2024〕3号" in html and "招生就业处" in html


@pytest.mark.django_db
def test_print_view_renders_without_site_chrome(client):
    disclosure = make_disclosure(title="打印测试")
    response = client.get(reverse("disclosures:disclosure-print", args=[disclosure.index_number]))
    assert response.status_code == 200
    assert "打印测试" in response.content.decode() and "site-nav" not in response.content.decode()


@pytest.mark.django_db
def test_download_keeps_the_chinese_file_name_and_counts(client):
    disclosure = make_disclosure()
    attachment = services.attachment_add(disclosure=disclosure, uploaded=upload("2024年预算表.pdf", pdf_bytes()))
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=utf-8''2024%E5%B9%B4%E9%A2%84%E7%AE%97%E8%A1%A8.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    attachment.refresh_from_db()
    assert attachment.download_count == 1


@pytest.mark.django_db
def test_previous_and_next_link_within_the_category(client):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    older = make_disclosure(title="较早的通知", published_at=now - datetime.timedelta(days=3))
    middle = make_disclosure(title="中间的通知", published_at=now - datetime.timedelta(days=2))
    newer = make_disclosure(title="较新的通知", published_at=now - datetime.timedelta(days=1))
    make_disclosure(
        title="别的类别",
        category_code="11",
        item_code="11.02",
        department_code="finance",
        published_at=now - datetime.timedelta(hours=36),
    )
    response = client.get(middle.get_absolute_url())
    assert response.context["older"] == older and response.context["newer"] == newer


@pytest.mark.django_db
def test_unknown_pages_get_the_site_404(client):
    response = client.get("/items/NOPE-0000-0000/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert client.get("/catalogue/no-such-category/").status_code == 404


@pytest.mark.django_db
def test_disclosure_item_url_with_the_wrong_category_redirects(client):
    response = client.get(reverse("disclosures:disclosure-item-detail", kwargs={"slug": "finance", "code": "04.01"}))
    assert response.status_code == 301
    assert response["Location"].endswith("/catalogue/student-affairs/04.01/")


@pytest.mark.django_db
def test_attachment_types_are_checked_by_content():
    from django.core.exceptions import ValidationError

    disclosure = make_disclosure()
    with pytest.raises(ValidationError):
        services.attachment_add(disclosure=disclosure, uploaded=upload("evil.pdf", b"<html><script>x</script>"))
    with pytest.raises(ValidationError):  # a Word file named as a PDF
        services.attachment_add(disclosure=disclosure, uploaded=upload("report.pdf", docx_bytes()))
    attachment = services.attachment_add(disclosure=disclosure, uploaded=upload("report.docx", docx_bytes()))
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert len(attachment.sha256) == 64 and attachment.size > 0
    assert not attachment.file.name.endswith("report.docx")  # stored under a generated name
