"""Who may see what in the catalogue. Views, admin and templates ask here and nowhere else."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from core.http import can_see_campus_only, is_staff
from disclosures.models import (
    EDITABLE_STATUSES,
    DepartmentMembership,
    Disclosure,
    DisclosureStatus,
    RevisionStatus,
)

# The staff groups created by migration 0004 (their names are data; these constants find them).
EDITOR_GROUP = "部门信息公开联系人"
HEAD_GROUP = "部门负责人"
REVIEWER_GROUP = "信息公开办公室审核人"
SITE_ADMIN_GROUP = "网站管理员"


def is_reviewer(user) -> bool:
    """The disclosure office: reviews and approves items of every department."""
    return is_staff(user) and user.has_perm("disclosures.review_disclosure")


def sees_all_departments(user) -> bool:
    return is_staff(user) and (
        user.is_superuser
        or user.has_perm("disclosures.review_disclosure")
        or user.has_perm("disclosures.manage_all_departments")
    )


def member_department_ids(user) -> set[int]:
    """The departments this staff member works for (DepartmentMembership)."""
    if not is_staff(user):
        return set()
    if not hasattr(user, "_disclosure_department_ids"):
        user._disclosure_department_ids = set(
            DepartmentMembership.objects.filter(user=user, department__active=True).values_list(
                "department_id", flat=True
            )
        )
    return user._disclosure_department_ids


def department_ids(user) -> set[int] | None:
    """The departments whose items this staff member may see; None means every department."""
    if not is_staff(user):
        return set()
    if sees_all_departments(user):
        return None
    return member_department_ids(user)


def manages_all_departments(user) -> bool:
    return is_staff(user) and (user.is_superuser or user.has_perm("disclosures.manage_all_departments"))


def in_scope(user, disclosure: Disclosure) -> bool:
    ids = department_ids(user)
    return ids is None or disclosure.department_id in ids


def can_edit_department(user, department_id: int | None) -> bool:
    """May this person write items for the department (the one chosen in a form, say)?"""
    if not (is_staff(user) and user.has_perm("disclosures.change_disclosure")):
        return False
    return manages_all_departments(user) or department_id in member_department_ids(user)


def can_create(user) -> bool:
    if not (is_staff(user) and user.has_perm("disclosures.add_disclosure")):
        return False
    return manages_all_departments(user) or bool(member_department_ids(user))


def can_edit(user, disclosure: Disclosure) -> bool:
    """May this person change the item's content (a draft directly, a published item through a revision)?"""
    if not can_edit_department(user, disclosure.department_id):
        return False
    if disclosure.status in EDITABLE_STATUSES:
        return True
    if disclosure.status == DisclosureStatus.PUBLISHED:
        revision = open_revision(disclosure)
        return revision is None or revision.status != RevisionStatus.SUBMITTED
    return False


def open_revision(disclosure: Disclosure):
    return disclosure.open_revision()


def can_submit(user, disclosure: Disclosure) -> bool:
    if not (user.has_perm("disclosures.submit_disclosure") and can_edit_department(user, disclosure.department_id)):
        return False
    if disclosure.status in EDITABLE_STATUSES:
        return True
    if disclosure.status == DisclosureStatus.PUBLISHED:
        revision = open_revision(disclosure)
        return revision is not None and revision.status in (RevisionStatus.DRAFT, RevisionStatus.RETURNED)
    return False


def awaiting_review(disclosure: Disclosure) -> bool:
    if disclosure.status == DisclosureStatus.SUBMITTED:
        return True
    if disclosure.status == DisclosureStatus.PUBLISHED:
        revision = open_revision(disclosure)
        return revision is not None and revision.status == RevisionStatus.SUBMITTED
    return False


def can_endorse(user, disclosure: Disclosure) -> bool:
    """The department head's optional first approval of a submitted item of their department, or of a submitted
    revision of a published one (revisions go the same way as new items)."""
    if not (is_staff(user) and user.has_perm("disclosures.endorse_disclosure") and in_scope(user, disclosure)):
        return False
    if disclosure.status == DisclosureStatus.SUBMITTED:
        return disclosure.endorsed_at is None
    if disclosure.status == DisclosureStatus.PUBLISHED:
        revision = open_revision(disclosure)
        return revision is not None and revision.status == RevisionStatus.SUBMITTED and revision.endorsed_at is None
    return False


