"""An anonymous outsider (off the campus network, signed out, without the tracking codes of anyone else) tries
every public URL and finds nothing that is not public: no draft, submitted, returned, approved-not-published,
scheduled, campus-only or legally withdrawn item, no pending revision, none of their attachments, no other
applicant's application, files or reply letter, no other person's message, complaint or mailbox letter, no
unpublished consultation, no unpublished survey results, no draft annual report, no admin page.

Each secret carries a marker word that must never appear in any response the outsider gets. The campus
network and a signed-in staff member visit the same pages first, so a page cached for them and served to
the outsider would show up too. Public "control" objects carry markers that must appear, so that the sweep
is shown to see what it looks for.
"""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annual_reports import services as report_services
from disclosures import services as disclosure_services
from disclosures.models import Disclosure, DisclosureStatus, NoticeKind, Validity, WithdrawalKind
from feedback import services as feedback_services
from feedback.models import Channel, Mailbox, SurveyQuestion
from requests_app import services
from tests.annual_reports.factories import make_report
from tests.factories import editor, make_disclosure, pdf_bytes, reviewer, upload
from tests.feedback.factories import make_message, make_survey
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db

OUTSIDER = "203.0.113.9"
CAMPUS = "10.1.2.3"


def item_with_attachment(marker: str, **fields) -> Disclosure:
    disclosure = make_disclosure(
        title=f"{marker} 关于奖学金名单的通知",
        body=f"<p>{marker} 正文：名单见附件。</p>",
        summary=f"{marker} 摘要",
        keywords=marker,
        **fields,
    )
    disclosure_services.attachment_add(
        disclosure=disclosure, uploaded=upload(f"{marker}-名单.pdf", pdf_bytes(marker)), title=f"{marker} 附件"
    )
    return disclosure


