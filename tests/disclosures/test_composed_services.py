"""The services the admin calls where it once put several together: approve and publish, save or revise, the
attachment changes of one edit, a revision's changes."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosures import services
from disclosures.models import Attachment, AuditAction, Disclosure, DisclosureStatus, Review, RevisionStatus
from tests.factories import UserFactory, editor, make_disclosure, pdf_bytes, reviewer, upload

pytestmark = pytest.mark.django_db
CONFIRMED = {"no_state_secrets": True, "no_trade_secrets": True, "no_personal_privacy": True}


def test_approve_and_publish_publishes_now_or_at_the_time_given():
    now_item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.disclosure_approve_and_publish(disclosure=now_item, user=reviewer(), **CONFIRMED)
    assert Disclosure.objects.get(pk=now_item.pk).status == DisclosureStatus.PUBLISHED
    later = timezone.now() + datetime.timedelta(days=1)
    later_item = make_disclosure(status=DisclosureStatus.SUBMITTED, title="定时发布")
    services.disclosure_approve_and_publish(disclosure=later_item, user=reviewer(), at=later, **CONFIRMED)
    later_item.refresh_from_db()
    assert later_item.status == DisclosureStatus.SCHEDULED and later_item.published_at == later
    kept = make_disclosure(status=DisclosureStatus.SUBMITTED, title="只批准")
    services.disclosure_approve_and_publish(disclosure=kept, user=reviewer(), publish=False, **CONFIRMED)
    assert Disclosure.objects.get(pk=kept.pk).status == DisclosureStatus.APPROVED


def test_a_reviewer_who_may_not_publish_only_approves():
    office = UserFactory(username="review-only", is_staff=True)
    office.user_permissions.add(Permission.objects.get(codename="review_disclosure"))
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.disclosure_approve_and_publish(disclosure=item, user=office, **CONFIRMED)
    assert Disclosure.objects.get(pk=item.pk).status == DisclosureStatus.APPROVED


def test_a_failed_publication_leaves_the_item_unapproved():
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    past = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        services.disclosure_approve_and_publish(disclosure=item, user=reviewer(), at=past, **CONFIRMED)
    assert "publish_at" in raised.value.error_dict
    stored = Disclosure.objects.get(pk=item.pk)
    assert stored.status == DisclosureStatus.SUBMITTED and stored.approved_at is None
    assert not Review.objects.filter(disclosure=item).exists()
    assert not item.events.filter(action=AuditAction.APPROVED).exists()


def test_an_approved_revision_is_online_without_a_second_publication():
    author = editor()
    item = make_disclosure(title="原标题")
    proposed = Disclosure.objects.get(pk=item.pk)
    proposed.title = "修订后的标题"
    assert services.disclosure_change(disclosure=proposed, user=author) is not None
    services.disclosure_submit(disclosure=item, user=author)
    review = services.disclosure_approve_and_publish(disclosure=item, user=reviewer(), **CONFIRMED)
    assert review.revision.status == RevisionStatus.APPLIED
    item.refresh_from_db()
    assert item.status == DisclosureStatus.PUBLISHED and item.title == "修订后的标题"
    assert item.events.filter(action=AuditAction.PUBLISHED).count() == 1


def test_change_saves_a_draft_and_keeps_a_published_items_edit_as_its_revision():
    author = editor()
    draft = make_disclosure(status=DisclosureStatus.DRAFT, title="草稿")
    draft.title = "改过的草稿"
    assert services.disclosure_change(disclosure=draft, user=author) is None
    assert Disclosure.objects.get(pk=draft.pk).title == "改过的草稿"
    published = make_disclosure(title="已发布的标题")
    edited = Disclosure.objects.get(pk=published.pk)
    edited.title = "拟修改的标题"
    revision = services.disclosure_change(disclosure=edited, user=author)
    assert revision.status == RevisionStatus.DRAFT and revision.data["title"] == "拟修改的标题"
    assert Disclosure.objects.get(pk=published.pk).title == "已发布的标题"
    assert services.revision_changes(disclosure=published, revision=revision) == [
        (Disclosure._meta.get_field("title").verbose_name, "已发布的标题", "拟修改的标题")
    ]


def test_the_attachment_changes_of_one_edit_are_saved_together():
    author = editor()
    draft = make_disclosure(status=DisclosureStatus.DRAFT)
    kept = services.attachment_add(disclosure=draft, uploaded=upload("预算.pdf", pdf_bytes()), user=author)
    removed = services.attachment_add(disclosure=draft, uploaded=upload("旧表.pdf", pdf_bytes()), user=author)
    new = Attachment(disclosure=draft, file=upload("新表.pdf", pdf_bytes()), title="新表", order=2)
    checked = services.attachment_check(uploaded=new.file)
    kept.title, kept.order = "2024年预算", 1
    services.attachments_save(user=author, removed=[removed], stored=[(new, checked)], retitled=[kept])
    assert [(a.title, a.order) for a in draft.attachments.all()] == [("2024年预算", 1), ("新表", 2)]
    assert draft.events.filter(action=AuditAction.ATTACHMENT_REMOVED).count() == 1
    services.disclosure_submit(disclosure=draft, user=author)
    kept.title = "提交后改名"
    with pytest.raises(ValidationError):
        services.attachments_save(user=author, retitled=[kept])
    assert Attachment.objects.get(pk=kept.pk).title == "2024年预算"
