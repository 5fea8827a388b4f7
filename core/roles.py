"""The roles a user can have. Defined in core, beside role_required, so that an app below accounts
(the audit log's page) can name a role without importing the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    CASEWORKER = "caseworker", _("Caseworker")
    ADMINISTRATOR = "administrator", _("Administrator")
