"""The markup behind the elderly-friendly mode, the print pages and the form errors, as the server renders it
(the browser tests in tests/browser/ check what a visitor then gets)."""

import re

import pytest
from django.urls import reverse

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload
from tests.feedback.factories import make_survey
from tests.requests_app.factories import form_post

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def item(db):
    disclosure = make_disclosure(
        title="2025年收费标准公示", body='<p>见<a href="https://example.edu.cn/">公示栏</a>。</p>'
    )
    services.attachment_add(disclosure=disclosure, uploaded=upload("2025年收费标准.pdf", pdf_bytes()))
    return disclosure


def public_urls(item) -> list[str]:
    survey = make_survey()
    return [
        "/",
        "/catalogue/",
        item.get_absolute_url(),
        "/items/",
        "/search/?q=收费",
        "/apply/",
        "/apply/new/",
        "/apply/track/",
        "/consult/",
        "/board/",
        "/complaints/",
        "/mailbox/",
        f"/surveys/{survey.pk}/",
        "/reports/",
        "/no-such-page/",
    ]


def test_every_page_has_the_mode_switch_and_sets_the_mode_before_painting(client, item):
    for url in public_urls(item):
        html = client.get(url).content.decode()
        head = html.split("</head>", 1)[0]
        # display.js runs in <head>, before the style sheet and without defer/async: no flash of the normal page.
        script = re.search(r'<script src="[^"]*js/display\.js"([^>]*)>', head)
        assert script and script.group(1) == "", url
        assert head.index("js/display.js") < head.index("css/site.css"), url
        assert re.search(
            r'<header class="site-header">.*<button type="button" class="display-toggle" '
            r'aria-pressed="false"',
            html,
            re.DOTALL,
        ), url


def test_no_page_renders_the_visitors_display_choice(client, item):
    """Pages are cached and shared: the choice lives in the browser only, whatever the request carries."""
    for url in ["/", item.get_absolute_url(), "/catalogue/"]:
        plain = client.get(url)
        client.cookies["portal_display"] = "elder"
        chosen = client.get(url)
        del client.cookies["portal_display"]
        assert chosen.content == plain.content
        assert b"elder-mode" not in chosen.content and b'aria-pressed="true"' not in chosen.content


def test_public_pages_have_no_inline_script(client, item):
    """The site runs under a Content-Security-Policy without 'unsafe-inline': no inline script or handler."""
    receipt = client.post(reverse("requests_app:apply"), form_post())
    urls = public_urls(item) + [receipt["Location"], reverse("disclosures:disclosure-print", args=[item.index_number])]
    for url in urls:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_ATTRIBUTE.search(html), url
        assert "javascript:" not in html, url


def test_the_receipt_print_button_is_wired_by_a_static_script(client):
    receipt = client.get(client.post(reverse("requests_app:apply"), form_post())["Location"]).content.decode()
    assert re.search(r"<button type=\"button\" data-print-button hidden>", receipt)
    assert re.search(r'<script src="[^"]*js/print\.js" defer>', receipt)


def test_print_view_is_text_only_with_addresses_and_attachments(client, item):
    html = client.get(reverse("disclosures:disclosure-print", args=[item.index_number])).content.decode()
    for chrome in ("site-header", "site-nav", "site-footer", "<nav", "<header", "<footer", "display-toggle"):
        assert chrome not in html
    assert "<main>" in html and "data-print-links" in html
    attachment = item.attachments.get()
    assert '<span class="attachment-name">2025年收费标准.pdf</span>' in html
    assert f"http://testserver{attachment.get_absolute_url()}</a>" in html
    assert f"http://testserver{item.get_absolute_url()}" in html
    # The normal item page marks its links for printing too.
    assert "data-print-links" in client.get(item.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "url, data",
    [
        (reverse("requests_app:apply"), {"website": ""}),
        (reverse("feedback:consultation-form"), {"website": ""}),
        (reverse("disclosures:disclosure-list") + "?date_from=31-02-2024&year=1", None),
        (reverse("search") + "?q=学费&date_to=never", None),
    ],
)
def test_every_field_error_is_tied_to_its_field(client, url, data):
    response = client.post(url, data) if data is not None else client.get(url)
    html = response.content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = re.findall(r'<(?:input|textarea|select|fieldset)[^>]*aria-describedby="([^"]+)"', html)
    invalid = re.findall(r'<(input|textarea|select)[^>]*aria-invalid="true"', html)
    assert invalid, url
    assert described, url
    for refs in described:
        assert set(refs.split()) <= ids, (url, refs)
    assert any(ref.endswith("_error") for refs in described for ref in refs.split())
