"""Find reference entities in text by stemmed n-grams and compound parts ("primärvårdsramen")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from loaders.morphology import stem, stems, tokens
from ontology.reference import Entry, all_entries

MIN_COMPOUND = 6  # a name shorter than this is never matched inside a longer word


@dataclass(frozen=True)
class Mention:
    entry: Entry
    start: int
    end: int
    text: str


class Gazetteer:
    """An index from stemmed names to entries; longest match wins, left to right."""

    def __init__(self, entries: Iterable[Entry]):
        self.phrases: dict[tuple[str, ...], list[Entry]] = {}
        self.compounds: list[tuple[str, Entry]] = []
        self.exact: dict[str, list[Entry]] = {}  # short all-caps names ("LOV", "IT") match case-sensitively
        for entry in entries:
            for name in entry.names:
                if name.isupper() and len(name) <= 5:
                    self.exact.setdefault(name, []).append(entry)
                    continue
                key = stems(name)
                if not key:
                    continue
                self.phrases.setdefault(key, []).append(entry)
                if len(key) == 1 and len(key[0]) >= MIN_COMPOUND and not name.isupper():
                    self.compounds.append((key[0], entry))
        self.lengths: dict[str, list[int]] = {}  # first stem → lengths of the phrases it begins, longest first
        for key in self.phrases:
            self.lengths.setdefault(key[0], []).append(len(key))
        for lengths in self.lengths.values():
            lengths.sort(reverse=True)
        self.compounds.sort(key=lambda pair: -len(pair[0]))
        # the longest key wins, earliest in that order on ties; looked up by length instead of scanned
        self.compound_index: dict[str, Entry] = {}
        for compound, entry in self.compounds:
            self.compound_index.setdefault(compound, entry)
        self.compound_lengths = sorted({len(k) for k in self.compound_index}, reverse=True)
        self.compound_at = cache(self._compound_in)  # per word: words recur, and the lookup is slow
        self.scanned = lru_cache(maxsize=4096)(self._scan)  # the same block is searched by several extractors

    def find(self, text: str) -> list[Mention]:
        return list(self.scanned(text))

    def _scan(self, text: str) -> tuple[Mention, ...]:
        words = tokens(text)
        keys = [stem(w) for w, _, _ in words]
        found: list[Mention] = []
        i = 0
        while i < len(words):
            exact = self.exact.get(words[i][0])
            hit = (exact, 1) if exact else self._phrase_at(keys, i) or self.compound_at(words[i][0])
            if hit is None:
                i += 1
                continue
            entries, length = hit
            start, end = words[i][1], words[i + length - 1][2]
            found += [Mention(e, start, end, text[start:end]) for e in entries]
            i += length
        return tuple(found)

    def _phrase_at(self, keys: list[str], i: int) -> tuple[list[Entry], int] | None:
        for length in self.lengths.get(keys[i], ()):
            entries = self.phrases.get(tuple(keys[i : i + length])) if length <= len(keys) - i else None
            if entries:
                return entries, length
        return None

    def _compound_in(self, word: str) -> tuple[list[Entry], int] | None:
        """A reference name that begins or ends the word (or its stem): "primärvårdsramen" → primärvård."""
        lower = word.lower()
        if len(lower) < MIN_COMPOUND + 2:
            return None
        stemmed = stem(lower)
        for n in self.compound_lengths:
            keys = ([lower[:n], lower[-n:]] if len(lower) >= n else []) + ([stemmed[-n:]] if len(stemmed) >= n else [])
            hits = [k for k in keys if k in self.compound_index]
            if hits:
                return [self.compound_index[min(hits, key=self.compound_order)]], 1
        return None

    def compound_order(self, key: str) -> int:
        return next(i for i, (k, _) in enumerate(self.compounds) if k == key)


@cache
def gazetteer(kinds: tuple[str, ...]) -> Gazetteer:
    """A cached gazetteer over the reference entries of the given kinds."""
    return Gazetteer(e for e in all_entries() if e.kind in kinds)
