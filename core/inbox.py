"""What the staff inboxes share (the applications for disclosure, and the feedback channels' messages): the
working calendar loaded once per request, each row's due date computed once per list and handed to the columns
that show it (nothing is stored on the rows), a "due" filter the database answers, and the handling actions:
one page per action whose form shows the service's errors and is shown again with status 200, as the admin's
own forms are.

The apps say what is domain: the actions and their services, how a row's due date is computed and how their
rows are filtered by due date (``InboxAdmin.row_due``, ``DueListFilter.due_within``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import add_service_errors
from core.uploads import STORAGE_FAILED_MESSAGE, StorageFailed
from core.workdays import WorkingCalendar, load_calendar


def request_calendar(request, *, closures: bool = True) -> WorkingCalendar:
    """The working calendar for this request: loaded on first use (one small query), then reused. ``closures``:
    whether the college's own closures count as non-working days (``load_calendar``)."""
    calendars = getattr(request, "_working_calendars", None)
    if calendars is None:
        calendars = request._working_calendars = {}
    if closures not in calendars:
        calendars[closures] = load_calendar(closures=closures)
    return calendars[closures]


class DueListFilter(admin.SimpleListFilter):
    """Rows by the working days left until they are due. Each choice is a window of days left (negative once
    overdue; None for no bound); the app's subclass names them and filters its rows with a query."""

    title = _("due")
    parameter_name = "due"
    windows: dict[str, tuple[Any, int | None, int | None]] = {}  # value: (label, fewest days left, most)

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _fewest, _most) in self.windows.items()]

    def window(self, value: str) -> tuple[int | None, int | None] | None:
        """The (fewest, most) working days left that a choice stands for; None: not a window."""
        found = self.windows.get(value)
        return None if found is None else (found[1], found[2])

    def queryset(self, request, queryset):
        window = self.window(self.value() or "")
        if window is None:
            return queryset
        fewest, most = window
        calendar = request_calendar(request, closures=self.closures())
        return self.due_within(queryset, fewest=fewest, most=most, calendar=calendar, today=timezone.localdate())

    def closures(self) -> bool:
        """Whether the college's closures stop this inbox's clock (the app's subclass says)."""
        return True

    def due_within(self, queryset, *, fewest: int | None, most: int | None, calendar: WorkingCalendar, today):
        """The rows of ``queryset`` due in ``fewest`` to ``most`` working days from ``today``, as a query."""
        raise NotImplementedError


@dataclass(frozen=True)
class HandlingAction:
    label: Any
    form: type[forms.Form]
    states: tuple[str, ...]  # the states of the row in which it may be done
    call: Callable[[Any, Any, dict], object]  # (row, user, the form's cleaned data): calls the service
    done: Any  # the message once done


class InboxAdmin(admin.ModelAdmin):
    """A read-only inbox of rows with a tracking number, a state and a due date, changed by handling actions.

    ``due_columns`` are list columns whose methods take ``(obj, due, calendar)``: the row's due date from
    ``row_due``, computed once per row and list, and this request's calendar.
    """

    due_columns: tuple[str, ...] = ()
    handling_actions: dict[str, HandlingAction] = {}
    action_template = ""
    action_unavailable = ""  # the message when the row's state does not allow the action

    def calendar_closures(self) -> bool:
        """Whether the college's closures stop this inbox's clock (the app's subclass says)."""
        return True

    def row_due(self, obj, calendar: WorkingCalendar):
        """The row's due date (or deadline), as the ``due_columns`` show it."""
        raise NotImplementedError

    def may_handle(self, request, obj) -> bool:
        raise NotImplementedError

    def action_available(self, obj, name: str) -> bool:
        return obj.state in self.handling_actions[name].states

    def action_form(self, action: HandlingAction, obj, data=None, files=None) -> forms.Form:
        return action.form(data, files)

    def action_prefill(self, request, obj, name: str, form: forms.Form) -> forms.Form | None:
        """A first step before the service is called: a form to show again instead (None: no such step)."""
        return None

    def action_context(self, request, obj) -> dict:
        return {}

    # The list ---------------------------------------------------------------------------------------------

    def get_list_display(self, request):
        calendar = request_calendar(request, closures=self.calendar_closures())
        dues: dict[Any, Any] = {}

        def due(obj):
            if obj.pk not in dues:
                dues[obj.pk] = self.row_due(obj, calendar)
            return dues[obj.pk]

        def column(name: str):
            method = getattr(self, name)

            @functools.wraps(method)  # its name (the cell's CSS class) and its @admin.display description
            def value(obj):
                return method(obj, due(obj), calendar)

            return value

        return [column(name) if name in self.due_columns else name for name in super().get_list_display(request)]

    # Handling actions -------------------------------------------------------------------------------------

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        return [
            path(
                "<int:pk>/action/<slug:name>/",
                self.admin_site.admin_view(self.action_view),
                name=self._url_name("action"),
            ),
            *super().get_urls(),
        ]

    def action_url(self, obj, name: str) -> str:
        return reverse(f"admin:{self._url_name('action')}", args=[obj.pk, name])

    def action_view(self, request, pk, name):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        action = self.handling_actions.get(name)
        if action is None or not self.may_handle(request, obj):
            raise PermissionDenied
        change_url = reverse(f"admin:{self._url_name('change')}", args=[pk])
        if not self.action_available(obj, name):
            self.message_user(request, self.action_unavailable, messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = self.action_form(action, obj, request.POST, request.FILES)
            if form.is_valid():
                prefilled = self.action_prefill(request, obj, name, form)
                if prefilled is not None:
                    form = prefilled
                elif self._perform(request, obj, action, form):
                    self.message_user(request, action.done, messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            form = self.action_form(action, obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{action.label}: {obj.tracking_number}",
            "form": form,
            "change_url": change_url,
            **self.action_context(request, obj),
        }
        return TemplateResponse(request, self.action_template, context)

    def _perform(self, request, obj, action: HandlingAction, form: forms.Form) -> bool:
        """Call the action's service; on a ValidationError (or a file that could not be stored) the form says why."""
        try:
            action.call(obj, request.user, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except StorageFailed:
            obj.refresh_from_db()  # the service's changes were rolled back
            form.add_error(None, STORAGE_FAILED_MESSAGE)
        else:
            return True
        return False
