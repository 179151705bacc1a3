"""Demo content: a few hundred realistic disclosures over the academic years from 2023-2024 to today.

``load_demo()`` (the command ``manage.py load_demo``) plans them (demo/planner.py: the words, specs and tables
of demo/data/ and a seeded random generator, so two runs on the same empty database give the same titles,
dates, figures and bodies) and writes them through ``disclosures.services``, the way the site writes them,
by the inactive user ``demo-content``.

The names of people in the demo lists are made up; the bodies carry office phone numbers only in their
contact lines, and no identity-card or mobile numbers at all.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.progress import ProgressFactory, no_progress
from core.workdays import load_calendar
from demo.datafiles import SPECS
from demo.files import make_attachment
from demo.planner import Plan, Planner, creation_order, make_plans
from disclosures import permissions, search, services
from disclosures.models import (
    Audience,
    AuditEvent,
    Department,
    DepartmentMembership,
    Disclosure,
    DisclosureItem,
    Review,
    academic_year_label,
    academic_year_of,
)

SEED = 20240901
DEMO_USERNAME = "demo-content"
DEMO_OFFICE_USERNAME = "demo-office"


@dataclass
class Summary:
    items: int = 0
    published: int = 0
    drafts: int = 0
    withdrawn: int = 0
    campus_only: int = 0
    attachments: int = 0
    superseded: int = 0
    academic_years: list[str] = field(default_factory=list)

    def line(self) -> str:
        years = ", ".join(self.academic_years)
        return (
            f"Demo content loaded: {self.items} items ({self.published} published, {self.drafts} drafts, "
            f"{self.withdrawn} withdrawn), {self.attachments} attachments, {self.campus_only} campus-only, "
            f"{self.superseded} superseded rules; academic years {years}."
        )


def _demo_account(username: str, group_name: str, department_codes: Iterable[str]):
    """A system account that writes (or reviews) the demo items through the real workflow.

    It is active only while the demo is being loaded, and never has a usable password.
    """
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_active = True
    user.is_staff = True
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    for code in department_codes:
        DepartmentMembership.objects.get_or_create(user=user, department=Department.objects.get(code=code))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def demo_users():
    """The demo items' author (every department's liaison) and the disclosure office's reviewer."""
    author = _demo_account(DEMO_USERNAME, permissions.EDITOR_GROUP, Department.objects.values_list("code", flat=True))
    office = _demo_account(DEMO_OFFICE_USERNAME, permissions.REVIEWER_GROUP, ["xxgk"])
    return author, office


def existing_count() -> int:
    return Disclosure.objects.filter(created_by__username=DEMO_USERNAME).count()


def create_disclosure(plan: Plan, author) -> Disclosure:
    disclosure = Disclosure(
        title=plan.title,
        category=plan.item.category,
        item=plan.item,
        department=plan.department,
        document_number=plan.document_number,
        date_written=plan.date_written,
        summary=plan.summary,
        body=plan.body,
        validity=plan.validity,
        audience=plan.audience,
        keywords=plan.keywords,
    )
    return services.disclosure_save(disclosure=disclosure, user=author)


def add_attachments(plan: Plan, author) -> int:
    count = len(plan.attachment_kinds)
    for order, kind in enumerate(plan.attachment_kinds, start=1):
        name, data = make_attachment(kind, plan.title, plan.content)
        stem = name.rsplit(".", 1)[0]
        title = f"附件{order}：{stem}" if count > 1 else stem
        services.attachment_add(
            disclosure=plan.disclosure, uploaded=SimpleUploadedFile(name, data), title=title, order=order, user=author
        )
    return count


def publish_as_of(plan: Plan, author, office) -> None:
    """Submit, review, approve and publish through the services, then date the record as it happened.

    The services refuse to publish in the past, so the historical dates are written afterwards, on the
    item and on its review records and audit events alike (only demo content is back-dated this way).
    """
    disclosure = plan.disclosure
    services.disclosure_submit(disclosure=disclosure, user=author)
    services.disclosure_approve(
        disclosure=disclosure,
        user=office,
        no_state_secrets=True,
        no_trade_secrets=True,
        no_personal_privacy=True,
        acknowledge_scan=True,
    )
    services.disclosure_publish(disclosure=disclosure, user=office)
    published_at = plan.published_at
    reviewed_at = published_at - datetime.timedelta(hours=2)
    Disclosure.objects.filter(pk=disclosure.pk).update(
        published_at=published_at,
        submitted_at=reviewed_at - datetime.timedelta(hours=20),
        security_checked_at=reviewed_at,
        approved_at=reviewed_at,
    )
    Review.objects.filter(disclosure=disclosure).update(created_at=reviewed_at)
    AuditEvent.objects.filter(disclosure=disclosure).update(created_at=published_at)
    disclosure.published_at = published_at


def link_replacements(plans: list[Plan]) -> int:
    """Point each superseded rule at the rule that replaced it (both already published)."""
    count = 0
    for plan in plans:
        if plan.replaced_by and plan.disclosure and plan.replaced_by.disclosure:
            Disclosure.objects.filter(pk=plan.disclosure.pk).update(
                validity=plan.pair.validity, replaced_by=plan.replaced_by.disclosure
            )
            count += 1
    return count


def load_demo(
    *, today: datetime.date | None = None, seed: int = SEED, progress: ProgressFactory = no_progress
) -> Summary:
    """Write the demo content (callers check ``existing_count()`` first). Returns what was written.
    ``progress`` makes the bar (see core.progress) counting the items written."""
    today = today or timezone.localdate()
    items = list(DisclosureItem.objects.select_related("category", "department").order_by("code"))
    missing = sorted(set(SPECS) - {item.code for item in items})
    if missing:
        raise LookupError(f"The catalogue lacks the disclosure items {', '.join(missing)}; run the migrations.")
    items = [item for item in items if item.code in SPECS]
    departments = {department.code: department for department in Department.objects.all()}
    planner = Planner(rng=random.Random(seed), calendar=load_calendar(), today=today, departments=departments)
    plans = make_plans(planner, items)
    summary = Summary()
    with transaction.atomic(), progress("Writing demo items", len(plans)) as bar:
        author, office = demo_users()
        for plan in bar.iterate(sorted(plans, key=creation_order)):
            plan.disclosure = create_disclosure(plan, author)
            summary.attachments += add_attachments(plan, author)
            if plan.publish:
                publish_as_of(plan, author, office)
        # The search index's rows to the back-dated publication times, all at once.
        search.rekey(plan.disclosure.pk for plan in plans if plan.publish)
        summary.superseded = link_replacements(plans)
        for plan in plans:
            if plan.withdraw_reason:
                services.disclosure_withdraw(disclosure=plan.disclosure, user=office, reason=plan.withdraw_reason)
        get_user_model().objects.filter(pk__in=[author.pk, office.pk]).update(is_active=False)
    return _summarise(summary, plans)


def _summarise(summary: Summary, plans: list[Plan]) -> Summary:
    summary.items = len(plans)
    summary.drafts = sum(not p.publish for p in plans)
    summary.withdrawn = sum(bool(p.withdraw_reason) for p in plans)
    summary.published = summary.items - summary.drafts - summary.withdrawn
    summary.campus_only = sum(p.audience == Audience.CAMPUS for p in plans)
    years = sorted({academic_year_of(p.day) for p in plans if p.publish})
    summary.academic_years = [academic_year_label(year) for year in years]
    return summary
