"""Imperative openings ("Stärk …", "Säkerställ …", "Accelerera …"): a list of them is a list of things to do."""

from __future__ import annotations

import re
from functools import cache

import simplemma

FIRST_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+")


@cache
def is_imperative(word: str) -> bool:
    """A verb's imperative is its infinitive ("öka", "utveckla") or that less its final -a ("stärk", "säkerställ");
    the lemma tells, from simplemma's Swedish data (offline)."""
    lower = word.lower()
    lemma = simplemma.lemmatize(lower, lang="sv")
    return len(lower) >= 3 and lemma.endswith("a") and lower in (lemma, lemma[:-1])


def opens_imperative(text: str) -> bool:
    match = FIRST_WORD.search(text)
    return match is not None and match.start() <= 3 and is_imperative(match.group())
