"""How much real phishing in other brands' names the check engine flags (a folder of .eml files).

Runs the engine (the default authority profile, DNS off, as bench/trust_corpus.py) over every .eml
file of a folder, or a random sample of them, and prints how many were flagged (verdict scam or
suspicious), the verdict counts, the most common finding codes among the flagged and the missed
messages, and the time per message. The goal (issue 7): at least 80 % flagged.

    .venv/bin/python bench/phishing_pot.py [DIR] [--sample N --seed S] [--prefixes 012345]

The messages are the public collection rf-peixoto/phishing_pot (CC BY-NC 4.0): nothing of it is in
this repository. Only its development half may be used here: the files whose name's SHA-256 (hex)
starts with 0-7; the other half is kept for measurement from outside. To get the development half,
bring the repository's snapshot with the search tool's `fetch github:rf-peixoto/phishing_pot` and
extract the files of `email/` whose hashlib.sha256(name.encode()).hexdigest()[0] is in "01234567"
into the folder: `--extract-from GIT_DIR` does it (into var/phishing_pot/dev by default, which git
ignores). --prefixes keeps only the files whose name's
hash starts with one of the given hex digits (e.g. a held-out part of the development half).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.trust_corpus import DEFAULT_PROFILE, engine_config_from_profile  # noqa: E402

DEFAULT_DIR = ROOT / "var" / "phishing_pot" / "dev"
DEVELOPMENT_PREFIXES = "01234567"
GOAL = 0.80
POSITIVE = ("scam", "suspicious")


def name_prefix(path: Path) -> str:
    return hashlib.sha256(path.name.encode("utf-8")).hexdigest()[0]


def extract_development_half(git_dir: Path, folder: Path) -> int:
    """Write the collection's development half (name hash 0-7) from its git snapshot into folder."""
    import subprocess

    listing = subprocess.run(
        ["git", "-C", str(git_dir), "ls-tree", "--name-only", "HEAD", "email/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name in listing:
        target = folder / Path(name).name
        if name_prefix(target) not in DEVELOPMENT_PREFIXES or target.exists():
            continue
        shown = subprocess.run(
            ["git", "-C", str(git_dir), "show", f"HEAD:{name}"], capture_output=True, check=False
        )
        if shown.returncode or not shown.stdout:
            continue  # a snapshot may list its largest files without holding them
        target.write_bytes(shown.stdout)
        written += 1
    return written


def select_files(folder: Path, prefixes: str, sample: int, seed: int) -> list[Path]:
    files = sorted(p for p in folder.glob("*.eml") if name_prefix(p) in prefixes)
    if sample and sample < len(files):
        files = sorted(random.Random(seed).sample(files, sample))
    return files


def run(engine, files: list[Path]) -> tuple[Counter, Counter, Counter, float, list]:
    verdicts: Counter = Counter()
    flagged_codes: Counter = Counter()
    missed_codes: Counter = Counter()
    missed: list[Path] = []
    elapsed = 0.0
    for path in files:
        raw = path.read_bytes()
        started = time.perf_counter()
        try:
            result = engine.check_email(raw)
        except ValueError as error:  # too large: reported as its own verdict
            verdicts[f"error ({type(error).__name__})"] += 1
            continue
        elapsed += time.perf_counter() - started
        verdicts[result.verdict] += 1
        codes = set(result.codes())
        if result.verdict in POSITIVE:
            flagged_codes.update(codes)
        else:
            missed_codes.update(codes)
            missed.append(path)
    return verdicts, flagged_codes, missed_codes, elapsed, missed


def _top(counter: Counter, total: int, count: int) -> list[str]:
    return [f"    {code:<40} {n:>5}  ({n / total:.0%})" for code, n in counter.most_common(count)]


def report(verdicts, flagged_codes, missed_codes, elapsed, top: int) -> str:
    total = sum(verdicts.values())
    flagged = sum(verdicts[v] for v in POSITIVE)
    rate = flagged / total if total else 0.0
    lines = [
        f"Flagged (scam or suspicious): {flagged} / {total} = {rate:.1%}"
        f"  (goal >= {GOAL:.0%}: {'MET' if rate >= GOAL else 'NOT MET'})",
        "Verdicts: " + ", ".join(f"{v} {n}" for v, n in verdicts.most_common()),
        f"Time: {elapsed:.2f} s in the engine, {1000 * elapsed / max(total, 1):.2f} ms a message",
        f"Most common findings among the {flagged} flagged:",
        *_top(flagged_codes, max(flagged, 1), top),
        f"Most common findings among the {total - flagged} missed:",
        *_top(missed_codes, max(total - flagged, 1), top),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--sample", type=int, default=0, help="check a random N of the files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--prefixes", default=DEVELOPMENT_PREFIXES, help="name-hash digits")
    parser.add_argument("--profile", type=Path, default=DEFAULT_PROFILE)
    parser.add_argument("--top", type=int, default=15, help="finding codes listed")
    parser.add_argument("--list-missed", action="store_true", help="print the missed files")
    parser.add_argument(
        "--extract-from",
        type=Path,
        help="the collection's git directory (from fetch): write its development half first",
    )
    args = parser.parse_args(argv)
    if args.extract_from:
        written = extract_development_half(args.extract_from, args.folder)
        print(f"Extracted {written} files of the development half into {args.folder}")
    if not args.folder.is_dir():
        print(f"No folder {args.folder}. " + __doc__.split("\n\n")[2].replace("\n", " "))
        return 0 if args.folder == DEFAULT_DIR else 2
    files = select_files(args.folder, args.prefixes.lower(), args.sample, args.seed)
    if not files:
        print(f"No .eml file in {args.folder} whose name's hash starts with {args.prefixes}.")
        return 2

    from trust.engine import CheckEngine

    engine = CheckEngine(engine_config_from_profile(args.profile))
    verdicts, flagged_codes, missed_codes, elapsed, missed = run(engine, files)
    print(f"{args.folder}: {len(files)} files (name hash in {args.prefixes})")
    print(report(verdicts, flagged_codes, missed_codes, elapsed, args.top))
    if args.list_missed:
        print("Missed:", *(path.name for path in missed), sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
