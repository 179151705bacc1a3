"""core.forms.QuickSelect writes the same <select> as Django's template-rendered Select, only faster."""

import re

import pytest
from django import forms

from core.forms import QuickSelect
from disclosures.filters import DisclosureFilter

CHOICES = [
    ("", "全部"),
    ("a", "甲 & <乙>"),
    ("b", 'say "b"'),
    ("Group", [("c", "丙"), ("d", "丁")]),
    (3, "三"),
]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", "a", "c", "3", "nope", ["b"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "aria-invalid": "true", "disabled": False}])
def test_the_markup_is_djangos(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("x", value, attrs)
    quick_html = QuickSelect(choices=CHOICES).render("x", value, attrs)
    assert _same(quick_html) == _same(django_html)


@pytest.mark.django_db
def test_the_filter_form_renders_as_before(seeded_catalogue, monkeypatch, rf):
    data = {"category": "finance", "department": "finance", "year": "2024", "sort": "date", "item": "nope"}
    form = DisclosureFilter(data, request=rf.get("/items/", data)).form  # its choices from the cache
    assert form.errors  # the unknown item is reported
    quick = {name: str(form[name]) for name in form.fields}
    monkeypatch.setattr(QuickSelect, "render", forms.Select.render)  # Django's own, through the templates
    plain = DisclosureFilter(data).form  # its choices from the database
    for name in form.fields:
        assert _same(quick[name]) == _same(str(plain[name])), name
    assert 'value="finance" selected' in quick["category"] and 'aria-invalid="true"' in quick["item"]
