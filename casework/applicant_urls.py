"""The applicant's casework URLs (namespace "cases"), included at "cases/"."""

from django.urls import path

from casework import applicant_securemail_views, applicant_views

app_name = "cases"
urlpatterns = [
    path("<int:application_id>/", applicant_views.detail, name="detail"),
    path("<int:application_id>/answer/", applicant_views.answer, name="answer"),
    path(
        "<int:application_id>/add-information/",
        applicant_views.add_information,
        name="add_information",
    ),
    path("<int:application_id>/withdraw/", applicant_views.withdraw, name="withdraw"),
    path(
        "<int:application_id>/secure-message/",
        applicant_securemail_views.new_message,
        name="secure_message",
    ),
]
