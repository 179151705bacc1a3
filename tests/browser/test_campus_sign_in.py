"""Campus sign-in in Chromium through the REAL servers (tests/sso/servers.py): from an address outside the campus
network, a student clicks 「校园统一身份认证登录」, signs in on the college's CAS server or OpenID Connect provider,
comes back to the campus-only item and reads it; after signing out it is refused again."""

import ipaddress

import pytest
from django.test import override_settings

from disclosures.models import Audience
from tests.factories import make_disclosure
from tests.sso.servers import PASSWORD, cas_settings, oidc_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["cas", "oidc"])
def sso(request):
    server = request.getfixturevalue(f"{request.param}_server")
    values = cas_settings(server) if request.param == "cas" else oidc_settings(server)
    # The live server answers 127.0.0.1, which is outside this campus network.
    with override_settings(**values, CAMPUS_NETWORKS=[ipaddress.ip_network("10.0.0.0/8")]):
        yield request.param


def test_a_student_signs_in_and_reads_a_campus_only_item_off_campus(live_server, browser, sso, seeded_catalogue):
    item = make_disclosure(title="校内公示名单", body="<p>campusonlymarker 名单全文</p>", audience=Audience.CAMPUS)
    # 127.0.0.1 rather than localhost: the OIDC provider accepts any port on the loopback address (RFC 8252).
    base = live_server.url.replace("localhost", "127.0.0.1")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        refused = page.goto(base + item.get_absolute_url())
        assert refused.status == 403
        page.get_by_role("link", name="校园统一身份认证登录", exact=True).click()
        page.wait_for_selector("input[name=username]")
        assert not page.url.startswith(base)  # on the sign-in server
        page.fill("input[name=username]", "student1")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.url == base + item.get_absolute_url(), (page.url, page.locator("main").inner_text())
        assert "campusonlymarker" in page.locator("main").inner_text()
        assert page.get_by_text("已通过校园统一身份认证登录").is_visible()
        page.get_by_role("link", name="退出登录").click()
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_load_state()
        assert page.goto(base + item.get_absolute_url()).status == 403
    finally:
        context.close()