@pytest.fixture
def secrets(settings, tmp_path, staff_user):
    """Every kind of thing that must not be public, built through the services as the site builds it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CAMPUS_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    future = timezone.now() + datetime.timedelta(days=10)
    office = reviewer("leak-reviewer")
    items = {
        "draft": item_with_attachment("leakdraftq", status=DisclosureStatus.DRAFT),
        "submitted": item_with_attachment("leaksubmittedq", status=DisclosureStatus.SUBMITTED),
        "returned": item_with_attachment("leakreturnedq", status=DisclosureStatus.RETURNED),
        "approved": item_with_attachment("leakapprovedq", status=DisclosureStatus.APPROVED),
        "scheduled": item_with_attachment("leakscheduledq", published_at=future),
        "campus": item_with_attachment("leakcampusq", audience="campus"),
        "legal": item_with_attachment("leaklegalq"),
        "withdrawn": item_with_attachment("leakwithdrawnq"),
    }
    assert items["scheduled"].status == DisclosureStatus.SCHEDULED
    disclosure_services.disclosure_withdraw(
        disclosure=items["legal"], user=office, reason="涉及个人隐私", kind=WithdrawalKind.LEGAL
    )
    disclosure_services.disclosure_withdraw(disclosure=items["withdrawn"], user=office, reason="已过时")
    # A published item with a pending revision: the proposed text stays private until approved.
    revised = make_disclosure(title="2024年学费标准", body="<p>公开的版本</p>")
    proposed = Disclosure.objects.get(pk=revised.pk)
    proposed.title, proposed.body = "leakrevisionq 新标题", "<p>leakrevisionq 拟修改的正文</p>"
    disclosure_services.disclosure_revise(
        disclosure=revised, user=editor("leak-editor", "admissions"), proposed=proposed
    )
    public = item_with_attachment("leakpublicq")  # the control: must be found everywhere
    # Public items linked to the campus-only one: a correction of it, and a rule it replaces. Their pages
    # must not name it to outsiders.
    linked = [
        make_disclosure(title="关于通知的更正", notice_kind=NoticeKind.CORRECTION, corrects=items["campus"]),
        make_disclosure(title="已废止的管理办法", validity=Validity.REPEALED, replaced_by=items["campus"]),
    ]

    # Another applicant's application, with an ID proof, a reply letter and a released file.
    other, _code = make_application(
        name="leakapplicantq 王五",
        description="leakapplicationq 申请公开的信息",
        files=[upload("leakidproofq.pdf", pdf_bytes("leakidproofq"))],
    )
    services.application_accept(application=other, user=staff_user)
    services.application_reply(
        application=other,
        user=staff_user,
        kind="disclosed",
        letter="leakletterq 答复书全文",
        files=[upload("leakreleasedq.pdf", pdf_bytes("leakreleasedq"))],
    )
    mine, my_code = make_application(name="本人", description="我自己的申请", phone="13700001111")

    # Other people's messages: unpublished and unpublishable ones, a complaint and a mailbox letter.
    asked, _ = make_message(subject="leakunansweredq 咨询", text="leakunansweredq 内容")
    answered, _ = make_message(subject="leakunpublishedq 咨询", text="leakunpublishedq 请问")
    feedback_services.message_answer(message=answered, user=staff_user, reply="leakunpublishedq 答复")
    private, _ = make_message(subject="leakprivateq 咨询", text="leakprivateq 请问", publish_allowed=False)
    feedback_services.message_answer(message=private, user=staff_user, reply="leakprivateq 答复")
    withdrawn, _ = make_message(subject="leakunboardedq 咨询", text="leakunboardedq 请问")
    feedback_services.message_answer(message=withdrawn, user=staff_user, reply="leakunboardedq 答复", publish=True)
    feedback_services.message_unpublish(message=withdrawn, user=staff_user)
    complaint, _ = make_message(channel=Channel.COMPLAINT, subject="leakcomplaintq 投诉", text="leakcomplaintq 内容")
    letter, _ = make_message(
        channel=Channel.MAILBOX,
        mailbox=Mailbox.objects.filter(active=True).first(),
        subject="leakmailq 来信",
        text="leakmailq 内容",
    )
    on_board, _ = make_message(subject="leakboardq 咨询", text="leakboardq 请问")  # the control
    feedback_services.message_answer(message=on_board, user=staff_user, reply="leakboardq 答复", publish=True)

    # Surveys: results not published (with a free-text answer), and a campus-only survey.
    survey = make_survey(title="2024年度评议")
    rating, choice, text = SurveyQuestion.objects.filter(survey=survey).order_by("order")
    feedback_services.survey_respond(
        survey=survey, values={rating.pk: "4", choice.pk: "网站", text.pk: "leaksurveyanswerq 意见"}
    )
    campus_survey = make_survey(title="leakcampussurveyq 校内评议", audience="campus", results_published=True)
    public_survey = make_survey(title="leakpublicsurveyq 公开评议", results_published=True)  # the control

    # Annual reports: a published one (control) and a draft.
    published = make_report(year=2022, overview="<p>leakpublishedreportq 概述</p>")
    report_services.annual_report_publish(
        report=published, user=None, on=datetime.date(2023, 10, 20), acknowledge_warnings=True
    )
    draft_report = make_report(year=2023, title="leakdraftreportq 年度报告", overview="<p>leakdraftreportq 概述</p>")

    return {
        "items": items,
        "revised": revised,
        "public": public,
        "linked": linked,
        "other": other,
        "mine": mine,
        "my_code": my_code,
        "messages": [asked, answered, private, withdrawn, complaint, letter],
        "on_board": on_board,
        "survey": survey,
        "campus_survey": campus_survey,
        "public_survey": public_survey,
        "published_report": published,
        "draft_report": draft_report,
    }


SECRET_MARKERS = [
    "leakdraftq",
    "leaksubmittedq",
    "leakreturnedq",
    "leakapprovedq",
    "leakscheduledq",
    "leakcampusq",
    "leaklegalq",
    "leakrevisionq",
    "leakapplicantq",
    "leakapplicationq",
    "leakidproofq",
    "leakletterq",
    "leakreleasedq",
    "leakunansweredq",
    "leakunpublishedq",
    "leakprivateq",
    "leakunboardedq",
    "leakcomplaintq",
    "leakmailq",
    "leaksurveyanswerq",
    "leakcampussurveyq",
    "leakdraftreportq",
]
CONTROL_MARKERS = ["leakpublicq", "leakboardq", "leakpublicsurveyq"]


def label(report) -> str:
    return f"{report.year}-{report.year + 1}"


def public_urls(secrets) -> list[str]:
    """Every public page that lists, searches, feeds or shows items, messages, surveys and reports."""
    public, revised = secrets["public"], secrets["revised"]
    category = public.category
    urls = [
        "/",
        "/catalogue/",
        f"/catalogue/{category.slug}/",
        public.item.get_absolute_url(),
        "/items/",
        "/items/?page=2",
        f"/items/?category={category.slug}&sort=date",
        public.get_absolute_url(),
        reverse("disclosures:disclosure-print", args=[public.index_number]),
        revised.get_absolute_url(),
        reverse("disclosures:disclosure-print", args=[revised.index_number]),
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        f"/feeds/{category.slug}.rss",
        f"/feeds/{category.slug}.atom",
        "/sitemap.xml",
        "/sitemap-catalogue.xml",
        "/sitemap-items.xml",
        "/sitemap-disclosures.xml",
        "/api/v1/categories/",
        "/api/v1/items/",
        f"/api/v1/items/?category={category.slug}",
        f"/api/v1/items/{public.index_number}/",
        f"/api/v1/items/{revised.index_number}/",
        *[
            url
            for item in secrets["linked"]
            for url in (
                item.get_absolute_url(),
                reverse("disclosures:disclosure-print", args=[item.index_number]),
                f"/api/v1/items/{item.index_number}/",
            )
        ],
        "/board/",
        "/surveys/",
        f"/surveys/{secrets['public_survey'].pk}/",
        f"/surveys/{secrets['public_survey'].pk}/results/",
        "/reports/",
        f"/reports/{label(secrets['published_report'])}/",
        f"/reports/{label(secrets['published_report'])}/print/",
        "/mailbox/",
        "/apply/",
        "/apply/track/",
        "/feedback/track/",
    ]
    # Searches for words every secret of its kind shares with its control (the markers themselves would be
    # echoed back in the search box).
    for words in ("奖学金名单", "名单见附件", "摘要", "附件", "奖学金", "学费标准", "修改"):
        urls += [f"/search/?q={words}", f"/items/?q={words}", f"/api/v1/items/?q={words}"]
    for words in ("咨询", "请问", "答复", "投诉", "来信", "内容"):
        urls += [f"/board/?q={words}", f"/search/?q={words}"]
    return urls


def outsider() -> Client:
    return Client(raise_request_exception=False, REMOTE_ADDR=OUTSIDER)


def leaked(response) -> list[str]:
    text = response.content.decode("utf-8", "replace").lower()
    return [marker for marker in SECRET_MARKERS if marker in text]


def test_an_outsider_finds_no_secret_on_any_public_page(secrets, staff_user):
    urls = public_urls(secrets)
    # The campus network and a signed-in staff member see more: they visit first, to poison any shared cache.
    campus = Client(REMOTE_ADDR=CAMPUS)
    staff = Client(REMOTE_ADDR=OUTSIDER)
    staff.force_login(staff_user)
    for visitor in (campus, staff):
        for url in urls:
            assert visitor.get(url).status_code < 500, url
    assert staff.get(secrets["items"]["draft"].get_absolute_url()).status_code == 200  # staff preview
    browser = outsider()
    found = {}
    seen = ""
    for url in urls:
        response = browser.get(url)
        assert response.status_code < 500, url
        if leaked(response):
            found[url] = leaked(response)
        seen += response.content.decode("utf-8", "replace").lower()
    assert not found, found
    # The sweep sees what is public: otherwise it would prove nothing.
    for marker in CONTROL_MARKERS:
        assert marker in seen, marker
    assert "2024年学费标准" in seen and "公开的版本" in seen  # the published version of the revised item


def test_the_campus_network_sees_campus_only_items(secrets):
    """The other side of the campus rule, so that the outsider's not seeing them means something."""
    campus = Client(REMOTE_ADDR=CAMPUS)
    assert "leakcampusq" in campus.get("/items/").content.decode()
    assert campus.get(secrets["items"]["campus"].get_absolute_url()).status_code == 200
    assert "leakcampusq" not in outsider().get("/items/").content.decode()


