"""Upgrading in place: a database built by the old layout (before the models moved to core, feedback and
annual_reports) and used, migrated forward by today's ``migrate``, keeps every row and every grant.

The test database is taken back to the old migration graph's leaves with Django's MigrationExecutor: the new
apps' migrations and the old apps' state-only DeleteModel migrations are unapplied, so the schema and the
historical models are exactly those of the old code. Content types and permissions are completed as the old
code's post_migrate made them, and data of every kind is written through the historical models. Then the real
``migrate`` (what ``make run`` does) brings it forward, and everything is read back through today's models.

These tests move the whole test database between migration states, so they are transactional (their own
writes cannot be rolled back) with a serialized rollback: the next test that asks for it gets the seeded
database back, and the database is always left at the latest migration, whatever fails.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as live_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The leaves of the migration graph before the reorganisation (commit 9ac4375).
OLD_LEAVES = [
    ("disclosures", "0005_search_index"),
    ("requests_app", "0005_seed_mailboxes_and_feedback_groups"),
    ("portal", "0002_annual_report_permissions"),
]
NEW_APPS = ["core", "feedback", "annual_reports"]
# Tables that migrations after the reorganisation add, and the search index's tables (rebuilt, not kept).
SEARCH_INDEX_TABLES = ("disclosures_searchdocument", "disclosures_search_fts")
# Every model that moved: (old app, model) -> new app.
MOVED = {
    **{("disclosures", model): "core" for model in ["calendarday", "sequence"]},
    **{
        ("requests_app", model): "feedback"
        for model in [
            "mailbox",
            "feedbackmessage",
            "consultation",
            "complaint",
            "mailboxmessage",
            "feedbackevent",
            "survey",
            "surveyquestion",
            "surveyresponse",
            "surveyanswer",
        ]
    },
    **{("portal", model): "annual_reports" for model in ["annualreport", "annualreportevent"]},
}
CUSTOM_PERMISSIONS = {
    ("requests_app", "consultation"): "handle_consultation",
    ("requests_app", "complaint"): "handle_complaint",
    ("requests_app", "mailboxmessage"): "handle_mailbox",
    ("portal", "annualreport"): "publish_annualreport",
}
GROUP = "升级检查组"
STAFF = "upgrade-staff"
OUTSIDER = "upgrade-outsider"


# --- Moving the test database between the two graphs ------------------------------------------------------


PROJECT_APPS = ["portal", "annual_reports", "feedback", "requests_app", "core", "disclosures"]


def fresh_old_installation():
    """An installation made by the old graph's migrations alone: every project app taken back to zero (whatever
    earlier tests left in the seeded tables), then forward to the old graph's leaves, seeds included. Returns the
    historical apps of the old graph's final state."""
    executor = MigrationExecutor(connection)
    executor.migrate([(app, None) for app in PROJECT_APPS])
    return migrate_to_old_graph()


def migrate_to_old_graph():
    """Unapply everything the reorganisation added; return the historical apps of the old graph's final state."""
    executor = MigrationExecutor(connection)
    executor.migrate([*OLD_LEAVES, *((app, None) for app in NEW_APPS)])
    executor.loader.build_graph()
    applied = set(executor.loader.applied_migrations)
    assert set(OLD_LEAVES) <= applied
    assert not {key for key in applied if key[0] in NEW_APPS}
    state_only = {
        ("disclosures", "0006_counters_and_calendar_to_core"),
        ("requests_app", "0006_feedback_to_its_app"),
        ("portal", "0003_annual_reports_to_their_app"),
    }
    assert not state_only & applied
    ContentType.objects.clear_cache()
    return executor.loader.project_state(sorted(applied)).apps


