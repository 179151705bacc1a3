"""Forms: the public application, the tracking look-up, the clarification answer, and the staff actions."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.abuse import AbuseProtectedFormMixin
from core.pending_uploads import KeptFileBoundField
from disclosures.models import Category, Department
from disclosures.permissions import staff_with_permission
from disclosures.privacy import credit_code_is_valid, id_card_is_valid
from requests_app.models import (
    ApplicantType,
    Channel,
    Delivery,
    DisclosureApplication,
    IdType,
    ReceiptRule,
    ThirdPartyDecision,
)
from requests_app.outcomes import outcome_choices
from requests_app.permissions import HANDLE_PERMISSION
from requests_app.services import APPLICANT_FIELDS, file_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked by content and size; a form sent back with errors keeps those
    already sent (core.pending_uploads)."""

    bound_field_class = KeptFileBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.APPLICATION_MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(count)s files."), code="too_many", params={"count": settings.APPLICATION_MAX_ATTACHMENTS}
            )
        errors = []
        for uploaded in files:
            uploaded = super().clean(uploaded, initial)
            try:
                file_check(uploaded=uploaded)
            except ValidationError as error:
                errors.extend(f"{uploaded.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def attachments_help() -> str:
    return _("Optional. PDF, images or Office files, up to %(size)s each, at most %(count)s files.") % {
        "size": filesizeformat(settings.APPLICATION_ATTACHMENT_MAX_BYTES),
        "count": settings.APPLICATION_MAX_ATTACHMENTS,
    }


TEXT_LIMITS = {"description": 5000, "purpose": 2000, "fee_waiver_reason": 1000}


def limit_text(field: forms.CharField, limit: int) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class ApplicantForm(forms.ModelForm):
    """What an applicant writes, checked the same way whatever the channel (the online form, or staff entering
    a paper form handed in, posted, faxed or e-mailed)."""

    attachments = MultipleFileField(label=_("Attachments (ID proof and the like)"))

    class Meta:
        model = DisclosureApplication
        fields = APPLICANT_FIELDS  # what application_submit stores
        widgets = {
            "applicant_type": forms.RadioSelect,
            "info_form": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "fee_waiver_reason": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        labels = {"name": _("Name (person or organisation)")}
        help_texts = {
            "id_number": _("For a mainland ID card, all 18 characters."),
            "credit_code": _("18 characters, for an organisation."),
            "description": _("Describe the information as precisely as you can: title, period, document number."),
            "own_records": _(
                "Your grades, file, student status, rewards or sanctions: attach an identity proof; the reply goes "
                "to you only."
            ),
            "purpose": _("What you will use the information for."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()
        self.fields["applicant_type"].choices = ApplicantType.choices
        for name, limit in TEXT_LIMITS.items():
            limit_text(self.fields[name], limit)
        self.fields["id_type"].choices = [("", "---------"), *IdType.choices]
        self.fields["purpose"].required = True
        self.fields["info_form"].required = True
        self.fields["delivery"].required = True

    def clean_phone(self):
        phone = "".join((self.cleaned_data.get("phone") or "").split())
        digits = phone.replace("-", "").replace("+", "")
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            raise ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("applicant_type")
        if kind == ApplicantType.CITIZEN:
            id_type = cleaned.get("id_type")
            number = (cleaned.get("id_number") or "").strip().upper()
            cleaned["id_number"] = number
            if not id_type:
                self.add_error("id_type", _("Choose the type of identity document."))
            if not number:
                self.add_error("id_number", _("Enter the document number."))
            elif id_type == IdType.MAINLAND_ID and not id_card_is_valid(number):
                self.add_error(
                    "id_number", _("This is not a valid ID card number: check the 18 characters and the last one.")
                )
            cleaned["credit_code"] = ""
            cleaned["organisation_type"] = ""
            cleaned["legal_representative"] = ""
        elif kind == ApplicantType.ORGANISATION:
            code = (cleaned.get("credit_code") or "").strip().upper()
            cleaned["credit_code"] = code
            if not code:
                self.add_error("credit_code", _("Enter the unified social credit code."))
            elif not credit_code_is_valid(code):
                self.add_error(
                    "credit_code", _("This is not a valid unified social credit code: check the 18 characters.")
                )
            if not cleaned.get("organisation_type"):
                self.add_error("organisation_type", _("Choose the type of organisation."))
            if not (cleaned.get("legal_representative") or "").strip():
                self.add_error("legal_representative", _("Enter the legal representative."))
            if not (cleaned.get("contact_person") or "").strip():
                self.add_error("contact_person", _("Enter the contact person."))
            cleaned["id_type"] = ""
            cleaned["id_number"] = ""
        if cleaned.get("delivery") == Delivery.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("Give an e-mail address for delivery by e-mail."))
        if cleaned.get("delivery") == Delivery.POST and not (cleaned.get("address") or "").strip():
            self.add_error("address", _("Give a postal address for delivery by post."))
        if cleaned.get("fee_waiver_requested") and not (cleaned.get("fee_waiver_reason") or "").strip():
            self.add_error("fee_waiver_reason", _("Give the reason for the fee waiver."))
        if cleaned.get("own_records") and not cleaned.get("attachments") and "attachments" not in self.errors:
            self.add_error(
                "attachments",
                _("Attach an identity proof: information about yourself is given only to you (Order 29)."),
            )
        return cleaned


class ToProactiveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    department = forms.ModelChoiceField(
        label=_("Publishing department"), queryset=Department.objects.filter(active=True), required=False
    )


class VerifyIdentityForm(forms.Form):
    note = forms.CharField(label=_("How the identity was checked"), required=False)


class ApplicationForm(AbuseProtectedFormMixin, ApplicantForm):
    """The public online form."""

    abuse_scope = "application"

    consent = forms.BooleanField(label=_("I agree"), required=True)

    def abuse_contacts(self) -> list[str]:
        return [self.cleaned_data.get("phone", ""), self.cleaned_data.get("email", "")]


# Fields without which nothing can be registered: who, how to reach them, and what they ask for.
ESSENTIAL_FIELDS = {"applicant_type", "name", "description"}


class OfflineApplicationForm(ApplicantForm):
    """Staff register an application received in person, by post, fax or e-mail (条例 art. 31): the same fields
    and checks as the online form, the channel and the day its rule names, and the scanned paper form and
    envelope. What the applicant wrote is kept even when incomplete: tick "as written" and ask for clarification
    (条例 art. 30) instead of refusing to record it."""

    channel = forms.ChoiceField(label=_("Received by"))
    receipt_basis_on = forms.DateField(
        label=_("Day handed in, signed for or confirmed to the applicant"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    scans = MultipleFileField(label=_("Scanned paper form and envelope"))
    as_written = forms.BooleanField(
        label=_("Register as written, although incomplete (then ask for clarification)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.value, c.label) for c in Channel if c != Channel.ONLINE]
        rules = settings.APPLICATION_RECEIPT_RULES
        self.fields["receipt_basis_on"].help_text = "; ".join(
            f"{Channel(c).label}: {ReceiptRule(rules[c]).label}" for c in Channel.values if c != Channel.ONLINE
        )
        self.fields["scans"].help_text = attachments_help()
        if self.is_bound and self.data.get(self.add_prefix("as_written")):
            for name, field in self.fields.items():
                if name in APPLICANT_FIELDS and name not in ESSENTIAL_FIELDS:
                    field.required = False

    def clean_phone(self):
        if self.fields["phone"].required is False and not (self.cleaned_data.get("phone") or "").strip():
            return ""
        return super().clean_phone()

    def clean(self):
        if self.data.get(self.add_prefix("as_written")):
            # Keep what was written; the checks that would refuse it become the clarification's subject.
            cleaned = forms.ModelForm.clean(self)
            for name in ("id_number", "credit_code"):
                cleaned[name] = (cleaned.get(name) or "").strip().upper()
            return cleaned
        return super().clean()


class ClarificationAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("attachments") and not self.errors:
            raise ValidationError(_("Write your answer or attach a file."))
        return cleaned


# Staff actions (admin) -------------------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    pass


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(active=True))
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=get_user_model().objects.none(), required=False)
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only staff who handle applications (and so may see the applicant's data) are offered, or accepted.
        self.fields["handler"].queryset = staff_with_permission(HANDLE_PERMISSION)


class MessageForm(forms.Form):
    message = forms.CharField(label=_("Message to the applicant"), widget=forms.Textarea(attrs={"rows": 5}))


class NoteForm(forms.Form):
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    public = forms.BooleanField(label=_("Show to the applicant (and e-mail it)"), required=False)


def office_heads():
    """Active staff who may approve an extension (the office head's role, 条例 art. 33)."""
    approve = Q(groups__permissions__codename="approve_extension") | Q(user_permissions__codename="approve_extension")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(approve | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class ClarifyForm(forms.Form):
    message = forms.CharField(
        label=_("What the applicant must supply (all of it: one request only)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    due_on = forms.DateField(
        label=_("Answer due by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: %(days)s working days from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = self.fields["due_on"].help_text % {
            "days": settings.APPLICATION_CLARIFICATION_DAYS
        }


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Working days"), min_value=1)
    reason = forms.CharField(label=_("Reason (told to the applicant)"), widget=forms.Textarea(attrs={"rows": 3}))
    approver = forms.ModelChoiceField(label=_("Approved by (office head)"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = office_heads()
        self.fields["days"].max_value = settings.APPLICATION_EXTENSION_DAYS
        self.fields["days"].widget.attrs["max"] = settings.APPLICATION_EXTENSION_DAYS
        self.fields["days"].initial = settings.APPLICATION_EXTENSION_DAYS


class ConsultStartForm(forms.Form):
    third_party = forms.CharField(label=_("Third parties consulted (all of them)"), max_length=200)
    days = forms.IntegerField(label=_("Their period to answer (working days)"), min_value=1)
    message = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = settings.APPLICATION_THIRD_PARTY_DAYS
        self.fields["days"].widget.attrs["max"] = settings.APPLICATION_THIRD_PARTY_DAYS
        self.fields["days"].initial = settings.APPLICATION_THIRD_PARTY_DAYS


class ConsultEndForm(forms.Form):
    decision = forms.ChoiceField(label=_("The third party's decision"), choices=ThirdPartyDecision.choices)
    answer = forms.CharField(
        label=_("Their answer and reasons"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kind of answer (as the State Council's annual table counts it)"))
    reason_text = forms.CharField(
        label=_("Reason explained to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required for a refusal or partial disclosure; the legal ground is cited from the kind of answer."),
    )
    published_url = forms.URLField(
        label=_("Where it is published (already published)"), required=False, assume_scheme="https"
    )
    holder = forms.CharField(label=_("Body that holds the information (not held)"), max_length=200, required=False)
    holder_contact = forms.CharField(label=_("Its contact (not held)"), max_length=200, required=False)
    letter = forms.CharField(
        label=_("Reply letter"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        required=False,
        help_text=_("Leave empty to fill it from the template for the kind of reply; you can then edit it."),
    )
    files = MultipleFileField(label=_("Released files"))
    # Files given at the first step (before the letter was filled in), kept in storage for the second look.
    staged = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcome_choices()

    def clean_staged(self):
        """The files kept from the first step (signed references; anything else is ignored)."""
        kept = []
        for token in filter(None, (self.cleaned_data.get("staged") or "").split()):
            try:
                ref = signing.loads(token, salt=STAGE_SALT, max_age=24 * 3600)
            except signing.BadSignature:
                continue
            if default_storage.exists(ref["path"]):
                with default_storage.open(ref["path"], "rb") as stored:
                    kept.append(SimpleUploadedFile(ref["name"], stored.read(), ref["type"]))
                self.staged_paths.append(ref["path"])
        return kept

    staged_paths: list

    def full_clean(self):
        self.staged_paths = []
        super().full_clean()


STAGE_SALT = "requests_app.reply.staged"


def stage_files(files) -> str:
    """Keep the files of a first submit in storage; the signed references go into the form's hidden field."""
    tokens = []
    for uploaded in files:
        uploaded.seek(0)
        path = default_storage.save(f"applications/staged/{uuid.uuid4().hex}", uploaded)
        ref = {"path": path, "name": uploaded.name, "type": getattr(uploaded, "content_type", "") or ""}
        tokens.append(signing.dumps(ref, salt=STAGE_SALT))
    return " ".join(tokens)


class FeeNoticeForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Cost fee (yuan), for Order 29 cost fees"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    pages = forms.IntegerField(
        label=_("Pages, for the 信息处理费 by volume (empty: by item)"), min_value=1, required=False
    )
    note = forms.CharField(label=_("Internal note"), required=False)


class FeesForm(forms.Form):
    charged = forms.DecimalField(label=_("Fee charged (yuan)"), min_value=0, max_digits=10, decimal_places=2)
    waived = forms.DecimalField(label=_("Fee waived (yuan)"), min_value=0, max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Internal note"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("How the applicant asked to withdraw"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
