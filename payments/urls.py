from django.urls import path

from payments.providers.embedded import views as embedded
from payments.views import administrator, applicant, provider_messages, receipts

app_name = "payments"
urlpatterns = [
    path("<uuid:public_id>/", applicant.detail, name="detail"),
    path("<uuid:public_id>/resume/", applicant.resume, name="resume"),
    path("<uuid:public_id>/receipt/", receipts.receipt, name="receipt"),
    path("<uuid:public_id>/receipt.pdf", receipts.receipt_download, name="receipt_pdf"),
    path("admin/", administrator.payment_list, name="admin_payments"),
    path("admin/<uuid:public_id>/refund/", administrator.payment_refund_view, name="admin_refund"),
    path("admin/report.csv", administrator.daily_report, name="daily_report"),
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
