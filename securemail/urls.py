"""The public's Securemail pages (the back office's inbox lives in casework)."""

from django.urls import path

from securemail import views

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
]
