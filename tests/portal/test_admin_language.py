"""The admin in one language and a readable history: the pages the demo accounts use have no Latin-only text left
in Chinese; export file names, cadence labels and the sign-in lock-out section are Chinese; the audit trail
shows field labels and values as text (rich text as a diff, times in Asia/Shanghai); checkbox labels end
without a colon; the handling actions cannot be mistaken for each other."""

import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from disclosures import services
from disclosures.models import Attachment, AuditEvent, DisclosureStatus
from feedback.models import Channel
from requests_app.admin import ACTIONS as APPLICATION_ACTIONS
from tests.factories import editor, make_disclosure, pdf_bytes, reviewer
from tests.feedback.factories import make_message
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db

# Latin words a Chinese admin page may show: file types, codes and names that are not English sentences.
ALLOWED = {
    "PDF",
    "CSV",
    "XLSX",
    "DOCX",
    "SHA",
    "HTTP",
    "ID",
    "URL",
    "RSS",
    "IP",
    "TOTP",
    "QR",
    "ICP",
    "OCR",
    "JSON",
    "Word",
    "Excel",
    "PowerPoint",
    "Django",
    "CKEditor",
    "YSQ",
    "ZX",
    "TS",
    "XX",
    "HCVC",
    "Accept",
}


class TextNodes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg", "template", "noscript"):
            self.skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.texts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button"):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "template", "noscript") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def latin_only(html: str, *, also_allowed: set[str] = frozenset()) -> list[str]:
    """Texts of the page made of Latin words only (no Chinese) that are not codes, names or numbers."""
    parser = TextNodes()
    parser.feed(html)
    found = []
    for text in parser.texts:
        if re.search(r"[\u4e00-\u9fff]", text) or re.fullmatch(r"[a-z0-9._@+-]+", text):
            continue  # Chinese, or a user name, an e-mail address, a code
        words = re.findall(r"[A-Za-z][A-Za-z']+", text)
        words = [w for w in words if w not in ALLOWED and w not in also_allowed]
        if words:
            found.append(text)
    return found


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff", stdout=io.StringIO())


def signed_in(username) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_no_latin_only_text_on_the_pages_the_demo_accounts_use(demo, media_root):
    item = make_disclosure(title="招生章程", status=DisclosureStatus.SUBMITTED)
    application = make_application()[0]
    message, _code = make_message(channel=Channel.CONSULTATION)
    usernames = {
        "demo-editor": [
            "admin:index",
            "admin:disclosures_disclosure_changelist",
            ("admin:disclosures_disclosure_change", item.pk),
            "admin:disclosures_disclosure_add",
        ],
        "demo-head": ["admin:index", ("admin:disclosures_disclosure_change", item.pk)],
        "demo-reviewer": [
            "admin:index",
            ("admin:disclosures_disclosure_review", item.pk),
            "admin:disclosures_compliance",
            "admin:disclosures_auditevent_changelist",
            "admin:annual_reports_annualreport_changelist",
        ],
        "demo-handler": [
            "admin:index",
            "admin:requests_app_disclosureapplication_changelist",
            ("admin:requests_app_disclosureapplication_change", application.pk),
        ],
        "demo-feedback": [
            "admin:index",
            "admin:feedback_consultation_changelist",
            ("admin:feedback_consultation_change", message.pk),
        ],
        "demo-siteadmin": ["admin:index", "admin:auth_user_changelist", "admin:disclosures_disclosureitem_changelist"],
        "demo-admin": ["admin:index", "admin:axes_accessattempt_changelist", "admin:axes_accesslog_changelist"],
    }
    left = {}
    for username, pages in usernames.items():
        client = signed_in(username)
        for page in pages:
            url = reverse(page[0], args=[page[1]]) if isinstance(page, tuple) else reverse(page)
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            found = latin_only(response.content.decode(), also_allowed=set(re.split(r"[-_]", username)))
            if found:
                left[f"{username} {url}"] = found
    assert left == {}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_exports_cadences_and_the_lock_out_section_are_chinese(client, demo):
    office = signed_in("demo-reviewer")
    response = office.get(reverse("admin:disclosures_compliance_export", args=["csv"]))
    assert quote("双月自查") in response["Content-Disposition"]
    page = office.get(reverse("admin:disclosures_compliance")).content.decode()
    assert "每年10月底前" in page and "（指定月份） (10)" not in page
    index = signed_in("demo-admin").get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index and ">Axes<" not in index and "AXES" not in index


def test_checkbox_labels_end_without_a_colon(client):
    item = make_disclosure(title="招生章程", status=DisclosureStatus.SUBMITTED)
    client.force_login(reviewer("office"))
    page = client.get(reverse("admin:disclosures_disclosure_review", args=[item.pk])).content.decode()
    assert "已核查：不涉及国家秘密</label>" in page
    assert not re.search(r"秘密[:：]</label>", page)


def test_the_history_reads_as_text_in_beijing_time(client, media_root):
    author = editor("liaison", "admissions")
    item = make_disclosure(title="招生章程", status=DisclosureStatus.DRAFT, body="<p>报名时间为三月一日。</p>")
    item.body = "<p>报名时间为三月五日，<strong>逾期不候</strong>。</p>"
    item.document_number = "招〔2026〕1号"
    services.disclosure_save(disclosure=item, user=author)
    published = make_disclosure(title="另一条")
    client.force_login(reviewer("office"))
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[item.pk])).content.decode()
    history = page[page.index('class="audit-change"') :]
    assert "&lt;p&gt;" not in history and "&lt;strong&gt;" not in history
    assert "报名时间为三月<del>一</del><ins>五</ins>日<ins>，逾期不候</ins>。" in history
    assert "<b>正文</b>" in history and "<b>文号</b>" in history
    assert "<b>body" not in history and "document_number" not in history
    # The body shown read-only (to the office, who does not edit it) is the text, not its HTML source.
    assert "&lt;p&gt;报名" not in page
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[published.pk])).content.decode()
    history = page[page.index('class="audit-change"') :]
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", history) and "+08:00" not in history
    event = AuditEvent.objects.get(disclosure=published, changes__has_key="published_at")
    shown = datetime.datetime.fromisoformat(event.changes["published_at"][1]).strftime("%Y-%m-%d %H:%M")
    assert f"<ins>{shown}</ins>" in history


def test_the_attachment_checksum_is_short(client, media_root):
    item = make_disclosure(title="招生章程", status=DisclosureStatus.DRAFT)
    Attachment.objects.create(
        disclosure=item,
        file=ContentFile(pdf_bytes(), name="a.pdf"),
        original_name="a.pdf",
        size=10,
        content_type="application/pdf",
        sha256="ab" * 32,
    )
    client.force_login(reviewer("office"))
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[item.pk])).content.decode()
    assert "ab" * 32 + "<" not in page and "abababababab…" in page


def test_action_names_cannot_be_mistaken_for_each_other():
    from django.utils import translation

    with translation.override("zh-hans"):
        labels = [str(action.label) for action in APPLICATION_ACTIONS.values()]
    for label in labels:
        assert not [other for other in labels if other != label and label in other], label
