"""List lookalike candidates of domains (a watchlist), tagged with their dnstwist family."""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand

from trust.engine.lookalikes import FAMILIES, generate


class Command(BaseCommand):
    help = "Generate lookalike domains of DOMAIN... in dnstwist's families."

    def add_arguments(self, parser):
        parser.add_argument("domains", nargs="+")
        parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
        parser.add_argument(
            "--family", action="append", choices=FAMILIES, help="only these families (repeatable)"
        )

    def handle(self, *args, **options):
        families = set(options["family"] or FAMILIES)
        rows = [
            {"domain": candidate.domain, "ascii": candidate.ascii, "family": candidate.family,
             "imitates": domain}
            for domain in options["domains"]
            for candidate in generate(domain)
            if candidate.family in families
        ]  # fmt: skip
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        elif options["format"] == "csv":
            writer = csv.DictWriter(
                self.stdout, fieldnames=["imitates", "family", "domain", "ascii"]
            )
            writer.writeheader()
            writer.writerows(rows)
        else:
            for row in rows:
                shown = (
                    row["domain"]
                    if row["domain"] == row["ascii"]
                    else (f"{row['domain']} ({row['ascii']})")
                )
                self.stdout.write(f"{row['family']:14} {shown}")
