"""The synonym table is edited by staff in the admin, and a change shows in the next search."""

import pytest
from django.test import override_settings
from django.urls import reverse

from disclosures.search_models import SearchSynonym
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db


def _titles(client, q):
    response = client.get(reverse("search"), {"q": q})
    return [d.title for d in response.context["page_obj"].object_list]


@override_settings(PAGE_CACHE_ENABLED=True, FRAGMENT_CACHE_ENABLED=True)
def test_a_synonym_added_in_the_admin_changes_the_results(admin_client, client):
    make_disclosure(title="白鹳保护区通知")
    assert SearchSynonym.objects.filter(words__contains="学费").exists()  # seeded by the migration
    assert _titles(client, "东方白鹳") == ["白鹳保护区通知"]
    assert _titles(client, "鹳鸟") == []
    response = admin_client.post(reverse("admin:disclosures_searchsynonym_add"), {"words": "鹳鸟 白鹳", "note": ""})
    assert response.status_code == 302
    assert _titles(client, "鹳鸟") == ["白鹳保护区通知"]
    synonym = SearchSynonym.objects.get(words="鹳鸟 白鹳")
    admin_client.post(reverse("admin:disclosures_searchsynonym_delete", args=[synonym.pk]), {"post": "yes"})
    assert _titles(client, "鹳鸟") == []
