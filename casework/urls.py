"""The back office's URLs (namespace "casework")."""

from django.urls import path

from casework import views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:application_id>/", views.case, name="case"),
    path("<int:application_id>/take/", views.take, name="take"),
    path("<int:application_id>/assign/", views.assign, name="assign"),
    path("<int:application_id>/notes/", views.add_note, name="add_note"),
    path(
        "<int:application_id>/request-supplement/",
        views.request_supplement,
        name="request_supplement",
    ),
    path("<int:application_id>/resume/", views.resume, name="resume"),
    path("<int:application_id>/seen/", views.mark_seen, name="mark_seen"),
    path("<int:application_id>/decide/", views.decide, name="decide"),
    path("<int:application_id>/close/", views.close, name="close"),
    path(
        "<int:application_id>/documents/<uuid:document_id>/",
        views.document,
        name="document",
    ),
]
