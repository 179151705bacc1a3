"""Hostile input everywhere the public can reach: random and malicious values in every public form, every
query parameter of every public page and every path parameter. Nothing answers 5xx, and nothing is stored
half (see tests/integrity.py for what "whole" means per model).

The abuse limits (per-IP and per-contact counters in the cache) are reset before every example, and half of
the form examples run with the arithmetic check on (answered with the test answer, or not), so that the
forms' own validation is what gets fuzzed, up to the services storing what passes.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client, override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annual_reports import services as report_services
from core.models import Sequence
from core.uploads import OLE2_MAGIC
from disclosures import services as disclosure_services
from disclosures.models import Category, DisclosureItem
from feedback.models import FeedbackMessage, Mailbox
from requests_app import permissions as application_permissions
from requests_app import services
from requests_app.models import ApplicationFile, DisclosureApplication, FileRole
from tests.annual_reports.factories import make_report
from tests.factories import docx_bytes, make_disclosure, pdf_bytes, upload
from tests.feedback import factories as feedback_factories
from tests.integrity import assert_whole, half_records
from tests.requests_app import factories as application_factories

# A cache key built from raw input (fine for Redis, an error for memcached) fails the test too.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning"),
]

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values that have broken web applications before: control characters and NUL, direction marks and astral
# characters, SQL, HTML, template and format-string injection, paths, numbers out of every range, bad dates.
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t\x0b\x0c",
    "\x1b[31m",
    "\u202etxt.exe",
    "\ufeff",
    "💩",
    "𠀀𪚥",
    "字" * 400,
    "' OR '1'='1' --",
    "1; DROP TABLE disclosures_disclosure; --",
    "%' OR 1=1 --",
    "\\",
    "%",
    "_",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "%(name)s",
    "{0.__class__}",
    "../../../etc/passwd",
    "//evil.example/",
    "http://evil.example/",
    "-1",
    "0",
    "1",
    "3",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "2024-13-45T25:61",
    "true",
    "null",
    "[]",
    "{}",
    "on",
    "x" * 100_000,
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))
# A value, or the same key repeated.
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))
FILE_HEADS = [b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"PK\x03\x04", OLE2_MAGIC, b"MZ", b"<svg"]
FILE_NAMES = [
    "a.pdf",
    "A.PDF",
    "a.exe",
    "a.pdf.exe",
    "a.html",
    "a.svg",
    ".pdf",
    "noextension",
    "a.docx",
    "a.doc",
    "a.zip",
    "身份证 正反面.jpg",
    "x" * 300 + ".pdf",
    "../../etc/passwd.pdf",
    "a\x00.pdf",
    "a\r\n.pdf",
    "a;rm -rf ~.png",
]
file_content = st.one_of(
    st.binary(max_size=1024),
    st.builds(bytes.__add__, st.sampled_from(FILE_HEADS), st.binary(max_size=512)),
    st.sampled_from([pdf_bytes(), docx_bytes(), b""]),
)
file_name = st.one_of(st.sampled_from(FILE_NAMES), st.text(min_size=1, max_size=40).map(lambda s: s + ".pdf"))


def _uploaded(name: str, content: bytes) -> SimpleUploadedFile:
    try:
        return SimpleUploadedFile(name, content)
    except SuspiciousFileOperation:  # names Django refuses to build at all ("." and the like)
        return SimpleUploadedFile("upload.bin", content)


# Random files, and valid ones often enough that whole submissions with files reach the storage too.
VALID_FILES = [("证件.pdf", pdf_bytes()), ("scan.PDF", pdf_bytes()), ("授权书.docx", docx_bytes())]
valid_upload = st.sampled_from(VALID_FILES).map(lambda pair: SimpleUploadedFile(*pair))
uploads = st.lists(st.one_of(st.builds(_uploaded, file_name, file_content), valid_upload), max_size=7)


def mutations(fields: list[str]):
    """Which fields to replace (with a hostile value), drop, or add (unknown ones). Most examples keep most of
    a valid form, so that they reach the service and the database."""
    return st.fixed_dictionaries(
        {
            "replace": st.dictionaries(st.sampled_from(fields), hostile_value, max_size=3),
            "drop": st.sets(st.sampled_from(fields), max_size=2),
            "extra": st.dictionaries(
                st.sampled_from(["id", "pk", "state", "tracking_number", "csrfmiddlewaretoken"]),
                hostile_value,
                max_size=1,
            ),
        }
    )


NO_CHANGE = {"replace": {}, "drop": set(), "extra": {}}


def mutate(post: dict, change: dict) -> dict:
    data = {key: value for key, value in post.items() if key not in change["drop"]}
    data.update(change["replace"])
    data.update(change["extra"])
    return data


captcha = st.sampled_from(["off", "test-passed", "test-wrong"])


def captcha_fields(mode: str) -> tuple[str, dict]:
    """The ABUSE_CAPTCHA setting and what the form carries for it."""
    if mode == "off":
        return "off", {}
    return "test", {"captcha_token": "forged", "captcha_answer": "PASSED" if mode == "test-passed" else "12"}


def client() -> Client:
    return Client(raise_request_exception=False, REMOTE_ADDR="198.51.100.7")


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} for {what}"


@pytest.fixture
def media(settings, tmp_path):
    """An empty media folder of its own, so that an orphan file is this test's."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def world(media):
    """One of everything a public URL can name: a published item with an attachment, a published annual
    report, an open survey with published results, an application and a message with their access codes."""
    item = make_disclosure(title="2024年招生章程")
    attachment = disclosure_services.attachment_add(disclosure=item, uploaded=upload("章程.pdf", pdf_bytes()))
    report = make_report(year=2023)
    report_services.annual_report_publish(
        report=report, user=None, on=datetime.date(2024, 10, 20), acknowledge_warnings=True
    )
    survey = feedback_factories.make_survey(results_published=True)
    application, code = application_factories.make_application()
    message, message_code = feedback_factories.make_message()
    return {
        "item": item,
        "attachment": attachment,
        "category": Category.objects.get(code="04"),
        "disclosure_item": DisclosureItem.objects.get(code="04.01"),
        "report": report,
        "survey": survey,
        "application": application,
        "code": code,
        "message": message,
        "message_code": message_code,
        "mailbox": Mailbox.objects.filter(active=True).first(),
    }


