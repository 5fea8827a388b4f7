"""Independent analyzers: each reads the parsed message and returns findings.

An analyzer is a function `analyze(message, context) -> list[Finding]`. A new trick of the scammers
is a new module here, added to ANALYZERS in engine.py, with its own tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

from ..config import EngineConfig
from ..dnsresolver import TxtResolver
from ..language import Sentence, Vocabulary
from ..message import ParsedMessage
from ..policy import DomainPolicy


@dataclass
class Claim:
    """Does the message speak in the authority's name: strong, weak (only mentions it), none."""

    strength: str = "none"
    where: str = ""
    name: str = ""

    @property
    def strong(self) -> bool:
        return self.strength == "strong"


@dataclass
class Context:
    """What one check needs besides the message: the engine's parts and facts found on the way."""

    config: EngineConfig
    policy: DomainPolicy
    vocabulary: Vocabulary
    resolver: TxtResolver | None
    message: ParsedMessage
    facts: dict = field(default_factory=dict)
    # The address or phone number the person typed as the one the message came to: never read
    # from the message itself, whose headers its author wrote.
    recipient: str | None = None
    deadline: float | None = None  # time.monotonic() after which the check stops (the budget)

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def cut_short(self, analyzer: str) -> None:
        """Say that `analyzer` stopped early for lack of time (the engine reports it)."""
        names = self.facts.setdefault("cut_short", [])
        if analyzer not in names:
            names.append(analyzer)

    @cached_property
    def claim(self) -> Claim:
        from .claims import find_claim

        return find_claim(self.message, self)

    @cached_property
    def sentences(self) -> list[Sentence]:
        return self.vocabulary.sentences(self.message.own_text)

    @cached_property
    def concepts(self) -> set[str]:
        found: set[str] = set()
        for sentence in self.sentences:
            found |= sentence.concepts
        return found
