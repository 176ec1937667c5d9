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
    cues = sorted(lexicon()["cues"][relation], key=len, reverse=True)
    return re.compile(r"(?<![\wåäö])(?:" + "|".join(re.escape(c) for c in cues) + ")", re.I)


def classify(text: str, amount: float | None = None) -> str:
    """The first relation in lexicon order whose cue occurs; a signed amount breaks ties."""
    hits = [r for r in lexicon()["order"] if cue_pattern(r).search(text)]
    if amount is not None and amount < 0 and "funds" in hits[:1]:
        return "cuts"
    if amount is not None and amount > 0 and hits[:1] == ["cuts"] and "funds" in hits:
        return "funds"
    if hits:
        return hits[0]
    if amount is not None:
        return "funds" if amount > 0 else "cuts"
    return "other"


def kind_of(text: str, lead_in: str) -> str | None:
    """A kind named by the item or its lead-in, or None to keep the caller's default."""
    for kind, cues in lexicon()["kinds"].items():
        if any(cue in (lead_in + " " + text[:60]).lower() for cue in cues):
            return kind
    return None
