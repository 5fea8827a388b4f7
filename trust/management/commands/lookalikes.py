"""List lookalike candidates of domains (a watchlist), tagged with their dnstwist family."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from trust.engine.lookalikes import FAMILIES
from trust.watchlist import watchlist_rows, write_watchlist_csv


class Command(BaseCommand):
    help = "Generate lookalike domains of DOMAIN... in dnstwist's families."

    def add_arguments(self, parser):
        parser.add_argument("domains", nargs="+")
        parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
        parser.add_argument(
            "--family", action="append", choices=FAMILIES, help="only these families (repeatable)"
        )

    def handle(self, *args, **options):
        rows = watchlist_rows(options["domains"], options["family"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        elif options["format"] == "csv":
            write_watchlist_csv(rows, self.stdout)
        else:
            for row in rows:
                shown = (
                    row["domain"]
                    if row["domain"] == row["ascii"]
                    else (f"{row['domain']} ({row['ascii']})")
                )
                self.stdout.write(f"{row['family']:14} {shown}")
