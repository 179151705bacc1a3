"""E-mail alerts end to end through Django's mail outbox (issue 18): follow a category or a disclosure item,
double opt-in, the daily and weekly digests of the cron command, one-click unsubscribe (link and RFC 8058
headers), the address never shown, deleted when unsubscribed or left unconfirmed, rate-limited."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from disclosures.alerts import services
from disclosures.alerts.models import Subscription
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_after_commit(monkeypatch):
    """The confirmation mail goes out when the request's transaction commits; a test's never does."""
    monkeypatch.setattr(services.transaction, "on_commit", lambda callback: callback())


ADDRESS = "reader@example.com"
START = datetime.datetime(2025, 3, 3, 1, 0, tzinfo=datetime.UTC)  # a Monday, 09:00 in Beijing


def mine() -> list:
    """The mails to the reader (the workflow also mails staff as items are published)."""
    return [message for message in mail.outbox if message.to == [ADDRESS]]


def _link(message, kind: str) -> str:
    found = re.search(rf"http://\S+/alerts/{kind}/[\w-]+/", message.body)
    assert found, message.body
    return found.group(0).split("http://127.0.0.1:8000", 1)[1]


def _subscribe(client, target: dict, frequency="daily", language_prefix=""):
    response = client.post(
        f"{language_prefix}/alerts/new/", {**target, "email": ADDRESS, "frequency": frequency, "consent": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"{language_prefix}/alerts/sent/"
    sent_page = client.get(response["Location"]).content.decode()
    assert ADDRESS not in sent_page  # the address is never shown
    return mine()[-1]


def test_follow_a_category_confirm_get_a_daily_digest_and_unsubscribe(client):
    with time_machine.travel(START, tick=False):
        page = client.get("/catalogue/student-affairs/").content.decode()
        assert 'href="/alerts/new/?category=student-affairs"' in page
        form = client.get("/alerts/new/?category=student-affairs")
        assert form.status_code == 200 and "学生事务" in form.content.decode()
        confirmation = _subscribe(client, {"category": "student-affairs"})
        assert confirmation.to == [ADDRESS]
        assert "请确认" in confirmation.subject
        subscription = Subscription.objects.get()
        assert subscription.confirmed_at is None
        # Nothing is sent before confirmation, even when something is published.
        make_disclosure(title="关于公布奖学金评审结果的通知", category_code="04")
        call_command("send_alerts", "--frequency", "daily", stdout=open("/dev/null", "w"))
        assert len(mine()) == 1
        confirm_url = _link(confirmation, "confirm")
        confirm_page = client.get(confirm_url)
        assert ADDRESS not in confirm_page.content.decode()
        Subscription.objects.get(confirmed_at__isnull=True)  # opening the link alone confirms nothing
        assert client.post(confirm_url).status_code == 200
        assert Subscription.objects.get().confirmed_at is not None
    with time_machine.travel(START + datetime.timedelta(hours=3), tick=False):
        make_disclosure(title="2025年国家助学金名单公示", category_code="04", published_at=timezone.now())
        make_disclosure(title="校内通知：宿舍检查", category_code="04", audience="campus", published_at=timezone.now())
        make_disclosure(title="2025年部门预算", category_code="11", item_code=None, department_code="finance")
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        call_command("send_alerts", "--frequency", "daily", stdout=open("/dev/null", "w"))
        assert len(mine()) == 2
        digest = mine()[-1]
        assert digest.to == [ADDRESS]
        assert "2025年国家助学金名单公示" in digest.body
        assert "关于公布奖学金评审结果的通知" not in digest.body  # published before the confirmation
        assert "校内通知" not in digest.body and "部门预算" not in digest.body  # public items of this category only
        unsubscribe_url = _link(digest, "unsubscribe")
        assert digest.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe_url}>"
        assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # The same day again: nothing new, nothing sent.
        call_command("send_alerts", "--frequency", "daily", stdout=open("/dev/null", "w"))
        assert len(mine()) == 2
        page = client.get(unsubscribe_url).content.decode()
        assert ADDRESS not in page and Subscription.objects.exists()
        assert client.post(unsubscribe_url).status_code == 200
        assert not Subscription.objects.exists()  # the address is gone with the subscription
        assert client.post(unsubscribe_url).status_code == 200  # a second click is harmless


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token():
    from django.test import Client

    subscription = services.subscription_request(
        email=ADDRESS, frequency="weekly", category=None, item=_item("04.01"), language="zh-hans"
    )
    services.subscription_confirm(token=subscription.token)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/alerts/unsubscribe/{subscription.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def _item(code):
    from disclosures.models import DisclosureItem

    return DisclosureItem.objects.get(code=code)


def test_follow_a_disclosure_item_weekly_in_english(client):
    with time_machine.travel(START, tick=False):
        page = client.get("/en/catalogue/student-affairs/04.01/")
        assert page.status_code == 200 and 'href="/en/alerts/new/?item=04.01"' in page.content.decode()
        confirmation = _subscribe(client, {"item": "04.01"}, frequency="weekly", language_prefix="/en")
        assert confirmation.subject.startswith("Please confirm")
        confirm_url = _link(confirmation, "confirm")
        assert confirm_url.startswith("/en/alerts/confirm/")
        client.post(confirm_url)
    with time_machine.travel(START + datetime.timedelta(days=2), tick=False):
        make_disclosure(title="2025年招生章程", item_code="04.01", published_at=timezone.now())
        make_disclosure(title="2025年招生计划", item_code="04.02", published_at=timezone.now())
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        call_command("send_alerts", "--frequency", "weekly", stdout=open("/dev/null", "w"))
        assert len(mine()) == 1  # a week has not passed
    with time_machine.travel(START + datetime.timedelta(days=7), tick=False):
        call_command("send_alerts", "--frequency", "daily", stdout=open("/dev/null", "w"))
        assert len(mine()) == 1  # daily digests are for daily subscriptions
        call_command("send_alerts", "--frequency", "weekly", stdout=open("/dev/null", "w"))
        assert len(mine()) == 2
        digest = mine()[-1]
        assert "2025年招生章程" in digest.body and "2025年招生计划" not in digest.body
        assert "Newly published" in digest.body and "/en/items/" in digest.body
        assert _link(digest, "unsubscribe").startswith("/en/alerts/unsubscribe/")


def test_unconfirmed_requests_are_deleted_after_seven_days(client):
    with time_machine.travel(START, tick=False):
        _subscribe(client, {"category": "student-affairs"})
    with time_machine.travel(START + datetime.timedelta(days=6), tick=False):
        call_command("send_alerts", "--frequency", "daily", stdout=open("/dev/null", "w"))
        assert Subscription.objects.count() == 1
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        call_command("send_alerts", "--frequency", "daily", stdout=open("/dev/null", "w"))
        assert not Subscription.objects.exists()


def test_asking_twice_sends_the_link_again_and_keeps_one_subscription(client):
    _subscribe(client, {"category": "student-affairs"})
    _subscribe(client, {"category": "student-affairs"}, frequency="weekly")
    assert len(mine()) == 2 and Subscription.objects.count() == 1
    assert Subscription.objects.get().frequency == "weekly"


def test_bad_input_is_answered_on_the_form_and_keeps_what_was_typed(client):
    response = client.post(
        "/alerts/new/", {"category": "student-affairs", "email": "not-an-address", "frequency": "daily"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="not-an-address"' in content and "有效的 Email 地址" in content
    assert not Subscription.objects.exists() and not mine()
    assert client.get("/alerts/new/").status_code == 404
    assert client.get("/alerts/new/?category=nope").status_code == 404
    assert client.get("/alerts/confirm/nope/").status_code == 404


@override_settings(ABUSE_RATE_LIMITS={"default": {"ip": (3, 3600), "contact": (2, 86400)}})
def test_the_form_is_rate_limited_like_the_other_public_forms(client):
    _subscribe(client, {"category": "student-affairs"})
    _subscribe(client, {"category": "finance"})
    response = client.post(
        "/alerts/new/", {"category": "teaching", "email": ADDRESS, "frequency": "daily", "consent": "on"}
    )
    assert response.status_code == 200 and "提交次数过多" in response.content.decode()
    assert len(mine()) == 2
