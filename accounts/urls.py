# Temporary names so that templates render while the accounts app is built; replaced by accounts/views.
from django.urls import path
from django.views.generic import TemplateView

app_name = "accounts"
_placeholder = TemplateView.as_view(template_name="core/index.html")
urlpatterns = [
    path("login/", _placeholder, name="login"),
    path("logout/", _placeholder, name="logout"),
    path("register/", _placeholder, name="register"),
    path("security/", _placeholder, name="security"),
    path("verify-email/", _placeholder, name="verify_email_pending"),
    path("two-factor/", _placeholder, name="otp_verify"),
    path("two-factor/setup/", _placeholder, name="otp_setup"),
]
