"""Who may see or handle what in the feedback channels. Views, admin and templates ask here and nowhere else.

Contact details (name, phone, e-mail) are shown only to staff who handle the message's channel; complaints
and mailbox messages are never public; a mailbox's messages are read by its readers (and superusers).
"""

from __future__ import annotations

from core import tracking
from disclosures.permissions import is_staff
from feedback.models import Channel, FeedbackMessage

CHANNEL_PERMISSIONS = {
    Channel.CONSULTATION: "feedback.handle_consultation",
    Channel.COMPLAINT: "feedback.handle_complaint",
    Channel.MAILBOX: "feedback.handle_mailbox",
}
SESSION_KEY = "tracked_feedback"


def can_handle_channel(user, channel: str) -> bool:
    return is_staff(user) and user.has_perm(CHANNEL_PERMISSIONS[channel])


def mailbox_ids_for(user) -> list[int] | None:
    """The mailboxes whose messages this user reads; None means all of them (superusers)."""
    if user.is_superuser:
        return None
    return list(user.mailboxes.values_list("pk", flat=True))


def can_handle(user, message: FeedbackMessage) -> bool:
    if not can_handle_channel(user, message.channel):
        return False
    if message.channel == Channel.MAILBOX:
        allowed = mailbox_ids_for(user)
        return allowed is None or message.mailbox_id in allowed
    return True


def can_see_contact(user, message: FeedbackMessage) -> bool:
    return can_handle(user, message)


def grant_tracking(request, message: FeedbackMessage) -> None:
    """After a correct number + access code, this browser session may read the message and its reply."""
    tracking.session_grant(request, session_key=SESSION_KEY, number=message.tracking_number)


def can_track(request, message: FeedbackMessage) -> bool:
    return tracking.session_granted(request, session_key=SESSION_KEY, number=message.tracking_number)
