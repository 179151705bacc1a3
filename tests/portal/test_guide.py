"""信息公开指南 (/guide/) from the fields staff edit; placeholders flagged; the office's contact in the footer."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from disclosures.guide import PLACEHOLDERS, check_placeholders, placeholder_fields
from disclosures.models import DisclosureGuide

pytestmark = pytest.mark.django_db


def test_the_guide_page_shows_every_part(client):
    html = client.get("/guide/").content.decode()
    guide = DisclosureGuide.current()
    for value in (
        guide.office_name,
        guide.head,
        guide.address,
        guide.office_hours,
        guide.phone,
        guide.fax,
        guide.email,
    ):
        assert value in html
    for part in ("在线申请", "当面申请", "信函申请", "传真申请", "电子邮件申请", "15个工作日", "成本费用", "行政复议"):
        assert part in html, part
    assert "学校概况" in html and "/catalogue-list-2014/" in html


def test_the_footer_shows_the_office_contact(client, staff_client):
    guide = DisclosureGuide.current()
    guide.phone = "0451-86661234"
    guide.email = "xxgk@hcvc.edu.cn"
    staff_client.post(
        f"/admin/disclosures/disclosureguide/{guide.pk}/change/",
        {name: getattr(guide, name) for name in PLACEHOLDERS},
    )
    assert DisclosureGuide.current().phone == "0451-86661234"
    html = client.get("/items/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "0451-86661234" in footer and "xxgk@hcvc.edu.cn" in footer and 'href="/guide/"' in footer


def test_placeholders_are_flagged_on_the_dashboard_and_by_the_check(staff_client):
    assert len(placeholder_fields(DisclosureGuide.current())) == len(PLACEHOLDERS)
    html = staff_client.get("/admin/disclosures/disclosure/compliance/").content.decode()
    assert "信息公开指南仍是演示用的占位内容" in html and "负责人" in html
    with override_settings(DEBUG=False):
        messages = check_placeholders()
    assert [message.id for message in messages] == ["disclosures.W001"]
    with override_settings(DEBUG=True):
        assert check_placeholders() == []
    DisclosureGuide.objects.update(head="张明")
    assert "负责人" not in " ".join(placeholder_fields(DisclosureGuide.current()))


def test_the_check_runs_with_deploy(capsys):
    with override_settings(DEBUG=False):
        call_command("check", "--deploy", "--fail-level", "CRITICAL")
    assert "disclosures.W001" in capsys.readouterr().err
