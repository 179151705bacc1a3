from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control

from portal import campus_sso, feeds, public_views

app_name = "portal"

# The machine-readable addresses: one address each whatever the language (no /en/ twin), so that the links they
# hand out do not depend on who asked. The pages people read are in portal.urls, under i18n_patterns.

urlpatterns = [
    path("feeds/latest.rss", feeds.LatestFeed(), name="feed-rss"),
    path("feeds/latest.atom", feeds.LatestAtomFeed(), name="feed-atom"),
    path("feeds/<slug:slug>.rss", feeds.CategoryFeed(), name="category-feed-rss"),
    path("feeds/<slug:slug>.atom", feeds.CategoryAtomFeed(), name="category-feed-atom"),
    path(
        "sitemap.xml",
        cache_control(max_age=3600)(sitemap_views.index),
        {"sitemaps": public_views.SITEMAPS, "sitemap_url_name": "portal:sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        cache_control(max_age=3600)(sitemap_views.sitemap),
        {"sitemaps": public_views.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", public_views.robots_txt, name="robots"),
    path("favicon.ico", public_views.favicon, name="favicon"),
    path("healthz", public_views.healthz, name="healthz"),
    path("readyz", public_views.readyz, name="readyz"),
    path("api/v1/openapi.json", public_views.api_openapi, name="api-openapi"),
    path("api/v1/disclosure-items/", public_views.api_disclosure_items, name="api-disclosure-items"),
    path("api/v1/categories/", public_views.api_categories, name="api-categories"),
    path("api/v1/items/", public_views.api_items, name="api-items"),
    path("api/v1/search/", public_views.api_search, name="api-search"),
    path("api/v1/items/<str:index_number>/", public_views.api_item_detail, name="api-item-detail"),
    # Campus sign-in (portal.campus_sso): 404 unless PORTAL_SSO names the method.
    path("sso/login/", campus_sso.sign_in_view, name="sso-login"),
    path("sso/cas/callback/", campus_sso.cas_callback, name="sso-cas-callback"),
    path("sso/oidc/callback/", campus_sso.oidc_callback, name="sso-oidc-callback"),
    path("sso/logout/", campus_sso.sign_out_view, name="sso-logout"),
]
