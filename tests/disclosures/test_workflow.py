"""The publishing workflow in the services: states, both checks, scheduling, revisions, withdrawals,
corrections, notices and the audit trail."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from disclosures import services
from disclosures.models import (
    AuditAction,
    AuditEvent,
    Disclosure,
    DisclosureStatus,
    NoticeKind,
    Review,
    RevisionStatus,
    WithdrawalKind,
)
from tests.factories import approve, category, department, editor, make_disclosure, pdf_bytes, reviewer, upload

pytestmark = pytest.mark.django_db


def draft(author, **fields):
    disclosure = Disclosure(
        title=fields.pop("title", "关于2025年奖学金评定结果的公示"),
        category=category("04"),
        department=department("admissions"),
        date_written=timezone.localdate(),
        body=fields.pop("body", "<p>评定结果如下。</p>"),
        **fields,
    )
    return services.disclosure_save(disclosure=disclosure, user=author)


def confirmations(**extra):
    return {"no_state_secrets": True, "no_trade_secrets": True, "no_personal_privacy": True, **extra}


def test_full_path_records_both_checks_and_every_step(django_capture_on_commit_callbacks):
    author, office = editor(), reviewer()
    office.email = "office@example.edu.cn"
    office.save()
    item = draft(author)
    assert item.status == DisclosureStatus.DRAFT and not Disclosure.objects.published().exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(disclosure=item, user=author)
    assert mail.outbox[-1].to == ["office@example.edu.cn"] and "审核" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_return(disclosure=item, user=office, comment="请删除学生身份证号")
    assert item.status == DisclosureStatus.RETURNED
    assert mail.outbox[-1].to == [author.email] and "请删除学生身份证号" in mail.outbox[-1].body
    item.body = "<p>评定结果如下（已删除个人信息）。</p>"
    services.disclosure_save(disclosure=item, user=author)
    services.disclosure_submit(disclosure=item, user=author)
    services.disclosure_approve(disclosure=item, user=office, **confirmations())
    assert item.status == DisclosureStatus.APPROVED and not Disclosure.objects.published().exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_publish(disclosure=item, user=office)
    assert mail.outbox[-1].to == [author.email] and "已发布" in mail.outbox[-1].subject
    item.refresh_from_db()
    assert item.is_public and item.security_checked_by == office and item.approved_by == office
    actions = list(item.events.order_by("created_at", "id").values_list("action", flat=True))
    assert actions == [
        AuditAction.CREATED,
        AuditAction.SUBMITTED,
        AuditAction.RETURNED,
        AuditAction.EDITED,
        AuditAction.SUBMITTED,
        AuditAction.APPROVED,
        AuditAction.PUBLISHED,
    ]
    edit = item.events.get(action=AuditAction.EDITED)
    assert edit.actor == author and "body" in edit.changes and "已删除个人信息" in edit.changes["body"][1]


def test_confidentiality_confirmations_are_all_required():
    author, office = editor(), reviewer()
    item = draft(author)
    services.disclosure_submit(disclosure=item, user=author)
    with pytest.raises(ValidationError):
        services.disclosure_approve(disclosure=item, user=office, **confirmations(no_trade_secrets=False))
    item.refresh_from_db()
    assert item.status == DisclosureStatus.SUBMITTED and item.approved_at is None


def test_nothing_reaches_the_public_without_both_checks(client):
    public = make_disclosure(title="正常发布的通知")
    # A row forced to "published" without the review records (say, by a careless script) stays hidden.
    forced = make_disclosure(title="未经审核的通知", status=DisclosureStatus.DRAFT)
    Disclosure.objects.filter(pk=forced.pk).update(status=DisclosureStatus.PUBLISHED, published_at=timezone.now())
    half = make_disclosure(title="只有保密审查的通知", status=DisclosureStatus.DRAFT)
    Disclosure.objects.filter(pk=half.pk).update(
        status=DisclosureStatus.PUBLISHED, published_at=timezone.now(), security_checked_at=timezone.now()
    )
    assert list(Disclosure.objects.published()) == [public]
    html = client.get("/items/").content.decode()
    assert "正常发布的通知" in html and "未经审核的通知" not in html and "只有保密审查的通知" not in html
    assert client.get(forced.get_absolute_url()).status_code == 404
    assert client.get(half.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):  # and the service refuses to publish an unapproved item
        services.disclosure_publish(disclosure=forced, user=reviewer())


def test_publishing_needs_an_approved_item():
    author, office = editor(), reviewer()
    item = draft(author)
    with pytest.raises(PermissionDenied):
        services.disclosure_publish(disclosure=item, user=office)
    services.disclosure_submit(disclosure=item, user=author)
    with pytest.raises(PermissionDenied):
        services.disclosure_publish(disclosure=item, user=office)


def test_the_submitter_cannot_approve_their_own_item(settings):
    office = reviewer()
    both = editor("editor-and-reviewer", "admissions")
    both.groups.add(office.groups.get())
    both = type(both).objects.get(pk=both.pk)
    item = draft(both)
    services.disclosure_submit(disclosure=item, user=both)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(disclosure=item, user=both, **confirmations())
    settings.DISCLOSURE_SELF_APPROVAL = True
    services.disclosure_approve(disclosure=item, user=both, **confirmations())


def test_scheduled_items_stay_hidden_until_publish_due_runs(client, django_capture_on_commit_callbacks):
    office = reviewer()
    at = timezone.now() + datetime.timedelta(days=2)
    item = make_disclosure(title="定时发布的通知", status=DisclosureStatus.APPROVED)
    services.disclosure_publish(disclosure=item, user=office, at=at)
    assert item.status == DisclosureStatus.SCHEDULED
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "定时发布的通知" not in client.get("/items/").content.decode()
    call_command("publish_due", verbosity=0)  # too early: nothing happens
    item.refresh_from_db()
    assert item.status == DisclosureStatus.SCHEDULED
    with time_machine.travel(at + datetime.timedelta(minutes=1), tick=False):
        assert client.get(item.get_absolute_url()).status_code == 404  # the status is not yet published
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_due", verbosity=0)
        item.refresh_from_db()
        assert item.status == DisclosureStatus.PUBLISHED and item.published_at == at
        assert client.get(item.get_absolute_url()).status_code == 200
        event = item.events.get(action=AuditAction.PUBLISHED)
        assert event.actor is None and event.actor_name == "系统"
        call_command("publish_due", verbosity=0)  # a second run publishes nothing twice
    assert item.events.filter(action=AuditAction.PUBLISHED).count() == 1


def test_publication_cannot_be_back_dated():
    item = make_disclosure(status=DisclosureStatus.APPROVED)
    with pytest.raises(ValidationError):
        services.disclosure_publish(disclosure=item, user=reviewer(), at=timezone.now() - datetime.timedelta(days=3))


def test_a_revision_is_reviewed_while_the_published_version_stays_online(client):
    author, office = editor(), reviewer()
    item = make_disclosure(title="原标题", body="<p>原来的正文</p>")
    proposed = Disclosure.objects.get(pk=item.pk)
    proposed.title = "新标题"
    proposed.body = "<p>修订后的正文</p>"
    revision = services.disclosure_revise(disclosure=item, user=author, proposed=proposed)
    services.disclosure_submit(disclosure=item, user=author)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED
    html = client.get(item.get_absolute_url()).content.decode()
    assert "原标题" in html and "原来的正文" in html and "修订后的正文" not in html
    services.disclosure_return(disclosure=item, user=office, comment="标题不准确")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.RETURNED
    proposed.title = "更准确的新标题"
    services.disclosure_revise(disclosure=item, user=author, proposed=proposed)
    services.disclosure_submit(disclosure=item, user=author)
    approve(item, office)
    item.refresh_from_db()
    assert item.status == DisclosureStatus.PUBLISHED and item.title == "更准确的新标题"
    assert "修订后的正文" in client.get(item.get_absolute_url()).content.decode()
    applied = item.events.get(action=AuditAction.REVISION_APPLIED)
    assert applied.changes["title"] == ["原标题", "更准确的新标题"] and applied.actor == office


def test_withdrawn_item_keeps_its_audit_trail_and_says_when(client):
    office = reviewer()
    item = make_disclosure(title="将撤回的通知")
    events_before = item.events.count()
    services.disclosure_withdraw(disclosure=item, user=office, reason="信息已更新", kind=WithdrawalKind.OUTDATED)
    item.refresh_from_db()
    assert item.status == DisclosureStatus.WITHDRAWN and Disclosure.objects.filter(pk=item.pk).exists()
    assert item.events.count() == events_before + 1
    withdrawal = item.events.first()
    assert withdrawal.action == AuditAction.WITHDRAWN and withdrawal.comment == "信息已更新"
    assert withdrawal.actor == office and withdrawal.from_status == DisclosureStatus.PUBLISHED
    assert item.events.filter(action=AuditAction.APPROVED).exists() and item.reviews.exists()
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200 and "撤回" in response.content.decode()
    with pytest.raises(ValidationError):
        services.disclosure_withdraw(disclosure=item, user=office, reason="again")


def test_withdrawal_needs_a_reason():
    item = make_disclosure()
    with pytest.raises(ValidationError):
        services.disclosure_withdraw(disclosure=item, user=reviewer(), reason="  ")


@pytest.mark.parametrize("status_code", [410, 404])
def test_legal_withdrawal_answers_as_configured(client, settings, status_code):
    settings.DISCLOSURE_LEGAL_WITHDRAWAL_STATUS = status_code
    item = make_disclosure(title="涉及隐私的名单")
    services.disclosure_withdraw(disclosure=item, user=reviewer(), reason="含个人隐私", kind=WithdrawalKind.LEGAL)
    response = client.get(item.get_absolute_url())
    assert response.status_code == status_code
    assert "涉及隐私的名单" not in response.content.decode()


def test_a_correction_is_linked_and_shown_on_the_item(client):
    author = editor()
    original = make_disclosure(title="2025年招生计划")
    notice = services.correction_prepare(corrects=original, kind=NoticeKind.CLARIFICATION)
    notice.title = "关于2025年招生计划的澄清"
    notice.body = "<p>计划人数以本澄清为准。</p>"
    services.disclosure_save(disclosure=notice, user=author)
    assert "关于2025年招生计划的澄清" not in client.get(original.get_absolute_url()).content.decode()
    services.disclosure_submit(disclosure=notice, user=author)
    approve(notice)
    services.disclosure_publish(disclosure=notice, user=reviewer("factory-reviewer"))
    html = client.get(original.get_absolute_url()).content.decode()
    assert "更正和澄清" in html and "关于2025年招生计划的澄清" in html
    assert "2025年招生计划" in client.get(notice.get_absolute_url()).content.decode()


def test_a_correction_needs_a_published_target():
    draft_item = make_disclosure(status=DisclosureStatus.DRAFT)
    notice = services.correction_prepare(corrects=draft_item)
    notice.title = "更正"
    with pytest.raises(ValidationError):
        services.disclosure_save(disclosure=notice, user=editor())


def test_department_head_approval_when_the_department_requires_it(django_capture_on_commit_callbacks):
    from disclosures.permissions import HEAD_GROUP
    from tests.factories import staff_member

    admissions = department("admissions")
    admissions.head_approval_required = True
    admissions.save()
    author, office = editor(), reviewer()
    head = staff_member("head", HEAD_GROUP, "admissions")
    item = draft(author)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(disclosure=item, user=author)
    assert head.email in [address for message in mail.outbox for address in message.to]
    with pytest.raises(ValidationError):
        services.disclosure_approve(disclosure=item, user=office, **confirmations())
    with pytest.raises(PermissionDenied):
        services.disclosure_endorse(disclosure=item, user=staff_member("other-head", HEAD_GROUP, "finance"))
    services.disclosure_endorse(disclosure=item, user=head)
    services.disclosure_approve(disclosure=item, user=office, **confirmations())
    assert item.status == DisclosureStatus.APPROVED
    assert Review.objects.filter(disclosure=item, decision="endorsed", reviewer=head).exists()


def test_attachments_are_audited_and_frozen_after_submission():
    author = editor()
    item = draft(author)
    attachment = services.attachment_add(disclosure=item, uploaded=upload("名单.pdf", pdf_bytes()), user=author)
    assert item.events.filter(action=AuditAction.ATTACHMENT_ADDED).exists()
    services.disclosure_submit(disclosure=item, user=author)
    with pytest.raises(ValidationError):
        services.attachment_add(disclosure=item, uploaded=upload("b.pdf", pdf_bytes()), user=author)
    with pytest.raises(ValidationError):
        services.attachment_remove(attachment=attachment, user=author)


def test_a_removed_attachments_file_goes_only_when_the_removal_is_committed(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.db import transaction

    from disclosures.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path)
    author = editor()
    item = draft(author)
    attachment = services.attachment_add(disclosure=item, uploaded=upload("名单.pdf", pdf_bytes()), user=author)
    name = attachment.file.name
    # Removed within a save that then fails (say the next upload finds the disk full): row and file stay.
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attachment_remove(attachment=Attachment.objects.get(pk=attachment.pk), user=author)
        raise RuntimeError("the next upload failed")
    assert Attachment.objects.filter(pk=attachment.pk).exists() and default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=Attachment.objects.get(pk=attachment.pk), user=author)
    assert not Attachment.objects.filter(pk=attachment.pk).exists() and not default_storage.exists(name)


def test_a_replaced_attachments_old_file_goes_when_the_replacement_is_committed(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.db import transaction

    from disclosures.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path)
    author = editor()
    item = draft(author)
    attachment = services.attachment_add(disclosure=item, uploaded=upload("名单.pdf", pdf_bytes()), user=author)
    old_name = attachment.file.name

    def replace():
        # What the admin's inline does when a new file is chosen for an existing attachment.
        row = Attachment.objects.get(pk=attachment.pk)
        uploaded = upload("名单（更正）.pdf", pdf_bytes("Corrected list"))
        checked = services.attachment_check(uploaded=uploaded)
        row.file = uploaded
        return services.attachment_store(attachment=row, checked=checked, user=author)

    with pytest.raises(RuntimeError), transaction.atomic():  # a save that fails keeps the old file
        replace()
        raise RuntimeError("the rest of the save failed")
    assert Attachment.objects.get(pk=attachment.pk).file.name == old_name and default_storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        replaced = replace()
    assert replaced.file.name != old_name and default_storage.exists(replaced.file.name)
    assert not default_storage.exists(old_name)  # no orphan left behind


def test_audit_events_cannot_be_changed_through_the_admin(client):
    admin_user = editor("admin", "admissions")
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    item = make_disclosure()
    event = AuditEvent.objects.filter(disclosure=item).first()
    url = f"/admin/disclosures/auditevent/{event.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="comment"' not in page.content
    client.post(url, {"comment": "篡改"})
    assert client.post(f"/admin/disclosures/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/disclosures/auditevent/add/").status_code == 403
    event.refresh_from_db()
    assert event.comment != "篡改"
    assert client.get("/admin/disclosures/auditevent/?action=published").status_code == 200


def test_a_revision_needs_the_department_heads_approval_like_a_new_item(django_capture_on_commit_callbacks):
    from django.urls import reverse

    from disclosures.permissions import HEAD_GROUP, can_endorse
    from tests.factories import staff_member

    item = make_disclosure(title="原标题")  # published before the department asked for the head's approval
    admissions = department("admissions")
    admissions.head_approval_required = True
    admissions.save()
    item = Disclosure.objects.get(pk=item.pk)
    author, office = editor(), reviewer()
    head = staff_member("head", HEAD_GROUP, "admissions")
    proposed = Disclosure.objects.get(pk=item.pk)
    proposed.title = "未经部门负责人同意的新标题"
    revision = services.disclosure_revise(disclosure=item, user=author, proposed=proposed)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(disclosure=item, user=author)
    assert head.email in [address for message in mail.outbox for address in message.to]
    with pytest.raises(ValidationError):
        services.disclosure_approve(disclosure=Disclosure.objects.get(pk=item.pk), user=office, **confirmations())
    assert Disclosure.objects.get(pk=item.pk).title == "原标题"
    with pytest.raises(PermissionDenied):
        services.disclosure_endorse(
            disclosure=Disclosure.objects.get(pk=item.pk), user=staff_member("other-head", HEAD_GROUP, "finance")
        )
    assert can_endorse(head, Disclosure.objects.get(pk=item.pk))
    services.disclosure_endorse(disclosure=Disclosure.objects.get(pk=item.pk), user=head)
    revision.refresh_from_db()
    assert revision.endorsed_by == head
    assert Review.objects.filter(disclosure=item, revision=revision, decision="endorsed", reviewer=head).exists()
    # Returned and submitted again: the head approves what is sent now.
    services.disclosure_return(disclosure=Disclosure.objects.get(pk=item.pk), user=office, comment="再改")
    services.disclosure_submit(disclosure=Disclosure.objects.get(pk=item.pk), user=author)
    with pytest.raises(ValidationError):
        services.disclosure_approve(disclosure=Disclosure.objects.get(pk=item.pk), user=office, **confirmations())
    services.disclosure_endorse(disclosure=Disclosure.objects.get(pk=item.pk), user=head)
    services.disclosure_approve(disclosure=Disclosure.objects.get(pk=item.pk), user=office, **confirmations())
    item.refresh_from_db()
    assert item.title == "未经部门负责人同意的新标题"
    # The change page of the head shows the button; the office's says it waits for the head.
    proposed = Disclosure.objects.get(pk=item.pk)
    proposed.title = "第二次修订"
    services.disclosure_revise(disclosure=Disclosure.objects.get(pk=item.pk), user=author, proposed=proposed)
    services.disclosure_submit(disclosure=Disclosure.objects.get(pk=item.pk), user=author)
    from django.test import Client

    browser = Client()
    browser.force_login(head)
    page = browser.get(reverse("admin:disclosures_disclosure_change", args=[item.pk])).content.decode()
    assert reverse("admin:disclosures_disclosure_endorse", args=[item.pk]) in page
