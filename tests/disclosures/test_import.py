"""Importing the old site (issue 18): manage.py import_disclosures on a manifest with good and bad rows and
attachments in a folder or a ZIP: a dry run reports every row's problems in Chinese with row numbers and changes
nothing; a real run imports the good rows at their historical dates, by the publication year's index numbers,
as a back-dated import by the reviewer, scans them, and skips them when run again."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from disclosures import compliance, importer
from disclosures.models import AuditAction, AuditEvent, Disclosure, DisclosureStatus, Review
from tests.factories import editor, pdf_bytes, reviewer

pytestmark = pytest.mark.django_db

HEADER = ["标题", "类别", "公开事项", "发布机构", "文号", "成文日期", "发布日期", "正文", "附件", "公开范围", "有效性"]
ROWS = [
    # row 2: good, with two attachments
    ["关于公布2015年招生章程的通知", "", "04.01", "招生就业处", "城院发〔2015〕12号", "2015-03-02", "2015-06-05",
     "第一段\n第二段", "招生章程.pdf；附表.pdf", "公开", ""],
    # row 3: good, HTML body, by category name and department code, published long after it was written
    ["2016年部门预算", "财务", "", "finance", "", "2016年1月4日", "2016/05/20", "<p>预算<b>说明</b></p>", "",
     "", ""],
    # row 4: unknown category, missing file, bad date
    ["坏行", "不存在的类别", "", "招生就业处", "", "2015-02-30", "2015-03-01", "", "没有的文件.pdf", "", ""],
    # row 5: duplicate of row 2
    ["关于公布2015年招生章程的通知", "", "04.01", "招生就业处", "", "2015-03-02", "2015-06-05", "", "", "", ""],
    # row 6: unknown department, unknown audience, date written after publication
    ["另一坏行", "", "04.01", "不存在的部门", "", "2015-05-01", "2015-04-01", "", "", "内部", ""],
    # row 7: personal data in the body: imported, but left for review
    ["2015年奖学金名单", "", "04.01", "招生就业处", "", "2015-09-01", "2015-09-10",
     "张三 身份证号 110101199003074514", "", "", ""],
]  # fmt: skip


def _csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(ROWS)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def old_site(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    files = tmp_path / "files" / "2015"
    files.mkdir(parents=True)
    (files / "招生章程.pdf").write_bytes(pdf_bytes("Admissions 2015"))
    (files / "附表.pdf").write_bytes(pdf_bytes("Table 2015"))
    archive = tmp_path / "files.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("old/招生章程.pdf", pdf_bytes("Admissions 2015"))
        zipped.writestr("old/附表.pdf", pdf_bytes("Table 2015"))
    (tmp_path / "manifest.csv").write_bytes(_csv())
    (tmp_path / "manifest.xlsx").write_bytes(_xlsx())
    reviewer("office")
    return tmp_path


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_disclosures", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("manifest", ["manifest.csv", "manifest.xlsx"])
@pytest.mark.parametrize("files", ["files", "files.zip"])
def test_dry_run_reports_every_rows_problems_in_chinese_and_changes_nothing(old_site, manifest, files):
    events = AuditEvent.objects.count()
    output = _run(old_site / manifest, "--files", old_site / files, "--dry-run")
    lines = output.splitlines()
    row4 = next(line for line in lines if line.startswith("第4行"))
    assert "未知类别 不存在的类别" in row4 and "附件 没有的文件.pdf 不在所给文件中" in row4
    assert "成文日期有误或缺失：2015-02-30" in row4
    assert any(line.startswith("第5行") and "与第2行重复" in line for line in lines)
    row6 = next(line for line in lines if line.startswith("第6行"))
    assert "未知部门 不存在的部门" in row6 and "未知公开范围 内部" in row6 and "成文日期晚于发布日期" in row6
    assert not any(line.startswith(("第2行", "第3行", "第7行")) for line in lines), output
    assert "共 6 行，3 行可导入，0 行已导入过，3 行有问题。未做任何更改。" in output
    assert Disclosure.objects.count() == 0 and AuditEvent.objects.count() == events


def test_real_run_imports_good_rows_as_back_dated_publications_and_is_idempotent(old_site):
    output = _run(old_site / "manifest.xlsx", "--files", old_site / "files.zip", "--reviewer", "office")
    assert "已导入并发布 2 条，留待审核 1 条，跳过已导入 0 条，有问题未导入 3 条。" in output
    office = reviewer("office")
    rules = Disclosure.objects.get(title="关于公布2015年招生章程的通知")
    assert rules.status == DisclosureStatus.PUBLISHED
    assert timezone.localdate(rules.published_at) == datetime.date(2015, 6, 5)
    assert rules.date_written == datetime.date(2015, 3, 2)
    assert rules.index_number.startswith("HCVC-2015-")
    assert rules.body == "<p>第一段</p><p>第二段</p>"
    assert sorted(a.original_name for a in rules.attachments.all()) == ["招生章程.pdf", "附表.pdf"]
    assert rules.approved_by == office and rules.security_checked_by == office
    review = Review.objects.get(disclosure=rules)
    assert review.reviewer == office and review.no_personal_privacy
    imported = rules.events.get(action=AuditAction.IMPORTED)
    assert imported.actor == office and "2015-06-05" in imported.comment
    assert not rules.events.filter(action=AuditAction.PUBLISHED).exists()
    budget = Disclosure.objects.get(title="2016年部门预算")
    assert budget.index_number.startswith("HCVC-2016-") and budget.category.code == "11"
    assert "<b>说明</b>" in budget.body
    # Written in January, published in May: late by the 20-working-day rule, but not counted, it is an import.
    assert compliance.late_publications(start=datetime.date(2016, 1, 1), end=datetime.date(2016, 12, 31)) == []
    held = Disclosure.objects.get(title="2015年奖学金名单")
    assert held.status == DisclosureStatus.SUBMITTED and held.published_at is None
    assert "第7行" in output and "隐私扫描有发现" in output
    public = {d.title for d in Disclosure.objects.published()}
    assert public == {"关于公布2015年招生章程的通知", "2016年部门预算"}
    # Again: nothing new.
    count, events = Disclosure.objects.count(), AuditEvent.objects.count()
    again = _run(old_site / "manifest.csv", "--files", old_site / "files", "--reviewer", "office")
    assert "已导入并发布 0 条" in again and "跳过已导入 2 条" in again
    assert Disclosure.objects.count() == count + 1  # the held one is not published, so it is not "already here"
    assert AuditEvent.objects.count() > events


def test_only_a_reviewer_who_may_publish_imports(old_site):
    editor("old-editor", "admissions")
    with pytest.raises(CommandError, match="信息公开办公室"):
        _run(old_site / "manifest.csv", "--files", old_site / "files", "--reviewer", "old-editor")
    assert Disclosure.objects.count() == 0
    with pytest.raises(CommandError, match="--reviewer"):
        _run(old_site / "manifest.csv", "--files", old_site / "files")


def test_a_manifest_without_the_required_columns_is_refused_naming_them(tmp_path):
    (tmp_path / "m.csv").write_text("标题,正文\n通知,内容\n", encoding="utf-8")
    with pytest.raises(CommandError, match="发布机构、成文日期、发布日期"):
        _run(tmp_path / "m.csv", "--dry-run")


def test_the_template_is_a_manifest_the_importer_reads(tmp_path):
    _run("--template", tmp_path / "template.xlsx")
    content = (tmp_path / "template.xlsx").read_bytes()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    rows = importer.read_manifest("template.xlsx", content)
    assert len(rows) == 1 and rows[0].values["item"] == "04.01"


def test_the_admin_page_checks_then_imports_what_was_checked(old_site, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = reviewer("office")
    client.force_login(office)
    url = "/admin/disclosures/disclosure/import/"
    page = client.get(url)
    assert page.status_code == 200 and "import/template.xlsx" in page.content.decode()
    template = client.get(url + "template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    checked = client.post(
        url,
        {
            "manifest": SimpleUploadedFile("manifest.xlsx", (old_site / "manifest.xlsx").read_bytes()),
            "files": SimpleUploadedFile("files.zip", (old_site / "files.zip").read_bytes()),
        },
    )
    content = checked.content.decode()
    assert checked.status_code == 200 and "第4行：未知类别 不存在的类别" in content
    assert Disclosure.objects.count() == 0  # the check changes nothing
    key = checked.context["key"]
    imported = client.post(url, {"key": key})
    assert imported.status_code == 200
    assert Disclosure.objects.published().count() == 2
    assert Disclosure.objects.get(title="2016年部门预算").events.filter(actor=office).exists()
    again = client.post(url, {"key": key}, follow=True)  # the kept uploads are gone once imported
    assert Disclosure.objects.count() == 3 and "不在了" in again.content.decode()


def test_the_admin_page_is_for_the_office_only_and_refuses_other_files(old_site, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor("dept-editor", "admissions"))
    assert client.get("/admin/disclosures/disclosure/import/").status_code == 403
    client.force_login(reviewer("office"))
    response = client.post(
        "/admin/disclosures/disclosure/import/", {"manifest": SimpleUploadedFile("manifest.txt", b"x")}
    )
    assert response.status_code == 200 and "清单须为 .xlsx 或 .csv 文件" in response.content.decode()
