"""Public pages: the guide, the application form, the receipt, and the tracking page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import tracking
from core.uploads import STORAGE_FAILED_MESSAGE, STORAGE_RETRY_AFTER_SECONDS, StorageFailed, stored_file_response
from requests_app import notices, permissions, services
from requests_app.forms import ApplicationForm, ClarificationAnswerForm
from requests_app.models import (
    ApplicationEvent,
    ApplicationFile,
    ApplicationGuide,
    ApplicationState,
    DisclosureApplication,
    EventKind,
    FileRole,
    Notice,
)

RECEIPT_SESSION_KEY = "application_receipt"


@require_GET
def guide(request):
    return render(request, "requests_app/guide.html", {"guide": ApplicationGuide.current()})


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            try:
                submitted = services.application_submit(data=form.cleaned_data, files=form.cleaned_data["attachments"])
            except StorageFailed:
                # Nothing was filed (no row, no file, no number used); the form keeps what was typed.
                form.add_error(None, STORAGE_FAILED_MESSAGE)
                status = 503
            else:
                application = submitted.application
                permissions.grant_tracking(request, application)
                # The access code is shown once, on the receipt page that follows.
                request.session[RECEIPT_SESSION_KEY] = {
                    "number": application.tracking_number,
                    "code": submitted.access_code,
                }
                return redirect("requests_app:receipt", number=application.tracking_number)
    else:
        form = ApplicationForm(request=request)
    response = render(
        request,
        "requests_app/application_form.html",
        {
            "form": form,
            "guide": ApplicationGuide.current(),
            "retention_days": settings.APPLICATION_RETENTION_DAYS,
            "reply_days": settings.APPLICATION_REPLY_DAYS,
        },
        status=status,
    )
    if status == 503:
        response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
    return response


def _tracked(request, number: str) -> DisclosureApplication:
    application = get_object_or_404(
        DisclosureApplication.objects.prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id"))
        ),
        tracking_number=number,
    )
    if not permissions.can_track(request, application):
        raise Http404
    return application


@never_cache
@require_GET
def receipt(request, number):
    application = _tracked(request, number)
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    access_code = shown.get("code") if shown.get("number") == number else None
    if access_code:
        # Shown once: reloading the receipt no longer shows the code.
        del request.session[RECEIPT_SESSION_KEY]
    deadline = services.application_deadline(application)
    return render(
        request,
        "requests_app/application_receipt.html",
        {"application": application, "access_code": access_code, "deadline": deadline},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    return tracking.track_page(
        request,
        queryset=DisclosureApplication.objects.all(),
        grant=permissions.grant_tracking,
        status_url_name="requests_app:status",
        template="requests_app/track.html",
    )


@never_cache
@require_GET
def status(request, number):
    application = _tracked(request, number)
    calendar = services.application_calendar()
    deadline = services.application_deadline(application, calendar=calendar)
    events = [event for event in application.events.all() if event.public]
    files = list(application.files.all())
    clarification_request = None
    if application.state == ApplicationState.CLARIFICATION:
        clarification_request = next((e for e in reversed(events) if e.kind == EventKind.CLARIFICATION_REQUESTED), None)
    return render(
        request,
        "requests_app/application_status.html",
        {
            "application": application,
            "deadline": deadline,
            "events": events,
            "released": [f for f in files if f.role == FileRole.RELEASED],
            "own_files": [f for f in files if f.role != FileRole.RELEASED],
            "clarification_request": clarification_request,
            "answer_form": ClarificationAnswerForm() if clarification_request else None,
            "closures_stop_clock": settings.APPLICATION_CLOSURES_STOP_CLOCK,
            "notices": [n for n in application.notices.all() if n.public],
            "EventKind": EventKind,
        },
    )


@never_cache
@require_POST
def answer_clarification(request, number):
    application = _tracked(request, number)
    form = ClarificationAnswerForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            services.application_answer_clarification(
                application=application, text=form.cleaned_data["text"], files=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except StorageFailed:
            form.add_error(None, STORAGE_FAILED_MESSAGE)
            status = 503
        else:
            messages.success(request, _("Thank you: your answer has been received and the time limit restarts."))
            return redirect("requests_app:status", number=number)
    deadline = services.application_deadline(application)
    events = [event for event in application.events.all() if event.public]
    clarification_request = next((e for e in reversed(events) if e.kind == EventKind.CLARIFICATION_REQUESTED), None)
    files = list(application.files.all())
    response = render(
        request,
        "requests_app/application_status.html",
        {
            "application": application,
            "deadline": deadline,
            "events": events,
            "released": [f for f in files if f.role == FileRole.RELEASED],
            "own_files": [f for f in files if f.role != FileRole.RELEASED],
            "clarification_request": clarification_request,
            "answer_form": form,
            "closures_stop_clock": settings.APPLICATION_CLOSURES_STOP_CLOCK,
            "notices": [n for n in application.notices.all() if n.public],
        },
        status=status,
    )
    if status == 503:
        response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
    return response


@never_cache
@require_GET
def reply_letter(request, number):
    """The reply letter as a plain-text download (UTF-8)."""
    application = _tracked(request, number)
    if not application.reply_letter:
        raise Http404
    response = HttpResponse(
        ("\ufeff" + application.reply_letter).encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    filename = _("Reply letter %(number)s.txt") % {"number": application.tracking_number}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@never_cache
@require_GET
def file_download(request, number, pk):
    stored = get_object_or_404(
        ApplicationFile.objects.select_related("application"), pk=pk, application__tracking_number=number
    )
    if not permissions.can_download(request, stored):
        raise Http404
    if stored.role != FileRole.RELEASED:
        services.application_log_personal_data_view(
            application=stored.application, user=request.user, what=stored.original_name
        )
    return stored_file_response(
        request, lambda: stored.file.open("rb"), filename=stored.original_name, content_type=stored.content_type
    )


@never_cache
@require_GET
def notice_download(request, number, pk, fmt):
    """A formal notice as DOCX (to edit) or PDF (to send): the applicant's tracking session sees the notices
    addressed to them, handlers every notice."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    notice = get_object_or_404(Notice.objects.select_related("application"), pk=pk, application__tracking_number=number)
    staff = permissions.can_handle(request.user)
    if not (staff or (notice.public and permissions.can_track(request, notice.application))):
        raise Http404
    document = notices.notice_document(notice)
    if fmt == "pdf":
        body, content_type = document.pdf(), "application/pdf"
    else:
        body = document.docx()
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{notice.title}{notice.number}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def status_url(application: DisclosureApplication) -> str:
    return reverse("requests_app:status", kwargs={"number": application.tracking_number})
