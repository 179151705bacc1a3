"""Public pages of the feedback channels: the forms, the receipt, the reply look-up, the message board, and
the evaluation surveys. Contact details never appear on any of these pages."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import tracking
from feedback import permissions, services, statistics
from feedback.forms import MessageForm, SurveyForm
from feedback.models import Channel, FeedbackMessage, Mailbox, Survey

RECEIPT_SESSION_KEY = "feedback_receipt"
SURVEY_COOKIE = "surveys_answered"
SURVEY_COOKIE_SALT = "requests_app.feedback.survey"
SURVEY_COOKIE_AGE = 3 * 365 * 86400

CHANNEL_PAGES = {
    Channel.CONSULTATION: "feedback/consultation_form.html",
    Channel.COMPLAINT: "feedback/complaint_form.html",
    Channel.MAILBOX: "feedback/mailbox_form.html",
}


def _message_form(request, *, channel: str, mailbox: Mailbox | None = None):
    if request.method == "POST":
        form = MessageForm(request.POST, request=request, channel=channel)
        if form.is_valid():
            try:
                submitted = services.message_submit(channel=channel, data=form.cleaned_data, mailbox=mailbox)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = submitted.message
                permissions.grant_tracking(request, message)
                request.session[RECEIPT_SESSION_KEY] = {
                    "number": message.tracking_number,
                    "code": submitted.access_code,
                }
                return redirect("feedback:receipt", number=message.tracking_number)
    else:
        form = MessageForm(request=request, channel=channel)
    context = {
        "form": form,
        "mailbox": mailbox,
        "channel": channel,
        "reply_days": services.reply_days(channel),
    }
    return render(request, CHANNEL_PAGES[channel], context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_form(request):
    return _message_form(request, channel=Channel.CONSULTATION)


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    return _message_form(request, channel=Channel.COMPLAINT)


@require_GET
def mailbox_list(request):
    return render(request, "feedback/mailbox_list.html", {"mailboxes": Mailbox.objects.filter(active=True)})


@never_cache
@require_http_methods(["GET", "POST"])
def mailbox_form(request, slug):
    mailbox = get_object_or_404(Mailbox, slug=slug, active=True)
    return _message_form(request, channel=Channel.MAILBOX, mailbox=mailbox)


def _tracked(request, number: str) -> FeedbackMessage:
    message = get_object_or_404(FeedbackMessage.objects.select_related("mailbox"), tracking_number=number)
    if not permissions.can_track(request, message):
        raise Http404
    return message


@never_cache
@require_GET
def receipt(request, number):
    message = _tracked(request, number)
    shown = request.session.get(RECEIPT_SESSION_KEY) or {}
    access_code = shown.get("code") if shown.get("number") == number else None
    if access_code:
        del request.session[RECEIPT_SESSION_KEY]  # shown once
    return render(
        request,
        "feedback/receipt.html",
        {"message": message, "access_code": access_code, "due": services.message_due(message)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    return tracking.track_page(
        request,
        queryset=FeedbackMessage.objects.all(),
        grant=permissions.grant_tracking,
        status_url_name="feedback:status",
        template="feedback/track.html",
    )


@never_cache
@require_GET
def status(request, number):
    message = _tracked(request, number)
    return render(request, "feedback/status.html", {"message": message, "due": services.message_due(message)})


@require_GET
def board(request):
    query = (request.GET.get("q") or "").strip()[:100]
    messages = (
        services.board_search(FeedbackMessage.objects.on_board(), query)
        .only(
            "tracking_number",
            "subject",
            "text",
            "reply",
            "name",
            "name_published",
            "submitted_at",
            "replied_at",
            "published_at",
        )
        .order_by("-published_at", "-id")
    )
    page_obj = Paginator(messages, settings.FEEDBACK_BOARD_PER_PAGE).get_page(request.GET.get("page"))
    # What the board shows of each message: numbers and the asker's name masked (services.board_entry).
    page_obj.object_list = [(message, services.board_entry(message)) for message in page_obj.object_list]
    return render(
        request,
        "feedback/board.html",
        {"page_obj": page_obj, "query": query, "querystring": urlencode({"q": query}) if query else ""},
    )


# Surveys ---------------------------------------------------------------------------------------------------


def answered_surveys(request) -> set[int]:
    try:
        value = request.get_signed_cookie(SURVEY_COOKIE, default="", salt=SURVEY_COOKIE_SALT)
    except signing.BadSignature:
        return set()
    return {int(part) for part in value.split(",") if part.isdigit()}


def _visible_survey(request, pk) -> Survey:
    return get_object_or_404(Survey.objects.visible_to(request).filter(active=True), pk=pk)


@require_GET
def survey_list(request):
    today = timezone.localdate()
    surveys = Survey.objects.visible_to(request).filter(active=True)
    return render(
        request,
        "feedback/survey_list.html",
        {
            "open_surveys": list(surveys.open_on(today)),
            "published": list(surveys.filter(results_published=True)),
            "answered": answered_surveys(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request, pk):
    survey = _visible_survey(request, pk)
    questions = list(survey.questions.all())
    context = {"survey": survey, "is_open": survey.is_open_on(timezone.localdate())}
    if survey.pk in answered_surveys(request):
        context["already"] = True
        return render(request, "feedback/survey_form.html", context, status=409 if request.POST else 200)
    if not context["is_open"]:
        return render(request, "feedback/survey_form.html", context)
    if request.method == "POST":
        form = SurveyForm(request.POST, request=request, survey=survey, questions=questions)
        if form.is_valid():
            try:
                services.survey_respond(survey=survey, values=form.answers())
            except ValidationError as error:
                for key, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                    question = next((q for q in questions if q.pk == key), None)
                    form.add_error(form.field_name(question) if question else None, errors)
            else:
                response = redirect("feedback:survey-thanks", pk=survey.pk)
                done = sorted(answered_surveys(request) | {survey.pk})[-200:]
                response.set_signed_cookie(
                    SURVEY_COOKIE,
                    ",".join(map(str, done)),
                    salt=SURVEY_COOKIE_SALT,
                    max_age=SURVEY_COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
                return response
    else:
        form = SurveyForm(request=request, survey=survey, questions=questions)
    context["form"] = form
    return render(request, "feedback/survey_form.html", context, status=400 if form.errors else 200)


@require_GET
def survey_thanks(request, pk):
    survey = _visible_survey(request, pk)
    return render(request, "feedback/survey_thanks.html", {"survey": survey})


@require_GET
def survey_results(request, pk):
    survey = _visible_survey(request, pk)
    if not survey.results_published:
        raise Http404
    results = statistics.survey_results(survey=survey, charts=True)
    return render(request, "feedback/survey_results.html", {"survey": survey, "results": results})
