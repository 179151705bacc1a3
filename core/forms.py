"""Forms and the services behind them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to its field when it names one, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class QuickSelect(forms.Select):
    """A ``<select>`` written out in Python rather than through a template per option: the public filter form has
    about a hundred options, and rendering them through Django's option templates took half of a filtered list
    page's time. The markup is Django's own (the same attributes, ``selected`` on the first matching option,
    ``<optgroup>`` for grouped choices)."""

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        selected_done = False
        parts = []

        def option(option_value, label):
            nonlocal selected_done
            option_value = "" if option_value is None else str(option_value)
            selected = not selected_done and option_value in values
            selected_done |= selected
            return format_html(
                '<option value="{}"{}>{}</option>', option_value, mark_safe(" selected") if selected else "", label
            )

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = mark_safe("".join(option(subvalue, sublabel) for subvalue, sublabel in label))
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value, inner))
            else:
                parts.append(option(option_value, label))
        attributes = mark_safe(
            "".join(
                format_html(" {}", key) if item is True else format_html(' {}="{}"', key, item)
                for key, item in self.build_attrs(self.attrs, attrs).items()
                if item is not False  # as Django's attrs.html: in order, True bare, False left out
            )
        )
        return format_html('<select name="{}"{}>{}</select>', name, attributes, mark_safe("".join(parts)))
