"""Create a caseworker or administrator account: `create_staff_user --email X --role caseworker`."""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from accounts.services import user_staff_create


class Command(BaseCommand):
    help = "Create a caseworker or administrator. Prompts for the password unless --password-file."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--name", default="", help="The full name colleagues see, e.g. in the assignee list."
        )
        parser.add_argument(
            "--role", required=True, choices=[Role.CASEWORKER.value, Role.ADMINISTRATOR.value]
        )
        parser.add_argument(
            "--password-file",
            help="Read the password from this file (its first line), e.g. a mounted secret.",
        )

    def handle(self, *args, email, role, name="", password_file=None, **options):
        password = self._password(password_file)
        try:
            user = user_staff_create(email=email, role=role, password=password, full_name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        # The id only: operators' terminals get logged too.
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {role} user #{user.pk}. "
                "They set up the second factor at their first sign-in."
            )
        )

    def _password(self, password_file: str | None) -> str:
        if password_file:
            try:
                lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"Cannot read the password file: {error.strerror}") from error
            if not lines or not lines[0]:
                raise CommandError("The password file is empty.")
            return lines[0]
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The passwords are not the same.")
        return password
