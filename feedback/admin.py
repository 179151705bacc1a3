"""The staff side of the feedback channels: one inbox per channel (consultations, complaints, mailbox
messages) with states, assignment, internal notes, working-day due dates and an overdue filter; the
mailboxes; the surveys with their results, charts and exports. Every change goes through feedback_services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import exports
from core.inbox import DueListFilter, HandlingAction, InboxAdmin, request_calendar
from disclosures.permissions import staff_with_permission
from disclosures.privacy import mask_email, mask_name, mask_phone
from feedback import forms as action_forms
from feedback import permissions, services, statistics
from feedback.models import (
    Channel,
    Complaint,
    Consultation,
    FeedbackEventKind,
    Mailbox,
    MailboxMessage,
    MessageState,
    Survey,
    SurveyQuestion,
)

State = MessageState


class DueFilter(DueListFilter):
    windows = {"overdue": (_("Overdue"), None, -1), "2": (_("Due within 2 working days"), 0, 2)}

    def due_within(self, queryset, *, fewest, most, calendar, today):
        return services.messages_due_within(queryset, fewest=fewest, most=most, calendar=calendar, today=today)


@dataclass(frozen=True)
class Action(HandlingAction):
    needs_message: bool = False  # the form takes message=
    channels: tuple[str, ...] = tuple(Channel.values)
    when: Any = None  # extra condition on the message


OPEN = tuple(State.open_states())
ACTIONS: dict[str, Action] = {
    "start": Action(
        _("Start handling"),
        action_forms.ConfirmForm,
        (State.NEW,),
        lambda m, u, d: services.message_start(message=m, user=u),
        _("The message is being handled."),
    ),
    "assign": Action(
        _("Assign"),
        action_forms.AssignForm,
        OPEN,
        lambda m, u, d: services.message_assign(
            message=m, user=u, assignee=d["assignee"], department=d["department"], note=d["note"]
        ),
        _("The message was assigned."),
        needs_message=True,
    ),
    "answer": Action(
        _("Answer"),
        action_forms.AnswerForm,
        OPEN,
        lambda m, u, d: services.message_answer(
            message=m, user=u, reply=d["reply"], publish=d.get("publish", False), result=d.get("result", "")
        ),
        _("The reply was recorded and the sender can read it."),
        needs_message=True,
    ),
    "publish": Action(
        _("Publish on the board"),
        action_forms.ConfirmForm,
        (State.ANSWERED, State.CLOSED),
        lambda m, u, d: services.message_publish(message=m, user=u),
        _("The message is on the board."),
        channels=(Channel.CONSULTATION,),
        when=lambda m: m.publish_allowed and not m.is_published,
    ),
    "unpublish": Action(
        _("Remove from the board"),
        action_forms.NoteForm,
        (State.ANSWERED, State.CLOSED),
        lambda m, u, d: services.message_unpublish(message=m, user=u, note=d["note"]),
        _("The message was removed from the board."),
        channels=(Channel.CONSULTATION,),
        when=lambda m: m.is_published,
    ),
    "note": Action(
        _("Add an internal note"),
        action_forms.NoteForm,
        tuple(State.values),
        lambda m, u, d: services.message_note(message=m, user=u, note=d["note"]),
        _("Recorded."),
    ),
    "close": Action(
        _("Close"),
        action_forms.CloseForm,
        (State.NEW, State.IN_PROGRESS, State.ANSWERED),
        lambda m, u, d: services.message_close(message=m, user=u, note=d["note"], result=d.get("result", "")),
        _("The message was closed."),
        needs_message=True,
        when=lambda m: m.channel != Channel.CONSULTATION or m.state == State.ANSWERED,
    ),
}


def available_actions(message) -> list[tuple[str, Action]]:
    return [
        (name, action)
        for name, action in ACTIONS.items()
        if message.state in action.states
        and message.channel in action.channels
        and (action.when is None or action.when(message))
    ]


def survey_export_name() -> str:
    return gettext("Survey responses")


class FeedbackInboxAdmin(InboxAdmin):
    """One inbox; subclassed per channel."""

    channel: str = ""
    list_display = [
        "tracking_number",
        "subject",
        "sender_masked",
        "state",
        "assignee",
        "received_on",
        "due_on",
        "overdue",
    ]
    list_filter = ["state", DueFilter, "assignee", "department"]
    list_select_related = ["assignee", "department", "mailbox"]
    search_fields = ["tracking_number", "subject"]
    date_hierarchy = "submitted_at"
    list_per_page = 50
    due_columns = ("due_on", "overdue")
    handling_actions = ACTIONS
    action_template = "admin/feedback/message_action.html"
    action_unavailable = _("This cannot be done in the message's current state.")

    top_fields = ["tracking_number", "state", "due_summary", "handling"]
    message_fields = ["mailbox", "subject", "subject_of_complaint", "text", "publish_allowed", "name_published"]
    contact_fields = ["name", "phone", "email", "contact_purged_at"]
    masked_fields = ["sender_masked", "phone_masked", "email_masked"]
    handling_fields = [
        "department",
        "assignee",
        "reply",
        "replied_at",
        "result",
        "published_at",
        "closed_at",
        "timeline",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("events__actor")
        if self.channel == Channel.MAILBOX:
            allowed = permissions.mailbox_ids_for(request.user)
            if allowed is not None:
                queryset = queryset.filter(mailbox_id__in=allowed)
        return queryset

    # Permissions: the channel's handling permission opens the inbox; changes go through actions only.
    def has_module_permission(self, request):
        return permissions.can_handle_channel(request.user, self.channel)

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return permissions.can_handle(request.user, obj)
        return permissions.can_handle_channel(request.user, self.channel)

    def has_add_permission(self, request):
        return False  # messages come from the public forms

    def has_change_permission(self, request, obj=None):
        return False  # read-only page: every change is a handling action through the services

    def has_delete_permission(self, request, obj=None):
        return False  # kept for the annual report's counts

    def get_fieldsets(self, request, obj=None):
        sender = self.contact_fields if obj and permissions.can_see_contact(request.user, obj) else self.masked_fields
        fields = [f for f in self.message_fields if self.channel == Channel.MAILBOX or f != "mailbox"]
        if self.channel != Channel.COMPLAINT:
            fields = [f for f in fields if f != "subject_of_complaint"]
        if self.channel != Channel.CONSULTATION:
            fields = [f for f in fields if f not in ("publish_allowed", "name_published")]
        handling = [f for f in self.handling_fields if self.channel == Channel.COMPLAINT or f != "result"]
        if self.channel != Channel.CONSULTATION:
            handling = [f for f in handling if f != "published_at"]
        return [
            (None, {"fields": self.top_fields}),
            (_("Message"), {"fields": fields}),
            (_("Sender"), {"fields": sender}),
            (_("Handling"), {"fields": handling}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.top_fields + self.message_fields + self.contact_fields + self.masked_fields + self.handling_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            message = self.get_object(request, object_id)
            if message is not None and permissions.can_see_contact(request.user, message):
                services.message_log_contact_view(message=message, user=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    # Columns ----------------------------------------------------------------------------------------------

    def row_due(self, obj, calendar):
        return services.message_due(obj, calendar=calendar)

    @admin.display(description=_("sender"))
    def sender_masked(self, obj):
        return mask_name(obj.name) or "—"

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone) or "—"

    @admin.display(description=_("e-mail"))
    def email_masked(self, obj):
        return mask_email(obj.email) or "—"

    @admin.display(description=_("received on"))
    def received_on(self, obj):
        return timezone.localdate(obj.submitted_at)

    @admin.display(description=_("due on"))
    def due_on(self, obj, due, calendar):
        if due.provisional:
            return format_html("{} ({})", due.date, _("provisional"))
        return due.date

    @admin.display(description=_("overdue"))
    def overdue(self, obj, due, calendar):
        late = services.message_overdue_days(obj, calendar=calendar)
        if late:
            return format_html('<strong class="overdue-flag">{}</strong>', _("%(days)s working days") % {"days": late})
        return "—"

    @admin.display(description=_("due"))
    def due_summary(self, obj):
        due = services.message_due(obj)
        text = _("Reply due by %(date)s (%(days)s working days).") % {
            "date": due.date,
            "days": services.reply_days(obj.channel),
        }
        return text

    @admin.display(description=_("actions"))
    def handling(self, obj):
        links = [(self.action_url(obj, name), action.label) for name, action in available_actions(obj)]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links) or "—"

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        rows = [
            (
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                event.get_kind_display(),
                event.actor.get_username() if event.actor else "—",
                event.note,
            )
            for event in obj.events.all()
            if event.kind != FeedbackEventKind.PERSONAL_DATA_VIEWED
        ]
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    # Handling actions -------------------------------------------------------------------------------------

    def may_handle(self, request, obj) -> bool:
        return permissions.can_handle(request.user, obj)

    def action_available(self, obj, name) -> bool:
        return name in dict(available_actions(obj))

    def action_form(self, action, obj, data=None, files=None):
        return action.form(data, **({"message": obj} if action.needs_message else {}))

    def action_context(self, request, obj):
        return {"message": obj, "due": services.message_due(obj, calendar=request_calendar(request))}


@admin.register(Consultation)
class ConsultationAdmin(FeedbackInboxAdmin):
    channel = Channel.CONSULTATION
    list_display = [*FeedbackInboxAdmin.list_display, "on_board"]
    handling_fields = [
        *FeedbackInboxAdmin.handling_fields[:-1],
        "board_masking",
        FeedbackInboxAdmin.handling_fields[-1],
    ]

    @admin.display(description=_("masked on the board"))
    def board_masking(self, obj):
        """What the public board masks in this message (the asker's name, numbers, e-mail addresses)."""
        masked = services.board_entry(obj).masked
        if not masked:
            return _("Nothing: the board shows the question and the answer as written.")
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>", masked),
        )

    @admin.display(description=_("on the board"), boolean=True)
    def on_board(self, obj):
        return obj.is_published


