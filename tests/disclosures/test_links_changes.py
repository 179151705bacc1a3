"""变动即更 updates tracked against the change, 政策解读 linked both ways, broken links (internal on
publication, external by the cron command against a local server with short timeouts)."""

import datetime
import http.server
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from disclosures.compliance import change_updates
from disclosures.links import check_external, external_problem
from disclosures.models import BrokenLink, Disclosure, LinkKind
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d):
    return datetime.datetime(y, m, d, 10, tzinfo=SHANGHAI)


def test_an_update_after_a_change_is_due_20_working_days_after_the_change():
    # 01.02 校级领导班子简介及分工 is 变动即更
    kwargs = {"item_code": "01.02", "category_code": "01", "department_code": "office"}
    make_disclosure(
        title="领导班子分工", published_at=at(2025, 9, 10), date_written=datetime.date(2025, 9, 9), **kwargs
    )
    late = make_disclosure(
        title="领导班子分工调整",
        published_at=at(2025, 12, 15),
        date_written=datetime.date(2025, 12, 12),  # written just before publication: late_publications misses it
        changed_on=datetime.date(2025, 10, 9),  # but the change took effect two months before
        **kwargs,
    )
    in_time = make_disclosure(
        title="领导班子分工再调整",
        published_at=at(2026, 1, 5),
        date_written=datetime.date(2025, 12, 30),
        changed_on=datetime.date(2025, 12, 29),
        **kwargs,
    )
    rows = {
        row.disclosure.pk: row
        for row in change_updates(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31))
    }
    assert set(rows) == {late.pk, in_time.pk}  # the first publication is not an update
    # 20 working days from Thursday 9 October 2025, the make-up Saturday 11 October counted: 5 November
    assert rows[late.pk].late and rows[late.pk].due == datetime.date(2025, 11, 5)
    assert not rows[in_time.pk].late


def test_dashboard_lists_updates_and_broken_links(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_disclosure(title="含失效链接", body='<p><a href="/items/HCVC-1999-0001/">旧文件</a></p>')
    html = staff_client.get("/admin/disclosures/disclosure/compliance/").content.decode()
    assert "变动即更" in html and "/items/HCVC-1999-0001/" in html


def test_internal_links_are_checked_on_publication(django_capture_on_commit_callbacks):
    target = make_disclosure(title="被引用的通知")
    with django_capture_on_commit_callbacks(execute=True):
        item = make_disclosure(
            title="引用通知",
            body=(
                f'<p><a href="{target.get_absolute_url()}">有效</a> <a href="/items/HCVC-1999-0001/">无此信息</a> '
                '<a href="/no-such-page/">无此页</a> <a href="mailto:x@example.edu.cn">信箱</a></p>'
            ),
        )
    broken = dict(BrokenLink.objects.filter(disclosure=item).values_list("url", "kind"))
    assert broken == {"/items/HCVC-1999-0001/": LinkKind.INTERNAL, "/no-such-page/": LinkKind.INTERNAL}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802
        if self.path == "/no-head":
            self.send_response(405)
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
        else:
            self.send_response(200 if self.path in ("/ok", "/no-head-get") else 404)
        self.end_headers()

    def do_GET(self):  # noqa: N802
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_links_against_a_local_server(local_server):
    assert external_problem(f"{local_server}/ok", timeout=1) is None
    assert external_problem(f"{local_server}/no-head", timeout=1) is None  # HEAD refused, GET answers
    assert "404" in external_problem(f"{local_server}/missing", timeout=1)
    started = time.monotonic()
    assert "0.5" in external_problem(f"{local_server}/slow", timeout=0.5)
    assert time.monotonic() - started < 1.5  # a short timeout, not the server's pace
    assert external_problem("http://127.0.0.1:9/", timeout=1)  # nothing listens: unreachable


def test_the_cron_command_records_and_clears_external_links(local_server, capsys):
    item = make_disclosure(
        title="外部链接",
        body=f'<p><a href="{local_server}/ok">好</a> <a href="{local_server}/missing">坏</a></p>',
    )
    call_command("check_links", "--timeout", "1")
    assert "1 broken external link(s)." in capsys.readouterr().out
    assert list(BrokenLink.objects.filter(disclosure=item).values_list("url", "kind")) == [
        (f"{local_server}/missing", LinkKind.EXTERNAL)
    ]
    Disclosure.objects.filter(pk=item.pk).update(body=f'<p><a href="{local_server}/ok">好</a></p>')
    assert check_external(timeout=1) == {}
    assert not BrokenLink.objects.filter(disclosure=item).exists()


def test_policy_interpretation_is_linked_both_ways(client):
    rule = make_disclosure(title="学生资助管理办法", item_code="08.01", category_code="08", department_code="students")
    reading = make_disclosure(
        title="《学生资助管理办法》政策解读",
        item_code="08.01",
        category_code="08",
        department_code="students",
        interprets=rule,
    )
    rule_page = client.get(rule.get_absolute_url()).content.decode()
    assert reading.get_absolute_url() in rule_page and "政策解读" in rule_page
    reading_page = client.get(reading.get_absolute_url()).content.decode()
    assert rule.get_absolute_url() in reading_page
    api = client.get(f"/api/v1/items/{rule.index_number}/").json()
    assert api["interpretations"] == [reading.index_number] and api["interprets"] is None
    assert client.get(f"/api/v1/items/{reading.index_number}/").json()["interprets"] == rule.index_number
