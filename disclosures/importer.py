"""Importing the old site's items (issue 18): a manifest (XLSX or CSV, one row an item) and its attachments (a
folder or a ZIP).

``read_manifest`` reads the rows, ``check_rows`` finds every row's problems (unknown category, item or
department, bad or missing date, missing file, a duplicate of an item already here or of another row) without
changing anything, and ``import_rows`` brings the good rows in: each through ``disclosure_import``, in a
transaction of its own. A real run is idempotent: a row whose item is already here (same title, department and
publication day) is skipped. Historical dates are kept; the audit trail records the publication as a back-dated
import by the importing reviewer (and the compliance figures do not count it as a late publication); the index
number follows the publication year; the privacy scan runs as for any item, and an item with findings stays
submitted for the office to review instead of being published.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.progress import no_progress
from core.richtext import sanitize_html
from disclosures import permissions, search, services
from disclosures.models import (
    Attachment,
    Audience,
    AuditAction,
    Category,
    Department,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
    Review,
    ReviewDecision,
    Validity,
)

# The manifest's columns: the template's (Chinese) heading and the English names a CSV may use instead.
COLUMNS = [
    ("title", "标题", True),
    ("category", "类别", False),
    ("item", "公开事项", False),
    ("department", "发布机构", True),
    ("document_number", "文号", False),
    ("date_written", "成文日期", True),
    ("published_on", "发布日期", True),
    ("body", "正文", False),
    ("attachments", "附件", False),
    ("audience", "公开范围", False),
    ("validity", "有效性", False),
]
AUDIENCES = {"": Audience.PUBLIC, "公开": Audience.PUBLIC, "public": Audience.PUBLIC, "校内": Audience.CAMPUS,
             "校内公开": Audience.CAMPUS, "campus": Audience.CAMPUS}  # fmt: skip
VALIDITIES = {"": Validity.NOT_APPLICABLE, "现行有效": Validity.IN_FORCE, "有效": Validity.IN_FORCE,
              "in_force": Validity.IN_FORCE, "已修订": Validity.AMENDED, "amended": Validity.AMENDED,
              "已废止": Validity.REPEALED, "废止": Validity.REPEALED, "repealed": Validity.REPEALED}  # fmt: skip
IMPORT_COMMENT = "导入旧网站信息"


@dataclass
class Row:
    number: int  # the row in the manifest, the heading being row 1
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    category: Category | None = None
    item: DisclosureItem | None = None
    department: Department | None = None
    date_written: datetime.date | None = None
    published_on: datetime.date | None = None
    audience: str = Audience.PUBLIC
    validity: str = Validity.NOT_APPLICABLE
    files: list[tuple[str, bytes]] = field(default_factory=list)
    duplicate: bool = False  # already imported (a real run skips it)


@dataclass
class Outcome:
    imported: list[Disclosure] = field(default_factory=list)
    held: list[tuple[Row, Disclosure]] = field(default_factory=list)  # privacy findings: left for review
    skipped: list[Row] = field(default_factory=list)  # already here
    failed: list[Row] = field(default_factory=list)


# --- reading --------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_manifest(name: str, content: bytes) -> list[Row]:
    """The rows of an XLSX or CSV manifest (UTF-8 or GB18030), by column heading."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            message = _("The manifest could not be read as an Excel file: %(error)s") % {"error": exc}
            raise ValidationError(message) from None
        table = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    elif name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The manifest is not UTF-8 or GB18030 text."))
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ValidationError(_("The manifest must be an .xlsx or .csv file."))
    if not table:
        raise ValidationError(_("The manifest is empty."))
    names = {heading: key for key, heading, _required in COLUMNS} | {key: key for key, _h, _r in COLUMNS}
    header = [names.get(cell.strip().lower() if cell.isascii() else cell.strip()) for cell in table[0]]
    missing = [heading for key, heading, required in COLUMNS if required and key not in header]
    if missing:
        raise ValidationError(_("The manifest lacks the column(s): %(columns)s") % {"columns": "、".join(missing)})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {key: "" for key, _h, _r in COLUMNS}
        for key, cell in zip(header, cells, strict=False):
            if key:
                values[key] = cell
        rows.append(Row(number, values))
    return rows


