"""The two staff inboxes (applications, feedback messages) share core.inbox: one calendar query per request,
nothing stored on the listed rows, and action forms that show their errors again with status 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Channel
from tests.feedback.factories import make_message
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db
APPLICATIONS = reverse("admin:requests_app_disclosureapplication_changelist")
CONSULTATIONS = reverse("admin:feedback_consultation_changelist")
DJANGO_OWN = {"_state", "_prefetched_objects_cache"}


def calendar_queries(context) -> int:
    return sum('FROM "disclosures_calendarday"' in query["sql"] for query in context.captured_queries)


@pytest.mark.parametrize("url", [APPLICATIONS, CONSULTATIONS])
@pytest.mark.parametrize("due", [None, "overdue"])
def test_a_list_loads_the_calendar_once_and_stores_nothing_on_its_rows(staff_client, url, due):
    for n in range(3):
        make_application(phone=f"1390000000{n}")
        make_message(channel=Channel.CONSULTATION)
    with CaptureQueriesContext(connection) as context:
        response = staff_client.get(url, {"due": due} if due else {})
    assert response.status_code == 200 and calendar_queries(context) == 1
    for row in response.context["cl"].result_list:
        assert {name for name in vars(row) if name.startswith("_")} <= DJANGO_OWN


def test_both_inboxes_show_a_form_with_errors_again_with_status_200(staff_client):
    application, _code = make_application()
    message, _code = make_message(channel=Channel.COMPLAINT)
    reply = reverse("admin:requests_app_disclosureapplication_action", args=[application.pk, "reply"])
    close = reverse("admin:feedback_complaint_action", args=[message.pk, "close"])
    for url, data in (
        (reply, {"outcome": "no-such-kind", "letter": "答复"}),  # the form refuses it
        (reply, {"outcome": "refused_third_party", "letter": "不予公开", "reason_text": ""}),  # the service does
        (close, {"result": "no-such-result", "note": ""}),
        (close, {"result": "", "note": ""}),
    ):
        response = staff_client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors, (url, data)
