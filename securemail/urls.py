"""The public's Securemail pages (the back office's inbox lives in casework)."""

from django.urls import path

from securemail import admin_views, views

app_name = "securemail"
urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/", views.new, name="new"),
    path("messages/<uuid:conversation_id>/", views.conversation, name="conversation"),
    path("messages/<uuid:conversation_id>/sent/", views.sent, name="sent"),
    path(
        "messages/<uuid:conversation_id>/files/<uuid:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("sign-out/", views.sign_out, name="sign_out"),
    # The administrators' topic page (role-checked; the public pages above need no account).
    path("topics/", admin_views.topic_list, name="topics"),
    path("topics/new/", admin_views.topic_new, name="topic_new"),
    path("topics/<int:topic_id>/", admin_views.topic_edit, name="topic_edit"),
]
