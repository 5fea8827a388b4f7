"""Void every unused recovery code after a leak of their key: `recovery_codes_void --yes`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.services import recovery_codes_void, recovery_codes_void_users


class Command(BaseCommand):
    help = (
        "After a leak of RECOVERY_CODE_KEY (or of SECRET_KEY while it keys the recovery codes): "
        "void every user's unused recovery codes and email each of them, without content, to make "
        "new ones on the security page. Set the new key first. Without --yes, only counts. "
        "A stopped run can be run again: users already done have no codes left and are skipped "
        "(but codes made since the new key are voided too, so run it once per leak)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--yes", action="store_true", help="Void the codes; without it, only count the users."
        )

    def handle(self, *args, **options):
        user_ids = recovery_codes_void_users()
        if not options["yes"]:
            self.stdout.write(
                f"{len(user_ids)} users hold unused recovery codes. Run again with --yes to void "
                "them and email each user."
            )
            return
        voided = 0
        for number, user_id in enumerate(user_ids, start=1):
            voided += recovery_codes_void(user_id=user_id)
            if number % 1000 == 0:
                self.stdout.write(f"{number} / {len(user_ids)} users")
        self.stdout.write(f"Voided the recovery codes of {voided} users and emailed each of them.")
