"""The item form: the 公开事项 picker is bound to the category (each option names its category; an item chosen
without a category gives its own), and the department is prefilled for an editor who works for one."""

import re

import pytest
from django.urls import reverse

from disclosures.models import Category, Disclosure, DisclosureItem
from tests.factories import editor
from tests.portal.test_faults import admin_form_data

pytestmark = pytest.mark.django_db
ADD = "admin:disclosures_disclosure_add"


def test_the_item_picker_groups_items_by_category_and_names_each_ones_category(staff_client):
    page = staff_client.get(reverse(ADD)).content.decode()
    select = re.search(r'<select name="item".*?</select>', page, re.S).group(0)
    assert "admin-item-picker.js" in page
    admissions = Category.objects.get(code="04")
    item = DisclosureItem.objects.get(code="04.01")
    assert re.search(rf'<option value="{item.pk}" data-category="{admissions.pk}"', select)
    assert select.count("<optgroup") == Category.objects.filter(items__active=True).distinct().count()
    assert 'data-category=""' not in select


def test_an_item_chosen_without_a_category_gives_its_category(staff_client):
    item = DisclosureItem.objects.get(code="04.01")
    data = admin_form_data(title="只选了公开事项", category="", item=item.pk)
    assert staff_client.post(reverse(ADD), data).status_code == 302
    assert Disclosure.objects.get(title="只选了公开事项").category_id == item.category_id


def test_neither_item_nor_category_asks_for_the_category(staff_client):
    response = staff_client.post(reverse(ADD), admin_form_data(title="什么都没选", category=""))
    assert response.status_code == 200
    assert "category" in response.context["adminform"].form.errors


def test_an_item_of_another_category_is_still_refused(staff_client):
    data = admin_form_data(title="类别不符", item=DisclosureItem.objects.get(code="01.01").pk)
    response = staff_client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "该公开事项属于其他类别" in response.content.decode()


def test_the_department_is_prefilled_for_an_editor_of_one_department(client):
    client.force_login(editor("liaison", "admissions"))
    form = client.get(reverse(ADD)).context["adminform"].form
    assert form.initial["department"] == form.fields["department"].queryset.get().pk
    client.force_login(editor("two-hats", "admissions", "finance"))
    assert "department" not in client.get(reverse(ADD)).context["adminform"].form.initial


def test_an_item_in_the_address_fills_the_category(staff_client):
    item = DisclosureItem.objects.get(code="05.06")
    form = staff_client.get(reverse(ADD) + f"?item={item.pk}").context["adminform"].form
    assert form.initial["category"] == item.category_id
