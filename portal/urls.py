from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import views

# (old app, new app, its models or None for all): the admin pages that moved with their models.
MOVED_ADMIN_PAGES = [
    ("disclosures", "core", ["calendarday"]),
    ("requests_app", "feedback", ["consultation", "complaint", "mailboxmessage", "mailbox", "survey"]),
    ("portal", "annual_reports", None),  # every page: portal keeps no admin models, its app page included
]

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.disclosure_guide, name="guide"),
    path("", include("disclosures.urls")),
    path("", include("portal.urls_public")),
    path("apply/", include("requests_app.urls")),
    path("", include("feedback.urls")),
    path("reports/", include("annual_reports.urls")),
    # Choosing the language changes nothing but a preference cookie: no CSRF token, so pages stay cacheable.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("ckeditor5/", include("django_ckeditor_5.urls")),
    # Staff bookmarks of the admin pages of models that moved to an app of their own keep working.
    *[
        re_path(
            rf"^admin/{old}/(?P<page>{'(?:' + '|'.join(models) + ')/' if models else ''}.*)$",
            views.moved_admin_page,
            {"app": new},
        )
        for old, new, models in MOVED_ADMIN_PAGES
    ],
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
