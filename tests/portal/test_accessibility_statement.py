"""The accessibility statement and the read-aloud button's markup (issue 18)."""

import pytest

from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db


def test_the_statement_names_the_standards_and_how_to_report_a_barrier(client):
    content = client.get("/accessibility/").content.decode()
    assert "GB/T 37668-2019" in content and "互联网网站适老化通用设计规范" in content
    assert 'href="/consult/"' in content
    assert "无障碍声明" in content
    english = client.get("/en/accessibility/").content.decode()
    assert "Report a barrier" in english and 'href="/en/consult/"' in english
    assert 'href="/accessibility/"' in client.get("/").content.decode()  # linked from every page's footer


def test_item_pages_carry_a_hidden_read_aloud_button_and_its_script(client):
    content = client.get(make_disclosure().get_absolute_url()).content.decode()
    assert '<script src="/static/js/read-aloud.js" defer></script>' in content
    assert 'class="read-aloud" data-read="#item-text"' in content and " hidden>朗读</button>" in content
    assert 'id="item-text"' in content
