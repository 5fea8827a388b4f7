"""Print the DNS TXT record of the DKIM public key, for the operator to publish."""

from django.core.management.base import BaseCommand, CommandError

from notifications.dkim import dns_record_line


class Command(BaseCommand):
    help = "Print the DKIM public key as a DNS TXT record (<selector>._domainkey.<domain>)."

    def handle(self, *args, **options):
        try:
            self.stdout.write(dns_record_line())
        except RuntimeError as error:
            raise CommandError(str(error)) from error
