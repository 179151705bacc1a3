"""Every choice of a staff form is limited to what that staff member may see: a number POSTed by hand is
refused without naming what it points to (issue 14, "Staff rights that hold")."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from disclosures.models import DisclosureStatus, NoticeKind, Validity
from feedback.models import Channel
from requests_app.permissions import HANDLER_GROUP
from tests.disclosures.test_permissions import form_data
from tests.factories import UserFactory, editor, make_disclosure
from tests.feedback.factories import make_message
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db
ADD = reverse("admin:disclosures_disclosure_add")


@pytest.fixture
def hidden_items():
    draft = make_disclosure(title="财务处尚未公开的草稿标题", department_code="finance", status=DisclosureStatus.DRAFT)
    scheduled = make_disclosure(
        title="财务处定时发布的通知标题",
        department_code="finance",
        status=DisclosureStatus.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    return draft, scheduled


def test_editor_posting_another_departments_drafts_learns_nothing(client, hidden_items):
    draft, scheduled = hidden_items
    client.force_login(editor("admissions-editor", "admissions"))
    for data in (
        form_data(notice_kind=NoticeKind.CORRECTION, corrects=draft.pk),
        form_data(notice_kind=NoticeKind.CORRECTION, corrects=scheduled.pk),
        form_data(validity=Validity.REPEALED, replaced_by=draft.pk),
        form_data(validity=Validity.REPEALED, replaced_by=scheduled.pk),
        # A 政策解读 pointing at another department's unpublished rule (found in review: not limited at first).
        form_data(interprets=draft.pk),
        form_data(interprets=scheduled.pk),
    ):
        response = client.post(ADD, data)
        assert response.status_code == 200
        content = response.content.decode()
        assert draft.title not in content and scheduled.title not in content
        assert draft.index_number not in content and scheduled.index_number not in content
        errors = response.context["adminform"].form.errors
        assert set(errors) & {"corrects", "replaced_by", "interprets"}


def test_autocomplete_of_related_items_offers_only_visible_ones(client, hidden_items):
    draft, scheduled = hidden_items
    published_elsewhere = make_disclosure(title="财务处已公开的制度", department_code="finance")
    client.force_login(editor("admissions-editor", "admissions"))
    for field_name in ("corrects", "replaced_by", "interprets"):
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "disclosures", "model_name": "disclosure", "field_name": field_name, "term": "财务处"},
        )
        assert response.status_code == 200
        ids = {int(row["id"]) for row in response.json()["results"]}
        assert not ids & {draft.pk, scheduled.pk}
        # A rule may be replaced by any published item; only one's own departments' items are corrected.
        assert (published_elsewhere.pk in ids) == (field_name != "corrects")


def test_editor_may_still_point_at_items_he_may_see(client):
    own = make_disclosure(title="招生处已公开的通知", department_code="admissions")
    client.force_login(editor("admissions-editor", "admissions"))
    response = client.post(ADD, form_data(notice_kind=NoticeKind.CORRECTION, corrects=own.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_application_handler_choices_are_staff_who_handle_applications(staff_client):
    outsider = UserFactory(username="no-handling-rights", is_staff=True)
    handler = UserFactory(username="handler-two", is_staff=True)
    handler.groups.add(Group.objects.get(name=HANDLER_GROUP))  # one of the groups with the right
    application, _code = make_application()
    url = reverse("admin:requests_app_disclosureapplication_action", args=[application.pk, "assign"])
    page = staff_client.get(url)
    assert "no-handling-rights" not in page.content.decode() and "handler-two" in page.content.decode()
    response = staff_client.post(url, {"department": application.department_id or 1, "handler": outsider.pk})
    assert response.status_code == 200 and "handler" in response.context["form"].errors
    application.refresh_from_db()
    assert application.handler_id != outsider.pk


def test_feedback_assignee_choices_are_staff_who_handle_the_channel(staff_client):
    outsider = UserFactory(username="no-feedback-rights", is_staff=True)
    message, _code = make_message(channel=Channel.CONSULTATION)
    url = reverse("admin:feedback_consultation_action", args=[message.pk, "assign"])
    assert "no-feedback-rights" not in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"assignee": outsider.pk, "note": ""})
    assert response.status_code == 200 and "assignee" in response.context["form"].errors
    message.refresh_from_db()
    assert message.assignee_id is None


def test_mailbox_readers_are_staff_who_may_read_mailboxes(staff_client):
    outsider = UserFactory(username="no-mailbox-rights", is_staff=True)
    page = staff_client.get(reverse("admin:feedback_mailbox_add"))
    assert "no-mailbox-rights" not in page.content.decode()
    response = staff_client.post(
        reverse("admin:feedback_mailbox_add"),
        {"slug": "vp", "name": "副校长信箱", "description": "", "active": "on", "order": "3", "readers": [outsider.pk]},
    )
    assert response.status_code == 200 and "readers" in response.context["adminform"].form.errors