def can_review(user, disclosure: Disclosure) -> bool:
    """May this person return or approve the item (or its submitted revision) now?"""
    return is_reviewer(user) and awaiting_review(disclosure)


def can_publish(user, disclosure: Disclosure) -> bool:
    return (
        is_staff(user)
        and user.has_perm("disclosures.publish_disclosure")
        and disclosure.status in (DisclosureStatus.APPROVED, DisclosureStatus.SCHEDULED)
    )


def can_withdraw(user, disclosure: Disclosure) -> bool:
    return (
        is_staff(user)
        and user.has_perm("disclosures.withdraw_disclosure")
        and disclosure.status in (DisclosureStatus.PUBLISHED, DisclosureStatus.SCHEDULED)
    )


def can_correct(user, disclosure: Disclosure) -> bool:
    """May this person write a correction or clarification notice for the item (a new item of its department)?"""
    return (
        disclosure.status == DisclosureStatus.PUBLISHED
        and not disclosure.corrects_id
        and can_create(user)
        and can_edit_department(user, disclosure.department_id)
    )


# The fields of an item that point at another item; each offers only what its editor may see.
RELATED_ITEM_FIELDS = ("corrects", "replaced_by", "interprets")


def related_item_choices(user, field_name: str):
    """The items a staff form may offer (and accept) as this item's ``corrects``, ``replaced_by`` or
    ``interprets`` (the rule a 政策解读 explains).

    A choice the queryset does not hold is refused as "not one of the available choices", naming nothing, so an
    editor who POSTs another department's draft number learns nothing of it: a correction concerns a published
    item of one's own departments (``can_correct``); an item may be replaced, or interpreted, by any published
    item, or by one of one's own departments.
    """
    scope = department_ids(user)
    if field_name == "corrects":
        return Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED).for_departments(scope)
    if scope is None:
        return Disclosure.objects.all()
    return Disclosure.objects.filter(Q(status=DisclosureStatus.PUBLISHED) | Q(department_id__in=scope))


def staff_with_permission(permission: str):
    """Active staff accounts holding ``permission`` (through a group, directly, or as superusers): the people a
    staff form may offer as handler or assignee."""
    users = get_user_model().objects.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
    return users.filter(is_staff=True).order_by("username")


def can_view_compliance(user) -> bool:
    return is_staff(user) and user.has_perm("disclosures.view_compliance")


def can_preview(user, disclosure: Disclosure) -> bool:
    """Staff who may view this item in the admin may also preview it on the site before it is public."""
    return is_staff(user) and user.has_perm("disclosures.view_disclosure") and in_scope(user, disclosure)


def can_view(request, disclosure: Disclosure) -> bool:
    """May this request read the item's page and download its attachments?"""
    if not disclosure.is_public:
        return can_preview(request.user, disclosure)
    if disclosure.is_campus_only:
        return can_see_campus_only(request)
    return True


# Staff accounts. A right is only ever handed on by a superuser: anyone else who may manage accounts (网站管理员)
# edits names, e-mail addresses, activity and department memberships, and only of accounts that hold no right they
# lack themselves, so nobody gains a right by setting another account's password and signing in as it.
RIGHTS_FIELDS = ("is_superuser", "groups", "user_permissions")


def may_grant_rights(user) -> bool:
    """Superuser status, groups and permissions (of accounts and of groups) are changed by superusers only."""
    return is_staff(user) and user.is_superuser


def can_change_account(user, account) -> bool:
    """May this staff member change (or delete, or set the password of) this account?"""
    if not is_staff(user):
        return False
    if user.is_superuser:
        return True
    if account is None:
        return True
    if account.is_superuser:
        return False
    return account.pk == user.pk or held_permissions(account) <= user.get_all_permissions()


def held_permissions(account) -> set[str]:
    """Every permission an account holds (its own and its groups'), as "app_label.codename", whether or not it is
    active: Django reports none for an inactive account, but reactivating it restores them all."""
    held = Permission.objects.filter(Q(user=account) | Q(group__user=account)).values_list(
        "content_type__app_label", "codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in held}