# --- query parameters of every public GET page ----------------------------------------------------------

# Every parameter some public page reads, and some no page reads.
QUERY_PARAMETERS = [
    "q",
    "page",
    "category",
    "item",
    "department",
    "year",
    "date_from",
    "date_to",
    "sort",
    "next",
    "language",
    "format",
    "o",
    "callback",
]


def get_pages(world) -> list[str]:
    """Every public GET page (from portal/urls.py and the URL confs it includes)."""
    item, category, report, survey = world["item"], world["category"], world["report"], world["survey"]
    label = f"{report.year}-{report.year + 1}"
    return [
        "/",
        "/catalogue/",
        f"/catalogue/{category.slug}/",
        f"/catalogue/{category.slug}/{world['disclosure_item'].code}/",
        "/items/",
        f"/items/{item.index_number}/",
        f"/items/{item.index_number}/print/",
        f"/items/{item.index_number}/attachments/{world['attachment'].pk}/",
        "/search/",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        f"/feeds/{category.slug}.rss",
        f"/feeds/{category.slug}.atom",
        "/sitemap.xml",
        "/sitemap-catalogue.xml",
        "/sitemap-items.xml",
        "/sitemap-disclosures.xml",
        "/robots.txt",
        "/healthz",
        "/api/v1/categories/",
        "/api/v1/items/",
        f"/api/v1/items/{item.index_number}/",
        "/reports/",
        f"/reports/{label}/",
        f"/reports/{label}/print/",
        f"/reports/{label}/download.docx",
        f"/reports/{label}/statistics.xlsx",
        "/apply/",
        "/apply/new/",
        "/apply/track/",
        f"/apply/track/{world['application'].tracking_number}/",
        "/consult/",
        "/board/",
        "/complaints/",
        "/mailbox/",
        f"/mailbox/{world['mailbox'].slug}/",
        "/feedback/track/",
        f"/feedback/{world['message'].tracking_number}/",
        "/surveys/",
        f"/surveys/{survey.pk}/",
        f"/surveys/{survey.pk}/thanks/",
        f"/surveys/{survey.pk}/results/",
        "/i18n/setlang/",
        "/admin/login/",
    ]