class Files:
    """The attachments, from a folder or a ZIP, looked up by file name (a member's folders do not matter)."""

    def __init__(self, source):
        """``source``: a folder, a ZIP file's path, an open ZIP file, or None (no attachments)."""
        self.names: dict[str, object] = {}
        self.zip = None
        if source is None:
            return
        if isinstance(source, Path) and source.is_dir():
            for path in source.rglob("*"):
                if path.is_file():
                    self.names.setdefault(path.name, path)
        else:
            try:
                self.zip = zipfile.ZipFile(source)
            except (zipfile.BadZipFile, OSError) as exc:
                message = _("The attachments could not be read as a ZIP file: %(error)s") % {"error": exc}
                raise ValidationError(message) from None
            for info in self.zip.infolist():
                if not info.is_dir():
                    self.names.setdefault(_zip_name(info).rsplit("/", 1)[-1], info)

    def read(self, name: str) -> bytes | None:
        found = self.names.get(name)
        if found is None:
            return None
        if isinstance(found, Path):
            return found.read_bytes()
        return self.zip.read(found)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name; Windows archivers write Chinese names in GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


# --- checking -------------------------------------------------------------------------------------


def _date(value: str) -> datetime.date | None:
    value = value.strip().replace("/", "-").replace(".", "-")
    found = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", value)
    if found:
        value = "-".join(found.groups())
    try:
        year, month, day = (int(part) for part in value.split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        return None


def attachment_names(value: str) -> list[str]:
    return [name.strip() for name in re.split(r"[;；、\n]", value) if name.strip()]


def _find(queryset, value: str, *fields: str):
    condition = Q()
    for name in fields:
        condition |= Q(**{name: value})
    return queryset.filter(condition).first()


def _existing(row: Row) -> bool:
    return Disclosure.objects.filter(
        title=row.values["title"],
        department=row.department,
        published_at__gte=services_day(row.published_on),
        published_at__lt=services_day(row.published_on + datetime.timedelta(days=1)),
    ).exists()


def services_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))


def check_rows(rows: list[Row], files: Files) -> list[Row]:
    """Every row's problems, in the site's language (Chinese by default), changing nothing."""
    seen: dict[tuple, int] = {}
    today = timezone.localdate()
    for row in rows:
        values, problems = row.values, row.problems
        if not values["title"]:
            problems.append(_("the title is empty"))
        if values["item"]:
            row.item = _find(DisclosureItem.objects.select_related("category"), values["item"], "code")
            if row.item is None:
                problems.append(_("unknown disclosure item %(value)s") % {"value": values["item"]})
        if values["category"]:
            row.category = _find(Category.objects.all(), values["category"], "code", "slug", "name")
            if row.category is None:
                problems.append(_("unknown category %(value)s") % {"value": values["category"]})
        if row.item and row.category and row.item.category_id != row.category.pk:
            problems.append(_("disclosure item %(item)s is not in category %(category)s") % {
                "item": row.item.code, "category": row.category.name})  # fmt: skip
        row.category = row.category or (row.item.category if row.item else None)
        if row.category is None and not values["category"] and not values["item"]:
            problems.append(_("neither a category nor a disclosure item is given"))
        row.department = (
            _find(Department.objects.all(), values["department"], "code", "name") if values["department"] else None
        )
        if row.department is None:
            problems.append(_("unknown department %(value)s") % {"value": values["department"] or "—"})
        for key, label in (("date_written", _("date written")), ("published_on", _("publication date"))):
            day = _date(values[key]) if values[key] else None
            if day is None:
                value = values[key] or "—"
                problems.append(_("bad or missing %(field)s: %(value)s") % {"field": label, "value": value})
            elif day > today:
                problems.append(_("the %(field)s %(value)s is in the future") % {"field": label, "value": day})
            setattr(row, key, day)
        if row.date_written and row.published_on and row.date_written > row.published_on:
            problems.append(_("the date written is after the publication date"))
        audience = AUDIENCES.get(values["audience"].lower() if values["audience"].isascii() else values["audience"])
        if audience is None:
            problems.append(_("unknown audience %(value)s (公开 or 校内)") % {"value": values["audience"]})
        row.audience = audience or Audience.PUBLIC
        validity = VALIDITIES.get(values["validity"])
        if validity is None:
            problems.append(_("unknown validity %(value)s") % {"value": values["validity"]})
        row.validity = validity or Validity.NOT_APPLICABLE
        for name in attachment_names(values["attachments"]):
            content = files.read(name)
            if content is None:
                problems.append(_("attachment %(name)s is not among the files") % {"name": name})
            else:
                row.files.append((name, content))
        if row.department and row.published_on and values["title"]:
            key = (values["title"], row.department.pk, row.published_on)
            if key in seen:
                problems.append(_("duplicate of row %(row)s") % {"row": seen[key]})
            seen.setdefault(key, row.number)
            row.duplicate = not problems and _existing(row)
    return rows


