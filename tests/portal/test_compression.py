"""Compression (issue 18): pages, JSON, XML and feeds are gzipped for clients that accept it, after the page
cache (which keeps them uncompressed) and with Django's BREACH padding; attachments are sent as they are."""

import gzip

import pytest
from django.urls import reverse

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def items(db):
    return [make_disclosure(title=f"关于公布2024年招生计划的通知（第{n}批）") for n in range(5)]


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/", "text/html"),
        ("/items/", "text/html"),
        ("/api/v1/items/", "application/json"),
        ("/api/v1/categories/", "application/json"),
        ("/feeds/latest.rss", "application/rss+xml"),
        ("/feeds/latest.atom", "application/atom+xml"),
        ("/sitemap-catalogue.xml", "application/xml"),
    ],
)
def test_pages_json_xml_and_feeds_are_compressed(client, items, url, content_type):
    plain = client.get(url)
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    compressed = client.get(url, **GZIP)
    assert compressed["Content-Type"].startswith(content_type)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = gzip.decompress(compressed.content)
    assert body == plain.content
    assert len(compressed.content) < len(body)


def test_cached_page_is_stored_uncompressed_and_compressed_per_client(client, items):
    first = client.get("/items/", **GZIP)
    assert first["X-Page-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    plain_hit = client.get("/items/")
    assert plain_hit["X-Page-Cache"] == "hit" and not plain_hit.has_header("Content-Encoding")
    assert b"<html" in plain_hit.content
    gzip_hit = client.get("/items/", **GZIP)
    assert gzip_hit["X-Page-Cache"] == "hit" and gzip_hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzip_hit.content) == plain_hit.content


def test_conditional_requests_still_match_the_weakened_etag(client, items):
    response = client.get("/items/", **GZIP)
    etag = response["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/items/", HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304


def test_breach_padding_makes_each_compressed_response_differ(client, items):
    bodies = {client.get("/api/v1/items/", **GZIP).content for _ in range(6)}
    assert len(bodies) > 1  # same page, random bytes in the gzip header (Django's "Heal the Breach")
    assert len({gzip.decompress(body) for body in bodies}) == 1


def test_attachments_are_not_compressed(client, items):
    attachment = services.attachment_add(disclosure=items[0], uploaded=upload("budget.pdf", pdf_bytes()))
    url = reverse("disclosures:attachment-download", args=[items[0].index_number, attachment.pk])
    response = client.get(url, **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
