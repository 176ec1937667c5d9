"""Collective references to a region's hospitals: "tre akutsjukhus", "länets tre sjukhus", "alla tre sjukhusen",
"sjukhusen i A, B och C", "ett sjukhus på tre orter" → the hospitals of the region from reference data.

A reference keeps the count it states and whether the text says the hospitals give emergency care (an
emergency noun such as "akutsjukhus", or an emergency cue like "akutvård dygnet runt" in the same sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from loaders.lexicons import lexicon as load
from loaders.morphology import stem
from ontology.reference import Entry, hospitals, rows


@cache
def lexicon() -> dict:
    return load("stances")


@dataclass
class CollectiveRef:
    start: int
    end: int
    text: str
    count: int | None  # None: "alla sjukhus" (every hospital of the region)
    emergency: bool
    hospitals: list[Entry] = field(default_factory=list)  # empty when the count does not resolve
    places: list[str] = field(default_factory=list)


def _alternation(patterns: list[str]) -> str:
    return "(?:" + "|".join(patterns) + ")"


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()["collective"]
    numerals = _alternation(sorted((re.escape(n) for n in lex["numerals"]), key=len, reverse=True))
    determiners = _alternation(lex["determiners"])
    noun = _alternation(lex["nouns"])
    modifier = lex["modifier"]
    place = r"[A-ZÅÄÖ][\wåäöéÅÄÖ-]+"
    flags = re.IGNORECASE
    return {
        "count": re.compile(
            rf"\b(?:{determiners}\s+){{0,3}}(?P<count>{numerals})\s+"
            rf"(?P<mods>(?:{modifier}\s+){{0,{lex['max_modifiers']}}}?)(?P<noun>{noun})\b",
            flags,
        ),
        "all": re.compile(rf"\b(?:alla|samtliga)\s+(?:(?:länets|regionens|våra)\s+)?(?P<noun>{noun})\b", flags),
        "spread": re.compile(lex["spread"], flags),
        # places keep their capital letters: no IGNORECASE on the list part
        "list": re.compile(
            rf"\b(?P<noun>(?i:{noun}))\s*(?:[–—-]\s*)?(?i:i|vid|på)\s+"
            rf"(?P<places>{place}(?:\s*,\s*{place})*\s+(?i:och|samt|respektive)\s+{place})"
        ),
        "emergency_noun": re.compile(rf"^{_alternation(lex['emergency_nouns'])}$", flags),
        "emergency_cue": re.compile(rf"\b{_alternation(lex['emergency_cues'])}", flags),
    }


def numeral(word: str) -> int | None:
    return lexicon()["collective"]["numerals"].get(word.lower())


def region_hospitals(region: str) -> list[Entry]:
    return [h for h in hospitals() if h.region == region]


def is_emergency(entry: Entry) -> bool:
    return entry.fields.get("emergency") == "yes"


def resolve_count(region: str, count: int | None, emergency: bool) -> list[Entry]:
    """The region's hospitals that a count refers to, or [] when it does not match reference data.

    "tre akutsjukhus" picks the emergency hospitals; "tre sjukhus" picks all hospitals when there are three, else
    the emergency ones when those are three (the others are local hospitals without an emergency department).
    """
    every = region_hospitals(region)
    acute = [h for h in every if is_emergency(h)]
    if count is None:
        return acute if emergency else every
    if emergency:
        return acute if len(acute) == count else []
    if len(every) == count:
        return every
    return acute if len(acute) == count else []


def resolve_places(region: str, places: list[str]) -> list[Entry]:
    """Hospitals of the region in the towns named ("i Sundsvall, Sollefteå och Örnsköldsvik")."""
    found = []
    for place in places:
        key = stem(place)
        for entry in region_hospitals(region):
            town = entry.fields.get("town", "")
            names = {stem(n) for n in entry.names}
            if key == stem(town) or key in names:
                found.append(entry)
                break
    return found


def split_places(text: str) -> list[str]:
    return [p for p in re.split(r"\s*,\s*|\s+(?:och|samt|respektive)\s+", text, flags=re.IGNORECASE) if p]


def collective_references(text: str, region: str) -> list[CollectiveRef]:
    """Every collective hospital reference in one sentence, resolved against the region's hospitals."""
    pats = patterns()
    sentence_emergency = bool(pats["emergency_cue"].search(text))
    found: list[CollectiveRef] = []
    for kind in ("list", "count", "spread", "all"):
        for match in pats[kind].finditer(text):
            noun = match.groupdict().get("noun") or ""
            emergency = bool(pats["emergency_noun"].match(noun)) or sentence_emergency
            count = numeral(match.group("count")) if "count" in match.groupdict() else None
            if kind in ("count", "spread") and count is None:
                continue
            places = split_places(match.group("places")) if kind == "list" else []
            if kind == "list":
                resolved = resolve_places(region, places)
                if len(resolved) < 2:
                    continue
                count = len(resolved)
            else:
                resolved = resolve_count(region, count, emergency)
            found.append(CollectiveRef(match.start(), match.end(), match.group(0), count, emergency, resolved, places))
    merged = merge(found)
    for ref in merged:
        ref.text = text[ref.start : ref.end]
    return merged


def merge(refs: list[CollectiveRef]) -> list[CollectiveRef]:
    """Overlapping or adjacent references are one ("tre akutsjukhus – i A, B och C"); places beat a bare count."""
    refs.sort(key=lambda r: (r.start, -r.end))
    merged: list[CollectiveRef] = []
    for ref in refs:
        last = merged[-1] if merged else None
        if last and ref.start <= last.end + 1:
            if ref.places and not last.places:
                last.hospitals, last.places = ref.hospitals, ref.places
            elif not last.hospitals:
                last.hospitals = ref.hospitals
            last.count = last.count or ref.count
            last.emergency = last.emergency or ref.emergency
            last.end = max(last.end, ref.end)
            continue
        merged.append(ref)
    return merged


@cache
def hospital_services() -> frozenset[str]:
    """Concept IRIs of services given at hospitals (narrower than the configured roots), for "BB i X"."""
    from ontology.terms import entity_iri

    lex = lexicon()["collective"]
    broader = {r["slug"]: r.get("broader", "") for r in rows("services.csv")}

    def under(slug: str) -> bool:
        seen = set()
        while slug and slug not in seen:
            if slug in lex["hospital_service_roots"]:
                return True
            seen.add(slug)
            slug = broader.get(slug, "")
        return False

    return frozenset(entity_iri("concept", s) for s in broader if under(s) and s not in lex["hospital_service_exclude"])


def hospital_in_town(region: str, town: str) -> Entry | None:
    key = stem(town)
    return next((h for h in region_hospitals(region) if stem(h.fields.get("town", "")) == key), None)