def reading_pages(world) -> list[str]:
    """The pages whose views read query parameters (every HTML page shows ``q`` in the header's search box;
    these ones also filter, search, paginate or redirect by them), and one of each other kind of response."""
    item, category = world["item"], world["category"]
    return [
        "/",
        f"/catalogue/{category.slug}/",
        f"/catalogue/{category.slug}/{world['disclosure_item'].code}/",
        "/items/",
        f"/items/{item.index_number}/",
        "/search/",
        "/api/v1/items/",
        "/board/",
        "/i18n/setlang/",
        "/admin/login/",
        "/feeds/latest.rss",
        "/sitemap-disclosures.xml",
        f"/reports/{world['report'].year}-{world['report'].year + 1}/statistics.xlsx",
    ]


def test_every_query_parameter_of_every_public_page(world):
    pages = get_pages(world)
    browser = client()
    # Every listed value in every parameter of the pages that read them (all parameters at once) ...
    for value in HOSTILE:
        cache.clear()
        params = dict.fromkeys(QUERY_PARAMETERS, value)
        for page in reading_pages(world):
            check(browser.get(page, params), f"GET {page} with every parameter {value[:50]!r}")

    # ... then random values and repetitions in random sets of parameters, on every public page.
    @settings(FUZZ, max_examples=10)
    @given(params=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), hostile_value, min_size=1, max_size=4))
    def fuzz(params):
        cache.clear()
        for page in pages:
            check(browser.get(page, params), f"GET {page} {params!r}")

    fuzz()


# --- path parameters ------------------------------------------------------------------------------------

PATH_TEMPLATES = [
    "/catalogue/{}/",
    "/catalogue/{category}/{}/",
    "/items/{}/",
    "/items/{}/print/",
    "/items/{}/attachments/{pk}/",
    "/items/{item}/attachments/{}/",
    "/media/editor/{}",
    "/api/v1/items/{}/",
    "/feeds/{}.rss",
    "/feeds/{}.atom",
    "/sitemap-{}.xml",
    "/reports/{}/",
    "/reports/{}/print/",
    "/reports/{}/download.docx",
    "/apply/track/{}/",
    "/apply/track/{}/receipt/",
    "/apply/track/{}/reply-letter/",
    "/apply/track/{}/files/{pk}/",
    "/apply/track/{number}/files/{}/",
    "/feedback/{}/",
    "/feedback/{}/receipt/",
    "/mailbox/{}/",
    "/surveys/{}/",
    "/surveys/{}/thanks/",
    "/surveys/{}/results/",
]
path_values = st.one_of(
    hostile_text.filter(bool),
    st.integers(min_value=-1, max_value=2**80).map(str),
    st.sampled_from(["HCVC-2024-0001", "YSQ2024000001", "ZX2024000001", "2023-2024", "0000-0001", "9999-0000"]),
)


def test_every_path_parameter(world):
    fill = {
        "category": world["category"].slug,
        "item": world["item"].index_number,
        "number": world["application"].tracking_number,
        "pk": world["attachment"].pk,
    }
    browser = client()

    def visit(value):
        cache.clear()
        quoted = quote(value, safe="")
        for template in PATH_TEMPLATES:
            url = template.replace("{}", quoted).format(**fill)
            check(browser.get(url), f"GET {url}")

    for value in filter(None, HOSTILE):
        visit(value)
    given(value=path_values)(FUZZ(visit))()


# --- public forms ---------------------------------------------------------------------------------------

APPLICATION_FIELDS = [*application_factories.form_post(), "attachments"]


