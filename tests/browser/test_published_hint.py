"""Search before you apply: the application form offers the published items that match the description as it is
typed (a small script under the site's CSP), and a plain link to the search without JavaScript."""

import pytest

from tests.factories import make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def budget(seeded_catalogue):
    return make_disclosure(title="2024年部门预算公开", body="<p>现将学校2024年部门预算公开如下。</p>")


@pytest.fixture
def seeded_guide(db):
    import importlib

    from django.apps import apps

    importlib.import_module("requests_app.migrations.0002_seed_guide_and_reply_templates").seed(apps, None)


def test_matching_published_items_are_offered_while_typing(live_server, page, budget, seeded_guide):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/apply/new/")
    hint = page.locator(".published-hint")
    assert hint.is_hidden()
    page.locator("textarea[name=description]").press_sequentially("我想申请公开学校的部门预算2024", delay=20)
    hint.get_by_role("link", name="2024年部门预算公开").wait_for()
    assert "这些信息可能已经公开" in hint.inner_text()
    link = hint.get_by_role("link", name="2024年部门预算公开")
    assert link.get_attribute("href").endswith(budget.get_absolute_url())
    # Typing something unpublished takes the offer away again.
    page.fill("textarea[name=description]", "")
    page.locator("textarea[name=description]").press_sequentially("量子纠缠实验室的设备清单", delay=10)
    hint.wait_for(state="hidden")
    assert not [error for error in errors if "Content Security Policy" in error or "Refused" in error], errors


def test_without_javascript_a_plain_link_to_the_search(live_server, browser, budget, seeded_guide):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/apply/new/")
    link = page.locator(".published-search a")
    assert link.get_attribute("href") == "/search/"
    assert page.locator(".published-hint").is_hidden()
    context.close()
