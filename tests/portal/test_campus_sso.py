"""Campus sign-in through REAL servers: django-cas-server (CAS 3.0 and 2.0) and django-oauth-toolkit (OpenID
Connect), each started by the test in its own process on loopback (tests/sso/servers.py).

The portal is driven with Django's test client, the sign-in forms of the real servers with requests; every
redirect between them is followed by hand so that nothing is mocked: the CAS ticket is validated by the CAS server,
the OIDC code exchanged at the provider's token endpoint and the ID token's signature checked with its JWKS.
"""

import ipaddress
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from disclosures.models import Audience
from tests.factories import editor, make_disclosure
from tests.sso.servers import cas_settings, oidc_settings, post_login_form

pytestmark = pytest.mark.django_db
CAMPUS_NET = [ipaddress.ip_network("10.0.0.0/8")]
OUTSIDE = "203.0.113.9"


def local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc in ("", "testserver"), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in(client: Client, username: str, next_url: str) -> str:
    """From the portal's 「校园统一身份认证登录」 through the real server and back; the address landed on."""
    start = client.get("/sso/login/", {"next": next_url})
    assert start.status_code == 302, start
    browser = requests.Session()
    posted = post_login_form(browser, start["Location"], username)
    assert posted.status_code == 302, posted.text[:500]
    back = urljoin(posted.url, posted.headers["Location"])
    while not back.startswith("http://testserver/"):  # the provider's own hops (OIDC: login → authorize)
        posted = browser.get(back, allow_redirects=False)
        assert posted.status_code == 302, posted.text[:500]
        back = urljoin(posted.url, posted.headers["Location"])
    landed = client.get(local(back))
    assert landed.status_code == 302, landed.content[:500]
    return landed["Location"]


@pytest.fixture
def campus_item():
    return make_disclosure(title="校内公示名单 campusonlymarker", audience=Audience.CAMPUS)


def check_campus_session(client, campus_item):
    url = campus_item.get_absolute_url()
    assert sign_in(client, "student1", url) == url
    page = client.get(url)
    assert page.status_code == 200 and "campusonlymarker" in page.content.decode()
    assert "campusonlymarker" in client.get("/items/").content.decode()
    assert "/sso/logout/" in page.content.decode()
    # A campus session is not a user: nothing of the admin.
    assert client.get("/admin/").status_code == 302
    assert not get_user_model().objects.filter(username="student1").exists()
    # Pages the campus session filled the cache with are never served to an anonymous visitor.
    anonymous = Client(REMOTE_ADDR=OUTSIDE)
    for address in (url, "/items/", "/"):
        text = anonymous.get(address).content.decode()
        assert "campusonlymarker" not in text and "/sso/logout/" not in text
    assert anonymous.get(url).status_code == 403
    assert "校园统一身份认证登录" in anonymous.get("/").content.decode()


def check_staff(client):
    staff = editor("staffer")
    get_user_model().objects.filter(pk=staff.pk).update(email="staffer@college.example")
    before = get_user_model().objects.count()
    assert sign_in(client, "staffer", "/") == "/"
    assert client.get("/admin/").status_code == 200
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert get_user_model().objects.count() == before


@override_settings(CAMPUS_NETWORKS=CAMPUS_NET)
def test_cas_student_gets_a_campus_session_seen_off_campus(cas_server, campus_item):
    with override_settings(**cas_settings(cas_server)):
        client = Client(REMOTE_ADDR=OUTSIDE)
        refused = client.get(campus_item.get_absolute_url())
        assert refused.status_code == 403 and "使用校园统一身份认证登录" in refused.content.decode()
        check_campus_session(client, campus_item)
        # Sign out: a button, then the CAS server's logout; the campus item is gone again.
        assert "<form" in client.get("/sso/logout/").content.decode()
        out = client.post("/sso/logout/")
        assert out["Location"].startswith(f"{cas_server.url}/cas/logout")
        assert client.get(campus_item.get_absolute_url()).status_code == 403


@override_settings(CAMPUS_NETWORKS=CAMPUS_NET)
def test_cas_staff_signs_in_to_the_existing_account_by_email(cas_server):
    with override_settings(**cas_settings(cas_server), PORTAL_SSO_MATCH_FIELD="email", CAS_USERNAME_ATTRIBUTE="mail"):
        check_staff(Client(REMOTE_ADDR=OUTSIDE))


@override_settings(CAMPUS_NETWORKS=CAMPUS_NET)
def test_cas_2_and_a_forged_ticket(cas_server, campus_item):
    with override_settings(**cas_settings(cas_server), CAS_VERSION="2"):
        client = Client(REMOTE_ADDR=OUTSIDE)
        url = campus_item.get_absolute_url()
        assert sign_in(client, "student1", url) == url
        assert client.get(url).status_code == 200
        forged = Client(REMOTE_ADDR=OUTSIDE).get("/sso/cas/callback/", {"next": url, "ticket": "ST-forged"})
        assert forged.status_code == 403 and "校园统一身份认证" in forged.content.decode()


@override_settings(CAMPUS_NETWORKS=CAMPUS_NET)
def test_oidc_student_gets_a_campus_session_seen_off_campus(oidc_server, campus_item):
    with override_settings(**oidc_settings(oidc_server)):
        client = Client(REMOTE_ADDR=OUTSIDE)
        check_campus_session(client, campus_item)
        out = client.post("/sso/logout/")
        assert out["Location"].startswith(f"{oidc_server.url}/o/logout/")
        assert client.get(campus_item.get_absolute_url()).status_code == 403


@override_settings(CAMPUS_NETWORKS=CAMPUS_NET)
def test_oidc_staff_signs_in_to_the_existing_account(oidc_server):
    with override_settings(**oidc_settings(oidc_server)):
        check_staff(Client(REMOTE_ADDR=OUTSIDE))


def test_without_sso_there_is_no_campus_sign_in(campus_item):
    client = Client(REMOTE_ADDR=OUTSIDE)
    assert client.get("/sso/login/").status_code == 404
    assert "校园统一身份认证登录" not in client.get("/").content.decode()
    # A campus flag left in a session counts for nothing while campus sign-in is off.
    session = client.session
    session["campus_sso"] = {"method": "cas", "name": "student1"}
    session.save()
    assert client.get(campus_item.get_absolute_url()).status_code == 403
    assert client.get("/admin/login/").status_code == 200  # the password sign-in stays
