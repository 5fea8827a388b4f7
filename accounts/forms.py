"""Forms for registration, sign-in, codes, passwords and the security page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.addresses import email_normalize
from accounts.models import User
from core.forms import OneTimeCodeInput

CODE_MAX_LENGTH = 32
# Lazy, so that the rules are listed in the language of each request, not of the first import.
_password_rules = lazy(password_validation.password_validators_help_text_html, str)


def _code_field(label, help_text="", *, numeric=True):
    # OneTimeCodeInput never types a refused code back into the field.
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=CODE_MAX_LENGTH,
        widget=OneTimeCodeInput(numeric=numeric),
        error_messages={"required": _("Enter the code.")},
    )


class NormalisedEmailField(forms.EmailField):
    """An address in the one spelling that identifies an account (accounts.addresses)."""

    def to_python(self, value):
        return email_normalize(super().to_python(value))


def _email_field(label=None):
    return NormalisedEmailField(
        label=label or _("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter your email address in the form name@example.com."),
        },
    )


def _password_field(label, autocomplete="new-password", help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        # Validators give the clear message; this bound only stops a huge body being hashed.
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": _("Enter your password.")},
    )


def _language_field():
    return forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)


class NewPasswordMixin:
    """Two new-password fields that must match and pass the password validators."""

    password_user: User | None = None

    def clean(self):
        cleaned_data = super().clean()
        first = cleaned_data.get("new_password1")
        second = cleaned_data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, self.validation_user(cleaned_data))
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned_data

    def validation_user(self, cleaned_data) -> User | None:
        return self.password_user


def _new_password_fields():
    return (
        _password_field(_("New password"), help_text=_password_rules()),
        _password_field(_("New password again")),
    )


class RegistrationForm(NewPasswordMixin, forms.Form):
    email = _email_field()
    new_password1, new_password2 = _new_password_fields()
    preferred_language = _language_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Password")
        self.fields["new_password2"].label = _("Password again")

    def validation_user(self, cleaned_data):
        # Lets the similarity validator refuse a password that repeats the address.
        return User(email=cleaned_data.get("email") or "")


class SignInForm(forms.Form):
    # Named "username" because django-axes reads the attempted account from this field.
    username = _email_field()
    password = _password_field(_("Password"), autocomplete="current-password")


class EmailCodeForm(forms.Form):
    code = _code_field(_("Code"), _("The 8-digit code from the message we sent you."))


class SecondFactorForm(forms.Form):
    # Recovery codes hold letters: a digits-only keypad would keep them out.
    token = _code_field(
        _("Code"),
        _("The 6-digit code from your authenticator app, or one of your recovery codes."),
        numeric=False,
    )


class AuthenticatorCodeForm(forms.Form):
    token = _code_field(_("Code from the app"), _("The 6-digit code your authenticator app shows."))


class PasswordResetRequestForm(forms.Form):
    email = _email_field()


class SetNewPasswordForm(NewPasswordMixin, forms.Form):
    new_password1, new_password2 = _new_password_fields()

    def __init__(self, *args, user: User, **kwargs):
        self.password_user = user
        super().__init__(*args, **kwargs)


class PasswordChangeForm(NewPasswordMixin, forms.Form):
    current_password = _password_field(_("Current password"), autocomplete="current-password")
    new_password1, new_password2 = _new_password_fields()

    def __init__(self, *args, user: User, **kwargs):
        self.password_user = user
        super().__init__(*args, **kwargs)


class LanguageForm(forms.Form):
    preferred_language = _language_field()
