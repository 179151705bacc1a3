"""Accessibility in Chromium: axe-core over the key public pages and forms (on a desktop, and on a phone with
the elderly-friendly mode on) finds no serious or critical violation; form errors are tied to their fields;
one form can be used from the keyboard alone, with a visible focus ring on every stop.

axe-core comes bundled with axe-playwright-python and is injected into each page: nothing is fetched."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annual_reports import services as report_services
from disclosures import services
from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from tests.annual_reports.factories import make_report
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_disclosure, pdf_bytes, upload
from tests.feedback.factories import make_message, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()
BLOCKING = {"serious", "critical"}
ELDER_ON = "window.localStorage.setItem('portal-display', 'elder');"

# Every [aria-invalid] control must be described by an element holding its error (a radio button or check
# box group through its fieldset); no aria-describedby may point at a missing element.
UNTIED_ERRORS_JS = """() => {
  const text = (ids) => ids.split(/\\s+/).filter(Boolean)
    .map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  const untied = [];
  for (const el of document.querySelectorAll("[aria-invalid=true]")) {
    const holder = el.hasAttribute("aria-describedby") ? el : el.closest("fieldset[aria-describedby]");
    if (!holder || !text(holder.getAttribute("aria-describedby"))) untied.push(el.name || el.id);
  }
  const dangling = [];
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) dangling.push(id);
    }
  }
  return {invalid: document.querySelectorAll("[aria-invalid=true]").length, untied, dangling};
}"""


def axe_problems(page) -> list[str]:
    problems = []
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


@pytest.fixture
def site(seeded_catalogue):
    """A small site: items (one with a link, a wide table and an attachment), a board answer, a survey and a
    published annual report."""
    columns = ["专业", "学制", "学费（元/年）", "住宿费（元/年）", "代办费（元/年）", "备注说明"]
    item = make_disclosure(
        title="2025年收费标准公示",
        category_code="10",
        item_code="10.01",
        department_code="finance",
        summary="学费、住宿费标准",
        body=(
            '<p>学费标准如下，详见<a href="https://www.example.edu.cn/fees">收费公示栏</a>。</p><table><thead><tr>'
            + "".join(f"<th>{c}</th>" for c in columns)
            + "</tr></thead><tbody><tr>"
            + "".join(f"<td>计算机应用技术专业{n}</td>" for n in range(len(columns)))
            + "</tr></tbody></table>"
        ),
    )
    services.attachment_add(disclosure=item, uploaded=upload("2025年收费标准.pdf", pdf_bytes()))
    make_disclosure(title="2025年收费项目目录", category_code="10", item_code="10.01", department_code="finance")
    make_disclosure(title="2024年招生章程")
    message, _code = make_message()
    feedback_services.message_answer(message=message, user=None, reply="请查阅招生信息栏目。", publish=True)
    survey = make_survey()
    year = datetime.date.today().year - 2
    report = report_services.annual_report_publish(report=make_report(year=year), user=None, acknowledge_warnings=True)
    return {"item": item, "survey": survey, "report": report}


def public_pages(site) -> list[str]:
    index = site["item"].index_number
    return [
        "/",
        "/catalogue/",
        "/catalogue/fees/",
        "/items/?category=fees&sort=-date",
        "/items/?date_from=not-a-date&year=1066",  # the filters' errors
        f"/items/{index}/",
        f"/items/{index}/print/",
        "/search/?q=收费",
        "/search/?q=%2B%2B",  # the query's error
        "/apply/",
        "/apply/new/",
        "/apply/track/",
        "/feedback/track/",
        "/consult/",
        "/board/",
        "/complaints/",
        "/mailbox/",
        "/mailbox/president/",
        "/surveys/",
        f"/surveys/{site['survey'].pk}/",
        "/reports/",
        site["report"].get_absolute_url(),
        "/no-such-page/",
    ]


@pytest.mark.parametrize(
    "device, elderly_mode", [(DESKTOP, False), (PHONE, True)], ids=["desktop", "phone-elderly-mode"]
)
def test_no_serious_axe_violations_on_public_pages_and_forms(live_server, browser, site, device, elderly_mode):
    context = browser.new_context(locale="zh-CN", **device)
    if elderly_mode:
        context.add_init_script(ELDER_ON)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems, overflowing = [], []
    for path in public_pages(site):
        page.goto(live_server.url + path)
        if "/print/" not in path:  # the print view has no header and prints at the normal size
            assert page.evaluate("document.documentElement.classList.contains('elder-mode')") == elderly_mode
        problems += axe_problems(page)
        if not no_horizontal_overflow(page):
            overflowing.append(path)

    # Forms sent empty come back with their errors, each tied to its field.
    for path in ["/apply/new/", "/consult/", f"/surveys/{site['survey'].pk}/"]:
        page.goto(live_server.url + path)
        page.locator("form.apply-form button[type=submit]").click()
        page.locator(".notice-error").wait_for()
        problems += axe_problems(page)
        tied = page.evaluate(UNTIED_ERRORS_JS)
        assert tied["invalid"] >= 2, path
        assert tied["untied"] == [] and tied["dangling"] == [], (path, tied)
        if not no_horizontal_overflow(page):
            overflowing.append(path + " (errors)")
    context.close()
    assert problems == [], "\n".join(problems)
    assert overflowing == []


@pytest.mark.parametrize("device", [DESKTOP], ids=["desktop"])
def test_the_consultation_form_works_from_the_keyboard_alone(live_server, browser, seeded_catalogue, device):
    context = browser.new_context(locale="zh-CN", **device)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/consult/")
    form = page.locator("form.apply-form")
    # What a keyboard user must reach, in the order it is read.
    expected = form.evaluate(
        """(form) => Array.from(form.querySelectorAll("input, textarea, select, button"))
             .filter((el) => el.type !== "hidden" && !el.closest(".hp") && !el.disabled)
             .map((el) => el.name || el.type)"""
    )
    assert expected[:3] == ["subject", "text", "name"] and expected[-1] == "submit"

    reached, unringed = [], []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              const style = getComputedStyle(el);
              return {
                inForm: !!el.closest("form.apply-form"),
                name: el.name || el.type || el.tagName,
                visible: el.matches(":focus-visible"),
                ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
                      || style.boxShadow !== "none",
              };
            }"""
        )
        if not (focused["visible"] and focused["ring"]):
            unringed.append(focused["name"])
        if focused["inForm"]:
            reached.append(focused["name"])
            if focused["name"] == "submit":
                break
    assert unringed == []
    assert reached == expected

    # Send it too short without the mouse: the error is announced with its field, and the summary leads to it.
    page.locator("input[name=subject]").focus()
    page.keyboard.type("奖学金评定结果在哪里公示")
    page.keyboard.press("Tab")
    page.keyboard.type("在哪")
    page.keyboard.press("Enter")  # in a text box: a new line, not a submission
    page.locator("form.apply-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.locator(".notice-error").wait_for()
    text = page.locator("textarea[name=text]")
    expect(text).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_text_error").inner_text()
    assert "请再多写几个字" in error
    expect(text).to_have_accessible_description(re.compile(re.escape(error)))
    assert page.input_value("input[name=subject]") == "奖学金评定结果在哪里公示"
    page.locator(".error-links a[href='#id_text']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "text"

    # Correct it and send it, still from the keyboard.
    page.keyboard.press("Control+A")
    page.keyboard.type("请问2024年国家奖学金评定结果在哪里公示？")
    page.keyboard.press("Tab")
    page.keyboard.type("王小明")
    page.keyboard.press("Tab")
    page.keyboard.type("13700001111")
    page.keyboard.press("Tab")
    page.keyboard.type("wang@example.com")
    page.keyboard.press("Tab")  # publish_allowed: leave it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "name_published"  # leave it too (issue 14)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/feedback/ZX\d+/receipt/(#.*)?$"))  # the fragment of the error link stays
    message = FeedbackMessage.objects.get()
    assert message.subject == "奖学金评定结果在哪里公示" and not message.publish_allowed
    context.close()


def test_english_pages_fit_a_narrow_phone_in_the_elderly_friendly_mode(live_server, browser, site):
    # English labels are longer than Chinese ones: the search boxes once pushed their buttons off the screen.
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740}, has_touch=True)
    context.add_init_script(ELDER_ON)
    page = context.new_page()
    overflowing = []
    for path in ["/", "/items/", "/search/?q=fees", "/apply/new/", "/consult/", "/board/"]:
        page.goto(live_server.url + "/en" + path)
        assert page.evaluate("document.documentElement.lang") == "en"
        if not no_horizontal_overflow(page):
            overflowing.append(path)
    context.close()
    assert overflowing == []
