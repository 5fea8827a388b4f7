"""Check web addresses with the trust center's engine; '-' reads one address a line."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from trust.engine_factory import current_engine
from trust.management.commands.check_message import print_result, result_json


class Command(BaseCommand):
    help = "Check web addresses: official, lookalike, shortener, raw IP. '-' reads standard input."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", help="addresses, or - for one a line on stdin")
        parser.add_argument("--json", action="store_true", help="one JSON object a line")

    def _addresses(self, arguments):
        for argument in arguments:
            if argument == "-":
                # Bytes, decoded line by line: one undecodable line must not end the whole run.
                for raw in sys.stdin.buffer:
                    line = raw.decode("utf-8", "replace").strip()
                    if line:
                        yield line
            else:
                yield argument

    def handle(self, *args, **options):
        engine = current_engine()  # built once for all the addresses
        for url in self._addresses(options["urls"]):
            result = engine.check_url(url)
            if options["json"]:
                data = {"url": url, **result_json(result)}
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                self.stdout.write(url)
                print_result(self.stdout, result)
