from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("consult/", views.consultation_form, name="consultation-form"),
    path("board/", views.board, name="board"),
    path("complaints/", views.complaint_form, name="complaint-form"),
    path("mailbox/", views.mailbox_list, name="mailbox-list"),
    path("mailbox/<slug:slug>/", views.mailbox_form, name="mailbox-form"),
    path("feedback/track/", views.track, name="track"),
    path("feedback/<str:number>/", views.status, name="status"),
    path("feedback/<str:number>/receipt/", views.receipt, name="receipt"),
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/<int:pk>/", views.survey_form, name="survey-form"),
    path("surveys/<int:pk>/thanks/", views.survey_thanks, name="survey-thanks"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey-results"),
]
