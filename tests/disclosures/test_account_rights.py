"""Only superusers hand on rights: a site administrator (网站管理员) cannot make anyone a superuser, give groups
or permissions, change a group, or change (or set the password of) a superuser or an account with more rights,
on any page of the user admin: change form, add form, bulk actions, group pages, password change."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from disclosures import permissions
from tests.factories import UserFactory, editor, reviewer, staff_member

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def site_admin_client(client):
    user = staff_member("siteadmin", permissions.SITE_ADMIN_GROUP)
    client.force_login(user)
    client.user = user
    return client


def change_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "department_memberships-TOTAL_FORMS": "0",
        "department_memberships-INITIAL_FORMS": "0",
        "department_memberships-MIN_NUM_FORMS": "0",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_site_admin_cannot_make_himself_superuser_or_give_himself_groups(site_admin_client):
    me = site_admin_client.user
    reviewers = Group.objects.get(name=permissions.REVIEWER_GROUP)
    every = Permission.objects.get(codename="review_disclosure")
    url = reverse("admin:auth_user_change", args=[me.pk])
    page = site_admin_client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="groups"' not in page.content.decode()
    response = site_admin_client.post(
        url, change_data(me, is_superuser="on", groups=[reviewers.pk], user_permissions=[every.pk], first_name="改")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    me = User.objects.get(pk=me.pk)
    assert me.first_name == "改"  # the rest of the form still saves
    assert not me.is_superuser
    assert list(me.groups.values_list("name", flat=True)) == [permissions.SITE_ADMIN_GROUP]
    assert not me.user_permissions.exists()


def test_site_admin_cannot_give_another_account_rights(site_admin_client):
    other = editor("plain-editor")
    reviewers = Group.objects.get(name=permissions.REVIEWER_GROUP)
    response = site_admin_client.post(
        reverse("admin:auth_user_change", args=[other.pk]),
        change_data(other, is_superuser="on", groups=[reviewers.pk]),
    )
    assert response.status_code == 302
    other = User.objects.get(pk=other.pk)
    assert not other.is_superuser
    assert list(other.groups.values_list("name", flat=True)) == [permissions.EDITOR_GROUP]


def test_site_admin_add_form_cannot_create_a_superuser(site_admin_client):
    response = site_admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-person",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
            "usable_password": "true",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=permissions.REVIEWER_GROUP).pk],
            "department_memberships-TOTAL_FORMS": "0",
            "department_memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="new-person")
    assert not created.is_superuser and not created.groups.exists()


def test_site_admin_cannot_change_a_superuser_or_its_password(site_admin_client):
    boss = UserFactory(username="root", is_staff=True, is_superuser=True)
    old_hash = User.objects.get(pk=boss.pk).password
    change = reverse("admin:auth_user_change", args=[boss.pk])
    page = site_admin_client.get(change)
    assert page.status_code == 200  # may look (view_user)…
    assert 'name="email"' not in page.content.decode()  # …but not change
    response = site_admin_client.post(change, change_data(boss, email="mine@example.com", is_active=""))
    assert response.status_code == 403
    password = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert site_admin_client.get(password).status_code == 403
    response = site_admin_client.post(
        password, {"password1": "taken-over-123456", "password2": "taken-over-123456", "usable_password": "true"}
    )
    assert response.status_code == 403
    boss = User.objects.get(pk=boss.pk)
    assert boss.password == old_hash and boss.is_active and boss.email != "mine@example.com"


def test_site_admin_cannot_take_over_an_account_with_rights_he_lacks(site_admin_client):
    office = reviewer("office-reviewer")
    password = reverse("admin:auth_user_password_change", args=[office.pk])
    response = site_admin_client.post(
        password, {"password1": "taken-over-123456", "password2": "taken-over-123456", "usable_password": "true"}
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=office.pk).check_password("taken-over-123456")
    # An account with no more rights than his own he still manages (names, passwords, memberships).
    plain = editor("plain-editor")
    response = site_admin_client.post(
        reverse("admin:auth_user_password_change", args=[plain.pk]),
        {"password1": "a-new-password-123", "password2": "a-new-password-123", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=plain.pk).check_password("a-new-password-123")


def test_site_admin_bulk_actions_do_not_touch_superusers(site_admin_client):
    site_admin_client.user.user_permissions.add(Permission.objects.get(codename="delete_user"))
    boss = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = site_admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [boss.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert User.objects.filter(pk=boss.pk).exists()


def test_site_admin_cannot_change_groups(site_admin_client):
    group = Group.objects.get(name=permissions.SITE_ADMIN_GROUP)
    extra = Permission.objects.get(codename="review_disclosure")
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert site_admin_client.get(url).status_code == 200  # view_group: he may look
    current = list(group.permissions.values_list("pk", flat=True))
    response = site_admin_client.post(url, {"name": group.name, "permissions": [*current, extra.pk]})
    assert response.status_code == 403
    assert not group.permissions.filter(pk=extra.pk).exists()
    response = site_admin_client.post(reverse("admin:auth_group_add"), {"name": "mine", "permissions": [extra.pk]})
    assert response.status_code == 403
    assert not Group.objects.filter(name="mine").exists()


def test_superuser_still_grants_rights(admin_client):
    other = editor("plain-editor")
    reviewers = Group.objects.get(name=permissions.REVIEWER_GROUP)
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[other.pk]),
        change_data(other, is_superuser="on", groups=[reviewers.pk]),
    )
    assert response.status_code == 302
    other = User.objects.get(pk=other.pk)
    assert other.is_superuser and other.groups.filter(pk=reviewers.pk).exists()


def test_an_inactive_account_keeps_its_rights_for_this_rule(site_admin_client):
    # Django reports no permissions for an inactive account; it still holds them, and reactivating it with a
    # password of his choosing would hand the site administrator a reviewer's rights.
    office = reviewer("sleeping-reviewer")
    office.is_active = False
    office.save()
    old_hash = User.objects.get(pk=office.pk).password
    password = reverse("admin:auth_user_password_change", args=[office.pk])
    response = site_admin_client.post(
        password, {"password1": "taken-over-123456", "password2": "taken-over-123456", "usable_password": "true"}
    )
    assert response.status_code == 403
    change = reverse("admin:auth_user_change", args=[office.pk])
    response = site_admin_client.post(change, change_data(office, is_active="on"))
    assert response.status_code == 403
    office = User.objects.get(pk=office.pk)
    assert office.password == old_hash and not office.is_active
