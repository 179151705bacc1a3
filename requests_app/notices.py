"""Formal notices (受理回执, 补正通知书, 延期答复告知书, 第三方意见征询函, 收费通知, 答复书): issued with a 文号 from a
yearly sequence (〔2026〕依申请第12号), the text rendered from the staff's template with placeholders only
(string.Template: nothing in a template runs), frozen when issued, and written as DOCX and PDF through
core.documents with the college's name, the applicant, Chinese dates, the legal grounds, the remedies that apply
(Order 29; 条例 art. 51, 55 para. 2) and a place for the seal."""

from __future__ import annotations

import datetime
import string

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.chinese import cn_date
from core.documents import FormalDocument
from core.sequences import sequence_next
from requests_app.models import (
    DisclosureApplication,
    Notice,
    NoticeKind,
    NoticeTemplate,
    RemedyBody,
    RemedyKind,
)

# Values put into a sentence lose their own closing punctuation: "……最低录取分数。”。" never again.
TRAILING = "。．.；;，,、 \n"


def college_name() -> str:
    return getattr(settings, "PORTAL_COLLEGE_NAME", "") or settings.PORTAL_SITE_NAME.removesuffix("信息公开网")


def notice_number(year: int) -> str:
    """The next 文号 of the year: 〔2026〕依申请第12号 (settings.APPLICATION_NOTICE_PREFIX)."""
    value = sequence_next(name=f"application-notice-{year}")
    return f"〔{year}〕{settings.APPLICATION_NOTICE_PREFIX}第{value}号"


def notice_issue(
    *, application: DisclosureApplication, kind: str, values: dict, addressee: str = "", public: bool = True
) -> Notice | None:
    """Issue a notice of ``kind`` for the application from its template (None when staff deleted the template).
    ``values`` fill the placeholders; dates are written in Chinese."""
    template = NoticeTemplate.objects.filter(kind=kind).first()
    if template is None:
        return None
    today = timezone.localdate()
    filled = {
        "applicant": application.name,
        "tracking_number": application.tracking_number,
        "description": application.description,
        "college": college_name(),
    }
    filled.update(values)
    for key, value in list(filled.items()):
        if isinstance(value, datetime.date):
            filled[key] = cn_date(value)
        elif value is None:
            filled[key] = ""
        else:
            filled[key] = str(value).rstrip(TRAILING) if key != "letter" else str(value).strip()
    body = string.Template(template.body).safe_substitute(filled)
    return Notice.objects.create(
        application=application,
        kind=kind,
        number=notice_number(today.year),
        issued_on=today,
        title=template.title,
        addressee=addressee or application.name,
        body=body,
        public=public,
    )


def notice_document(notice: Notice) -> FormalDocument:
    """The notice as a formal document: title, 文号, addressee, text, remedies, 落款 with the seal's place."""
    college = college_name()
    doc = FormalDocument(
        notice.title, author=college, subject=str(NoticeKind(notice.kind).label), keywords=notice.number
    )
    doc.subtitle(notice.number)
    doc.paragraph(f"{notice.addressee}：", indent=False)
    for line in notice.body.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    if notice.kind != NoticeKind.CONSULTATION:
        remedies = remedies_paragraphs()
        if remedies:
            doc.paragraph(_("Remedies:"), indent=False)
            for line in remedies:
                doc.paragraph(line)
    doc.signature(college, notice.issued_on, seal=True)
    return doc


# Remedies -------------------------------------------------------------------------------------------------


def remedy_placeholders() -> list[RemedyBody]:
    """Enabled remedy bodies whose name or contact is still the seeded placeholder."""
    return [body for body in RemedyBody.objects.filter(enabled=True) if body.is_placeholder]


def remedies_paragraphs() -> list[str]:
    """What every notice ends with: the remedies that apply and how to reach the bodies (Order 29;
    条例 art. 51, 55 para. 2), in the order of RemedyKind, from the admin's table."""
    bodies = {body.kind: body for body in RemedyBody.objects.filter(enabled=True)}
    lines = []
    office = bodies.get(RemedyKind.OFFICE)
    if office:
        lines.append(
            _("Questions about this notice: %(name)s (%(contact)s).") % {"name": office.name, "contact": office.contact}
        )
    complaint = [bodies[k] for k in (RemedyKind.SUPERVISION, RemedyKind.EDUCATION_DEPARTMENT) if k in bodies]
    if complaint:
        lines.append(
            _(
                "If you consider that the college has not fulfilled its disclosure obligations, you may complain or "
                "report to %(bodies)s (Order 29; Regulation art. 51, 55)."
            )
            % {"bodies": "；".join(f"{b.name}（{b.contact}）" for b in complaint)}
        )
    for kind, text in (
        (
            RemedyKind.RECONSIDERATION,
            _("You may apply for administrative reconsideration to %(name)s (%(contact)s), %(limit)s."),
        ),
        (RemedyKind.LITIGATION, _("You may bring an administrative lawsuit before %(name)s (%(contact)s), %(limit)s.")),
    ):
        body = bodies.get(kind)
        if body:
            lines.append(text % {"name": body.name, "contact": body.contact, "limit": body.time_limit})
    return lines
