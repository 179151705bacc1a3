"""我的待办: the admin's first page lists, per role and department, what waits for the signed-in person, each
line linking to the objects; the menu shows the counts; the page asks the same number of queries whatever the
volume."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from annual_reports.models import AnnualReport
from disclosures.guide import PLACEHOLDERS, placeholder_fields
from disclosures.models import Department, DisclosureGuide, DisclosureItem, DisclosureStatus, ListItem
from disclosures.permissions import HEAD_GROUP, REVIEWER_GROUP, SITE_ADMIN_GROUP
from feedback.models import Channel, Mailbox
from requests_app import services as request_services
from requests_app.models import RemedyBody
from requests_app.notices import remedy_placeholders
from tests.factories import editor, make_disclosure, reviewer, staff_member
from tests.feedback.factories import make_message
from tests.requests_app.factories import make_application

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# A Wednesday 10 working days before the end of 2025 (招生就业处's item 05.06 is due on 31 December).
TODAY = datetime.datetime(2025, 12, 17, 10, tzinfo=SHANGHAI)
# A Wednesday with no holiday for weeks either side.
INBOX_DAY = datetime.datetime(2025, 11, 19, 10, tzinfo=SHANGHAI)


def lines(response) -> dict:
    return {line.key: line for section in response.context["todo_sections"] for line in section.lines}


def in_group(username, group_name, *departments, **fields):
    user = staff_member(username, group_name, *departments, **fields)
    return get_user_model().objects.get(pk=user.pk)


def handler(username="handler"):
    user = get_user_model().objects.create_user(username, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="依申请公开办理人员"))
    return user


def feedback_handler(username="answers"):
    user = get_user_model().objects.create_user(username, password="a-long-test-password", is_staff=True)
    for name in ("在线咨询受理", "监督投诉受理", "领导信箱阅处"):
        user.groups.add(Group.objects.get(name=name))
    for mailbox in Mailbox.objects.all():
        mailbox.readers.add(user)
    return user


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_editor_sees_returned_drafts_and_catalogue_items_due(client, frozen):
    author = editor("liaison", "admissions")
    returned = make_disclosure(title="退回的招生简章", status=DisclosureStatus.RETURNED)
    make_disclosure(
        title="财务处的草稿",
        department_code="finance",
        category_code="06",
        item_code=None,
        status=DisclosureStatus.DRAFT,
    )
    client.force_login(author)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    found = lines(response)
    assert {"returned", "drafts", "scheduled", "catalogue"} <= set(found)
    assert "review" not in found and "endorse" not in found and "applications-overdue" not in found
    assert found["returned"].count == 1
    assert found["returned"].rows[0].url == reverse("admin:disclosures_disclosure_change", args=[returned.pk])
    assert found["drafts"].count == 0  # the other department's draft is not theirs
    # Catalogue items of the editor's department only, each with a prefilled add form.
    catalogue = found["catalogue"]
    assert catalogue.rows, "an annual or per-term item of 招生就业处 is due"
    for row in catalogue.rows:
        assert "招生就业处" in row.text
        assert "/admin/disclosures/disclosure/add/?category=" in row.url
    content = response.content.decode()
    assert "我的待办" in content and "退回的招生简章" in content


def test_head_sees_what_waits_for_department_approval(client, frozen):
    Department.objects.filter(code="admissions").update(head_approval_required=True)
    waiting = make_disclosure(title="待部门审核的通知", status=DisclosureStatus.SUBMITTED)
    make_disclosure(
        title="财务处待审",
        department_code="finance",
        category_code="06",
        item_code=None,
        status=DisclosureStatus.SUBMITTED,
    )
    head = in_group("head", HEAD_GROUP, "admissions")
    client.force_login(head)
    found = lines(client.get(reverse("admin:index")))
    assert found["endorse"].count == 1
    assert found["endorse"].rows[0].url.endswith(f"/{waiting.pk}/change/")
    assert "returned" not in found  # a head writes nothing


def test_reviewer_sees_submissions_approved_items_and_the_annual_report(client, frozen):
    Department.objects.filter(code="admissions").update(head_approval_required=True)
    make_disclosure(title="尚待部门审核", status=DisclosureStatus.SUBMITTED)
    ready = make_disclosure(
        title="财务预算公开",
        department_code="finance",
        category_code="06",
        item_code=None,
        status=DisclosureStatus.SUBMITTED,
    )
    approved = make_disclosure(
        title="已审批待发布",
        department_code="finance",
        category_code="06",
        item_code=None,
        status=DisclosureStatus.APPROVED,
    )
    office = reviewer("office")
    client.force_login(office)
    found = lines(client.get(reverse("admin:index")))
    assert [row.text for row in found["review"].rows] == [f"{ready.title}（财务处）"]
    assert found["review"].rows[0].url == reverse("admin:disclosures_disclosure_review", args=[ready.pk])
    assert found["approved"].rows[0].url == reverse("admin:disclosures_disclosure_publish", args=[approved.pk])
    report = found["annual-report"]
    assert "2024-2025" in str(report.label) and report.rows[0].due == datetime.date(2025, 10, 31)
    assert report.urgent  # past 31 October and not published
    AnnualReport.objects.create(year=2024, title="2024-2025学年信息公开工作年度报告", status="published")
    assert "annual-report" not in lines(client.get(reverse("admin:index")))


def test_handler_sees_applications_by_due_date_and_what_is_awaited(client):
    d = datetime.date
    filed = {}
    for key, day in (
        ("overdue", d(2025, 10, 27)),
        ("soon", d(2025, 10, 31)),
        ("later", d(2025, 11, 6)),
        ("fresh", d(2025, 11, 19)),
    ):
        with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False):
            filed[key] = make_application(phone=f"1391111{day:%m%d}")[0]
            if key != "fresh":
                request_services.application_accept(application=filed[key], user=None)
    with time_machine.travel(datetime.datetime(2025, 11, 12, 10, tzinfo=SHANGHAI), tick=False):
        asked = make_application(phone="13922223333")[0]
        request_services.application_request_clarification(application=asked, user=None, message="请说明年份")
        consulted = make_application(phone="13922224444")[0]
        request_services.application_accept(application=consulted, user=None)
        request_services.application_consult_start(
            application=consulted, user=None, third_party="某公司", message="征求意见"
        )
    client.force_login(handler())
    with time_machine.travel(INBOX_DAY, tick=False):
        found = lines(client.get(reverse("admin:index")))
    assert [r.url for r in found["applications-overdue"].rows] == [
        reverse("admin:requests_app_disclosureapplication_change", args=[filed["overdue"].pk])
    ]
    assert found["applications-3"].count == 1 and filed["soon"].tracking_number in found["applications-3"].rows[0].text
    assert filed["later"].tracking_number in found["applications-10"].rows[0].text
    assert filed["fresh"].tracking_number in found["applications-new"].rows[0].text
    assert found["applications-clarification"].count == 1 and found["applications-clarification"].rows[0].due
    third = found["applications-third-party"].rows[0]
    assert consulted.tracking_number in third.text and third.due == d(2025, 12, 3)  # 15 working days
    assert "review" not in found and "endorse" not in found


def test_feedback_handler_sees_messages_due(client):
    with time_machine.travel(datetime.datetime(2025, 11, 3, 10, tzinfo=SHANGHAI), tick=False):
        late, _code = make_message(channel=Channel.CONSULTATION)
    with time_machine.travel(datetime.datetime(2025, 11, 18, 10, tzinfo=SHANGHAI), tick=False):
        make_message(channel=Channel.MAILBOX)
    client.force_login(feedback_handler())
    with time_machine.travel(INBOX_DAY, tick=False):
        response = client.get(reverse("admin:index"))
    found = lines(response)
    assert found["consultation-overdue"].rows[0].url == reverse("admin:feedback_consultation_change", args=[late.pk])
    assert found["mailbox-overdue"].count == 0
    assert found["mailbox-10"].count + found["mailbox-3"].count == 1
    # The menu shows the count of what is urgent in it.
    assert 'class="todo-badge"' in response.content.decode()


def test_site_administrator_sees_catalogue_of_every_department(client, frozen):
    admin_user = in_group("siteadmin", SITE_ADMIN_GROUP)
    client.force_login(admin_user)
    found = lines(client.get(reverse("admin:index")))
    departments = {row.text.rsplit("（", 1)[1] for row in found["catalogue"].rows}
    assert found["catalogue"].count > len(found["catalogue"].rows) or len(departments) >= 1
    assert found["catalogue"].count == _items_due_count()


def _items_due_count() -> int:
    # Annual and per-term items unpublished in the current period whose deadline is at most 10 working days away.
    from core.workdays import load_calendar
    from disclosures.compliance import item_due

    calendar = load_calendar()
    today = timezone.localdate()
    count = 0
    for item in DisclosureItem.objects.filter(active=True, cadence__in=["annual", "per_term"]):
        due, _start = item_due(cadence=item.cadence, month=item.month, today=today)
        if calendar.working_days_between(today, due) <= 10:
            count += 1
    return count


def test_the_page_asks_the_same_queries_whatever_the_volume(client, django_assert_max_num_queries):
    user = get_user_model().objects.create_superuser("boss", "boss@example.edu.cn", "a-long-test-password")
    client.force_login(user)

    def fill(n):
        with time_machine.travel(datetime.datetime(2025, 11, 3, 10, tzinfo=SHANGHAI), tick=False):
            for i in range(n):
                make_message(channel=Channel.COMPLAINT, phone=f"1380000{i:04d}")
                application = make_application(phone=f"1370000{i:04d}")[0]
                request_services.application_accept(application=application, user=None)
            for i in range(n):
                make_disclosure(title=f"待审{i}", status=DisclosureStatus.SUBMITTED)

    fill(2)
    with time_machine.travel(TODAY, tick=False):
        with django_assert_max_num_queries(200) as few:
            client.get(reverse("admin:index"))
        fill(12)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("admin:index"))
    assert lines(response)["applications-overdue"].count == 14


def test_site_administrator_sees_department_staff_without_a_department(client, frozen):
    admin_user = in_group("siteadmin", SITE_ADMIN_GROUP)
    newcomer = in_group("newcomer", "部门信息公开联系人")  # no department yet
    in_group("settled", "部门信息公开联系人", "admissions")
    client.force_login(admin_user)
    found = lines(client.get(reverse("admin:index")))
    assert [row.url for row in found["accounts-without-department"].rows] == [
        reverse("admin:auth_user_change", args=[newcomer.pk])
    ]
    client.force_login(editor("liaison", "admissions"))
    assert "accounts-without-department" not in lines(client.get(reverse("admin:index")))


def test_placeholders_left_in_the_guide_and_the_remedies_are_on_the_to_do(client, frozen):
    """The guide and the remedy bodies are seeded with placeholders; whoever may edit them sees what is left, and the
    line goes when the texts are filled in."""
    admin_user = in_group("siteadmin", SITE_ADMIN_GROUP)
    admin_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_disclosureguide", "change_remedybody"])
    )
    admin_user = get_user_model().objects.get(pk=admin_user.pk)
    client.force_login(admin_user)
    found = lines(client.get(reverse("admin:index")))
    guide = DisclosureGuide.current()
    assert found["guide-placeholders"].count == len(placeholder_fields(guide)) > 0
    assert found["guide-placeholders"].url == reverse("admin:disclosures_disclosureguide_change", args=[guide.pk])
    placeholders = remedy_placeholders()
    assert placeholders and found["remedy-placeholders"].count == len(placeholders)

    for number, name in enumerate(PLACEHOLDERS):
        setattr(guide, name, f"15000{number}")  # filled in (short enough for the postcode)
    guide.save()
    RemedyBody.objects.update(name="黑龙江省教育厅", contact="哈尔滨市南岗区 0451-00000000", time_limit="")
    found = lines(client.get(reverse("admin:index")))
    assert "guide-placeholders" not in found and "remedy-placeholders" not in found

    client.force_login(editor("liaison", "admissions"))
    found = lines(client.get(reverse("admin:index")))
    assert "guide-placeholders" not in found and "remedy-placeholders" not in found


@pytest.mark.parametrize("group_name", [REVIEWER_GROUP, SITE_ADMIN_GROUP])
def test_the_office_and_the_site_administrators_fill_in_the_guide_and_the_list(client, frozen, group_name):
    """Their groups hold the rights (migration 0012): before, only a superuser could fill in the guide or mark an
    item of the 2014 list 不适用, and the guide's to-do line showed to nobody else."""
    client.force_login(in_group("office", group_name))
    assert "guide-placeholders" in lines(client.get(reverse("admin:index")))
    guide = DisclosureGuide.current()
    assert client.get(reverse("admin:disclosures_disclosureguide_change", args=[guide.pk])).status_code == 200
    item = ListItem.objects.order_by("number").first()
    assert client.get(reverse("admin:disclosures_listitem_change", args=[item.pk])).status_code == 200
    client.force_login(editor("liaison", "admissions"))
    assert client.get(reverse("admin:disclosures_disclosureguide_change", args=[guide.pk])).status_code == 403
