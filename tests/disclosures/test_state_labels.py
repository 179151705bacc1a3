"""The labels that depend on a state (repealed, campus only, the update cadence, a scheduled item, a stopped
clock): the templates compare with the enums, and every page that shows one still shows it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from disclosures.models import Audience, Cadence, DisclosureItem, DisclosureStatus, Validity
from requests_app import services as application_services
from tests.factories import make_disclosure
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db


def zh(text: str) -> str:
    with override("zh-hans"):
        return gettext(text)


def test_repealed_and_campus_only_items_are_labelled_on_every_page(staff_client):
    rule = make_disclosure(title="旧的学生管理规定", validity=Validity.REPEALED, audience=Audience.CAMPUS)
    make_disclosure(title="现行的学生管理规定", validity=Validity.IN_FORCE)
    repealed_notice = zh("This rule has been repealed and is no longer in force.")
    for url in (reverse("disclosures:disclosure-list"), reverse("search") + "?q=学生管理规定"):
        page = staff_client.get(url).content.decode()
        assert page.count(f'<span class="badge badge-muted">{zh("Repealed")}</span>') == 1, url
        assert page.count(f'<span class="badge">{zh("Campus only")}</span>') == 1, url
    assert repealed_notice in staff_client.get(rule.get_absolute_url()).content.decode()
    printed = staff_client.get(reverse("disclosures:disclosure-print", args=[rule.index_number])).content.decode()
    assert repealed_notice in printed


def test_the_catalogue_states_each_cadence_and_the_campus_items(client):
    items = list(DisclosureItem.objects.filter(category__code="04", active=True).order_by("order", "code")[:5])
    settings_by_code = [
        (Cadence.ANNUAL, 9, "每年9月底前"),
        (Cadence.ANNUAL, None, zh("Every year")),
        (Cadence.ON_CHANGE, None, zh("When it changes")),
        (Cadence.CONTINUOUS, None, zh("As it happens")),
        (Cadence.PER_TERM, None, zh("Every term")),
    ]
    for item, (cadence, month, _text) in zip(items, settings_by_code, strict=True):
        DisclosureItem.objects.filter(pk=item.pk).update(cadence=cadence, month=month, default_audience=Audience.PUBLIC)
    DisclosureItem.objects.filter(pk=items[0].pk).update(default_audience=Audience.CAMPUS)
    category_page = client.get(items[0].category.get_absolute_url()).content.decode()
    catalogue = client.get(reverse("disclosures:category-list")).content.decode()
    for page in (category_page, catalogue):
        for _cadence, _month, text in settings_by_code:
            assert text in page
        assert f'{items[0].display_title}</a> <span class="badge">{zh("Campus only")}</span>' in page
        assert f'{items[1].display_title}</a> <span class="badge">' not in page
    assert "每年9月底前" in client.get(items[0].get_absolute_url()).content.decode()


def test_the_admin_says_when_a_scheduled_item_goes_online(staff_client):
    at = timezone.now() + datetime.timedelta(days=2)
    scheduled = make_disclosure(title="定时发布的通知", published_at=at)
    assert scheduled.status == DisclosureStatus.SCHEDULED
    page = staff_client.get(reverse("admin:disclosures_disclosure_change", args=[scheduled.pk])).content.decode()
    assert zh("Goes online at %(at)s.") % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")} in page
    assert zh("Change the publication time") in page


def test_the_status_page_says_the_clock_is_stopped_for_a_clarification(client, staff_user):
    application, code = make_application()
    application_services.application_request_clarification(application=application, user=staff_user, message="年份")
    client.post(reverse("requests_app:track"), {"tracking_number": application.tracking_number, "access_code": code})
    page = client.get(reverse("requests_app:status", args=[application.tracking_number])).content.decode()
    assert zh("The time limit is stopped until you answer the request for clarification.") in page
    assert zh("The time limit is paused while a third party is consulted.") not in page
    assert '<div class="event-message">年份</div>' in page
