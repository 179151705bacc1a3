"""Formal notices: each step of the flow issues its notice with a 文号 from the yearly sequence, the text from the
editable template (placeholders only), Chinese dates, the legal grounds and the remedies; the applicant downloads
each as DOCX and PDF on the tracking page, and the text reads back from both."""

import datetime
import io

import docx
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from requests_app import permissions, services
from requests_app.models import Notice, NoticeTemplate, RemedyBody
from tests.requests_app.factories import make_application, office_head

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=BEIJING), tick=False)


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def track(client, application):
    session = client.session
    session[permissions.SESSION_KEY] = [application.tracking_number]
    session.save()


def test_every_step_issues_its_notice_and_the_applicant_downloads_them(client):
    RemedyBody.objects.filter(kind="supervision").update(name="学校纪委办公室", contact="0591-7654321")
    RemedyBody.objects.filter(kind="education_department").update(name="福建省教育厅", contact="0591-87091234")
    head = office_head()
    with on(D(2026, 3, 2)):
        application, _ = make_application(description="2025年各专业最低录取分数。")
        services.application_accept(application=application, user=None)
        services.application_request_clarification(application=application, user=None, message="请写明招生年份")
    with on(D(2026, 3, 3)):
        services.application_answer_clarification(application=application, text="2025年")
        services.application_extend(application=application, user=None, days=10, reason="材料较多", approver=head)
        services.application_consult_start(application=application, user=None, third_party="某考试中心")
    with on(D(2026, 3, 5)):
        services.application_consult_end(application=application, user=None, decision="agrees", answer="同意")
    with on(D(2026, 12, 2)):
        services.application_reply(
            application=application,
            user=None,
            outcome="already_published",
            published_url="https://xxgk.example.edu.cn/items/HCVC-2025-0007/",
            letter="您申请的信息已主动公开，见本校信息公开网。",
        )
    notices = list(Notice.objects.order_by("id"))
    assert [n.kind for n in notices] == ["receipt", "clarification", "extension", "consultation", "reply"]
    assert [n.number for n in notices] == [f"〔2026〕依申请第{n}号" for n in range(1, 6)]
    reply = notices[-1]
    assert "最低录取分数。”。" not in reply.body and "分数。。" not in reply.body
    track(client, application)
    page = client.get(reverse("requests_app:status", args=[application.tracking_number])).content.decode()
    assert "〔2026〕依申请第1号" in page and "〔2026〕依申请第4号" not in page  # the third party's letter is theirs
    url = reverse("requests_app:notice-download", args=[application.tracking_number, reply.pk, "docx"])
    text = docx_text(client.get(url).content)
    assert "政府信息公开申请答复书" in text and "〔2026〕依申请第5号" in text and "张三丰：" in text
    assert "二〇二六年十二月二日" in text and "二〇二六年三月二日" in text  # issued on; received on
    assert "学校纪委办公室" in text and "福建省教育厅" in text and "（盖章处）" in text
    assert "第三十六条" in text or "36" in text  # the ground of "already published"
    pdf = client.get(url.replace(".docx", ".pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "〔2026〕依申请第5号" in text and "二〇二六年十二月二日" in text and "福建省教育厅" in text
    consultation = reverse("requests_app:notice-download", args=[application.tracking_number, notices[3].pk, "pdf"])
    assert client.get(consultation).status_code == 404
    extension = docx_text(
        client.get(
            reverse("requests_app:notice-download", args=[application.tracking_number, notices[2].pk, "docx"])
        ).content
    )
    assert "第三十三条" in extension and "10个工作日" in extension


def test_templates_are_placeholders_only_and_the_number_restarts_each_year():
    NoticeTemplate.objects.filter(kind="receipt").update(
        body="${applicant}：${tracking_number} ${__class__} {{ request }} {% load x %} ${unknown}"
    )
    with on(D(2026, 12, 31)):
        first, _ = make_application()
        services.application_accept(application=first, user=None)
    with on(D(2027, 1, 4)):
        second, _ = make_application(phone="13900000009")
        services.application_accept(application=second, user=None)
    one, two = Notice.objects.order_by("id")
    assert one.number == "〔2026〕依申请第1号" and two.number == "〔2027〕依申请第1号"
    assert "张三丰：" in one.body and "${__class__}" in one.body and "{{ request }}" in one.body


def test_the_reply_letter_has_no_doubled_punctuation_and_chinese_dates():
    with on(D(2026, 12, 2)):
        application, _ = make_application(description="2025年各专业最低录取分数。")
        letter = services.reply_letter_render(application=application, outcome="disclosed")
    assert "分数。。" not in letter and "分数。”。" not in letter and "2025年各专业最低录取分数" in letter
    assert "二〇二六年十二月二日" in letter