def test_application_form(world):
    @FUZZ
    @given(
        change=mutations(APPLICATION_FIELDS),
        files=uploads,
        kind=st.sampled_from(["citizen", "organisation"]),
        mode=captcha,
    )
    @example(change=NO_CHANGE, files=[upload("证件.pdf", pdf_bytes())], kind="organisation", mode="test-passed")
    def fuzz(change, files, kind, mode):
        cache.clear()
        post = application_factories.form_post()
        if kind == "organisation":
            post.update(
                applicant_type="organisation",
                id_type="",
                id_number="",
                credit_code=application_factories.valid_credit_code(),
                organisation_type="commercial",
                legal_representative="李四",
                contact_person="王五",
            )
        setting, extra = captcha_fields(mode)
        post.update(extra)
        if files:
            post["attachments"] = files
        with override_settings(ABUSE_CAPTCHA=setting, APPLICATION_ATTACHMENT_MAX_BYTES=4096):
            response = client().post("/apply/new/", mutate(post, change))
        check(response, f"POST /apply/new/ {change!r}")
        assert_whole("after an application")

    fuzz()
    assert DisclosureApplication.objects.filter(files__isnull=False).exists()  # the fuzz reached the service


MESSAGE_FIELDS = [*feedback_factories.form_post(subject_of_complaint="招生就业处")]


@pytest.mark.parametrize("channel", ["consult", "complaints", "mailbox"])
def test_feedback_forms(world, channel):
    url = f"/mailbox/{world['mailbox'].slug}/" if channel == "mailbox" else f"/{channel}/"

    @FUZZ
    @given(change=mutations(MESSAGE_FIELDS), mode=captcha)
    @example(change=NO_CHANGE, mode="off")
    def fuzz(change, mode):
        cache.clear()
        post = feedback_factories.form_post(subject_of_complaint="招生就业处")
        setting, extra = captcha_fields(mode)
        post.update(extra)
        with override_settings(ABUSE_CAPTCHA=setting):
            response = client().post(url, mutate(post, change))
        check(response, f"POST {url} {change!r}")
        assert_whole(f"after a message to {url}")

    fuzz()
    assert FeedbackMessage.objects.count() > 1  # the fixture's, and at least one the fuzz stored


def test_survey_form(world):
    survey = world["survey"]
    fields = [*feedback_factories.survey_post(survey), "q0", f"q{survey.pk * 1000}"]

    @FUZZ
    @given(change=mutations(fields), mode=captcha)
    @example(change=NO_CHANGE, mode="test-passed")
    def fuzz(change, mode):
        cache.clear()
        post = feedback_factories.survey_post(survey)
        setting, extra = captcha_fields(mode)
        post.update(extra)
        with override_settings(ABUSE_CAPTCHA=setting):
            response = client().post(f"/surveys/{survey.pk}/", mutate(post, change))
        check(response, f"POST survey {change!r}")
        assert_whole("after a survey answer")

    fuzz()
    assert survey.responses.exists()


@pytest.mark.parametrize("url", ["/apply/track/", "/feedback/track/"])
def test_tracking_forms(world, url):
    number = world["application" if url.startswith("/apply") else "message"].tracking_number

    @FUZZ
    @given(change=mutations(["tracking_number", "access_code"]))
    def fuzz(change):
        cache.clear()
        check(client().post(url, mutate({"tracking_number": number, "access_code": "x"}, change)), f"POST {url}")

    fuzz()


def test_clarification_answer_form(world):
    @FUZZ
    @given(change=mutations(["text", "attachments"]), files=uploads)
    @example(change=NO_CHANGE, files=[upload("补正.pdf", pdf_bytes())])
    def fuzz(change, files):
        cache.clear()
        application, _code = application_factories.make_application(phone="13700000000")
        services.application_request_clarification(application=application, user=None, message="请补充身份证明")
        browser = client()
        session = browser.session
        session[application_permissions.SESSION_KEY] = [application.tracking_number]
        session.save()
        post = {"text": "补充材料如下"}
        if files:
            post["attachments"] = files
        url = f"/apply/track/{application.tracking_number}/clarification/"
        with override_settings(APPLICATION_ATTACHMENT_MAX_BYTES=4096):
            check(browser.post(url, mutate(post, change)), f"POST {url} {change!r}")
        assert_whole("after a clarification answer")

    fuzz()
    assert ApplicationFile.objects.filter(role=FileRole.CLARIFICATION).exists()


