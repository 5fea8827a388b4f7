"""The back office's URLs (namespace "casework")."""

from django.urls import path

from casework import securemail_views, views

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
    # The secure inbox of the caseworker's units.
    path("securemail/", securemail_views.inbox, name="securemail_inbox"),
    path(
        "securemail/<uuid:conversation_id>/",
        securemail_views.conversation,
        name="securemail_conversation",
    ),
    path(
        "securemail/<uuid:conversation_id>/assign/",
        securemail_views.assign,
        name="securemail_assign",
    ),
    path(
        "securemail/<uuid:conversation_id>/link-case/",
        securemail_views.link_case,
        name="securemail_link_case",
    ),
    path(
        "securemail/<uuid:conversation_id>/close/",
        securemail_views.close,
        name="securemail_close",
    ),
    path(
        "securemail/<uuid:conversation_id>/reopen/",
        securemail_views.reopen,
        name="securemail_reopen",
    ),
    path(
        "securemail/<uuid:conversation_id>/files/<uuid:attachment_id>/",
        securemail_views.attachment,
        name="securemail_attachment",
    ),
]
