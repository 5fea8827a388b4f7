"""Quality of the trust center's check engine on the labelled corpus in tests/trust/corpus/.

Builds the engine from the default authority profile (core/profiles/migri.json, read as plain JSON
so no Django is needed) with DNS turned off, checks every message, and prints precision and recall
of "scam or suspicious" against the labels, the confusion matrix (expected label x verdict), the
same figures per language and per channel, and every misclassified item with its finding codes.

    .venv/bin/python bench/trust_corpus.py [--profile core/profiles/migri.json] [--strict]
        [--corpus DIR] [--batches]

--batches adds one line of figures for each committed blind batch (tests/trust/corpus/batches/).
--corpus reads another folder of the same layout (scam/, suspicious/, genuine/, legitimate/), such
as a blind batch (tests/trust/corpus/batches/<name>/); the default is the main corpus, which does not
include the batches. --strict exits with status 1 when precision < 0.98 or recall < 0.95 (issue 3's
quality bar).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.trust.corpus.loader import (  # noqa: E402
    CHANNELS,
    LABELS,
    LANGUAGES,
    CorpusItem,
    batch_names,
    load_batch,
    load_corpus,
)

DEFAULT_PROFILE = ROOT / "core" / "profiles" / "migri.json"
POSITIVE_VERDICTS = ("scam", "suspicious")
VERDICTS = ("scam", "suspicious", "unverified", "genuine")
PRECISION_GOAL = 0.98
RECALL_GOAL = 0.95


def engine_config_from_profile(path: Path = DEFAULT_PROFILE, **overrides):
    """An EngineConfig with the profile's official channels and DNS off, as the benchmark needs.

    Mirrors trust.selectors.engine_config_kwargs() (the registry is seeded from this profile)
    without importing Django.
    """
    from trust.engine import EngineConfig

    profile = json.loads(Path(path).read_text(encoding="utf-8"))
    names = [profile.get("short_name", ""), *profile.get("name", {}).values()]
    kwargs = {
        "official_web_domains": tuple(profile.get("official_web_domains", ())),
        "other_official_web_domains": tuple(profile.get("other_official_web_domains", ())),
        "official_email_domains": tuple(profile.get("official_email_domains", ())),
        "authority_names": tuple(dict.fromkeys(name for name in names if name)),
        "sms_sender_names": tuple(profile.get("sms_sender_names", ())),
        "social_media_accounts": tuple(
            (account["platform"], account["handle"])
            for account in profile.get("social_media_accounts", ())
        ),
        "phone_numbers": tuple(profile.get("phone_numbers", ())),
        "phone_region": profile.get("country", "FI"),
        "dns_enabled": False,
    }
    kwargs.update(overrides)
    return EngineConfig(**kwargs)


@dataclass(frozen=True)
class Outcome:
    item: CorpusItem
    verdict: str
    finding_codes: tuple[str, ...]

    @property
    def predicted_positive(self) -> bool:
        return self.verdict in POSITIVE_VERDICTS

    @property
    def correct(self) -> bool:
        return self.predicted_positive == self.item.positive


def check_item(engine, item: CorpusItem):
    if item.kind == "email":
        return engine.check_email(item.content)
    return engine.check_text(item.content, channel=item.channel, sender=item.sender)


def run_corpus(engine, items: list[CorpusItem]) -> list[Outcome]:
    outcomes = []
    for item in items:
        result = check_item(engine, item)
        codes = tuple(finding.code for finding in result.findings)
        outcomes.append(Outcome(item=item, verdict=result.verdict, finding_codes=codes))
    return outcomes


@dataclass(frozen=True)
class Scores:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_positive + self.false_negative
        return self.true_positive / positives if positives else 1.0

    @property
    def total(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative


def score(outcomes: list[Outcome]) -> Scores:
    counts = Counter((o.item.positive, o.predicted_positive) for o in outcomes)
    return Scores(
        true_positive=counts[(True, True)],
        false_positive=counts[(False, True)],
        false_negative=counts[(True, False)],
        true_negative=counts[(False, False)],
    )


def _line(name: str, scores: Scores) -> str:
    return (
        f"{name:<10} n={scores.total:<4} precision={scores.precision:.3f} "
        f"recall={scores.recall:.3f}  (TP {scores.true_positive}, FP {scores.false_positive}, "
        f"FN {scores.false_negative}, TN {scores.true_negative})"
    )


def report(outcomes: list[Outcome], elapsed: float) -> str:
    lines = []
    overall = score(outcomes)
    lines.append(f"Corpus: {len(outcomes)} messages, checked in {elapsed:.2f} s")
    lines.append("Positive = verdict scam or suspicious; labels scam/suspicious are positive.")
    lines.append("")
    lines.append(_line("overall", overall))
    goals = f"goals: precision >= {PRECISION_GOAL}, recall >= {RECALL_GOAL}"
    met = overall.precision >= PRECISION_GOAL and overall.recall >= RECALL_GOAL
    lines.append(f"{goals} -> {'MET' if met else 'NOT MET'}")
    lines.append("")
    lines.append("Confusion matrix (rows: expected label, columns: verdict)")
    matrix = Counter((o.item.label, o.verdict) for o in outcomes)
    verdicts = list(VERDICTS) + sorted({o.verdict for o in outcomes} - set(VERDICTS))
    lines.append(f"{'':<12}" + "".join(f"{v:>12}" for v in verdicts) + f"{'total':>8}")
    for label in LABELS:
        row = [matrix[(label, verdict)] for verdict in verdicts]
        lines.append(f"{label:<12}" + "".join(f"{n:>12}" for n in row) + f"{sum(row):>8}")
    lines.append("")
    lines.append("Per language")
    for language in LANGUAGES:
        subset = [o for o in outcomes if o.item.language == language]
        lines.append("  " + _line(language, score(subset)))
    lines.append("Per channel")
    for channel in CHANNELS:
        subset = [o for o in outcomes if o.item.channel == channel]
        lines.append("  " + _line(channel, score(subset)))
    wrong = [o for o in outcomes if not o.correct]
    lines.append("")
    lines.append(f"Misclassified: {len(wrong)}")
    for o in sorted(wrong, key=lambda o: (o.item.label, o.item.id)):
        codes = ", ".join(o.finding_codes) or "(no findings)"
        lines.append(f"  {o.item.label}/{o.item.id}: verdict {o.verdict}; findings: {codes}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, default=DEFAULT_PROFILE)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is not met")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="a folder with scam/, suspicious/, genuine/ and legitimate/ (default: the main corpus)",
    )
    parser.add_argument(
        "--batches", action="store_true", help="also print the figures of each blind batch"
    )
    args = parser.parse_args(argv)

    from trust.engine import CheckEngine

    engine = CheckEngine(engine_config_from_profile(args.profile))
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    items = load_corpus(args.corpus)
    if not items:
        parser.error(f"{args.corpus} holds no .eml or .txt item under {', '.join(LABELS)}")
    started = time.perf_counter()
    outcomes = run_corpus(engine, items)
    elapsed = time.perf_counter() - started
    print(f"Folder: {args.corpus or 'the main corpus (tests/trust/corpus/)'}")
    print(report(outcomes, elapsed))
    if args.batches:
        print("")
        print("Blind batches (tests/trust/corpus/batches/; the README gives each one's figures")
        print("before tuning)")
        for name in batch_names():
            print("  " + _line(name, score(run_corpus(engine, load_batch(name)))))
    overall = score(outcomes)
    if args.strict and (overall.precision < PRECISION_GOAL or overall.recall < RECALL_GOAL):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