@admin.register(Complaint)
class ComplaintAdmin(FeedbackInboxAdmin):
    channel = Channel.COMPLAINT
    list_display = [*FeedbackInboxAdmin.list_display, "result"]
    list_filter = [*FeedbackInboxAdmin.list_filter, "result"]


@admin.register(MailboxMessage)
class MailboxMessageAdmin(FeedbackInboxAdmin):
    channel = Channel.MAILBOX
    list_display = ["tracking_number", "mailbox", *FeedbackInboxAdmin.list_display[1:]]
    list_filter = ["mailbox", *FeedbackInboxAdmin.list_filter]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "active", "order", "reader_count"]
    list_editable = ["active", "order"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["readers"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("readers")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "readers":  # only staff who may read mailbox messages at all are offered, or accepted
            kwargs["queryset"] = staff_with_permission(permissions.CHANNEL_PERMISSIONS[Channel.MAILBOX])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("readers"))
    def reader_count(self, obj):
        return len(obj.readers.all())

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.messages.exists():
            return False  # a box with messages is closed, not deleted: the counts stay in the report
        return super().has_delete_permission(request, obj)


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 3
    fields = ["order", "kind", "text", "choices", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts_on",
        "ends_on",
        "audience",
        "active",
        "results_published",
        "response_count",
        "results_link",
    ]
    list_filter = ["active", "audience"]
    search_fields = ["title"]
    inlines = [SurveyQuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(response_total=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_total")
    def response_count(self, obj):
        return obj.response_total

    @admin.display(description=_("results"))
    def results_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:feedback_survey_results", args=[obj.pk]), _("Results"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/results/", view(self.results_view), name="feedback_survey_results"),
            path("<int:pk>/export.csv", view(self.export_csv), name="feedback_survey_export_csv"),
            path("<int:pk>/export.xlsx", view(self.export_xlsx), name="feedback_survey_export_xlsx"),
            *super().get_urls(),
        ]

    def _survey(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Survey, pk=pk)

    def results_view(self, request, pk):
        survey = self._survey(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "survey": survey,
            "results": statistics.survey_results(survey=survey, charts=True),
            "opts": self.model._meta,
            "title": _("Results: %(title)s") % {"title": survey.title},
            "show_texts": True,
        }
        return TemplateResponse(request, "admin/feedback/survey_results.html", context)

    def export_csv(self, request, pk):
        """Streamed: the rows are read and sent a batch at a time."""
        survey = self._survey(request, pk)
        return exports.csv_response(services.survey_export_rows(survey), f"{survey_export_name()}-{survey.pk}.csv")

    def export_xlsx(self, request, pk):
        """Written row by row (write-only workbook) into a temporary file, then sent from it."""
        survey = self._survey(request, pk)
        return exports.xlsx_response(
            services.survey_export_workbook(survey=survey), f"{survey_export_name()}-{survey.pk}.xlsx"
        )