def migrate_to_latest():
    """What ``make run`` does first: ``manage.py migrate`` (post_migrate included)."""
    call_command("migrate", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def old_post_migrate(old_apps) -> None:
    """What the old code's post_migrate made: a content type and the permissions of every model of the old graph."""
    for app_config in old_apps.get_app_configs():
        app_config.models_module = True  # a stub of the historical state; Django's handlers skip apps without
        create_contenttypes(app_config, verbosity=0, apps=old_apps)
        create_permissions(app_config, verbosity=0, apps=old_apps)


# Rows that later migrations change on purpose (not the upgrade's reorganisation): table → why.
CHANGED_BY_LATER_MIGRATIONS = {
    "disclosures_disclosureitem": "disclosures 0008 fixes the catalogue (titles, citations, 07.03 → 05.08)",
    "disclosures_disclosure": "disclosures 0008 moves 07.03's disclosures to category 05",
}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table but Django's migration record (the content types come
    separately), each row a dict by column name."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in {"django_migrations", "django_content_type"}:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            names = [column[0] for column in cursor.description]
            tables[table] = sorted((dict(zip(names, row, strict=True)) for row in cursor.fetchall()), key=repr)
    return tables


def changed_tables(old_rows: dict[str, list], new_rows: dict[str, list]) -> list[str]:
    """The tables of ``old_rows`` whose rows are not all still in ``new_rows``, each old column as it was (tables,
    columns and rows that later migrations add are allowed), but the search index (derived data that migrations
    rebuild: 0007 folds traditional characters), the content version's counter row (moved by the rebuild so that
    cached pages expire) and the rows later migrations change on purpose (CHANGED_BY_LATER_MIGRATIONS)."""

    def counter(row: dict) -> bool:
        return any(isinstance(value, str) and "portal:content-version" in value for value in row.values())

    changed = []
    for table, rows in old_rows.items():
        if table.startswith(SEARCH_INDEX_TABLES) or table in CHANGED_BY_LATER_MIGRATIONS:
            continue
        rows = [row for row in rows if not counter(row)]
        if not rows:
            continue
        names = list(rows[0])
        kept = {repr({name: row.get(name) for name in names}) for row in new_rows.get(table, [])}
        if not all(repr(row) in kept for row in rows):
            changed.append(table)
    return changed


