"""E-mail alerts: asking, confirming, leaving, and the digests the cron command sends.

Every mail carries the unsubscribe link and the List-Unsubscribe / List-Unsubscribe-Post headers (RFC 2369,
RFC 8058: a mail client's one-click unsubscribe POSTs to the same address). Only public items are mailed.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosures.alerts.models import Frequency, Subscription
from disclosures.models import Audience, Category, Disclosure, DisclosureItem

logger = logging.getLogger(__name__)

# An unconfirmed request is deleted (with its address) after this many days.
PENDING_DAYS = 7
DIGEST_ITEMS = 50
PERIOD = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(days=7)}


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def _links(subscription: Subscription) -> dict[str, str]:
    with translation.override(subscription.language):
        return {
            "confirm_url": _absolute(reverse("disclosures:alert-confirm", args=[subscription.token])),
            "unsubscribe_url": _absolute(reverse("disclosures:alert-unsubscribe", args=[subscription.token])),
        }


def _message(subscription: Subscription, template: str, subject: str, context: dict) -> EmailMultiAlternatives:
    links = _links(subscription)
    with translation.override(subscription.language):
        body = render_to_string(
            f"disclosures/alerts/{template}.txt",
            {"subscription": subscription, "site_name": _site_name(subscription), **links, **context},
        )
    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _site_name(subscription: Subscription) -> str:
    return settings.PORTAL_SITE_NAME_EN if subscription.language.startswith("en") else settings.PORTAL_SITE_NAME


def subscription_request(
    *, email: str, frequency: str, category: Category | None = None, item: DisclosureItem | None = None, language: str
) -> Subscription:
    """Ask to follow a category or an item: a pending subscription and a mail with its confirmation link.

    Asking again for the same address and target sends the link again (and may change the frequency); an
    address that already follows it gets a fresh confirmation mail only, which changes nothing until used.
    """
    if (category is None) == (item is None):
        raise ValueError("a subscription follows exactly one category or one disclosure item")
    email = email.strip()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            email__iexact=email,
            category=category,
            item=item,
            defaults={"email": email, "frequency": frequency, "language": language},
        )
        if not created and subscription.confirmed_at is None:
            subscription.frequency = frequency
            subscription.language = language
            subscription.save(update_fields=["frequency", "language"])
    with translation.override(subscription.language):
        subject = _("Please confirm your e-mail alert: %(target)s") % {"target": subscription.target_name}
        message = _message(subscription, "confirm", subject, {"frequency": frequency})
    transaction.on_commit(lambda: _send([message]))
    return subscription


def subscription_confirm(*, token: str) -> Subscription | None:
    """Confirm a pending subscription by its link; None for an unknown (or deleted) one."""
    subscription = Subscription.objects.filter(token=token).select_related("category", "item").first()
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        now = timezone.now()
        Subscription.objects.filter(pk=subscription.pk).update(confirmed_at=now, sent_until=now)
        subscription.confirmed_at = subscription.sent_until = now
    return subscription


def subscription_cancel(*, token: str) -> bool:
    """Unsubscribe: the row, and the address with it, is deleted. False when there was nothing to delete."""
    deleted, _rows = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def subscriptions_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests left unconfirmed for PENDING_DAYS (with their addresses)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=PENDING_DAYS)
    deleted, _rows = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def new_items(subscription: Subscription, *, until: datetime.datetime):
    """The public items published in the subscription's category or item since its last digest."""
    items = Disclosure.objects.published(now=until).filter(
        audience=Audience.PUBLIC, published_at__gt=subscription.sent_until, published_at__lte=until
    )
    if subscription.category_id:
        items = items.filter(category_id=subscription.category_id)
    else:
        items = items.filter(item_id=subscription.item_id)
    return items.with_relations().order_by("-published_at", "-id")


def digests_send(*, frequency: str, now: datetime.datetime | None = None, dry_run: bool = False) -> tuple[int, int]:
    """One digest per confirmed subscription of this frequency that is due (its period has passed since the
    last one) and has new public items. Returns (mails sent, subscriptions looked at)."""
    now = now or timezone.now()
    due_before = now - PERIOD[frequency] + datetime.timedelta(minutes=30)  # cron runs drift a little
    subscriptions = (
        Subscription.objects.confirmed()
        .filter(frequency=frequency, sent_until__lte=due_before)
        .select_related("category", "item")
        .order_by("pk")
    )
    messages, sent_ids, seen = [], [], 0
    for subscription in subscriptions.iterator(chunk_size=500):
        seen += 1
        items = list(new_items(subscription, until=now)[: DIGEST_ITEMS + 1])
        if not items:
            continue
        with translation.override(subscription.language):
            entries = [
                {
                    "title": item.title,
                    "date": timezone.localtime(item.published_at).date().isoformat(),
                    "department": item.department.display_name,
                    "url": _absolute(item.get_absolute_url()),
                }
                for item in items[:DIGEST_ITEMS]
            ]
            subject = _("New in %(target)s: %(count)s item(s)") % {
                "target": subscription.target_name,
                "count": len(entries),
            }
            context = {
                "entries": entries,
                "more": len(items) > DIGEST_ITEMS,
                "target_url": _absolute(subscription.target.get_absolute_url()),
            }
            messages.append(_message(subscription, "digest", subject, context))
        sent_ids.append(subscription.pk)
    if dry_run:
        return len(messages), seen
    if not _send(messages):
        return 0, seen  # nothing moves on: the next run sends these items again
    # Those with nothing new move on too, so that the next digest covers the next period only.
    subscriptions.update(sent_until=now)
    return len(messages), seen


def _send(messages: list) -> bool:
    """Send the mails; False (logged) when the mail server could not be reached."""
    if not messages:
        return True
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError:
        logger.exception("Could not send %d alert e-mail(s)", len(messages))
        return False
    return True
