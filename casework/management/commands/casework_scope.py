"""Operators' command: define a unit, or let a caseworker see a unit's or a permit type's cases."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from applications.models import PermitType
from casework.models import Unit
from casework.services import caseworker_scope_add, unit_save


class Command(BaseCommand):
    help = (
        "casework_scope unit CODE NAME PERMIT_TYPE...  |  "
        "casework_scope grant EMAIL (--unit CODE | --permit-type CODE)"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        unit = actions.add_parser("unit", help="Create or update a unit.")
        unit.add_argument("code")
        unit.add_argument("name")
        unit.add_argument("permit_types", nargs="*")
        grant = actions.add_parser("grant", help="Let a caseworker see cases.")
        grant.add_argument("email")
        grant.add_argument("--unit")
        grant.add_argument("--permit-type")

    def handle(self, *args, action, **options):
        try:
            if action == "unit":
                unit = unit_save(
                    code=options["code"],
                    name=options["name"],
                    permit_type_codes=options["permit_types"],
                )
                self.stdout.write(f"Unit {unit.code} handles {len(options['permit_types'])} types.")
                return
            if bool(options["unit"]) == bool(options["permit_type"]):
                raise CommandError("Give exactly one of --unit and --permit-type.")
            caseworker = User.objects.filter(email__iexact=options["email"]).first()
            if caseworker is None:
                raise CommandError("No such user.")
            unit = Unit.objects.filter(code=options["unit"]).first() if options["unit"] else None
            permit_type = (
                PermitType.objects.filter(code=options["permit_type"]).first()
                if options["permit_type"]
                else None
            )
            if unit is None and permit_type is None:
                raise CommandError("No such unit or permit type.")
            caseworker_scope_add(caseworker=caseworker, unit=unit, permit_type=permit_type)
            self.stdout.write(f"User #{caseworker.pk} now sees these cases.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