def problem_lines(rows: list[Row]) -> list[str]:
    return [
        _("Row %(row)s: %(problems)s") % {"row": row.number, "problems": "；".join(row.problems)}
        for row in rows
        if row.problems
    ]


# --- importing ------------------------------------------------------------------------------------


def _body_html(text: str) -> str:
    if re.search(r"<(p|div|br|table|ul|ol|h[1-6])\b", text, re.I):
        return sanitize_html(text)
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def disclosure_import(*, row: Row, reviewer) -> tuple[Disclosure, bool]:
    """One checked row as an item: created, its attachments stored, scanned, and (when the scan is clean)
    approved and published at its historical date by the importing reviewer, all recorded in the audit trail
    as an import. Returns (the item, whether it was published)."""
    if not (permissions.is_reviewer(reviewer) and reviewer.has_perm("disclosures.publish_disclosure")):
        raise PermissionDenied(_("Only a reviewer of the disclosure office who may publish can import items."))
    published_at = timezone.make_aware(datetime.datetime.combine(row.published_on, datetime.time(9, 0)))
    with transaction.atomic():
        disclosure = Disclosure(
            title=row.values["title"],
            category=row.category,
            item=row.item,
            department=row.department,
            document_number=row.values["document_number"],
            date_written=row.date_written,
            body=_body_html(row.values["body"]),
            audience=row.audience,
            validity=row.validity,
            status=DisclosureStatus.DRAFT,
            created_by=reviewer,
            updated_by=reviewer,
        )
        services.disclosure_validate(disclosure)
        disclosure.index_number = services.index_number_next(year=row.published_on.year)
        disclosure.save()
        services.audit_record(
            disclosure=disclosure,
            action=AuditAction.CREATED,
            user=reviewer,
            to_status=disclosure.status,
            comment=_("Imported from the old site (manifest row %(row)s).") % {"row": row.number},
        )
        for order, (name, content) in enumerate(row.files):
            uploaded = SimpleUploadedFile(name, content)
            checked = services.attachment_check(uploaded=uploaded)
            attachment = Attachment(disclosure=disclosure, file=uploaded, title=Path(name).stem, order=order)
            services.attachment_store(attachment=attachment, checked=checked)
        report = services.privacy_scan(disclosure=disclosure)
        if not report.clean:
            disclosure.status = DisclosureStatus.SUBMITTED
            disclosure.submitted_by = reviewer
            disclosure.save(update_fields=["status", "submitted_by"])
            services.audit_record(
                disclosure=disclosure,
                action=AuditAction.SUBMITTED,
                user=reviewer,
                from_status=DisclosureStatus.DRAFT,
                to_status=disclosure.status,
                comment=_("Imported; the privacy scan found %(count)s finding(s): left for review, not published.")
                % {"count": len(report.findings) + len(report.unscanned)},
            )
            search.index_disclosure(disclosure)
            return disclosure, False
        now = timezone.now()
        Review.objects.create(
            disclosure=disclosure,
            reviewer=reviewer,
            decision=ReviewDecision.APPROVED,
            no_state_secrets=True,
            no_trade_secrets=True,
            no_personal_privacy=True,
            comment=IMPORT_COMMENT,
            created_at=now,
        )
        disclosure.security_checked_at = disclosure.approved_at = now
        disclosure.security_checked_by = disclosure.approved_by = reviewer
        disclosure.status = DisclosureStatus.PUBLISHED
        disclosure.published_at = published_at
        disclosure.save()
        services.audit_record(
            disclosure=disclosure,
            action=AuditAction.APPROVED,
            user=reviewer,
            from_status=DisclosureStatus.DRAFT,
            to_status=DisclosureStatus.APPROVED,
            comment=IMPORT_COMMENT,
        )
        services.audit_record(
            disclosure=disclosure,
            action=AuditAction.IMPORTED,
            user=reviewer,
            from_status=DisclosureStatus.APPROVED,
            to_status=disclosure.status,
            changes={"published_at": ["", published_at.date().isoformat()]},
            comment=_("Back-dated import: published on the old site on %(date)s; imported on %(today)s.")
            % {"date": row.published_on.isoformat(), "today": timezone.localdate().isoformat()},
        )
        search.index_disclosure(disclosure)
    services.catalogue_changed()
    return disclosure, True


