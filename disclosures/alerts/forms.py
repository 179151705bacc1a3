from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.abuse import AbuseProtectedFormMixin
from disclosures.alerts.models import Frequency


class SubscriptionForm(AbuseProtectedFormMixin, forms.Form):
    """Follow one category or item by e-mail; limited like the other public forms (per address and network)."""

    abuse_scope = "alerts"
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a confirmation link first. The address is used for these alerts only and never shown."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("I agree that my address is kept to send me these alerts until I unsubscribe."), required=True
    )

    def abuse_contacts(self) -> list[str]:
        return [self.cleaned_data.get("email", "")]