@pytest.mark.parametrize(
    "kind, page_status",
    [
        ("draft", 404),
        ("submitted", 404),
        ("returned", 404),
        ("approved", 404),
        ("scheduled", 404),
        ("campus", 403),
        ("legal", 410),
        ("withdrawn", 200),
    ],
)
def test_secret_items_and_their_attachments_answer_as_designed(secrets, kind, page_status):
    disclosure = Disclosure.objects.get(pk=secrets["items"][kind].pk)
    attachment = disclosure.attachments.get()
    browser = outsider()
    page = browser.get(disclosure.get_absolute_url())
    assert page.status_code == page_status
    printed = browser.get(reverse("disclosures:disclosure-print", args=[disclosure.index_number]))
    assert printed.status_code == page_status
    download = browser.get(attachment.get_absolute_url())
    assert download.status_code == (403 if kind == "campus" else 404)
    assert browser.get(f"/api/v1/items/{disclosure.index_number}/").status_code == 404
    marker = disclosure.keywords
    for response in (page, printed, download):
        text = response.content.decode("utf-8", "replace").lower()
        if kind == "withdrawn":
            # By design the page of an ordinary withdrawal names the item; its content and files are gone.
            for content in ("名单见附件", f"{marker} 摘要", f"{marker} 附件", f"{marker}-名单.pdf"):
                assert content not in text
        else:
            assert marker not in text


