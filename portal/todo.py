"""我的待办 (my to-do): what waits for this staff member, per role and department, on the admin's first page.

Each line is one query for its count and one for its first rows (``ROWS_SHOWN``), whatever the volume; the
lines come from the apps' own queries (``requests_app.services.applications_due_within``,
``feedback.services.messages_due_within``, the catalogue's ``compliance.item_due``), so the to-do page and
the inboxes' "due" filters agree. Who sees which line is asked of the apps' ``permissions`` modules.

The counts shown beside the admin menu's entries are the ones of the last to-do page this person opened
(kept in the cache for ``MENU_COUNTS_SECONDS``): other admin pages ask no query for them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from annual_reports import permissions as report_permissions
from annual_reports.models import AnnualReport
from core.inbox import request_calendar
from core.workdays import WorkingCalendar
from disclosures import compliance
from disclosures import permissions as disclosure_permissions
from disclosures.guide import placeholder_fields as guide_placeholders
from disclosures.models import (
    Cadence,
    DepartmentMembership,
    Disclosure,
    DisclosureGuide,
    DisclosureItem,
    DisclosureRevision,
    DisclosureStatus,
    RevisionStatus,
    academic_year_label,
    academic_year_of,
)
from feedback import permissions as feedback_permissions
from feedback import services as feedback_services
from feedback.models import Channel, FeedbackMessage
from requests_app import permissions as request_permissions
from requests_app import services as request_services
from requests_app.models import ApplicationState, DisclosureApplication, EventKind, RemedyBody
from requests_app.notices import remedy_placeholders

ROWS_SHOWN = 5
# Catalogue items and applications "due soon": within this many working days (the 10 and 3).
SOON_WORKING_DAYS = 10
URGENT_WORKING_DAYS = 3
# 《中华人民共和国政府信息公开条例》(2019) 第三十二条: the third party gives its opinion within 15 working days of
# receiving the request for it.
THIRD_PARTY_WORKING_DAYS = 15
MENU_COUNTS_SECONDS = 300


@dataclass
class Row:
    text: str
    url: str
    due: datetime.date | None = None
    note: str = ""


@dataclass
class Line:
    key: str
    label: Any
    count: int
    url: str
    rows: list[Row] = field(default_factory=list)
    urgent: bool = False  # overdue or nearly: shown in red
    menu: tuple[str, str] | None = None  # (app label, model name) whose menu entry counts it


@dataclass
class Section:
    title: Any
    lines: list[Line]

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)


def _admin_url(model, view: str = "changelist", *args, **query) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _line(key, label, queryset, *, url, row, urgent=False, menu=None) -> Line:
    """A line from a queryset: its count, and its first rows made by ``row(obj)``."""
    count = queryset.count()
    rows = [row(obj) for obj in queryset[:ROWS_SHOWN]] if count else []
    return Line(key, label, count, url, rows, urgent, menu)


# The catalogue -------------------------------------------------------------------------------------------


def _disclosure_row(disclosure: Disclosure, *, due=None, note="") -> Row:
    return Row(
        f"{disclosure.title}（{disclosure.department}）",
        _admin_url(Disclosure, "change", disclosure.pk),
        due,
        note,
    )


def disclosure_lines(user, *, today: datetime.date, calendar: WorkingCalendar) -> list[Line]:
    perms = disclosure_permissions
    scope = Disclosure.objects.for_departments(perms.department_ids(user)).select_related("department")
    mine = Q(department_id__in=perms.member_department_ids(user)) | Q(submitted_by=user) | Q(created_by=user)
    menu = ("disclosures", "disclosure")
    lines = []
    if user.has_perm("disclosures.endorse_disclosure"):
        waiting = scope.filter(
            status=DisclosureStatus.SUBMITTED, endorsed_at__isnull=True, department__head_approval_required=True
        ).order_by("submitted_at")
        lines.append(
            _line(
                "endorse",
                _("Waiting for my department approval"),
                waiting,
                url=_admin_url(Disclosure, status__exact=DisclosureStatus.SUBMITTED),
                row=lambda d: _disclosure_row(d, note=_("submitted %(date)s") % {"date": _day(d.submitted_at)}),
                menu=menu,
            )
        )
    if perms.is_reviewer(user):
        revision_submitted = DisclosureRevision.objects.filter(
            disclosure=OuterRef("pk"), status=RevisionStatus.SUBMITTED
        )
        waiting = (
            scope.annotate(revised=Exists(revision_submitted))
            .filter(
                (
                    Q(status=DisclosureStatus.SUBMITTED)
                    & ~Q(department__head_approval_required=True, endorsed_at__isnull=True)
                )
                | Q(status=DisclosureStatus.PUBLISHED, revised=True)
            )
            .order_by("submitted_at", "pk")
        )
        lines.append(
            _line(
                "review",
                _("Waiting for my review"),
                waiting,
                url=_admin_url(Disclosure, status__exact=DisclosureStatus.SUBMITTED),
                row=lambda d: Row(
                    f"{d.title}（{d.department}）",
                    reverse("admin:disclosures_disclosure_review", args=[d.pk]),
                    None,
                    _("revision of a published item") if d.status == DisclosureStatus.PUBLISHED else "",
                ),
                menu=menu,
            )
        )
    if user.has_perm("disclosures.change_disclosure"):
        revision_returned = DisclosureRevision.objects.filter(disclosure=OuterRef("pk"), status=RevisionStatus.RETURNED)
        returned = (
            scope.annotate(revised=Exists(revision_returned))
            .filter(mine)
            .filter(Q(status=DisclosureStatus.RETURNED) | Q(status=DisclosureStatus.PUBLISHED, revised=True))
            .order_by("-updated_at")
        )
        lines.append(
            _line(
                "returned",
                _("My drafts returned for changes"),
                returned,
                url=_admin_url(Disclosure, status__exact=DisclosureStatus.RETURNED),
                row=_disclosure_row,
                urgent=True,
                menu=menu,
            )
        )
        drafts = scope.filter(mine, status=DisclosureStatus.DRAFT).order_by("-updated_at")
        lines.append(
            _line(
                "drafts",
                _("My drafts not yet submitted"),
                drafts,
                url=_admin_url(Disclosure, status__exact=DisclosureStatus.DRAFT),
                row=_disclosure_row,
            )
        )
    if user.has_perm("disclosures.publish_disclosure"):
        approved = scope.filter(status=DisclosureStatus.APPROVED).order_by("approved_at")
        lines.append(
            _line(
                "approved",
                _("Approved, waiting to be published"),
                approved,
                url=_admin_url(Disclosure, status__exact=DisclosureStatus.APPROVED),
                row=lambda d: Row(
                    f"{d.title}（{d.department}）", reverse("admin:disclosures_disclosure_publish", args=[d.pk])
                ),
                menu=menu,
            )
        )
    scheduled = scope.filter(status=DisclosureStatus.SCHEDULED).order_by("published_at")
    lines.append(
        _line(
            "scheduled",
            _("Scheduled for publication"),
            scheduled,
            url=_admin_url(Disclosure, status__exact=DisclosureStatus.SCHEDULED),
            row=lambda d: _disclosure_row(d, note=_("to be published %(time)s") % {"time": _minute(d.published_at)}),
        )
    )
    lines.append(catalogue_line(user, today=today, calendar=calendar))
    return lines


def _day(moment) -> str:
    return timezone.localdate(moment).isoformat() if moment else "—"


def _minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def catalogue_line(user, *, today: datetime.date, calendar: WorkingCalendar) -> Line:
    """Catalogue items of my departments (every department for the office) overdue or due within
    ``SOON_WORKING_DAYS`` working days (the rules of ``compliance.item_state``)."""
    perms = disclosure_permissions
    ids = perms.department_ids(user)
    if ids is None and not (perms.sees_all_departments(user) or user.has_perm("disclosures.view_compliance")):
        ids = perms.member_department_ids(user)
    items = DisclosureItem.objects.filter(active=True, cadence__in=[Cadence.ANNUAL, Cadence.PER_TERM])
    if ids is not None:
        items = items.filter(department_id__in=ids)
    cutoff = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    latest = dict(
        Disclosure.objects.published(now=cutoff)
        .filter(item__in=items)
        .order_by()
        .values_list("item_id")
        .annotate(last=Max("published_at"))
    )
    found = []
    for item in items.select_related("category", "department").order_by("category__order", "order", "code"):
        due, period_start = compliance.item_due(cadence=item.cadence, month=item.month, today=today)
        published = latest.get(item.pk)
        if due is None or (published and timezone.localdate(published) >= period_start):
            continue  # not due by time, or published in the current period
        left = calendar.working_days_between(today, due)
        if left <= SOON_WORKING_DAYS:
            found.append((due, item, left))
    found.sort(key=lambda entry: (entry[0], entry[1].code))
    can_write = perms.can_create(user)
    rows = []
    for due, item, left in found[:ROWS_SHOWN]:
        if can_write and perms.can_edit_department(user, item.department_id):
            url = _admin_url(Disclosure, "add", category=item.category_id, item=item.pk)
        else:
            url = reverse("admin:disclosures_compliance")
        note = (
            _("%(days)s working days overdue") % {"days": -left}
            if left < 0
            else _("%(days)s working days left") % {"days": left}
        )
        rows.append(Row(f"{item.code} {item.title}（{item.department or '—'}）", url, due, note))
    url = reverse("admin:disclosures_compliance") if perms.can_view_compliance(user) else _admin_url(Disclosure)
    return Line(
        "catalogue",
        _("Catalogue items overdue or due within %(days)s working days") % {"days": SOON_WORKING_DAYS},
        len(found),
        url,
        rows,
        urgent=any(left < 0 for _due, _item, left in found),
    )


# Applications for disclosure ---------------------------------------------------------------------------


def application_lines(user, *, today: datetime.date, calendar: WorkingCalendar) -> list[Line]:
    if not request_permissions.can_handle(user):
        return []
    applications = DisclosureApplication.objects.all()
    menu = ("requests_app", "disclosureapplication")

    def row(application, *, deadline_note=True) -> Row:
        deadline = request_services.application_deadline(application, calendar=calendar)
        due = deadline.due_on or deadline.clarification_due_on
        note = ""
        if deadline_note and deadline.due_on:
            left = calendar.working_days_between(today, deadline.due_on)
            note = (
                _("%(days)s working days overdue") % {"days": -left}
                if left < 0
                else _("%(days)s working days left") % {"days": left}
            )
        return Row(
            f"{application.tracking_number} {application.description[:40]}",
            _admin_url(DisclosureApplication, "change", application.pk),
            due,
            note,
        )

    def due_line(key, label, fewest, most, query, urgent):
        found = request_services.applications_due_within(
            applications, fewest=fewest, most=most, calendar=calendar, today=today
        )
        return _line(
            key,
            label,
            found.prefetch_related("events").order_by("submitted_at", "pk"),
            url=_admin_url(DisclosureApplication, due=query),
            row=row,
            urgent=urgent,
            menu=menu if urgent else None,
        )

    lines = [
        _line(
            "applications-new",
            _("Applications received, awaiting acceptance"),
            applications.filter(state=ApplicationState.SUBMITTED).prefetch_related("events").order_by("submitted_at"),
            url=_admin_url(DisclosureApplication, state__exact=ApplicationState.SUBMITTED),
            row=row,
            menu=menu,
        ),
        due_line("applications-overdue", _("Applications overdue"), None, -1, "overdue", True),
        due_line(
            "applications-3",
            _("Applications due within %(days)s working days") % {"days": URGENT_WORKING_DAYS},
            0,
            URGENT_WORKING_DAYS,
            str(URGENT_WORKING_DAYS),
            True,
        ),
        due_line(
            "applications-10",
            _("Applications due in %(fewest)s to %(most)s working days")
            % {"fewest": URGENT_WORKING_DAYS + 1, "most": SOON_WORKING_DAYS},
            URGENT_WORKING_DAYS + 1,
            SOON_WORKING_DAYS,
            str(SOON_WORKING_DAYS),
            False,
        ),
        _line(
            "applications-clarification",
            _("Clarifications awaited from applicants"),
            applications.filter(state=ApplicationState.CLARIFICATION)
            .prefetch_related("events")
            .order_by("submitted_at"),
            url=_admin_url(DisclosureApplication, state__exact=ApplicationState.CLARIFICATION),
            row=lambda a: _with_note(row(a, deadline_note=False), _("answer due by the date shown")),
        ),
    ]
    consulting = (
        applications.filter(state=ApplicationState.CONSULTING).prefetch_related("events").order_by("submitted_at")
    )

    def consultation_row(application) -> Row:
        started = [e.on for e in application.events.all() if e.kind == EventKind.CONSULTATION_STARTED]
        since = max(started) if started else timezone.localdate(application.submitted_at)
        due = calendar.add_working_days(since, THIRD_PARTY_WORKING_DAYS).date
        return Row(
            f"{application.tracking_number} {application.description[:40]}",
            _admin_url(DisclosureApplication, "change", application.pk),
            due,
            _("consulted on %(date)s") % {"date": since.isoformat()},
        )

    lines.append(
        _line(
            "applications-third-party",
            _("Third parties' answers awaited"),
            consulting,
            url=_admin_url(DisclosureApplication, state__exact=ApplicationState.CONSULTING),
            row=consultation_row,
        )
    )
    return lines


def _with_note(row: Row, note) -> Row:
    row.note = note
    return row


# Feedback ---------------------------------------------------------------------------------------------

CHANNEL_MODELS = {
    Channel.CONSULTATION: "consultation",
    Channel.COMPLAINT: "complaint",
    Channel.MAILBOX: "mailboxmessage",
}


def feedback_lines(user, *, today: datetime.date, calendar: WorkingCalendar) -> list[Line]:
    lines = []
    for channel, model_name in CHANNEL_MODELS.items():
        if not feedback_permissions.can_handle_channel(user, channel):
            continue
        messages = FeedbackMessage.objects.channel(channel)
        if channel == Channel.MAILBOX:
            allowed = feedback_permissions.mailbox_ids_for(user)
            if allowed is not None:
                messages = messages.filter(mailbox_id__in=allowed)
        changelist = reverse(f"admin:feedback_{model_name}_changelist")

        def row(message, model_name=model_name) -> Row:
            due = feedback_services.message_due(message, calendar=calendar).date
            left = calendar.working_days_between(today, due)
            note = (
                _("%(days)s working days overdue") % {"days": -left}
                if left < 0
                else _("%(days)s working days left") % {"days": left}
            )
            return Row(
                f"{message.tracking_number} {message.subject}",
                reverse(f"admin:feedback_{model_name}_change", args=[message.pk]),
                due,
                note,
            )

        label = Channel(channel).label
        for key, text, fewest, most, query, urgent in [
            ("overdue", _("%(channel)s: overdue"), None, -1, "overdue", True),
            (
                "3",
                _("%(channel)s: due within %(days)s working days"),
                0,
                URGENT_WORKING_DAYS,
                str(URGENT_WORKING_DAYS),
                True,
            ),
            (
                "10",
                _("%(channel)s: due in %(fewest)s to %(days)s working days"),
                URGENT_WORKING_DAYS + 1,
                SOON_WORKING_DAYS,
                str(SOON_WORKING_DAYS),
                False,
            ),
        ]:
            found = feedback_services.messages_due_within(
                messages, fewest=fewest, most=most, calendar=calendar, today=today
            ).order_by("submitted_at", "pk")
            lines.append(
                _line(
                    f"{channel}-{key}",
                    text % {"channel": label, "days": most, "fewest": URGENT_WORKING_DAYS + 1},
                    found,
                    url=f"{changelist}?{urlencode({'due': query})}",
                    row=row,
                    urgent=urgent,
                    menu=("feedback", model_name) if urgent else None,
                )
            )
    return lines


# The annual report ------------------------------------------------------------------------------------


def report_lines(user, *, today: datetime.date) -> list[Line]:
    """The report of the academic year that ended last, due by 31 October (AnnualReport.due_on), until published."""
    if not report_permissions.can_edit(user):
        return []
    year = academic_year_of(today) - 1
    report = AnnualReport.objects.filter(year=year).first()
    due = AnnualReport(year=year).due_on
    if report is not None and report.is_published:
        return []
    label = academic_year_label(year)
    if report is None:
        row = Row(_("The %(year)s report has not been started") % {"year": label}, _admin_url(AnnualReport, "add"), due)
    else:
        row = Row(str(report), _admin_url(AnnualReport, "change", report.pk), due, report.get_status_display())
    days = (due - today).days
    row.note = (f"{row.note} · " if row.note else "") + str(
        _("%(days)s days overdue") % {"days": -days} if days < 0 else _("%(days)s days left") % {"days": days}
    )
    return [
        Line(
            "annual-report",
            _("Annual report %(year)s, due by %(date)s") % {"year": label, "date": due.isoformat()},
            1,
            row.url,
            [row],
            urgent=days < 31,
            menu=("annual_reports", "annualreport"),
        )
    ]


# Accounts ---------------------------------------------------------------------------------------------


def account_lines(user) -> list[Line]:
    """For site administrators: staff in a department role (editor, head) who work for no department yet, so
    they can do nothing (disclosures.permissions.member_department_ids)."""
    if not (user.has_perm("auth.change_user") and user.has_perm("disclosures.add_departmentmembership")):
        return []
    User = get_user_model()
    stranded = (
        User.objects.filter(
            is_active=True,
            is_staff=True,
            groups__name__in=[disclosure_permissions.EDITOR_GROUP, disclosure_permissions.HEAD_GROUP],
        )
        .exclude(Exists(DepartmentMembership.objects.filter(user=OuterRef("pk"), department__active=True)))
        .distinct()
        .order_by("username")
    )
    return [
        _line(
            "accounts-without-department",
            _("Department staff who work for no department yet"),
            stranded,
            url=_admin_url(User),
            row=lambda u: Row(f"{u.get_username()} {u.get_full_name()}".strip(), _admin_url(User, "change", u.pk)),
            urgent=True,
            menu=(User._meta.app_label, User._meta.model_name),
        )
    ]


# Placeholders -----------------------------------------------------------------------------------------


def placeholder_lines(user) -> list[Line]:
    """Texts the public and the applicants read that still hold the demo's placeholders: the disclosure guide's
    fields (/guide/ and every page's footer) and the remedy bodies every notice ends with, for whoever may edit them."""
    lines = []
    if user.has_perm("disclosures.change_disclosureguide"):
        guide = DisclosureGuide.current()
        if fields := guide_placeholders(guide):
            url = _admin_url(DisclosureGuide, "change", guide.pk) if guide else _admin_url(DisclosureGuide, "add")
            lines.append(
                Line(
                    "guide-placeholders",
                    _("Disclosure guide fields still at their placeholder"),
                    len(fields),
                    url,
                    [Row(str(name), url) for name in fields[:ROWS_SHOWN]],
                    urgent=True,
                    menu=(DisclosureGuide._meta.app_label, DisclosureGuide._meta.model_name),
                )
            )
    if user.has_perm("requests_app.change_remedybody"):
        bodies = remedy_placeholders()
        if bodies:
            lines.append(
                Line(
                    "remedy-placeholders",
                    _("Remedy bodies in the notices still at their placeholder"),
                    len(bodies),
                    _admin_url(RemedyBody),
                    [Row(str(body.get_kind_display()), _admin_url(RemedyBody, "change", body.pk)) for body in bodies],
                    urgent=True,
                    menu=(RemedyBody._meta.app_label, RemedyBody._meta.model_name),
                )
            )
    return lines


# The page ---------------------------------------------------------------------------------------------


def todo_sections(request, *, today: datetime.date | None = None) -> list[Section]:
    """The to-do of the signed-in staff member, by section (only the sections their roles have)."""
    user = request.user
    today = today or timezone.localdate()
    calendar = request_calendar(request)
    sections = [
        Section(_("Catalogue and publishing"), disclosure_lines(user, today=today, calendar=calendar)),
        Section(_("Applications for disclosure"), application_lines(user, today=today, calendar=calendar)),
        Section(_("Feedback"), feedback_lines(user, today=today, calendar=calendar)),
        Section(_("Annual report"), report_lines(user, today=today)),
        Section(_("Staff accounts"), account_lines(user)),
        Section(_("Texts still to fill in"), placeholder_lines(user)),
    ]
    sections = [section for section in sections if section.lines]
    remember_menu_counts(user, sections)
    return sections


def _menu_key(user) -> str:
    return f"todo-menu-counts:{user.pk}"


def remember_menu_counts(user, sections: list[Section]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for section in sections:
        for line in section.lines:
            if line.menu and line.count:
                key = ".".join(line.menu)
                counts[key] = counts.get(key, 0) + line.count
    cache.set(_menu_key(user), counts, MENU_COUNTS_SECONDS)
    return counts


def menu_counts(request) -> dict[str, int]:
    """The menu's counts from this person's last to-do page (no query; empty when it has expired)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_staff):
        return {}
    if not hasattr(request, "_todo_menu_counts"):
        request._todo_menu_counts = cache.get(_menu_key(user)) or {}
    return request._todo_menu_counts
