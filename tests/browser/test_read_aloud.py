"""「朗读」 (issue 18): the button appears where the browser can speak, reads the item's title, summary and text
with the browser's speech synthesis in the page's language, under the site's CSP (no inline script), and stops
when pressed again."""

import pytest

from tests.factories import make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what would be spoken (headless Chromium has the API but may have no voice to hear).
RECORD = """
window.__spoken = [];
window.speechSynthesis.speak = function (utterance) {
  window.__spoken.push({text: utterance.text, lang: utterance.lang});
};
"""


def test_read_aloud_reads_the_item_and_stops(live_server, page, seeded_catalogue):
    item = make_disclosure(title="2025年收费标准公示", summary="学费、住宿费标准", body="<p>学费每年五千元。</p>")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.add_init_script(RECORD)
    page.goto(live_server.url + item.get_absolute_url())
    button = page.get_by_role("button", name="朗读")
    button.wait_for(state="visible")
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken == [{"text": "2025年收费标准公示。 学费、住宿费标准。 学费每年五千元。", "lang": "zh-CN"}]
    stop = page.get_by_role("button", name="停止朗读")
    assert stop.get_attribute("aria-pressed") == "true"
    stop.click()
    assert page.get_by_role("button", name="朗读").get_attribute("aria-pressed") == "false"
    assert not [e for e in errors if "Content Security Policy" in e]


def test_the_button_stays_hidden_where_the_browser_cannot_speak(live_server, page, seeded_catalogue):
    item = make_disclosure()
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page.goto(live_server.url + item.get_absolute_url())
    assert page.locator("button.read-aloud").is_hidden()
