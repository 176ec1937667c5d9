"""Text comparison shared by the scorer: stemmed content words, containment, label normalising."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import snowballstemmer

STEMMER = snowballstemmer.stemmer("swedish")
COMPOUND_PART = 6


@cache
def stopwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "data" / "stopwords.txt").read_text("utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


def stems(text: str) -> set[str]:
    """Stemmed content words: the unit of both text overlap and target matching."""
    words = re.findall(r"[^\W\d_]{2,}", text.casefold())
    return {STEMMER.stemWord(w) for w in words if w not in stopwords()}


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller token set found in the other; robust to one text being a fragment."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def normalise(text: str) -> str:
    """Case, whitespace and trailing punctuation do not make labels differ."""
    return " ".join(text.casefold().split()).rstrip(" .,:;!?")


def shares_word(gold: set[str], predicted: set[str]) -> bool:
    return bool(gold & predicted) or any(compound_part(g, w) for g in gold for w in predicted)


def compound_part(a: str, b: str) -> bool:
    """One word is a compound of the other (parts of at least COMPOUND_PART letters)."""
    short, long = sorted((a, b), key=len)
    return len(short) >= COMPOUND_PART and long != short and (long.startswith(short) or long.endswith(short))
