"""Swedish tokens → stems, so "primärvården", "hälsocentralerna" and "Sundsvalls" match their lemma."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

TOKEN = re.compile(r"[A-Za-zÅÄÖÉÜåäöéü0-9]+(?:-[A-Za-zÅÄÖåäö0-9]+)*")
_STEMMER = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = word.lower()
    stemmed = _STEMMER.stemWord(word)
    # genitive -s on names and nouns ("Sundsvalls", "primärvårdens") is not always removed
    if stemmed.endswith("s") and len(stemmed) > 4 and not stemmed.endswith("ss"):
        stemmed = stemmed[:-1]
    return stemmed


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word in text."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word, _, _ in tokens(text))
