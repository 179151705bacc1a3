from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import search_views, statistics_views, views

# (old app, new app, its models or None for all): the admin pages that moved with their models.
MOVED_ADMIN_PAGES = [
    ("disclosures", "core", ["calendarday"]),
    ("requests_app", "feedback", ["consultation", "complaint", "mailboxmessage", "mailbox", "survey"]),
    ("portal", "annual_reports", None),  # every page: portal keeps no admin models, its app page included
]

# The pages people read, in Chinese at their addresses and in English under /en/ (issue 18): each language has
# addresses of its own that can be linked and indexed (hreflang alternates in base.html). Feeds, sitemaps, the API,
# the admin and the health check have one address (portal.urls_public and below): their language, where they have
# one, follows the visitor's choice (portal.middleware.LocaleMiddleware).
urlpatterns = i18n_patterns(
    path("", views.home, name="home"),
    path("guide/", views.disclosure_guide, name="guide"),
    path("search/", search_views.search_page, name="search"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("statistics/<int:year>.csv", statistics_views.statistics_csv, name="statistics-csv"),
    path("", include("disclosures.urls")),
    path("apply/", include("requests_app.urls")),
    path("", include("feedback.urls")),
    path("reports/", include("annual_reports.urls")),
    prefix_default_language=False,
)
urlpatterns += [
    path("", include("portal.urls_public")),
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
