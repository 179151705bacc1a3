"""Public forms of the feedback channels (all abuse-protected like the application form) and staff forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.abuse import AbuseProtectedFormMixin
from disclosures.models import Department
from disclosures.permissions import staff_with_permission
from feedback.models import Channel, ComplaintResult, FeedbackMessage, QuestionKind, Survey
from feedback.permissions import CHANNEL_PERMISSIONS


class MessageForm(AbuseProtectedFormMixin, forms.ModelForm):
    """A consultation (with the choice to publish), a complaint or a mailbox message."""

    abuse_scope = "feedback"
    consent = forms.BooleanField(label=_("I agree"), required=True)

    class Meta:
        model = FeedbackMessage
        fields = [
            "subject",
            "text",
            "subject_of_complaint",
            "name",
            "phone",
            "email",
            "publish_allowed",
            "name_published",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "name": _("Your name (optional)"),
            "publish_allowed": _("The question and the answer may be published on the message board"),
            "name_published": _("My name may be shown with my question on the board"),
        }
        help_texts = {
            "phone": _("Optional. Only the staff who answer see it."),
            "email": _("Optional. The reply is e-mailed to you; only the staff who answer see it."),
            "publish_allowed": _(
                "Your contact details are never published, nor are ID-card, phone or bank-card numbers in your text "
                "(the board masks them); your name only if you tick the next box."
            ),
        }

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel != Channel.CONSULTATION:
            del self.fields["publish_allowed"]
            del self.fields["name_published"]
        if channel != Channel.COMPLAINT:
            del self.fields["subject_of_complaint"]
        else:
            self.fields["subject_of_complaint"].required = True
            self.fields["subject_of_complaint"].help_text = _(
                "Which department, item or page of the disclosure work the complaint is about."
            )
            self.fields["text"].label = _("What happened")

    def abuse_contacts(self) -> list[str]:
        return [self.cleaned_data.get("phone", ""), self.cleaned_data.get("email", "")]

    def clean_phone(self):
        phone = "".join((self.cleaned_data.get("phone") or "").split())
        if not phone:
            return ""
        digits = phone.replace("-", "").replace("+", "")
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            raise ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        if len(text) < 5:
            raise ValidationError(_("Please describe your question in a few words more."))
        return text


class SurveyForm(AbuseProtectedFormMixin, forms.Form):
    """One field per question; the per-IP limit counts per survey."""

    def __init__(self, *args, survey: Survey, questions, **kwargs):
        self.abuse_scope = f"survey:{survey.pk}"
        self.survey = survey
        self.questions = list(questions)
        super().__init__(*args, **kwargs)
        for question in self.questions:
            name = self.field_name(question)
            if question.kind == QuestionKind.RATING:
                field = forms.TypedChoiceField(
                    choices=[(str(n), str(n)) for n in range(1, 6)], widget=forms.RadioSelect, coerce=str
                )
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(choices=[(c, c) for c in question.choice_list], widget=forms.RadioSelect)
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
            field.label = question.text
            field.required = question.required
            if question.kind == QuestionKind.RATING:
                field.help_text = _("1 = very dissatisfied, 5 = very satisfied")
            self.fields[name] = field

    @staticmethod
    def field_name(question) -> str:
        return f"q{question.pk}"

    def question_fields(self):
        return [self[self.field_name(q)] for q in self.questions]

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(self.field_name(q)) for q in self.questions}


# Staff forms (admin) ---------------------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    pass


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Staff member"), queryset=get_user_model().objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(active=True), required=False
    )
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, message: FeedbackMessage, **kwargs):
        super().__init__(*args, **kwargs)
        # Only staff who handle this channel (and so may read the sender's contact details) are offered.
        staff = staff_with_permission(CHANNEL_PERMISSIONS[message.channel])
        if message.channel == Channel.MAILBOX and message.mailbox_id:
            staff = staff.filter(Q(is_superuser=True) | Q(mailboxes=message.mailbox_id)).distinct()
        self.fields["assignee"].queryset = staff


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))
    result = forms.ChoiceField(
        label=_("Result (complaints)"), choices=[("", "---------"), *ComplaintResult.choices], required=False
    )
    publish = forms.BooleanField(label=_("Publish on the message board"), required=False)

    def __init__(self, *args, message, **kwargs):
        super().__init__(*args, **kwargs)
        if message.channel != Channel.COMPLAINT:
            del self.fields["result"]
        if not (message.channel == Channel.CONSULTATION and message.publish_allowed):
            del self.fields["publish"]


class CloseForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result (complaints)"), choices=[("", "---------"), *ComplaintResult.choices], required=False
    )
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, message, **kwargs):
        super().__init__(*args, **kwargs)
        if message.channel != Channel.COMPLAINT:
            del self.fields["result"]
        else:
            self.fields["result"].initial = message.result