@pytest.mark.parametrize(
    "url, post",
    [
        ("/i18n/setlang/", {"language": "en", "next": "/items/"}),
        ("/admin/login/", {"username": "staff", "password": "a-long-test-password", "next": "/admin/"}),
        ("/ckeditor5/image_upload/", {"upload": "x"}),
    ],
)
def test_other_public_posts(world, url, post):
    @FUZZ
    @given(change=mutations(list(post)), files=uploads)
    def fuzz(change, files):
        cache.clear()
        data = mutate(post, change)
        if url.startswith("/ckeditor5/") and files:
            data["upload"] = files[0]
        check(client().post(url, data), f"POST {url} {change!r}")

    fuzz()


def test_the_half_record_check_finds_half_records(world, media):
    """The invariants hold for what the services store, and fail on a half-record of each kind."""
    assert_whole("as the services stored it")
    world["application"].events.all().delete()
    world["message"].events.all().delete()
    (media / "applications").mkdir(parents=True)
    (media / "applications" / "orphan.pdf").write_bytes(b"%PDF-")
    ApplicationFile.objects.create(application=world["application"], role="id_proof", file="applications/gone.pdf")
    problems = " ".join(half_records())
    assert f"application {world['application'].tracking_number}: no 'submitted' event" in problems
    assert f"message {world['message'].tracking_number}: no 'submitted' event" in problems
    assert "orphan file applications/orphan.pdf" in problems
    assert "'applications/gone.pdf' missing" in problems
    Sequence.objects.filter(name__startswith="tracking:YSQ").update(value=F("value") + 1)
    assert "sequence tracking:YSQ" in " ".join(half_records())


# --- cookies and headers --------------------------------------------------------------------------------

COOKIES = ["sessionid", "csrftoken", "django_language", "surveys_answered", "messages"]
HEADERS = [
    "HTTP_X_FORWARDED_FOR",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
]


def as_header(value: str) -> str:
    """What a WSGI server hands Django for these bytes: a header is bytes, read as Latin-1."""
    return value.encode()[:4000].decode("latin-1")


@override_settings(TRUSTED_PROXY_COUNT=1, CAMPUS_NETWORKS=[])
def test_hostile_cookies_and_headers(world):
    pages = [
        "/",
        f"/items/{world['item'].index_number}/",
        "/apply/new/",
        "/search/?q=招生",
        "/api/v1/items/",
        "/admin/",
    ]

    def visit(value: str) -> None:
        cache.clear()
        browser = client()
        for name in COOKIES:
            browser.cookies[name] = as_header("abcdefgh" + value)  # long enough to be looked up as a session key
        headers = dict.fromkeys(HEADERS, as_header(value))
        for page in pages:
            check(browser.get(page, **headers), f"GET {page} with cookies and headers {value[:50]!r}")

    for value in HOSTILE:
        visit(value)
    given(value=hostile_text)(settings(FUZZ, max_examples=10)(visit))()


# --- the bugs the fuzz found (they answered 500 on PostgreSQL) -----------------------------------------------


def test_nul_in_the_path_is_not_found_and_in_the_query_is_ignored(world):
    browser = client()
    assert browser.get(f"/items/{world['item'].index_number}%00/").status_code == 404
    assert browser.get(f"/apply/track/{world['application'].tracking_number}%00/").status_code == 404
    assert browser.get(f"/feedback/{world['message'].tracking_number}%00/receipt/").status_code == 404
    board = browser.get("/board/", {"q": "招生\x00", "page": "\x00"})
    assert board.status_code == 200 and board.context["query"] == "招生\ufffd"
    assert browser.get("/items/", {"q": "\x00", "category\x00": "x"}).status_code == 200


def test_a_session_cookie_with_nul_is_ignored(world):
    browser = client()
    browser.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert browser.get(f"/items/{world['item'].index_number}/").status_code == 200
    assert browser.get("/apply/new/").status_code == 200
