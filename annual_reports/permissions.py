"""Who may see or change annual reports: used by the views, the admin and the templates alike."""

from __future__ import annotations


def can_view_drafts(user) -> bool:
    """Staff who may view reports see drafts (with live figures) on the public pages too."""
    return bool(user and user.is_active and user.is_staff and user.has_perm("annual_reports.view_annualreport"))


def can_edit(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm("annual_reports.change_annualreport"))


def can_publish(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm("annual_reports.publish_annualreport"))
