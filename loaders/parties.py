"""Parties named in a text, with where they stand: by name (the reference parties' gazetteer) or by a bare
abbreviation ("(M)", "C, SJVP och KD"). A regional party counts only in its own region, so "Sjukvårdspartiet"
resolves to the local one. Metadata, attribution, tables and stances all ask here."""

from __future__ import annotations

import re

from loaders.gazetteer import gazetteer
from ontology.reference import Entry, party_by_notation

# a bare abbreviation: "(M)", "C, SJVP och KD", "M+KD+L", "S/V/MP"
ABBREVIATION = re.compile(r"(?<![\wÅÄÖåäö-])([A-ZÅÄÖ][A-ZÅÄÖa-z]{0,4})(?=[\s,):+/]|:s|$)")


def party_spans(text: str, region: str = "") -> list[tuple[int, int, Entry]]:
    """(start, end, party) for every party named, in text order; an abbreviation inside a name is the name's."""
    found = [(m.start, m.end, m.entry) for m in gazetteer(("Party",)).find(text) if in_region(m.entry, region)]
    for match in [] if letter_spaced(text) else ABBREVIATION.finditer(text):
        abbr = match.group(1)
        entry = party_by_notation().get(abbr.upper())
        if entry is None:
            continue
        named = (abbr.isupper() or abbr == "Mp") and in_region(entry, region)
        if named and not any(s <= match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), entry))
    found.sort(key=lambda f: f[0])
    unique: list[tuple[int, int, Entry]] = []
    for span in found:
        if not unique or span[0] >= unique[-1][1]:
            unique.append(span)
    return unique


def in_region(party: Entry, region: str) -> bool:
    return not party.region or not region or party.region == region


def parties_in(text: str, region: str = "") -> list[Entry]:
    """The parties named in text, each once, in the order they are first named."""
    return list(dict.fromkeys(entry for _, _, entry in party_spans(text, region)))


def letter_spaced(text: str) -> bool:
    """A line set in spaced capitals ("S U M M A T I L L G Å N G A R"), whose letters are no abbreviations."""
    words = text.split()
    return len(words) >= 6 and sum(len(w) == 1 for w in words) > 0.6 * len(words)
