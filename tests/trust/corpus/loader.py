"""Load the labelled message corpus of the trust center's check engine (plain Python, no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
# Blind batches (README.md, "Blind batches") live apart and are loaded only by name: the main
# corpus's own tests count its labels and cells.
BATCHES_DIR = CORPUS_DIR / "batches"

# scam and suspicious are the positive class ("warn the reader"); genuine and legitimate are not.
POSITIVE_LABELS = ("scam", "suspicious")
NEGATIVE_LABELS = ("genuine", "legitimate")
LABELS = POSITIVE_LABELS + NEGATIVE_LABELS
LANGUAGES = ("fi", "sv", "en")
CHANNELS = ("email", "sms", "social")


class CorpusFormatError(ValueError):
    """A corpus file does not follow the format described in README.md."""


@dataclass(frozen=True)
class CorpusItem:
    id: str
    label: str
    kind: str  # "email" (a full RFC 5322 message, bytes) or "text" (pasted text, str)
    channel: str  # "email", "sms" or "social"
    language: str  # "fi", "sv" or "en"
    content: bytes | str
    sender: str = ""  # what the reader would type as the sender of a text item
    meta: dict[str, str] = field(default_factory=dict)  # the whole front matter of a text item
    path: Path | None = None

    @property
    def positive(self) -> bool:
        return self.label in POSITIVE_LABELS


def parse_text_item(raw: str) -> tuple[dict[str, str], str]:
    """Split a .txt item into its front matter ("key: value" lines) and the body after it."""
    head, separator, body = raw.partition("\n\n")
    if not separator:
        raise CorpusFormatError("no blank line after the front matter")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            raise CorpusFormatError(f"front-matter line is not 'key: value': {line!r}")
        meta[key.strip().lower()] = value.strip()
    return meta, body.rstrip("\n")


def _language_from_name(stem: str) -> str:
    language = stem.split("-", 1)[0]
    if language not in LANGUAGES:
        raise CorpusFormatError(f"{stem}: the file name must start with fi-, sv- or en-")
    return language


def _load_file(label: str, path: Path) -> CorpusItem:
    stem = path.stem
    language = _language_from_name(stem)
    if path.suffix == ".eml":
        return CorpusItem(
            id=stem,
            label=label,
            kind="email",
            channel="email",
            language=language,
            content=path.read_bytes(),
            path=path,
        )
    meta, body = parse_text_item(path.read_text(encoding="utf-8"))
    channel = meta.get("channel", "")
    if channel not in CHANNELS:
        raise CorpusFormatError(f"{stem}: channel must be one of {CHANNELS}, not {channel!r}")
    if meta.get("language") != language:
        raise CorpusFormatError(f"{stem}: front-matter language differs from the file name")
    return CorpusItem(
        id=stem,
        label=label,
        kind="text",
        channel=channel,
        language=language,
        content=body,
        sender=meta.get("sender", ""),
        meta=meta,
        path=path,
    )


def load_corpus(directory: Path | None = None) -> list[CorpusItem]:
    """Every item of the corpus, ordered by label and file name."""
    directory = directory or CORPUS_DIR
    items: list[CorpusItem] = []
    for label in LABELS:
        folder = directory / label
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".eml", ".txt"):
                items.append(_load_file(label, path))
    return items


def batch_names() -> list[str]:
    """The committed blind batches, in order (batch-1, batch-2, ...)."""
    if not BATCHES_DIR.is_dir():
        return []
    return sorted(
        (path.name for path in BATCHES_DIR.iterdir() if path.is_dir()),
        key=lambda name: (len(name), name),
    )


def load_batch(name: str) -> list[CorpusItem]:
    """Every item of one blind batch; the same layout as the main corpus."""
    folder = BATCHES_DIR / name
    if not folder.is_dir():
        raise CorpusFormatError(f"no batch named {name!r} in {BATCHES_DIR}")
    return load_corpus(folder)
