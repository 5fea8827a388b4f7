from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("<int:application_id>/", views.case, name="case"),
    path("<int:application_id>/section/<slug:section_key>/", views.section, name="section"),
    path("<int:application_id>/attachments/", views.attachments, name="attachments"),
    path(
        "<int:application_id>/attachments/<int:attachment_id>/remove/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("<int:application_id>/missing/", views.missing, name="missing"),
    path("<int:application_id>/review/", views.review, name="review"),
    path("<int:application_id>/delete/", views.delete_draft, name="delete_draft"),
]
