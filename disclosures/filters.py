"""The public item list's filters. Malformed values are reported on the form and otherwise ignored."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import cache as pagecache
from core.forms import QuickSelect
from disclosures.models import Category, Department, Disclosure, DisclosureItem, academic_year_bounds, academic_year_of

MAX_KEYWORD_LENGTH = 100


def day_start(day: datetime.date, *, days_after: int = 0) -> datetime.datetime:
    """Local midnight at the start of ``day`` (plus ``days_after`` days), as an aware datetime.

    Comparing the stored timestamp with it keeps the published_at indexes usable.
    """
    day = min(max(day, datetime.date(1900, 1, 1)), datetime.date(9000, 1, 1)) + datetime.timedelta(days=days_after)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def academic_year_choices() -> list[tuple[int, str]]:
    current = academic_year_of(timezone.localdate())
    return [(str(year), f"{year}-{year + 1}") for year in range(current, current - 15, -1)]


# Choice querysets as callables: django-filter deep-copies every filter for each request, and copying a
# function is free where copying a queryset is not (a fifth of the list page's time).
def _categories(request):
    return Category.objects.all()


def _disclosure_items(request):
    return DisclosureItem.objects.all()


def _departments(request):
    return Department.objects.all()


CACHED_CHOICES = ("category", "item", "department")


class DisclosureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title contains"),
        method="filter_title",
        max_length=MAX_KEYWORD_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=_categories,
        to_field_name="slug",
        empty_label=_("All categories"),
        widget=QuickSelect,
    )
    item = django_filters.ModelChoiceFilter(
        label=_("Disclosure item"),
        queryset=_disclosure_items,
        to_field_name="code",
        empty_label=_("All items"),
        widget=QuickSelect,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=_departments,
        to_field_name="code",
        empty_label=_("All departments"),
        widget=QuickSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("Academic year"),
        choices=academic_year_choices,
        method="filter_year",
        empty_label=_("All years"),
        widget=QuickSelect,
    )
    date_from = django_filters.DateFilter(
        label=_("Published from"), method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Published until"), method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(("published_at", "date"),),
        field_labels={"published_at": _("Date")},
        choices=[("-date", _("Newest first")), ("date", _("Oldest first"))],
        empty_label=None,
        widget=QuickSelect,
    )

    class Meta:
        model = Disclosure
        fields: list[str] = []

    @classmethod
    def active(cls, params, *, text: bool = True) -> int:
        """How many filters ``params`` (a query string's values) give a value, as the filters read them (the last
        value of a name); with ``text=False`` the title text ``q`` does not count (the search page's ``q`` is the
        search itself). The order (``sort``) never narrows. A value the form will refuse still counts."""
        names = [name for name in cls.base_filters if name != "sort" and (text or name != "q")]
        return sum(1 for name in names if str(params.get(name, "")).strip())

    @classmethod
    def narrows(cls, params, *, text: bool = True) -> bool:
        """Whether any filter has a value (``active``)."""
        return cls.active(params, text=text) > 0

    @property
    def form(self):
        """The form, its catalogue choices (categories, items, departments) read once per content version and
        language rather than queried and built into options on every list page."""
        form = super().form
        if self.request is not None and not getattr(form, "choices_cached", False):
            for name in CACHED_CHOICES:
                field = form.fields[name]
                field.widget.choices = pagecache.memoize(
                    self.request,
                    f"filter-choices:{name}",
                    lambda field=field: [(str(value), str(label)) for value, label in field.choices],
                )
            form.choices_cached = True
        return form

    def filter_title(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        condition = Q()
        for word in value.split(" ")[:5]:
            condition &= Q(title__icontains=word)
        return queryset.filter(condition)

    def filter_year(self, queryset, name, value):
        first, last = academic_year_bounds(int(value))
        return queryset.filter(published_at__gte=day_start(first), published_at__lt=day_start(last, days_after=1))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(published_at__gte=day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(published_at__lt=day_start(value, days_after=1))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A tie on the date keeps a stable order, so pages never repeat or skip an item.
        order = queryset.query.order_by
        if order and order[0].lstrip("-") == "published_at":
            return queryset.order_by(order[0], ("-id" if order[0].startswith("-") else "id"))
        return queryset
