"""Editors work only on their own departments' items and cannot publish: in the services and in the admin,
including crafted POSTs."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from disclosures.models import Disclosure, DisclosureStatus
from tests.factories import category, department, editor, make_disclosure, reviewer

pytestmark = pytest.mark.django_db


def form_data(disclosure=None, **overrides):
    data = {
        "title": "新的通知",
        "category": category("04").pk,
        "item": "",
        "department": department("admissions").pk,
        "audience": "public",
        "notice_kind": "",
        "corrects": "",
        "document_number": "",
        "date_written": timezone.localdate().isoformat(),
        "validity": "",
        "replaced_by": "",
        "keywords": "",
        "summary": "",
        "body": "<p>正文</p>",
    }
    for prefix in ("attachments", "reviews", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"})
    if disclosure is not None:
        for field in ("title", "document_number", "keywords", "summary", "body"):
            data[field] = getattr(disclosure, field)
        data["department"] = disclosure.department_id
        data["category"] = disclosure.category_id
        data["item"] = disclosure.item_id or ""
        data["date_written"] = disclosure.date_written.isoformat()
    data.update(overrides)
    return data


def test_editor_cannot_publish_approve_or_withdraw_in_the_services():
    author = editor()
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(
            disclosure=item, user=author, no_state_secrets=True, no_trade_secrets=True, no_personal_privacy=True
        )
    with pytest.raises(PermissionDenied):
        services.disclosure_return(disclosure=item, user=author, comment="x")
    approved = make_disclosure(status=DisclosureStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        services.disclosure_publish(disclosure=approved, user=author)
    with pytest.raises(PermissionDenied):
        services.disclosure_withdraw(disclosure=make_disclosure(), user=author, reason="x")


def test_editor_cannot_touch_another_departments_items_in_the_services():
    finance_editor = editor("finance-editor", "finance")
    item = make_disclosure(status=DisclosureStatus.DRAFT)  # admissions
    item.title = "改标题"
    with pytest.raises(PermissionDenied):
        services.disclosure_save(disclosure=item, user=finance_editor)
    with pytest.raises(PermissionDenied):
        services.disclosure_submit(disclosure=item, user=finance_editor)
    other = Disclosure(
        title="冒充招生处",
        category=category("04"),
        department=department("admissions"),
        date_written=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.disclosure_save(disclosure=other, user=finance_editor)
    published = make_disclosure()
    with pytest.raises(PermissionDenied):
        services.disclosure_revise(disclosure=published, user=finance_editor, proposed=published)


def test_admin_lists_only_the_editors_departments(client, django_assert_max_num_queries):
    make_disclosure(title="招生处的通知", status=DisclosureStatus.DRAFT)
    make_disclosure(title="财务处的通知", department_code="finance", category_code="10", item_code="10.01")
    client.force_login(editor())
    with django_assert_max_num_queries(15):
        html = client.get(reverse("admin:disclosures_disclosure_changelist")).content.decode()
    assert "招生处的通知" in html and "财务处的通知" not in html
    office = client.__class__()
    office.force_login(reviewer())
    html = office.get(reverse("admin:disclosures_disclosure_changelist")).content.decode()
    assert "招生处的通知" in html and "财务处的通知" in html


def test_admin_list_queries_do_not_grow(client, django_assert_max_num_queries):
    client.force_login(reviewer())
    url = reverse("admin:disclosures_disclosure_changelist")
    make_disclosure(title="一")
    client.get(url)
    for n in range(8):
        make_disclosure(title=f"通知{n}")
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    audit = reverse("admin:disclosures_auditevent_changelist")
    with django_assert_max_num_queries(15):
        assert client.get(audit).status_code == 200


def test_admin_refuses_another_departments_item_even_by_crafted_post(client):
    client.force_login(editor("finance-editor", "finance"))
    item = make_disclosure(title="招生处草稿", status=DisclosureStatus.DRAFT)
    change = reverse("admin:disclosures_disclosure_change", args=[item.pk])
    assert client.get(change).status_code == 302  # not found in their scope: back to the admin index
    client.post(change, form_data(item, title="被篡改"))
    client.post(reverse("admin:disclosures_disclosure_submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.title == "招生处草稿" and item.status == DisclosureStatus.DRAFT
    # Creating an item for a department one does not belong to is refused with a message on the form.
    add = reverse("admin:disclosures_disclosure_add")
    response = client.post(add, form_data(title="冒充", department=department("admissions").pk))
    assert response.status_code == 200 and not Disclosure.objects.filter(title="冒充").exists()
    assert "department" in response.context["adminform"].form.errors


def test_admin_offers_an_editor_no_publishing_and_refuses_crafted_posts(client):
    author = editor()
    client.force_login(author)
    item = make_disclosure(status=DisclosureStatus.APPROVED)
    changelist = client.get(reverse("admin:disclosures_disclosure_changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "submit" in actions and "publish" not in actions and "withdraw" not in actions
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[item.pk])).content.decode()
    assert "/publish/" not in page and "/review/" not in page
    # Crafted requests: the action by name, the publish and review pages directly.
    client.post(
        reverse("admin:disclosures_disclosure_changelist"),
        {"action": "publish", "_selected_action": [item.pk]},
    )
    client.post(reverse("admin:disclosures_disclosure_publish", args=[item.pk]), {"publish_at": ""})
    item.refresh_from_db()
    assert item.status == DisclosureStatus.APPROVED
    submitted = make_disclosure(status=DisclosureStatus.SUBMITTED)
    client.post(
        reverse("admin:disclosures_disclosure_review", args=[submitted.pk]),
        {"decision": "approve", "no_state_secrets": "on", "no_trade_secrets": "on", "no_personal_privacy": "on"},
    )
    submitted.refresh_from_db()
    assert submitted.status == DisclosureStatus.SUBMITTED


def test_editor_cannot_edit_a_submitted_item_in_the_admin(client):
    client.force_login(editor())
    item = make_disclosure(title="已提交", status=DisclosureStatus.SUBMITTED)
    change = reverse("admin:disclosures_disclosure_change", args=[item.pk])
    assert client.get(change).status_code == 200  # read-only view
    assert client.post(change, form_data(item, title="改了")).status_code == 403
    item.refresh_from_db()
    assert item.title == "已提交"


def test_editing_a_published_item_in_the_admin_makes_a_revision(client):
    client.force_login(editor())
    item = make_disclosure(title="已发布的通知")
    change = reverse("admin:disclosures_disclosure_change", args=[item.pk])
    response = client.post(change, form_data(item, title="修订标题"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "已发布的通知" and item.revisions.get().data["title"] == "修订标题"
    assert "修订标题" in client.get(change).content.decode()  # the form shows the open revision


def test_reviewer_review_page_approves_and_publishes(client):
    client.force_login(reviewer())
    item = make_disclosure(title="待审核", status=DisclosureStatus.SUBMITTED, body="<p>联系人手机13812345678</p>")
    url = reverse("admin:disclosures_disclosure_review", args=[item.pk])
    page = client.get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    confirm = {"decision": "approve", "no_state_secrets": "on", "no_trade_secrets": "on", "no_personal_privacy": "on"}
    response = client.post(url, {**confirm, "publication": "now"})
    assert response.status_code == 200 and "acknowledge_scan" in response.context["form"].errors
    response = client.post(url, {**confirm, "publication": "now", "acknowledge_scan": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_public
    review = item.reviews.get(decision="approved")
    assert review.scan_acknowledged and review.scan_hits[0]["masked"] == "138****5678"
    assert "13812345678" not in str(review.scan_hits)
