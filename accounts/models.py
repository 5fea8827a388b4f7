"""Users: applicants, caseworkers and administrators, signed in by email address."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.addresses import email_normalize

# Defined in their own modules; imported here so that Django finds the models in this app.
from accounts.authenticators import AuthenticatorDevice  # noqa: F401
from accounts.sessions import Session  # noqa: F401

# Defined in core (beside role_required) so that lower layers can name a role; kept importable here.
from core.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=email_normalize(username))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email_normalize(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    # Staff only: colleagues see caseworkers by name (assignee lists, notes, messages). The name
    # of an official acting in office is public; applicants are never asked for one here.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=5, blank=True)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Bumped by "sign out of all sessions": every session's auth hash then stops matching.
    session_generation = models.PositiveIntegerField(_("session generation"), default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Never the address: str(user) ends up in logs and admin history.
        return f"user #{self.pk}"

    def clean(self):
        super().clean()
        self.email = email_normalize(self.email)

    # Rotation: checked against each fallback key too, and the session's hash is then upgraded to
    # the current key (auth.get_user, accounts.middleware), so nobody is signed out by a rotation.
    def get_session_auth_hash(self):
        return self._session_auth_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        # Django's own yields its default hash (the password alone), which never matches ours.
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=fallback_secret)

    def _session_auth_hash(self, *, secret: str | None) -> str:
        """Changes with the password and with "sign out of all sessions" (session_generation)."""
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}|{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        """How colleagues see a member of staff: the name, or the address until one is set."""
        return self.full_name or self.email

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class CodePurpose(models.TextChoices):
    EMAIL_VERIFICATION = "email_verification", _("Email verification")
    PASSWORD_RESET = "password_reset", _("Password reset")


class OneTimeCode(models.Model):
    """A code sent by email and typed back by the user. Only a keyed hash of the code is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=CodePurpose.choices)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["user", "purpose"])]

    def __str__(self) -> str:
        return f"{self.purpose} code #{self.pk} for user #{self.user_id}"


class FormSubmission(models.Model):
    """A form token already used (accounts.submissions): a second POST with it changes nothing."""

    RESULT_URL_MAX_LENGTH = 2000

    # "user:<id>" or "anonymous": a token only counts for whoever sent it first.
    owner_key = models.CharField(_("owner"), max_length=64)
    token_digest = models.CharField(_("token digest"), max_length=64)
    result_url = models.CharField(_("result address"), max_length=RESULT_URL_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_key", "token_digest"], name="form_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"form submission #{self.pk}"
