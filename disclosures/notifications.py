"""E-mail notices of the publishing workflow, sent through settings.EMAIL_BACKEND after the change commits.

Reviewers (and, where the department asks for their approval, its heads) hear when something is
submitted; the department's editor hears when an item is returned or
published. Notices are written in the site's default language. A failing mail server is logged and never
undoes the workflow step.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _admin_url(disclosure) -> str:
    return settings.PORTAL_BASE_URL + reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])


def reviewer_addresses() -> list[str]:
    User = get_user_model()
    users = User.objects.filter(is_active=True, is_staff=True).exclude(email="")
    users = users.filter(
        Q(groups__permissions__codename="review_disclosure", groups__permissions__content_type__app_label="disclosures")
        | Q(
            user_permissions__codename="review_disclosure",
            user_permissions__content_type__app_label="disclosures",
        )
    )
    return sorted(set(users.values_list("email", flat=True)))


def head_addresses(disclosure) -> list[str]:
    """The department heads who give the department's approval to this item."""
    User = get_user_model()
    users = User.objects.filter(
        is_active=True,
        is_staff=True,
        department_memberships__department=disclosure.department_id,
        groups__permissions__codename="endorse_disclosure",
        groups__permissions__content_type__app_label="disclosures",
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def editor_addresses(disclosure) -> list[str]:
    users = [disclosure.created_by, disclosure.submitted_by]
    revision = disclosure.revisions.order_by("-updated_at").first()
    if revision is not None:
        users += [revision.created_by, revision.submitted_by]
    return sorted({user.email for user in users if user is not None and user.is_active and user.email})


def _send(recipients: list[str], subject: str, body: str) -> None:
    if not recipients:
        return
    try:
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients], fail_silently=False
        )
    except Exception:  # a mail server problem must not break the workflow, which has already committed
        logger.exception("Could not send the notice %r", subject)


def notify_submitted(*, disclosure) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("For review: %(title)s") % {"title": disclosure.title}
        body = _(
            "%(department)s submitted “%(title)s” (%(number)s) for the confidentiality review and release "
            "approval.\n\nReview it here: %(url)s"
        ) % {
            "department": disclosure.department.name,
            "title": disclosure.title,
            "number": disclosure.index_number,
            "url": _admin_url(disclosure),
        }
        recipients = reviewer_addresses()
        if disclosure.needs_endorsement:
            recipients = sorted(set(recipients) | set(head_addresses(disclosure)))
        _send(recipients, subject, body)


def notify_returned(*, disclosure, comment: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Returned for changes: %(title)s") % {"title": disclosure.title}
        body = _(
            "The disclosure office returned “%(title)s” (%(number)s) with these comments:\n\n%(comment)s\n\n"
            "Change it here and submit it again: %(url)s"
        ) % {
            "title": disclosure.title,
            "number": disclosure.index_number,
            "comment": comment,
            "url": _admin_url(disclosure),
        }
        _send(editor_addresses(disclosure), subject, body)


def notify_published(*, disclosure) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Published: %(title)s") % {"title": disclosure.title}
        body = _("“%(title)s” (%(number)s) is now published: %(url)s") % {
            "title": disclosure.title,
            "number": disclosure.index_number,
            "url": settings.PORTAL_BASE_URL + disclosure.get_absolute_url(),
        }
        _send(editor_addresses(disclosure), subject, body)
