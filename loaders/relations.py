"""Measure text → relation (funds, cuts, reopens …) and kind, from the cue lexicon."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path


@cache
def lexicon() -> dict:
    return tomllib.loads((Path(__file__).parent / "lexicon" / "relations.toml").read_text("utf-8"))


@cache
def cue_pattern(relation: str) -> re.Pattern[str]:
    """Cues match at a word start; a cue written "~satsning" may also end a compound ("lönesatsning")."""
    cues = sorted(lexicon()["cues"][relation], key=len, reverse=True)
    parts = [r"\w*" + re.escape(c[1:]) if c.startswith("~") else re.escape(c) for c in cues]
    return re.compile(r"(?<![\wåäö])(?:" + "|".join(parts) + ")", re.I)


EXCLUDED = re.compile(
    r"(?<![\wåäö])(?:" + "|".join(re.escape(w) for w in lexicon()["not_cues"]) + r")(?![\wåäö])", re.I
)


def purpose_start(text: str) -> int:
    """Where the first sentence's purpose clause begins ("… för att öka …" says why, not what)."""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    match = re.search(lexicon()["purpose_markers"], first)
    return match.start() if match else len(first)


def cue_hits(text: str, before: int | None = None) -> list[str]:
    """Relations whose cues start before `before`, earliest first (lexicon order breaks ties)."""
    order = lexicon()["order"]
    limit = len(text) if before is None else before
    found = [
        (m.start(), -m.end(), order.index(r), r)
        for r in order
        if (m := cue_pattern(r).search(text)) and m.start() < limit
    ]
    return [r for *_, r in sorted(found)]


def classify(text: str, amount: float | None = None) -> str:
    """The relation of the main clause's earliest cue; for budget rows the amount's sign decides
    between funds and cuts unless a fee or reorganisation cue says otherwise."""
    rules = lexicon()
    text = EXCLUDED.sub(" ", text)
    main = cue_hits(text, purpose_start(text))
    topical = [r for r in rules["topical"] if r in main]
    strong = [r for r in main if r not in rules["weak"]] or [r for r in cue_hits(text) if r not in rules["weak"]]
    hits = topical + strong + [r for r in main if r in rules["weak"]]
    if amount is not None:
        specific = [r for r in hits[:1] if r in lexicon()["row_overrides"]]
        return specific[0] if specific else ("funds" if amount > 0 else "cuts")
    return hits[0] if hits else "other"


def kind_of(text: str, lead_in: str) -> str | None:
    """A kind named by the item or its lead-in, or None to keep the caller's default."""
    for kind, cues in lexicon()["kinds"].items():
        if any(cue in (lead_in + " " + text[:60]).lower() for cue in cues):
            return kind
    return None