def content_types() -> dict[int, tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        return {pk: (app_label, model) for pk, app_label, model in cursor.fetchall()}


def relabelled(types: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    return {pk: (MOVED.get(key, key[0]), key[1]) for pk, key in types.items()}


# --- An old installation with data of every kind --------------------------------------------------------


def fill_old_installation(old_apps) -> dict:
    """Rows of every kind, written through the historical models; returns the objects' keys and values."""

    def model(label):
        return old_apps.get_model(label)

    now = timezone.now().replace(microsecond=0)
    User = model("auth.User")
    staff = User.objects.create(username=STAFF, password="!", is_staff=True, is_active=True, email="s@example.com")
    outsider = User.objects.create(username=OUTSIDER, password="!", is_staff=True, is_active=True)

    department = model("disclosures.Department").objects.create(code="upgrade", name="升级检查处", order=90)
    category = model("disclosures.Category").objects.create(code="99", slug="upgrade", name="升级检查", order=99)
    item = model("disclosures.DisclosureItem").objects.create(
        code="99.01", title="升级检查事项", category=category, department=department
    )
    disclosure = model("disclosures.Disclosure").objects.create(
        index_number="HCVC-2026-UPG-0001",
        title="升级前发布的通知",
        category=category,
        department=department,
        item=item,
        date_written=datetime.date(2026, 3, 1),
        body="<p>正文</p>",
        status="published",
        published_at=now,
        created_by=staff,
    )
    model("disclosures.SearchDocument").objects.create(disclosure=disclosure, text="升级前发布的通知 正文")
    attachment = model("disclosures.Attachment").objects.create(
        disclosure=disclosure,
        file="disclosures/2026/upgrade.pdf",
        title="附件一",
        original_name="附件一.pdf",
        size=1234,
        content_type="application/pdf",
        sha256="a" * 64,
        download_count=7,
    )
    audit = model("disclosures.AuditEvent").objects.create(
        disclosure=disclosure, action="published", actor=staff, actor_name=STAFF, comment="升级前"
    )
    application = model("requests_app.DisclosureApplication").objects.create(
        tracking_number="YSQ2026990001",
        access_code_hash="!",
        applicant_type="citizen",
        name="张三",
        phone="13800000000",
        description="申请公开2025年预算",
        consent_at=now,
        department=department,
        handler=staff,
    )
    application_event = model("requests_app.ApplicationEvent").objects.create(
        application=application, kind="submitted", actor=staff, message="收到"
    )
    model("requests_app.ApplicationFile").objects.create(
        application=application,
        event=application_event,
        role="id_proof",
        file="applications/2026/id.pdf",
        original_name="身份证.pdf",
        content_type="application/pdf",
        sha256="b" * 64,
    )

    Mailbox = model("requests_app.Mailbox")
    mailbox = Mailbox.objects.create(slug="upgrade", name="升级信箱", order=9)
    mailbox.readers.add(staff)
    Message, Event = model("requests_app.FeedbackMessage"), model("requests_app.FeedbackEvent")
    messages = {}
    for channel, prefix in (("consultation", "ZX"), ("complaint", "TS"), ("mailbox", "XX")):
        message = Message.objects.create(
            channel=channel,
            tracking_number=f"{prefix}2026990001",
            access_code_hash="!",
            subject=f"升级前的{channel}",
            text="正文",
            state="answered",
            reply="答复",
            replied_at=now,
            assignee=staff,
            department=department,
            mailbox=mailbox if channel == "mailbox" else None,
            subject_of_complaint="招生就业处" if channel == "complaint" else "",
        )
        Event.objects.create(message=message, kind="submitted")
        Event.objects.create(message=message, kind="answered", actor=staff, note="已答复")
        messages[channel] = message
    survey = model("requests_app.Survey").objects.create(
        title="升级前的评议", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    Question = model("requests_app.SurveyQuestion")
    rating = Question.objects.create(survey=survey, order=1, kind="rating", text="总体评价")
    choice = Question.objects.create(survey=survey, order=2, kind="choice", text="途径", choices="网站\n微信")
    response = model("requests_app.SurveyResponse").objects.create(survey=survey)
    Answer = model("requests_app.SurveyAnswer")
    Answer.objects.create(response=response, question=rating, rating=4)
    Answer.objects.create(response=response, question=choice, choice="微信")

    report = model("portal.AnnualReport").objects.create(
        year=2019, title="2019年信息公开工作年度报告", overview="<p>概述</p>", snapshot={"applications": 3}
    )
    model("portal.AnnualReportEvent").objects.create(report=report, action="created", actor=staff, actor_name=STAFF)
    day = model("disclosures.CalendarDay").objects.create(
        date=datetime.date(2026, 10, 9), is_working_day=False, kind="closure", note="校庆"
    )
    sequence = model("disclosures.Sequence").objects.create(name="tracking:UPG:2026", value=41)

    # The grants, to the old labels' permissions as an old installation's admin gave them.
    Permission, Group = model("auth.Permission"), model("auth.Group")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    group = Group.objects.create(name=GROUP)
    group.permissions.add(
        permission("requests_app", "handle_consultation"),
        permission("requests_app", "view_consultation"),
        permission("requests_app", "view_mailboxmessage"),
        permission("portal", "publish_annualreport"),
        permission("portal", "change_annualreport"),
        permission("disclosures", "view_calendarday"),
    )
    staff.groups.add(group)
    staff.user_permissions.add(
        permission("disclosures", "change_calendarday"),
        permission("requests_app", "handle_complaint"),
        permission("requests_app", "change_survey"),
    )

    # The admin's history of moved objects (a proxy's entry names the proxy's content type, as the admin does).
    ContentTypes, LogEntry = model("contenttypes.ContentType"), model("admin.LogEntry")
    logged = {}
    for (app_label, model_name), obj in {
        ("requests_app", "consultation"): messages["consultation"],
        ("requests_app", "complaint"): messages["complaint"],
        ("requests_app", "mailboxmessage"): messages["mailbox"],
        ("requests_app", "mailbox"): mailbox,
        ("requests_app", "survey"): survey,
        ("portal", "annualreport"): report,
        ("disclosures", "calendarday"): day,
        ("disclosures", "disclosure"): disclosure,
    }.items():
        entry = LogEntry.objects.create(
            user=staff,
            content_type=ContentTypes.objects.get(app_label=app_label, model=model_name),
            object_id=str(obj.pk),
            object_repr=f"升级前 {model_name}",
            action_flag=2,
            change_message="[]",
        )
        logged[MOVED.get((app_label, model_name), app_label), model_name] = (entry.pk, obj.pk)

    return {
        "staff": staff.pk,
        "outsider": outsider.pk,
        "group": group.pk,
        "logged": logged,
        # (today's model label, pk, values as written)
        "rows": [
            ("disclosures.Disclosure", disclosure.pk, {"title": "升级前发布的通知", "item_id": item.pk}),
            ("disclosures.Attachment", attachment.pk, {"original_name": "附件一.pdf", "download_count": 7}),
            ("disclosures.AuditEvent", audit.pk, {"action": "published", "comment": "升级前"}),
            ("requests_app.DisclosureApplication", application.pk, {"tracking_number": "YSQ2026990001"}),
            ("requests_app.ApplicationEvent", application_event.pk, {"message": "收到"}),
            ("feedback.Consultation", messages["consultation"].pk, {"subject": "升级前的consultation"}),
            ("feedback.Complaint", messages["complaint"].pk, {"subject_of_complaint": "招生就业处"}),
            ("feedback.MailboxMessage", messages["mailbox"].pk, {"mailbox_id": mailbox.pk, "reply": "答复"}),
            ("feedback.Mailbox", mailbox.pk, {"slug": "upgrade", "name": "升级信箱"}),
            ("feedback.Survey", survey.pk, {"title": "升级前的评议"}),
            ("feedback.SurveyQuestion", choice.pk, {"choices": "网站\n微信", "survey_id": survey.pk}),
            ("feedback.SurveyResponse", response.pk, {"survey_id": survey.pk}),
            ("annual_reports.AnnualReport", report.pk, {"year": 2019, "snapshot": {"applications": 3}}),
            ("core.CalendarDay", day.pk, {"date": datetime.date(2026, 10, 9), "note": "校庆"}),
            ("core.Sequence", sequence.pk, {"name": "tracking:UPG:2026", "value": 41}),
        ],
        "messages": {channel: message.pk for channel, message in messages.items()},
        "mailbox": mailbox.pk,
        "survey": survey.pk,
        "report": report.pk,
    }


def assert_old_content_types(old_apps) -> None:
    """The old installation's content types: every moved model under its old label, none under the new one."""
    ContentTypes, Permission = old_apps.get_model("contenttypes.ContentType"), old_apps.get_model("auth.Permission")
    labels = set(ContentTypes.objects.values_list("app_label", "model"))
    assert set(MOVED) <= labels
    assert not {(new_app, model) for (_old, model), new_app in MOVED.items()} & labels
    for (app_label, model), codename in CUSTOM_PERMISSIONS.items():
        assert Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).exists()
    for app_label, model in MOVED:
        codenames = set(
            Permission.objects.filter(content_type__app_label=app_label, content_type__model=model).values_list(
                "codename", flat=True
            )
        )
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= codenames


# --- The upgrade ------------------------------------------------------------------------------------------


def test_an_old_installation_upgrades_in_place_keeping_every_row_and_grant_and_back_again():
    try:
        old_apps = fresh_old_installation()
        old_post_migrate(old_apps)
        assert_old_content_types(old_apps)
        made = fill_old_installation(old_apps)
        old_types, old_rows = content_types(), snapshot()

        migrate_to_latest()

        # Nothing lost or changed, in any table: every row of every column is still there. The search index is
        # derived data that later migrations rebuild (0007 folds traditional characters); later migrations add tables.
        new_rows = snapshot()
        assert old_rows.keys() <= new_rows.keys()
        assert changed_tables(old_rows, new_rows) == []
        # The content types keep their ids (so permissions, grants and admin history stay attached); the moved
        # ones carry their new app's label; post_migrate added none (no duplicate for a moved model).
        new_types = content_types()
        assert {pk: label for pk, label in new_types.items() if pk in old_types} == relabelled(old_types)
        assert len(set(new_types.values())) == len(new_types)
        for (_old_app, model), new_app in MOVED.items():
            assert ContentType.objects.get_by_natural_key(new_app, model).model_class() is not None

        assert_read_back_through_todays_models(made)
        assert_grants_and_history_follow(made)

        # Reversible: back to the old graph (the old labels again, every row as it was), then forward again.
        old_apps = migrate_to_old_graph()
        assert content_types() == old_types
        assert changed_tables(old_rows, snapshot()) == []
        assert_old_content_types(old_apps)
        migrate_to_latest()
        assert content_types() == new_types
        # The tables of the old installation as they were after the first upgrade (tables that later migrations
        # add were dropped on the way back and are seeded anew).
        assert changed_tables({table: new_rows[table] for table in old_rows}, snapshot()) == []
        assert_read_back_through_todays_models(made)
        assert_grants_and_history_follow(made)
    finally:
        migrate_to_latest()


def assert_read_back_through_todays_models(made) -> None:
    for label, pk, values in made["rows"]:
        assert live_apps.get_model(label)._base_manager.filter(pk=pk).values(*values).get() == values, label
    from feedback.models import Complaint, Consultation, FeedbackEvent, Mailbox, MailboxMessage, Survey, SurveyAnswer

    messages = made["messages"]
    # The proxies' managers still tell the channels apart.
    assert list(Consultation.objects.filter(pk__in=messages.values()).values_list("pk", flat=True)) == [
        messages["consultation"]
    ]
    assert list(Complaint.objects.filter(pk__in=messages.values()).values_list("pk", flat=True)) == [
        messages["complaint"]
    ]
    assert list(MailboxMessage.objects.filter(pk__in=messages.values()).values_list("pk", flat=True)) == [
        messages["mailbox"]
    ]
    for pk in messages.values():
        assert list(FeedbackEvent.objects.filter(message_id=pk).values_list("kind", "note")) == [
            ("submitted", ""),
            ("answered", "已答复"),
        ]
    mailbox = Mailbox.objects.get(pk=made["mailbox"])
    assert list(mailbox.readers.values_list("username", flat=True)) == [STAFF]
    assert list(mailbox.messages.values_list("pk", flat=True)) == [messages["mailbox"]]
    survey = Survey.objects.get(pk=made["survey"])
    assert list(survey.questions.values_list("text", flat=True)) == ["总体评价", "途径"]
    assert sorted(
        SurveyAnswer.objects.filter(response__survey=survey).values_list("question__text", "rating", "choice")
    ) == [("总体评价", 4, ""), ("途径", None, "微信")]
    from annual_reports.models import AnnualReport

    report = AnnualReport.objects.get(pk=made["report"])
    assert list(report.events.values_list("action", "actor__username")) == [("created", STAFF)]
    # Every table of today's models reads (their columns are the tables' columns).
    for model in live_apps.get_models(include_auto_created=True):
        list(model._base_manager.all()[:1])


def assert_grants_and_history_follow(made) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Group, User

    staff = User.objects.get(pk=made["staff"])  # a fresh object: no permission cache
    granted_by_group = [
        "feedback.handle_consultation",
        "feedback.view_consultation",
        "feedback.view_mailboxmessage",
        "annual_reports.publish_annualreport",
        "annual_reports.change_annualreport",
        "core.view_calendarday",
    ]
    granted_to_user = ["core.change_calendarday", "feedback.handle_complaint", "feedback.change_survey"]
    assert sorted(staff.get_group_permissions()) == sorted(granted_by_group)
    assert sorted(staff.get_user_permissions()) == sorted(granted_to_user)
    for permission in granted_by_group + granted_to_user:
        assert staff.has_perm(permission), permission
    assert not staff.has_perm("feedback.handle_mailbox")
    # Nothing is granted under the old labels any more, and someone outside the group gets nothing.
    assert not staff.has_perm("requests_app.handle_consultation") and not staff.has_perm("portal.publish_annualreport")
    outsider = User.objects.get(pk=made["outsider"])
    assert not outsider.has_perm("feedback.handle_consultation") and not outsider.get_all_permissions()
    assert Group.objects.get(pk=made["group"]).permissions.count() == len(granted_by_group)

    for (app_label, model), (entry_pk, object_pk) in made["logged"].items():
        entry = LogEntry.objects.get(pk=entry_pk)
        assert entry.get_admin_url() == f"/admin/{app_label}/{model}/{object_pk}/change/"
        assert entry.get_edited_object().pk == object_pk
    # The seeded feedback groups keep their grants, now to the feedback app's permissions.
    seeded = Group.objects.get(name="在线咨询受理").permissions.values_list("content_type__app_label", "codename")
    assert set(seeded) == {("feedback", "handle_consultation"), ("feedback", "view_consultation")}


# --- MoveContentTypes when the new label already has a content type ---------------------------------------


def test_a_content_type_already_made_under_the_new_label_is_merged_into_the_moved_one_with_nothing_lost():
    """A content type made under the new label before the upgrade's migrations ran (today's code served, or
    ``ContentType.objects.get_for_model`` ran, before ``migrate``), with its own permissions, grants and admin
    history: after the upgrade one content type remains, the old one's id, holding all of them."""
    try:
        old_apps = fresh_old_installation()
        old_post_migrate(old_apps)
        ContentTypes, Permission = old_apps.get_model("contenttypes.ContentType"), old_apps.get_model("auth.Permission")
        User, Group = old_apps.get_model("auth.User"), old_apps.get_model("auth.Group")
        LogEntry = old_apps.get_model("admin.LogEntry")
        moving = ContentTypes.objects.get(app_label="requests_app", model="consultation")
        old_handle = Permission.objects.get(content_type=moving, codename="handle_consultation")
        old_group = Group.objects.create(name="旧标签组")
        old_group.permissions.add(old_handle)

        early = ContentTypes.objects.create(app_label="feedback", model="consultation")
        early_handle = Permission.objects.create(content_type=early, codename="handle_consultation", name="dup")
        early_export = Permission.objects.create(content_type=early, codename="export_consultation", name="Export")
        new_group = Group.objects.create(name="新标签组")
        new_group.permissions.add(early_handle, early_export)
        user = User.objects.create(username="early-user", password="!", is_staff=True)
        user.user_permissions.add(early_handle)
        entry = LogEntry.objects.create(
            user=user, content_type=early, object_id="1", object_repr="x", action_flag=1, change_message="[]"
        )
        early_calendar = ContentTypes.objects.create(app_label="core", model="calendarday")  # bare, no permissions
        old_calendar = ContentTypes.objects.get(app_label="disclosures", model="calendarday")
        permissions_before = Permission.objects.count()

        migrate_to_latest()

        from django.contrib.admin.models import LogEntry as LiveLogEntry
        from django.contrib.auth.models import Group as LiveGroup
        from django.contrib.auth.models import Permission as LivePermission
        from django.contrib.auth.models import User as LiveUser

        merged = ContentType.objects.get_by_natural_key("feedback", "consultation")
        assert merged.pk == moving.pk
        assert not ContentType.objects.filter(pk__in=[early.pk, early_calendar.pk]).exists()
        assert ContentType.objects.get_by_natural_key("core", "calendarday").pk == old_calendar.pk
        assert not ContentType.objects.filter(app_label="requests_app", model="consultation").exists()
        # The duplicate permission goes (its grants now hold the kept one); the one the old label lacked moves.
        assert LivePermission.objects.count() == permissions_before - 1
        assert set(LivePermission.objects.filter(content_type=merged).values_list("codename", flat=True)) >= {
            "handle_consultation",
            "export_consultation",
            "view_consultation",
        }
        assert LivePermission.objects.get(content_type=merged, codename="handle_consultation").pk == old_handle.pk
        assert LivePermission.objects.get(codename="export_consultation").pk == early_export.pk
        for name in ("旧标签组", "新标签组"):
            assert LiveGroup.objects.get(name=name).permissions.filter(pk=old_handle.pk).exists(), name
        assert LiveGroup.objects.get(name="新标签组").permissions.filter(pk=early_export.pk).exists()
        live_user = LiveUser.objects.get(pk=user.pk)
        assert live_user.has_perm("feedback.handle_consultation")
        assert LiveUser.objects.get(pk=user.pk).get_user_permissions() == {"feedback.handle_consultation"}
        assert LiveLogEntry.objects.get(pk=entry.pk).content_type_id == merged.pk

        # And backwards: a content type under the old label made meanwhile is merged the same way.
        late = ContentType.objects.create(app_label="requests_app", model="consultation")
        late_handle = LivePermission.objects.create(content_type=late, codename="handle_consultation", name="dup")
        late_group = LiveGroup.objects.create(name="回退组")
        late_group.permissions.add(late_handle)
        migrate_to_old_graph()
        assert ContentType.objects.get_by_natural_key("requests_app", "consultation").pk == merged.pk
        assert not ContentType.objects.filter(pk=late.pk).exists()
        assert set(late_group.permissions.values_list("pk", flat=True)) == {old_handle.pk}
    finally:
        migrate_to_latest()


# --- The search index after a migrate that leaves it out, and after one that brings it -----------------------


def test_a_migrate_back_before_the_search_index_succeeds_and_the_next_one_indexes_what_was_published():
    """post_migrate indexes published items that have no search entry: after a ``migrate`` back before the
    index exists (disclosures 0004) it has nothing to index into and must stand aside (it failed the command
    with "no such table: disclosures_searchdocument"); the ``migrate`` forward indexes what was published."""
    from disclosures import search
    from disclosures.models import Disclosure

    try:
        fresh_old_installation()
        call_command("migrate", "disclosures", "0004_publishing_groups", interactive=False, verbosity=0)
        assert "disclosures_searchdocument" not in connection.introspection.table_names()
        executor = MigrationExecutor(connection)
        old_apps = executor.loader.project_state(sorted(executor.loader.applied_migrations)).apps
        category = old_apps.get_model("disclosures.Category").objects.create(code="98", slug="before", name="检索前")
        department = old_apps.get_model("disclosures.Department").objects.create(code="before", name="检索前处")
        published = old_apps.get_model("disclosures.Disclosure").objects.create(
            index_number="HCVC-2026-IDX-0001",
            title="检索索引之前发布的通知",
            category=category,
            department=department,
            date_written=datetime.date(2026, 3, 1),
            body="<p>校园开放日安排</p>",
            status="published",
            published_at=timezone.now(),
        )

        migrate_to_latest()

        found = search.search(Disclosure.objects.all(), search.parse_query("开放日"))
        assert list(found.values_list("pk", flat=True)) == [published.pk]
    finally:
        migrate_to_latest()