def test_another_applicants_application_files_and_letter_stay_hidden(secrets):
    other, mine = secrets["other"], secrets["mine"]
    browser = outsider()
    # The applicant of "mine" opens their own tracking page with their code.
    response = browser.post(
        "/apply/track/", {"tracking_number": mine.tracking_number, "access_code": secrets["my_code"]}
    )
    assert response.status_code == 302
    assert browser.get(f"/apply/track/{mine.tracking_number}/").status_code == 200
    number = other.tracking_number
    urls = [
        f"/apply/track/{number}/",
        f"/apply/track/{number}/receipt/",
        f"/apply/track/{number}/reply-letter/",
        *(f"/apply/track/{number}/files/{stored.pk}/" for stored in other.files.all()),
        # Another applicant's file pk under one's own number.
        *(f"/apply/track/{mine.tracking_number}/files/{stored.pk}/" for stored in other.files.all()),
    ]
    for url in urls:
        response = browser.post(url) if url.endswith("/clarification/") else browser.get(url)
        assert response.status_code == 404, url
        assert not leaked(response), url
    # A wrong code for the other number, and one's own code with the other number, find nothing.
    for code in ("WRONGCODE1", secrets["my_code"]):
        response = browser.post("/apply/track/", {"tracking_number": number, "access_code": code})
        assert response.status_code == 200 and not leaked(response)
    assert browser.get(f"/apply/track/{number}/").status_code == 404
    # Even the applicant may not download the ID proofs they sent: only the staff who handle them may.
    own_proof = make_application(phone="13700002222", files=[upload("证件.pdf", pdf_bytes())])[0].files.get()
    assert browser.get(f"/apply/track/{own_proof.application.tracking_number}/files/{own_proof.pk}/").status_code == 404


def test_other_peoples_messages_stay_hidden(secrets):
    browser = outsider()
    for message in secrets["messages"]:
        for url in (f"/feedback/{message.tracking_number}/", f"/feedback/{message.tracking_number}/receipt/"):
            response = browser.get(url)
            assert response.status_code == 404, url
            assert not leaked(response)
        response = browser.post("/feedback/track/", {"tracking_number": message.tracking_number, "access_code": "X"})
        assert response.status_code in (200, 429) and not leaked(response)  # 429: too many wrong codes
    board = browser.get("/board/").content.decode()
    assert "leakboardq" in board


def test_unpublished_survey_results_and_campus_surveys_stay_hidden(secrets):
    browser = outsider()
    survey, campus_survey = secrets["survey"], secrets["campus_survey"]
    assert browser.get(f"/surveys/{survey.pk}/results/").status_code == 404
    for url in (f"/surveys/{campus_survey.pk}/", f"/surveys/{campus_survey.pk}/results/"):
        response = browser.get(url)
        assert response.status_code == 404 and not leaked(response)
    assert browser.get(f"/surveys/{secrets['public_survey'].pk}/results/").status_code == 200


def test_draft_annual_reports_stay_hidden(secrets):
    browser = outsider()
    draft = label(secrets["draft_report"])
    for url in (f"/reports/{draft}/", f"/reports/{draft}/print/", f"/reports/{draft}/download.docx"):
        response = browser.get(url)
        assert response.status_code == 404, url
        assert not leaked(response)
    assert browser.get(f"/reports/{draft}/statistics.xlsx").status_code == 404
    assert browser.get(f"/reports/{label(secrets['published_report'])}/").status_code == 200


def test_admin_pages_send_the_outsider_to_the_sign_in_page(secrets):
    browser = outsider()
    draft = secrets["items"]["draft"]
    urls = [
        "/admin/",
        "/admin/disclosures/disclosure/",
        f"/admin/disclosures/disclosure/{draft.pk}/change/",
        f"/admin/requests_app/disclosureapplication/{secrets['other'].pk}/change/",
        "/admin/feedback/complaint/",
        "/admin/feedback/mailboxmessage/",
        "/admin/annual_reports/annualreport/",
    ]
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        assert not leaked(response)
