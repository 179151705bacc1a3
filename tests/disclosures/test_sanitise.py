import pytest

from core.richtext import sanitize_html
from tests.factories import make_disclosure


def test_scripts_styles_and_event_handlers_are_removed():
    dirty = (
        '<p onclick="steal()">正文<script>alert(1)</script></p>'
        '<img src="x.png" onerror="alert(2)" alt="图">'
        "<style>body{display:none}</style>"
        '<a href="javascript:alert(3)">链接</a><iframe src="https://evil.example"></iframe>'
    )
    clean = sanitize_html(dirty)
    for bad in ("script", "onclick", "onerror", "javascript:", "<style", "iframe", "alert("):
        assert bad not in clean
    assert "正文" in clean and 'alt="图"' in clean and "链接" in clean


def test_tables_lists_links_and_images_are_kept():
    html = (
        '<figure class="table"><table><thead><tr><th>项目</th></tr></thead>'
        '<tbody><tr><td colspan="2">学费</td></tr></tbody></table></figure>'
        '<ul><li>一</li></ul><a href="https://www.example.edu.cn/a">官网</a><img src="/media/editor/a.png" alt="">'
    )
    clean = sanitize_html(html)
    for kept in (
        "<table>",
        "<thead>",
        "<th>项目</th>",
        'colspan="2"',
        "<ul>",
        'href="https://www.example.edu.cn/a"',
        'src="/media/editor/a.png"',
        'class="table"',
    ):
        assert kept in clean
    assert 'rel="noopener noreferrer"' in clean


@pytest.mark.django_db
def test_the_body_is_sanitised_when_saved_whatever_path_saved_it():
    disclosure = make_disclosure(
        body='<p>预算</p><script>x()</script><table><tr><td onmouseover="y()">1</td></tr></table>'
    )
    disclosure.refresh_from_db()
    assert "<script>" not in disclosure.body and "onmouseover" not in disclosure.body
    assert "<table>" in disclosure.body and "预算" in disclosure.body
