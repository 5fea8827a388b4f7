"""Password rules after NIST SP 800-63B: a length window, no composition rules."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Allow long passphrases but bound the hashing work an attacker can ask of the server."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It may have at most %(max_length)d character.",
                    "This password is too long. It may have at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _("Your password may have at most %(max_length)d characters.") % {
            "max_length": self.max_length
        }
