"""Factories for tests. Disclosures are created through the services, as the site creates them."""

from __future__ import annotations

import datetime
import io
import zipfile

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.pdf import pdf_document
from disclosures import permissions, search, services
from disclosures.models import (
    Audience,
    Category,
    Department,
    DepartmentMembership,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.edu.cn")
    password = factory.django.Password("a-long-test-password")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


def category(code: str = "01") -> Category:
    return Category.objects.get(code=code)


def department(code: str = "office") -> Department:
    return Department.objects.get(code=code)


def group(name: str):
    """A staff group of migration 0004, re-created where a transactional test's flush removed it."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    found = Group.objects.filter(name=name).first()
    if found is None:
        importlib.import_module("disclosures.migrations.0004_publishing_groups").create_groups(apps, None)
        found = Group.objects.get(name=name)
    return found


def staff_member(username: str, group_name: str, *department_codes: str, **fields):
    """A staff account in one of the workflow's groups, working for the given departments."""
    user = UserFactory(username=username, is_staff=True, **fields)
    user.groups.add(group(group_name))
    for code in department_codes:
        DepartmentMembership.objects.get_or_create(user=user, department=department(code))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def editor(username: str = "editor", *department_codes: str) -> object:
    return staff_member(username, permissions.EDITOR_GROUP, *(department_codes or ("admissions",)))


def reviewer(username: str = "reviewer") -> object:
    return staff_member(username, permissions.REVIEWER_GROUP, "xxgk")


def approve(disclosure: Disclosure, by=None) -> None:
    services.disclosure_approve(
        disclosure=disclosure,
        user=by or reviewer("factory-reviewer"),
        no_state_secrets=True,
        no_trade_secrets=True,
        no_personal_privacy=True,
        acknowledge_scan=True,
    )


def make_disclosure(
    *,
    title: str = "关于公布2024年招生计划的通知",
    category_code: str = "04",
    item_code: str | None = "04.01",
    department_code: str = "admissions",
    status: str = DisclosureStatus.PUBLISHED,
    audience: str = Audience.PUBLIC,
    published_at: datetime.datetime | None = None,
    date_written: datetime.date | None = None,
    body: str = "<p>通知全文内容</p>",
    **fields,
) -> Disclosure:
    published_at = published_at or timezone.now() - datetime.timedelta(days=1)
    disclosure = Disclosure(
        title=title,
        category=category(category_code),
        item=DisclosureItem.objects.get(code=item_code) if item_code else None,
        department=department(department_code),
        audience=audience,
        date_written=date_written or timezone.localdate(published_at) - datetime.timedelta(days=3),
        body=body,
        **fields,
    )
    """A disclosure taken through the workflow (editor writes and submits, reviewer approves and publishes)
    as far as ``status``. A past ``published_at`` is written afterwards: only tests back-date."""
    author = editor("factory-editor", department_code)
    office = reviewer("factory-reviewer")
    services.disclosure_save(disclosure=disclosure, user=author)
    if status == DisclosureStatus.DRAFT:
        return disclosure
    services.disclosure_submit(disclosure=disclosure, user=author)
    if status == DisclosureStatus.RETURNED:
        services.disclosure_return(disclosure=disclosure, user=office, comment="请修改")
    if status in (DisclosureStatus.SUBMITTED, DisclosureStatus.RETURNED):
        return disclosure
    approve(disclosure, office)
    if status == DisclosureStatus.APPROVED:
        return disclosure
    if published_at > timezone.now():
        services.disclosure_publish(disclosure=disclosure, user=office, at=published_at)
    else:
        services.disclosure_publish(disclosure=disclosure, user=office)
        Disclosure.objects.filter(pk=disclosure.pk).update(published_at=published_at)
        disclosure.published_at = published_at
        search.rekey([disclosure.pk])
    if status == DisclosureStatus.WITHDRAWN:
        services.disclosure_withdraw(disclosure=disclosure, user=office, reason="内容已过时")
    return disclosure


def pdf_bytes(text: str = "Budget 2024") -> bytes:
    """A small, valid one-page PDF whose text is ``text``."""
    return pdf_document(text, [])


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
