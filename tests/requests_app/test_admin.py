"""The staff inbox: filters, remaining working days, masking, permission, audit, actions."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from requests_app import services
from requests_app.models import ApplicationState, EventKind
from tests.factories import StaffFactory
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db
LIST = reverse("admin:requests_app_disclosureapplication_changelist")
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d):
    return datetime.datetime(y, m, d, 10, 0, tzinfo=BEIJING)


def change_url(application):
    return reverse("admin:requests_app_disclosureapplication_change", args=[application.pk])


def action_url(application, name):
    return reverse("admin:requests_app_disclosureapplication_action", args=[application.pk, name])


@pytest.fixture
def viewer(client, db):
    """Staff who may view applications but not handle them."""
    user = StaffFactory(username="viewer", is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="view_disclosureapplication"))
    client.force_login(user)
    return client


def test_inbox_masks_personal_data_and_shows_remaining_days(staff_client, django_assert_max_num_queries):
    with time_machine.travel(at(2025, 9, 22), tick=False):
        for n in range(5):
            make_application(phone=f"1390000000{n}")
    with time_machine.travel(at(2025, 10, 15), tick=False):
        # 14: the two-factor check asks for a device on every admin page; one for the remedies placeholder flag
        with django_assert_max_num_queries(14):
            response = staff_client.get(LIST)
    text = response.content.decode()
    assert response.status_code == 200
    assert "张**" in text and "张三丰" not in text
    assert "13900000001" not in text
    assert '<td class="field-remaining">2</td>' in text


def test_due_and_overdue_filters(staff_client):
    with time_machine.travel(at(2025, 9, 22), tick=False):
        early, _ = make_application()
    with time_machine.travel(at(2025, 10, 13), tick=False):
        late, _ = make_application(phone="13900000000")
    with time_machine.travel(at(2025, 10, 20), tick=False):
        overdue = staff_client.get(LIST, {"due": "overdue"})
        soon = staff_client.get(LIST, {"due": "10"})
    assert [a.pk for a in overdue.context["cl"].result_list] == [early.pk]
    assert early.tracking_number not in soon.content.decode() or late.tracking_number in soon.content.decode()
    assert "逾期" in overdue.content.decode() or "overdue" in overdue.content.decode()


def test_handler_sees_details_and_the_view_is_audited(staff_client):
    application, _ = make_application()
    response = staff_client.get(change_url(application))
    text = response.content.decode()
    assert application.id_number in text and "13812345678" in text
    assert application.events.filter(kind=EventKind.PERSONAL_DATA_VIEWED).count() == 1


def test_staff_without_the_permission_see_only_masked_data(viewer):
    application, _ = make_application()
    response = viewer.get(change_url(application))
    text = response.content.decode()
    assert response.status_code == 200
    assert application.id_number not in text and "13812345678" not in text and "张三丰" not in text
    assert "138****5678" in text
    assert not application.events.filter(kind=EventKind.PERSONAL_DATA_VIEWED).exists()
    assert viewer.get(action_url(application, "accept")).status_code == 403


def test_clarify_and_reply_through_the_admin(staff_client):
    application, _ = make_application()
    assert staff_client.get(action_url(application, "clarify")).status_code == 200
    response = staff_client.post(action_url(application, "clarify"), {"message": "请说明所需文件的年份"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.CLARIFICATION
    services.application_answer_clarification(application=application, text="2024年")
    # Step one fills the letter from the template; step two sends it.
    first = staff_client.post(action_url(application, "reply"), {"outcome": "disclosed", "letter": ""})
    letter = first.context["form"]["letter"].value()
    assert application.tracking_number in letter
    second = staff_client.post(action_url(application, "reply"), {"outcome": "disclosed", "letter": letter + "\n补充"})
    assert second.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.REPLIED and application.reply_letter.endswith("补充")


def test_an_action_error_is_shown_on_the_form(staff_client):
    application, _ = make_application()
    response = staff_client.post(
        action_url(application, "reply"), {"outcome": "refused_third_party", "letter": "不予公开", "reason_text": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_an_action_in_the_wrong_state_redirects_with_a_message(staff_client):
    application, _ = make_application()
    response = staff_client.get(action_url(application, "close"))
    assert response.status_code == 302


def test_guide_is_editable_and_cannot_be_duplicated(staff_client):
    assert staff_client.get(reverse("admin:requests_app_applicationguide_add")).status_code == 403
    assert staff_client.get(reverse("admin:requests_app_applicationguide_changelist")).status_code == 200


def test_the_handlers_group_grants_the_handling_permission(client):
    from django.contrib.auth.models import Group

    user = StaffFactory(username="officer", is_superuser=False)
    user.groups.add(Group.objects.get(name="依申请公开办理人员"))
    client.force_login(user)
    application, _ = make_application()
    response = client.get(change_url(application))
    assert application.id_number in response.content.decode()
    assert client.get(action_url(application, "accept")).status_code == 200
