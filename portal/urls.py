from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("disclosures.urls")),
    path("", include("portal.urls_public")),
    path("apply/", include("requests_app.urls")),
    path("", include("requests_app.feedback_urls")),
    path("reports/", include("portal.report_urls")),
    # Choosing the language changes nothing but a preference cookie: no CSRF token, so pages stay cacheable.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("ckeditor5/", include("django_ckeditor_5.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
