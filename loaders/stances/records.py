"""What one sentence yields on the way to stances: cues, mentions, voices, findings, and the reading context."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.records import Actor, Target


@dataclass
class Cue:
    start: int
    end: int
    polarity: str
    form: str  # object | nominal | passive | attributive
    negated: bool = False


@dataclass
class Mention:
    start: int
    end: int
    target: Target
    via: str = "mention"  # mention | collective | place
    problem: bool = False


@dataclass
class Voice:
    """A stretch of a sentence that reports another actor's proposal."""

    start: int
    end: int
    holders: list[str]
    rejected: bool = False  # the authors reject it before naming it ("nej till majoritetens förslag")


@dataclass
class Finding:
    target: Target
    polarity: str
    kind: str
    holders: list[str]
    reported_by: list[str] = field(default_factory=list)
    via: str = "mention"


@dataclass
class Context:
    """What a sentence needs to know about its document."""

    region: str
    authors: list[str]
    author_parties: set[str]
    majority: Actor | None = None
    period_start: int | None = None
