from django.urls import path

from payments.providers.embedded import views as embedded
from payments.views import administrator, applicant, provider_messages

app_name = "payments"
urlpatterns = [
    path("<uuid:public_id>/", applicant.detail, name="detail"),
    path("<uuid:public_id>/resume/", applicant.resume, name="resume"),
    path("return/<slug:provider>/<slug:kind>/", provider_messages.provider_return, name="return"),
    path(
        "callback/<slug:provider>/<slug:kind>/",
        provider_messages.provider_callback,
        name="callback",
    ),
    path("embedded/<uuid:public_id>/", embedded.pay, name="embedded_pay"),
    path("fees/", administrator.fee_list, name="fees"),
    path("fees/new/", administrator.fee_new, name="fee_new"),
    path("fees/<int:fee_id>/", administrator.fee_edit, name="fee_edit"),
]
