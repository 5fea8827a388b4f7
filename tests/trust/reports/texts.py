"""A warning's texts in the languages publishing requires (Finnish and Swedish)."""

from __future__ import annotations

FINNISH_AND_SWEDISH = {
    "title_fi": "Väärennetyt oleskelulupaviestit",
    "title_sv": "Falska meddelanden om uppehållstillstånd",
    "summary_fi": "Viesteissä kysytään passisi numeroa.",
    "summary_sv": "Meddelandena frågar efter ditt passnummer.",
}


def publishable(**texts: str) -> dict[str, str]:
    """The Finnish and Swedish texts, with `texts` (English ones, say) on top."""
    return {**FINNISH_AND_SWEDISH, **texts}
