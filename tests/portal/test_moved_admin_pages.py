"""Admin pages of models that moved to an app of their own answer at their old addresses with a redirect."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "old, new",
    [
        ("/admin/requests_app/consultation/?state=new", "/admin/feedback/consultation/?state=new"),
        ("/admin/requests_app/survey/add/", "/admin/feedback/survey/add/"),
        ("/admin/portal/annualreport/", "/admin/annual_reports/annualreport/"),
        ("/admin/disclosures/calendarday/", "/admin/core/calendarday/"),
        ("/admin/portal/", "/admin/annual_reports/"),
    ],
)
def test_old_admin_addresses_redirect_to_the_new_app(admin_client, old, new):
    response = admin_client.get(old)
    assert response.status_code == 308  # a POST stays a POST
    assert response["Location"] == new
    assert admin_client.get(new).status_code == 200


@pytest.mark.django_db
def test_admin_pages_of_models_that_stayed_are_not_redirected(admin_client):
    assert admin_client.get("/admin/requests_app/disclosureapplication/").status_code == 200
    assert admin_client.get("/admin/disclosures/disclosure/").status_code == 200
