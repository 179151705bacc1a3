"""The staff side: the inbox of applications, their handling actions, the reply templates and the guide."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms import add_service_errors
from core.inbox import DueListFilter, HandlingAction, InboxAdmin, request_calendar
from core.uploads import STORAGE_FAILED_MESSAGE, StorageFailed
from disclosures.privacy import mask_name, mask_phone
from requests_app import forms as action_forms
from requests_app import permissions, services
from requests_app.deadlines import ClockState, working_days_remaining
from requests_app.models import (
    ApplicantType,
    ApplicationEvent,
    ApplicationGuide,
    ApplicationState,
    DisclosureApplication,
    EventKind,
    NoticeTemplate,
    RemedyBody,
    ReplyTemplate,
    ReviewCase,
)

State = ApplicationState


class DueFilter(DueListFilter):
    windows = {
        "overdue": (_("Overdue"), None, -1),
        "3": (_("Due within 3 working days"), 0, 3),
        "5": (_("Due within 5 working days"), 0, 5),
        "10": (_("Due within 10 working days"), 0, 10),
    }
    PAUSED = "paused"

    def lookups(self, request, model_admin):
        return [*super().lookups(request, model_admin), (self.PAUSED, _("Clock stopped or paused"))]

    def window(self, value):
        if value.isdigit():  # any number of days in the address: due within that many
            return 0, int(value)
        return super().window(value)

    def queryset(self, request, queryset):
        if self.value() == self.PAUSED:
            return queryset.clock_stopped()
        if self.value() and self.window(self.value()) is None:
            return queryset.none()  # a choice this filter does not know finds nothing
        return super().queryset(request, queryset)

    def closures(self) -> bool:
        return settings.APPLICATION_CLOSURES_STOP_CLOCK

    def due_within(self, queryset, *, fewest, most, calendar, today):
        return services.applications_due_within(queryset, fewest=fewest, most=most, calendar=calendar, today=today)


ACTIONS: dict[str, HandlingAction] = {
    "accept": HandlingAction(
        _("Accept"),
        action_forms.ConfirmForm,
        (State.SUBMITTED,),
        lambda a, u, d: services.application_accept(application=a, user=u),
        _("The application was accepted."),
    ),
    "assign": HandlingAction(
        _("Assign"),
        action_forms.AssignForm,
        (State.SUBMITTED, State.ACCEPTED, State.CLARIFICATION, State.CONSULTING, State.AWAITING_PAYMENT),
        lambda a, u, d: services.application_assign(
            application=a, user=u, department=d["department"], handler=d["handler"], note=d["note"]
        ),
        _("The application was assigned."),
    ),
    "clarify": HandlingAction(
        _("Ask for clarification"),
        action_forms.ClarifyForm,
        (State.SUBMITTED, State.ACCEPTED),
        lambda a, u, d: services.application_request_clarification(
            application=a, user=u, message=d["message"], due_on=d["due_on"]
        ),
        _("Clarification requested: the clock is stopped until the applicant answers."),
    ),
    "extend": HandlingAction(
        _("Extend the time limit"),
        action_forms.ExtendForm,
        (State.SUBMITTED, State.ACCEPTED, State.CONSULTING),
        lambda a, u, d: services.application_extend(
            application=a, user=u, days=d["days"], reason=d["reason"], approver=d["approver"]
        ),
        _("The time limit was extended and the applicant told."),
    ),
    "consult": HandlingAction(
        _("Consult a third party"),
        action_forms.ConsultStartForm,
        (State.SUBMITTED, State.ACCEPTED),
        lambda a, u, d: services.application_consult_start(
            application=a, user=u, third_party=d["third_party"], message=d["message"], days=d["days"]
        ),
        _("Consultation recorded: the clock is paused."),
    ),
    "consult-end": HandlingAction(
        _("Record the third party's answer"),
        action_forms.ConsultEndForm,
        (State.CONSULTING,),
        lambda a, u, d: services.application_consult_end(
            application=a, user=u, decision=d["decision"], answer=d["answer"]
        ),
        _("The answer was recorded: the clock runs again."),
    ),
    "reply": HandlingAction(
        _("Reply"),
        action_forms.ReplyForm,
        (State.SUBMITTED, State.ACCEPTED),
        lambda a, u, d: services.application_reply(
            application=a,
            user=u,
            outcome=d["outcome"],
            letter=d["letter"],
            reason_text=d["reason_text"],
            holder=d["holder"],
            holder_contact=d["holder_contact"],
            published_url=d["published_url"],
            files=[*d["staged"], *d["files"]],
        ),
        _("The reply was sent."),
    ),
    "fees": HandlingAction(
        _("Record fees"),
        action_forms.FeesForm,
        tuple(State.values),
        lambda a, u, d: services.application_record_fees(
            application=a, user=u, charged=d["charged"], waived=d["waived"], note=d["note"]
        ),
        _("Fees recorded."),
    ),
    "to-proactive": HandlingAction(
        _("Turn into a proactive item"),
        action_forms.ToProactiveForm,
        (State.REPLIED, State.CLOSED),
        lambda a, u, d: services.application_to_proactive(
            application=a, user=u, category=d["category"], department=d["department"]
        ),
        _("A draft proactive item was made from the reply: review and publish it in the catalogue."),
    ),
    "verify-identity": HandlingAction(
        _("Check the identity proof (own records)"),
        action_forms.VerifyIdentityForm,
        tuple(State.open_states()),
        lambda a, u, d: services.application_verify_identity(application=a, user=u, note=d["note"]),
        _("Identity proof checked."),
    ),
    "fee-notice": HandlingAction(
        _("Send a fee notice"),
        action_forms.FeeNoticeForm,
        (State.SUBMITTED, State.ACCEPTED),
        lambda a, u, d: services.application_fee_notice(
            application=a, user=u, amount=d["amount"], pages=d["pages"], note=d["note"]
        ),
        _("Fee notice sent: the clock is paused until payment."),
    ),
    "fee-paid": HandlingAction(
        _("Record the payment"),
        action_forms.ConfirmForm,
        (State.AWAITING_PAYMENT,),
        lambda a, u, d: services.application_fee_paid(application=a, user=u),
        _("Payment recorded: the clock runs again."),
    ),
    "note": HandlingAction(
        _("Add a note or message"),
        action_forms.NoteForm,
        tuple(State.values),
        lambda a, u, d: services.application_note(application=a, user=u, message=d["message"], public=d["public"]),
        _("Recorded."),
    ),
    "close": HandlingAction(
        _("Close"),
        action_forms.ConfirmForm,
        (State.REPLIED,),
        lambda a, u, d: services.application_close(application=a, user=u),
        _("The application was closed."),
    ),
    "withdraw": HandlingAction(
        _("Withdraw (applicant's request)"),
        action_forms.WithdrawForm,
        tuple(State.open_states()),
        lambda a, u, d: services.application_withdraw(application=a, user=u, reason=d["reason"]),
        _("The application was withdrawn."),
    ),
}


@admin.register(DisclosureApplication)
class DisclosureApplicationAdmin(InboxAdmin):
    list_display = [
        "tracking_number",
        "applicant_masked",
        "applicant_type",
        "state",
        "department",
        "handler",
        "received_on",
        "due_on",
        "remaining",
    ]
    list_filter = ["state", DueFilter, "department", "applicant_type"]
    list_select_related = ["department", "handler"]
    search_fields = ["tracking_number"]
    date_hierarchy = "submitted_at"
    list_per_page = 50
    due_columns = ("received_on", "due_on", "remaining")
    handling_actions = ACTIONS
    action_template = "admin/requests_app/application_action.html"
    action_unavailable = _("This cannot be done in the application's current state.")

    public_fields = [
        "tracking_number",
        "state",
        "deadline_summary",
        "handling",
        "applicant_type",
        "channel",
        "receipt_basis_on",
        "registered_by",
        "description",
        "own_records",
        "purpose",
        "info_form",
        "delivery",
        "fee_waiver_requested",
        "fee_waiver_reason",
        "department",
        "handler",
        "reply_summary",
        "fee_charged",
        "fee_waived",
        "notices_list",
        "timeline",
    ]
    personal_fields = [
        "name",
        "id_type",
        "id_number",
        "credit_code",
        "legal_representative",
        "contact_person",
        "phone",
        "email",
        "address",
        "consent_at",
        "personal_data_purged_at",
        "applicant_files",
    ]
    masked_fields = ["applicant_masked", "phone_masked"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")))
        )

    def has_add_permission(self, request):
        return False  # filed by the public online, or registered by handlers through register_view

    change_list_template = "admin/requests_app/application_change_list.html"

    def get_urls(self):
        return [
            path("register/", self.admin_site.admin_view(self.register_view), name="requests_app_application_register"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_register": permissions.can_handle(request.user)}
        placeholders = services.remedy_placeholders()
        if placeholders and request.method == "GET":
            self.message_user(
                request,
                _("The remedies in every notice still have placeholders to fill in (remedy bodies): %(names)s.")
                % {"names": "、".join(str(body.get_kind_display()) for body in placeholders)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def register_view(self, request):
        """Register an application received in person, by post, fax or e-mail (条例 art. 31): the same fields and
        checks as the online form; the tracking number and access code are shown once, to hand or post on."""
        if not permissions.can_handle(request.user):
            raise PermissionDenied
        status = 200
        if request.method == "POST":
            form = action_forms.OfflineApplicationForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    submitted = services.application_submit(
                        data=data,
                        files=data["attachments"],
                        channel=data["channel"],
                        receipt_basis_on=data["receipt_basis_on"],
                        registered_by=request.user,
                        scans=data["scans"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                except StorageFailed:
                    form.add_error(None, STORAGE_FAILED_MESSAGE)
                    status = 503
                else:
                    application = submitted.application
                    context = {
                        **self.admin_site.each_context(request),
                        "opts": self.opts,
                        "title": _("Application registered"),
                        "application": application,
                        "access_code": submitted.access_code,
                        "deadline": services.application_deadline(application),
                        "change_url": reverse("admin:requests_app_disclosureapplication_change", args=[application.pk]),
                    }
                    return TemplateResponse(request, "admin/requests_app/application_registered.html", context)
        else:
            form = action_forms.OfflineApplicationForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Register an application received offline"),
            "form": form,
        }
        return TemplateResponse(request, "admin/requests_app/application_register.html", context, status=status)

    def has_delete_permission(self, request, obj=None):
        return False  # records are kept; personal data is purged on the retention schedule

    def has_change_permission(self, request, obj=None):
        return False  # read-only page: every change goes through a handling action and its service

    def get_fieldsets(self, request, obj=None):
        applicant = self.personal_fields if permissions.can_see_personal_data(request.user) else self.masked_fields
        top = self.public_fields[:4] if permissions.can_handle(request.user) else self.public_fields[:3]
        return [
            (None, {"fields": top}),
            (_("Applicant"), {"fields": applicant}),
            (_("Request"), {"fields": self.public_fields[4:15]}),
            (_("Handling"), {"fields": self.public_fields[15:]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.public_fields + self.personal_fields + self.masked_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and permissions.can_see_personal_data(request.user):
            application = self.get_object(request, object_id)
            if application is not None:
                services.application_log_personal_data_view(application=application, user=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    # Columns ----------------------------------------------------------------------------------------------

    def calendar_closures(self) -> bool:
        return settings.APPLICATION_CLOSURES_STOP_CLOCK

    def row_due(self, obj, calendar):
        return services.application_deadline(obj, calendar=calendar)

    @admin.display(description=_("applicant"))
    def applicant_masked(self, obj):
        if obj.applicant_type == ApplicantType.ORGANISATION:
            return obj.name
        return mask_name(obj.name)

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("received on"))
    def received_on(self, obj, deadline, calendar):
        return deadline.received_on

    @admin.display(description=_("due on"))
    def due_on(self, obj, deadline, calendar):
        if deadline.due_on is None:
            return _("clock stopped") if deadline.clock == ClockState.STOPPED else _("clock paused")
        if deadline.provisional:
            return format_html(
                "{} <span title='{}'>({})</span>", deadline.due_on, _("no official holiday schedule"), _("provisional")
            )
        return deadline.due_on

    @admin.display(description=_("working days left"))
    def remaining(self, obj, deadline, calendar):
        if not obj.is_open or deadline.due_on is None:
            return "—"
        left = working_days_remaining(deadline.due_on, timezone.localdate(), calendar)
        if left < 0:
            return format_html('<strong class="overdue-flag">{}</strong>', _("%(days)s overdue") % {"days": -left})
        return left

    # Detail fields ----------------------------------------------------------------------------------------

    @admin.display(description=_("deadline"))
    def deadline_summary(self, obj):
        deadline = services.application_deadline(obj)
        parts = [str(_("Received on %(date)s.") % {"date": deadline.received_on})]
        if deadline.due_on:
            parts.append(str(_("Reply due by %(date)s.") % {"date": deadline.due_on}))
        elif deadline.clock == ClockState.STOPPED:
            parts.append(
                str(_("Clock stopped: clarification due by %(date)s.") % {"date": deadline.clarification_due_on})
            )
        else:
            parts.append(
                str(
                    _("Clock paused: %(days)s working days left when it resumes.")
                    % {"days": deadline.working_days_left}
                )
            )
        if deadline.extended_days:
            parts.append(str(_("Extended by %(days)s working days.") % {"days": deadline.extended_days}))
        if deadline.provisional:
            parts.append(str(_("Provisional: no official holiday schedule for part of this period.")))
        return " ".join(parts)

    @admin.display(description=_("actions"))
    def handling(self, obj):
        links = [
            (self.action_url(obj, name), action.label)
            for name, action in ACTIONS.items()
            if self.action_available(obj, name)
        ]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)

    @admin.display(description=_("reply"))
    def reply_summary(self, obj):
        if not obj.reply_kind:
            return "—"
        details = [obj.get_reply_outcome_display() or obj.get_reply_kind_display(), obj.get_reply_kind_display()]
        if obj.refusal_reason:
            details.append(obj.get_refusal_reason_display())
        if obj.reply_published_url:
            details.append(obj.reply_published_url)
        if obj.reply_holder_contact:
            details.append(obj.reply_holder_contact)
        if obj.reply_reason_text:
            details.append(obj.reply_reason_text)
        if obj.reply_holder:
            details.append(str(_("Holder: %(holder)s") % {"holder": obj.reply_holder}))
        return format_html("{}<pre class='pre-wrap'>{}</pre>", "; ".join(map(str, details)), obj.reply_letter)

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        rows = [
            (
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                event.get_kind_display(),
                _("public") if event.public else _("internal"),
                (event.actor.get_username() if event.actor else "—"),
                event.message
                + (f" ({event.days})" if event.days else "")
                + (f" [{event.approved_by}]" if event.approved_by else ""),
            )
            for event in obj.events.all()
            if event.kind not in (EventKind.PERSONAL_DATA_VIEWED, EventKind.FILE_DOWNLOADED)
        ]
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("notices"))
    def notices_list(self, obj):
        rows = [
            (
                notice.number,
                notice.title,
                reverse("requests_app:notice-download", args=[obj.tracking_number, notice.pk, "pdf"]),
                reverse("requests_app:notice-download", args=[obj.tracking_number, notice.pk, "docx"]),
            )
            for notice in obj.notices.all()
        ]
        if not rows:
            return "—"
        return format_html_join(mark_safe("<br>"), '{} {}: <a href="{}">PDF</a> · <a href="{}">DOCX</a>', rows)

    @admin.display(description=_("applicant's files"))
    def applicant_files(self, obj):
        links = [
            (
                reverse("requests_app:file-download", args=[obj.tracking_number, f.pk]),
                f.original_name,
                f.get_role_display(),
            )
            for f in obj.files.all()
        ]
        if not links:
            return "—"
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a> ({})', links)

    # Handling actions -------------------------------------------------------------------------------------

    def may_handle(self, request, obj) -> bool:
        return permissions.can_handle(request.user)

    def action_prefill(self, request, obj, name, form):
        if name != "reply" or form.cleaned_data["letter"].strip():
            return None
        # First step: fill the letter from the template; the handler reads, edits and sends it.
        data = form.cleaned_data
        values = request.POST.copy()
        # The files given now are kept for the second step (a file input cannot be filled in again).
        kept = " ".join(filter(None, [values.get("staged", ""), action_forms.stage_files(data["files"])]))
        values["staged"] = kept
        values["letter"] = services.reply_letter_render(
            application=obj,
            outcome=data["outcome"],
            reason=data["reason_text"],
            holder=data["holder"],
            holder_contact=data["holder_contact"],
            published_url=data["published_url"],
        )
        if kept:
            self.message_user(request, _("Check and edit the letter, then send: the files given are kept."))
        else:
            self.message_user(request, _("Check and edit the letter, attach the files, then send."))
        return ACTIONS[name].form(values)

    def _perform(self, request, obj, action, form):
        done = super()._perform(request, obj, action, form)
        if done:
            for path in getattr(form, "staged_paths", []):
                default_storage.delete(path)  # copied into the application's files
        return done

    def action_context(self, request, obj):
        return {
            "application": obj,
            "deadline": services.application_deadline(
                obj, calendar=request_calendar(request, closures=settings.APPLICATION_CLOSURES_STOP_CLOCK)
            ),
        }


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind"]


@admin.register(ApplicationGuide)
class ApplicationGuideAdmin(admin.ModelAdmin):
    list_display = ["__str__", "phone", "email", "updated_at"]

    def has_add_permission(self, request):
        return not ApplicationGuide.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    """The notices' texts: placeholders only (string.Template), so an edited template can run no code."""

    list_display = ["kind", "title"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RemedyBody)
class RemedyBodyAdmin(admin.ModelAdmin):
    list_display = ["kind", "name", "contact", "time_limit", "enabled", "placeholder"]
    list_editable = ["enabled"]

    @admin.display(description=_("still a placeholder"), boolean=True)
    def placeholder(self, obj):
        return obj.is_placeholder

    def has_add_permission(self, request):
        # One body per kind of remedy, seeded by a migration (requests_app 0012) and never deleted: nothing to add,
        # and no query on every admin page to count them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # disable a remedy instead


@admin.register(ReviewCase)
class ReviewCaseAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "filed_on", "body", "result", "decided_on"]
    list_filter = ["kind", "result"]
    search_fields = ["case", "body"]
    raw_id_fields = ["application"]
    date_hierarchy = "filed_on"
