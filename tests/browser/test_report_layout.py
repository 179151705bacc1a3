"""The report in Chromium: its tables on a phone (360 px) and a desktop (1366 px), on screen and in the print
view, with no count column squeezed to a character a line and no page wider than the window; and the publish
form's date input filled in the format the browser takes."""

import datetime

import pytest

from annual_reports import services
from tests.annual_reports.factories import make_report
from tests.factories import StaffFactory, make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIZES = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1366, "height": 900}}
MEASURE = """() => {
  const heights = [];
  for (const th of document.querySelectorAll('.report-table th.num')) {
    const style = getComputedStyle(th);
    const range = document.createRange();
    range.selectNodeContents(th);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    heights.push({text: th.innerText, lines: tops.size, width: th.getBoundingClientRect().width,
                  em: parseFloat(style.fontSize)});
  }
  return {overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, heads: heights};
}"""


def _report():
    year = datetime.date.today().year - 2
    for index, (item, category, department) in enumerate(
        [("04.01", "04", "admissions"), ("11.02", "11", "finance"), ("05.02", "05", "academic")]
    ):
        make_disclosure(
            title=f"测试信息{index}",
            item_code=item,
            category_code=category,
            department_code=department,
            published_at=datetime.datetime(year + 1, 3, 10 + index, 10, tzinfo=datetime.UTC),
            date_written=datetime.date(year + 1, 3, 9 + index),
        )
    report = make_report(year=year)
    return services.annual_report_publish(
        report=report, user=None, on=datetime.date(year + 1, 10, 20), acknowledge_warnings=True
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("view", ["", "print/"])
def test_report_tables_fit_and_count_columns_are_not_squeezed(live_server, browser, seeded_catalogue, size, view):
    report = _report()
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/reports/{report.label}/{view}")
        result = page.evaluate(MEASURE)
        assert result["overflow"] <= 1, result["overflow"]
        assert result["heads"], "no count column found"
        for head in result["heads"]:
            # a header of up to four characters a line: never one character a line ("信/息/条/数")
            longest = max(len(word) for word in head["text"].split())
            assert head["lines"] <= max(1, -(-longest // 4)) + 1, head
            assert head["width"] >= 3.5 * head["em"], head
        # printed: on A4 paper (about 794 CSS px wide less the margins), whatever screen it was printed from
        page.set_viewport_size({"width": 700, "height": 1000})
        page.emulate_media(media="print")
        assert page.evaluate(MEASURE)["overflow"] <= 1
    finally:
        context.close()


def test_publish_date_arrives_filled_in_chromium(live_server, browser, seeded_catalogue):
    StaffFactory(username="office-head")
    report = make_report(year=datetime.date.today().year - 2)
    context = browser.new_context(locale="zh-CN", viewport=SIZES["desktop"])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/admin/login/?next=/admin/")
        page.fill("#id_username", "office-head")
        page.fill("#id_password", "a-long-test-password")
        page.locator("input[type=submit]").click()
        page.wait_for_url(live_server.url + "/admin/")
        page.goto(f"{live_server.url}/admin/annual_reports/annualreport/{report.pk}/publish/")
        value = page.locator("#id_published_on").input_value()
        assert value == datetime.date.today().isoformat()  # a date input shows nothing for 2026/12/02
        page.locator("#id_acknowledge").check()
        page.get_by_role("button", name="发布").click()
        page.wait_for_url(f"**/reports/{report.label}/")
        report.refresh_from_db()
        assert report.is_published and report.published_on == datetime.date.today()
    finally:
        context.close()
