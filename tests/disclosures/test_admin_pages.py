"""The admin's workflow pages answer every input with a page or a clear message, never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from disclosures.models import Disclosure, DisclosureStatus
from tests.factories import editor, make_disclosure, reviewer

pytestmark = pytest.mark.django_db


def test_review_page_shows_the_revision_diff(client):
    author = editor()
    item = make_disclosure(title="原标题")
    proposed = Disclosure.objects.get(pk=item.pk)
    proposed.title = "修订后的标题"
    services.disclosure_revise(disclosure=item, user=author, proposed=proposed)
    services.disclosure_submit(disclosure=item, user=author)
    client.force_login(reviewer())
    html = client.get(reverse("admin:disclosures_disclosure_review", args=[item.pk])).content.decode()
    assert "原标题" in html and "修订后的标题" in html and "对已发布信息的修改" in html
    change = client.get(reverse("admin:disclosures_disclosure_change", args=[item.pk])).content.decode()
    assert "修订稿" in change and "/review/" in change


def test_review_form_errors_keep_the_input(client):
    client.force_login(reviewer())
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    url = reverse("admin:disclosures_disclosure_review", args=[item.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    response = client.post(url, {"decision": "approve", "no_state_secrets": "on", "comment": "只勾了一项"})
    assert response.status_code == 200 and "请确认该信息不涉及国家秘密" in response.content.decode()
    assert "只勾了一项" in response.content.decode()
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "decision": "approve",
            "no_state_secrets": "on",
            "no_trade_secrets": "on",
            "no_personal_privacy": "on",
            "publication": "at",
            "publish_at": past,
        },
    )
    assert response.status_code == 200 and "publish_at" in response.context["form"].errors
    item.refresh_from_db()
    assert item.status == DisclosureStatus.SUBMITTED and item.approved_at is None  # nothing half-done
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "decision": "approve",
            "no_state_secrets": "on",
            "no_trade_secrets": "on",
            "no_personal_privacy": "on",
            "publication": "at",
            "publish_at": future,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == DisclosureStatus.SCHEDULED


def test_publish_and_withdraw_pages(client):
    client.force_login(reviewer())
    approved = make_disclosure(status=DisclosureStatus.APPROVED)
    url = reverse("admin:disclosures_disclosure_publish", args=[approved.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"publish_at": "not a date"}).status_code == 200
    assert client.post(url, {"publish_at": ""}).status_code == 302
    approved.refresh_from_db()
    assert approved.is_public
    withdraw = reverse("admin:disclosures_disclosure_withdraw", args=[approved.pk])
    response = client.post(withdraw, {"kind": "legal", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(withdraw, {"kind": "legal", "reason": "法院要求删除"}).status_code == 302
    approved.refresh_from_db()
    assert approved.status == DisclosureStatus.WITHDRAWN and approved.withdrawal_kind == "legal"
    # Pages for an action that no longer applies redirect with a message instead of failing.
    assert client.get(withdraw).status_code == 302
    assert client.get(url).status_code == 302
    assert client.get(reverse("admin:disclosures_disclosure_review", args=[approved.pk])).status_code == 302


def test_bulk_actions_report_what_they_refused(client):
    client.force_login(reviewer())
    approved = make_disclosure(status=DisclosureStatus.APPROVED)
    draft = make_disclosure(status=DisclosureStatus.DRAFT)
    response = client.post(
        reverse("admin:disclosures_disclosure_changelist"),
        {"action": "publish", "_selected_action": [approved.pk, draft.pk]},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert draft.index_number in text
    approved.refresh_from_db()
    draft.refresh_from_db()
    assert approved.is_public and draft.status == DisclosureStatus.DRAFT


def test_correction_link_prefills_the_add_form(client):
    client.force_login(editor())
    original = make_disclosure()
    add = reverse("admin:disclosures_disclosure_add")
    response = client.get(f"{add}?corrects={original.pk}&notice_kind=clarification")
    form = response.context["adminform"].form
    assert form.initial["corrects"] == str(original.pk) or form.initial["corrects"] == original.pk
    assert form.initial["notice_kind"] == "clarification" and form.initial["department"] == original.department_id
