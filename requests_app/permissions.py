"""Who may see what of an application. Views, admin and templates ask here and nowhere else."""

from __future__ import annotations

from core import tracking
from disclosures.permissions import is_staff
from requests_app.models import PRIVATE_ROLES, ApplicationFile, DisclosureApplication

HANDLE_PERMISSION = "requests_app.handle_application"
# The staff groups (created by migrations 0003 and 0008).
HANDLER_GROUP = "依申请公开办理人员"
OFFICE_HEAD_GROUP = "信息公开办公室负责人"
SESSION_KEY = "tracked_applications"


def can_handle(user) -> bool:
    """Staff who handle applications: they see applicants' personal data and their ID proofs."""
    return is_staff(user) and user.has_perm(HANDLE_PERMISSION)


def can_see_personal_data(user) -> bool:
    return can_handle(user)


def grant_tracking(request, application: DisclosureApplication) -> None:
    """After a correct number + access code, this browser session may follow the application."""
    tracking.session_grant(request, session_key=SESSION_KEY, number=application.tracking_number)


def can_track(request, application: DisclosureApplication) -> bool:
    return tracking.session_granted(request, session_key=SESSION_KEY, number=application.tracking_number)


def can_download(request, stored: ApplicationFile) -> bool:
    """Released files: the applicant (tracking session) and handlers. ID proofs: handlers only."""
    if stored.role in PRIVATE_ROLES:
        return can_handle(request.user)
    return can_handle(request.user) or can_track(request, stored.application)
