"""The lookalike watchlist as rows, shared by the `lookalikes` command and the administrators'
download, so that both list exactly what the check engine recognises."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from trust.engine.lookalikes import FAMILIES, generate

WATCHLIST_COLUMNS = ["imitates", "family", "domain", "ascii"]


def watchlist_rows(domains: Iterable[str], families: Iterable[str] | None = None) -> list[dict]:
    wanted = set(families or FAMILIES)
    return [
        {"domain": candidate.domain, "ascii": candidate.ascii, "family": candidate.family,
         "imitates": domain}
        for domain in dict.fromkeys(domains)
        for candidate in generate(domain)
        if candidate.family in wanted
    ]  # fmt: skip


def write_watchlist_csv(rows: list[dict], stream) -> None:
    writer = csv.DictWriter(stream, fieldnames=WATCHLIST_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
