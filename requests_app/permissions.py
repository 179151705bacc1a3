"""Who may see what of an application. Views, admin and templates ask here and nowhere else."""

from __future__ import annotations

from disclosures.permissions import is_staff
from requests_app.models import PRIVATE_ROLES, ApplicationFile, DisclosureApplication

HANDLE_PERMISSION = "requests_app.handle_application"
SESSION_KEY = "tracked_applications"


def can_handle(user) -> bool:
    """Staff who handle applications: they see applicants' personal data and their ID proofs."""
    return is_staff(user) and user.has_perm(HANDLE_PERMISSION)


def can_see_personal_data(user) -> bool:
    return can_handle(user)


def grant_tracking(request, application: DisclosureApplication) -> None:
    """After a correct number + access code, this browser session may follow the application."""
    allowed = list(request.session.get(SESSION_KEY, []))
    if application.tracking_number not in allowed:
        allowed = (allowed + [application.tracking_number])[-10:]
    request.session[SESSION_KEY] = allowed


def can_track(request, application: DisclosureApplication) -> bool:
    return application.tracking_number in request.session.get(SESSION_KEY, [])


def can_download(request, stored: ApplicationFile) -> bool:
    """Released files: the applicant (tracking session) and handlers. ID proofs: handlers only."""
    if stored.role in PRIVATE_ROLES:
        return can_handle(request.user)
    return can_handle(request.user) or can_track(request, stored.application)