def import_rows(rows: list[Row], *, reviewer, progress=no_progress) -> Outcome:
    """Bring the checked rows in; rows with problems are not imported, those already here are skipped."""
    outcome = Outcome()
    with progress(_("Importing"), total=len(rows)) as bar:
        for row in rows:
            if row.problems:
                outcome.failed.append(row)
            elif row.duplicate:
                outcome.skipped.append(row)
            else:
                try:
                    disclosure, published = disclosure_import(row=row, reviewer=reviewer)
                except ValidationError as error:
                    row.problems.extend(error.messages)
                    outcome.failed.append(row)
                else:
                    (outcome.imported if published else outcome.held).append(
                        disclosure if published else (row, disclosure)
                    )
            bar.advance()
    return outcome


def template_xlsx() -> bytes:
    """The manifest template: the headings, one example row and a sheet explaining the columns."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "清单"
    sheet.append([heading for _key, heading, _required in COLUMNS])
    sheet.append(["关于公布2015年招生章程的通知", "", "04.01", "招生就业处", "城院发〔2015〕12号", "2015-03-02",
                  "2015-03-05", "正文可以是纯文本，也可以是HTML。", "招生章程.pdf；附表.xlsx", "公开", ""])  # fmt: skip
    help_sheet = book.create_sheet("说明")
    notes = {
        "title": "必填。", "category": "类别代码、英文标识或名称；填写了公开事项时可不填。",
        "item": "公开事项代码，如 04.01。", "department": "必填。部门代码或名称。", "document_number": "可不填。",
        "date_written": "必填。YYYY-MM-DD 或 2015年3月2日。", "published_on": "必填。在旧网站上的发布日期。",
        "body": "纯文本（每行一段）或 HTML。",
        "attachments": "附件文件名，多个用分号或顿号分隔；文件放在所给的文件夹或 ZIP 中。",
        "audience": "公开（默认）或 校内。", "validity": "规章制度填写：现行有效、已修订、已废止；其他不填。",
    }  # fmt: skip
    help_sheet.append(["列", "说明"])
    for key, heading, _required in COLUMNS:
        help_sheet.append([heading, notes[key]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
