from django.urls import path

from disclosures import views
from disclosures.alerts import views as alert_views

app_name = "disclosures"

urlpatterns = [
    path("catalogue/", views.catalogue, name="category-list"),
    path("catalogue-list-2014/", views.moe_list, name="moe-list"),
    path("catalogue/<slug:slug>/", views.category_detail, name="category-detail"),
    path("catalogue/<slug:slug>/<str:code>/", views.disclosure_item_detail, name="disclosure-item-detail"),
    path("items/", views.disclosure_list, name="disclosure-list"),
    path("items/<str:index_number>/", views.disclosure_detail, name="disclosure-detail"),
    path("items/<str:index_number>/print/", views.disclosure_detail, {"print_view": True}, name="disclosure-print"),
    path("items/<str:index_number>/attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("alerts/new/", alert_views.subscribe, name="alert-subscribe"),
    path("alerts/sent/", alert_views.sent, name="alert-sent"),
    path("alerts/confirm/<str:token>/", alert_views.confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", alert_views.unsubscribe, name="alert-unsubscribe"),
    path("media/editor/<str:name>", views.editor_image, name="editor-image"),
    # Answers at the address django-ckeditor-5's widget posts to, checking the image before that view stores it.
    path("ckeditor5/image_upload/", views.editor_image_upload, name="editor-image-upload"),
]
