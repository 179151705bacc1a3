"""The public pages of the e-mail alerts: the form, the sent page, confirming and unsubscribing.

Confirming and unsubscribing are POSTs from a page the link opens (a mail scanner that follows links confirms
nothing); the unsubscribe address also takes a mail client's one-click POST (RFC 8058), which carries no CSRF
token: the token in the address is the proof."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from disclosures.alerts import services
from disclosures.alerts.forms import SubscriptionForm
from disclosures.alerts.models import Subscription
from disclosures.models import Category, DisclosureItem


def _target(request):
    """The category (``?category=slug``) or disclosure item (``?item=code``) to follow; 404 for neither."""
    params = request.POST if request.method == "POST" else request.GET
    if params.get("item"):
        item = get_object_or_404(DisclosureItem.objects.select_related("category"), code=params["item"], active=True)
        return None, item
    if params.get("category"):
        return get_object_or_404(Category, slug=params["category"]), None
    raise Http404("nothing to follow")


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    category, item = _target(request)
    form = SubscriptionForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        services.subscription_request(
            email=form.cleaned_data["email"],
            frequency=form.cleaned_data["frequency"],
            category=category,
            item=item,
            language=translation.get_language() or "zh-hans",
        )
        return redirect("disclosures:alert-sent")
    return render(request, "disclosures/alerts/subscribe.html", {"form": form, "category": category, "item": item})


@require_http_methods(["GET"])
def sent(request):
    return render(request, "disclosures/alerts/sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscription = get_object_or_404(Subscription.objects.select_related("category", "item"), token=token)
    if request.method == "POST":
        subscription = services.subscription_confirm(token=token)
        return render(request, "disclosures/alerts/confirmed.html", {"subscription": subscription})
    return render(request, "disclosures/alerts/confirm.html", {"subscription": subscription})


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        services.subscription_cancel(token=token)
        return render(request, "disclosures/alerts/unsubscribed.html")
    subscription = Subscription.objects.select_related("category", "item").filter(token=token).first()
    return render(request, "disclosures/alerts/unsubscribe.html", {"subscription": subscription})
