"""The elderly-friendly mode (适老化) on a phone: switched on from the header, announced (aria-pressed),
remembered on the next page from its first paint, still fitting the screen; then switched off again."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The mode at the moment <body> starts: after the scripts in <head> ran, before any deferred script. The
# style sheets in <head> block rendering until they load, so a page with the class set by then is never
# painted in the normal mode first.
RECORD_FIRST_STATE = """
new MutationObserver((changes, observer) => {
  if (!document.body) return;
  observer.disconnect();
  window.__first = {elder: document.documentElement.classList.contains("elder-mode")};
}).observe(document, {childList: true, subtree: true});
"""


def state(page) -> dict:
    return page.evaluate(
        """() => ({
          elder: document.documentElement.classList.contains("elder-mode"),
          fontSize: getComputedStyle(document.documentElement).fontSize,
          pressed: document.querySelector(".display-toggle").getAttribute("aria-pressed"),
          stored: window.localStorage.getItem("portal-display"),
          first: window.__first,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        })"""
    )


def test_switch_on_navigate_still_on_then_off(live_server, browser, seeded_catalogue):
    make_disclosure(title="2025年收费标准公示", category_code="10", item_code="10.01", department_code="finance")
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.add_init_script(RECORD_FIRST_STATE)
    page = context.new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + "/")
    toggle = page.locator("header .display-toggle")
    assert toggle.is_visible()
    name = toggle.inner_text().strip()
    expect(toggle).to_have_accessible_name(name)
    before = state(page)
    assert before["pressed"] == "false" and not before["elder"] and before["fontSize"] == "16px"

    toggle.click()
    on = state(page)
    assert on["pressed"] == "true" and on["elder"] and on["fontSize"] == "20px" and on["stored"] == "elder"
    assert on["overflow"] <= 1
    # Its accessible name does not change with the state (the tick is decoration): aria-pressed says it.
    expect(page.get_by_role("button", name=name, exact=True, pressed=True)).to_have_count(1)

    page.get_by_role("link", name="收费管理").click()
    page.wait_for_url("**/catalogue/fees/")
    still = state(page)
    assert still["pressed"] == "true" and still["elder"] and still["fontSize"] == "20px"
    assert still["first"] == {"elder": True}  # on before the first paint: no flash
    assert still["overflow"] <= 1

    page.get_by_role("link", name="2025年收费标准公示").click()
    page.wait_for_url("**/items/*/")
    assert state(page)["overflow"] <= 1

    page.get_by_role("button", name=name, exact=True, pressed=True).click()
    off = state(page)
    assert off["pressed"] == "false" and not off["elder"] and off["fontSize"] == "16px" and off["stored"] is None
    page.goto(live_server.url + "/catalogue/")
    after = state(page)
    assert after["pressed"] == "false" and after["first"] == {"elder": False}
    context.close()
