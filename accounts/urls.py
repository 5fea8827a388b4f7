"""Sign-in, registration, password reset, the security page and the development mailbox."""

from django.urls import path

from accounts.views import mailbox, password_reset, registration, security, signin

app_name = "accounts"
urlpatterns = [
    path("login/", signin.sign_in, name="login"),
    path("logout/", signin.sign_out, name="logout"),
    path("two-factor/", signin.otp_verify, name="otp_verify"),
    path("two-factor/setup/", signin.otp_setup, name="otp_setup"),
    path("register/", registration.register, name="register"),
    path("verify-email/", registration.verify_email_pending, name="verify_email_pending"),
    path("password-reset/", password_reset.reset_request, name="password_reset"),
    path("password-reset/code/", password_reset.reset_code, name="password_reset_code"),
    path("password-reset/new/", password_reset.reset_new_password, name="password_reset_new"),
    path("security/", security.security, name="security"),
    path("dev-mailbox/", mailbox.dev_mailbox, name="dev_mailbox"),
    path("dev-mailbox/<str:name>/", mailbox.dev_mailbox_message, name="dev_mailbox_message"),
]
