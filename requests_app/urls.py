from django.urls import path

from requests_app import views

app_name = "requests_app"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("new/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.status, name="status"),
    path("track/<str:number>/receipt/", views.receipt, name="receipt"),
    path("track/<str:number>/clarification/", views.answer_clarification, name="answer-clarification"),
    path("track/<str:number>/reply-letter/", views.reply_letter, name="reply-letter"),
    path("track/<str:number>/files/<int:pk>/", views.file_download, name="file-download"),
    path(
        "track/<str:number>/notices/<int:pk>.<str:fmt>",
        views.notice_download,
        name="notice-download",
    ),
]
