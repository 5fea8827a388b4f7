"""Load (or reload) permit types from a directory of JSON files; unchanged files change nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from applications.catalogue import (
    DEFAULT_DIRECTORY,
    permit_type_fees_ensure,
    permit_types_load_directory,
)


class Command(BaseCommand):
    help = "Load permit types from JSON files (default: applications/permit_types/)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(DEFAULT_DIRECTORY))

    def handle(self, *args, directory, **options):
        try:
            results = permit_types_load_directory(directory)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        fees_created = permit_type_fees_ensure(results=results)
        for result in results:
            self.stdout.write(f"{result.code}: {result.outcome} (version {result.version})")
        if fees_created:
            self.stdout.write(f"Fees added to the fee table: {fees_created}")
        if not results:
            self.stdout.write(self.style.WARNING(f"No permit-type files in {directory}"))
