"""Load demo data for development: permit types, demo accounts with known secrets, applications.

It lives in casework, the highest layer whose data it creates (applications and their cases), so
that no lower layer imports the e-service.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.demo import load_demo_data
from casework.demo import load_casework_demo
from securemail.demo import demo_instructions


class Command(BaseCommand):
    help = "Create demo permit types, accounts and applications (development and test mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)

    def handle(self, *args, port, **options):
        # Known passwords and TOTP keys would be an open door in production.
        if settings.MODE not in {"development", "test"}:
            raise CommandError(
                "load_demo_data creates accounts with known passwords; it runs only with "
                "PERMITSAFE_MODE=development or test."
            )
        summary = load_demo_data()
        casework_summary = load_casework_demo()
        for result in summary.permit_types:
            self.stdout.write(
                f"Permit type {result.code}: {result.outcome} (version {result.version})"
            )
        self.stdout.write(f"Demo applications created: {summary.applications_created}")
        self.stdout.write(f"Demo cases moved on in the back office: {casework_summary}")
        # "localhost", as serve and the emails write it: one host name keeps one browser session.
        self.stdout.write(self.style.SUCCESS(f"\nThe platform: http://localhost:{port}/\n"))
        self.stdout.write(
            "Demo accounts (add the TOTP key to an authenticator app by typing it in):"
        )
        for account in summary.accounts:
            self.stdout.write(
                f"\n  {account.role}: {account.email}\n"
                f"    password:       {account.password}\n"
                f"    TOTP key:       {account.totp_key_base32}\n"
                f"    recovery codes: {' '.join(account.recovery_codes)}"
            )
        self.stdout.write("")
        # The address the emails name (serve passes it as PUBLIC_BASE_URL): one browser session.
        for line in demo_instructions(base_url=f"http://localhost:{port}"):
            self.stdout.write(line)
        self.stdout.write("")
