"""What a sentence speaks of: hospitals, services and concepts, by name, by place or collectively."""

from __future__ import annotations

import re
from functools import cache

from loaders.collective import collective_references, hospital_in_town, hospital_services, lexicon
from loaders.gazetteer import gazetteer
from loaders.records import Target
from loaders.stances.patterns import compiled, is_problem
from loaders.stances.records import Mention
from ontology.reference import Entry


def find_mentions(text: str, region: str) -> list[Mention]:
    """Hospitals and concepts named in the sentence, collective references, and hospital services "i <ort>"."""
    refs = collective_references(text, region)
    out: list[Mention] = []
    for ref in refs:
        for hospital in ref.hospitals:
            out.append(
                Mention(
                    ref.start,
                    ref.end,
                    Target(hospital.iri, hospital.label, "Hospital", ref.text, ref.count, ref.emergency),
                    "collective",
                )
            )
        if ref.emergency:
            slug = lexicon()["collective"]["emergency_concept"]
            concept = concept_entry(slug)
            if concept:
                out.append(
                    Mention(ref.start, ref.end, Target(concept.iri, concept.label, "Concept", ref.text), "collective")
                )
    seen = {(m.start, m.target.iri) for m in out}
    places = []
    for m in gazetteer(("Hospital", "Concept", "Municipality")).find(text):
        if any(r.start <= m.start < r.end or m.start <= r.start < m.end for r in refs):
            continue
        if (m.start, m.entry.iri) in seen or compiled()["exclude_mention"].match(text[m.start :]):
            continue
        seen.add((m.start, m.entry.iri))
        if m.entry.kind == "Municipality":
            places.append(m)
            continue
        if m.entry.kind == "Hospital" and m.entry.region != region and not names_hospital(m.text):
            continue  # "akademisk" is not Akademiska sjukhuset of another region
        problem = is_problem(m.text)
        out.append(
            Mention(m.start, m.end, Target(m.entry.iri, m.entry.label, m.entry.kind, m.text), "mention", problem)
        )
    out += place_hospitals(text, region, places, out)
    return sorted(out, key=lambda m: (m.start, m.target.iri))


def names_hospital(text: str) -> bool:
    nouns = lexicon()["collective"]["nouns"]
    return bool(re.search(r"(?:" + "|".join(nouns) + r")\b", text, re.IGNORECASE)) or text.isupper()


@cache
def concept_entry(slug: str) -> Entry | None:
    from ontology.reference import concepts

    return next((c for c in concepts() if c.iri.endswith("/" + slug)), None)


def place_hospitals(text: str, region: str, places, mentions: list[Mention]) -> list[Mention]:
    """ "BB och kvinnosjukvården i Sollefteå" → the hospital in Sollefteå, when the region has one there."""
    lex = lexicon()
    services = hospital_services()
    out = []
    for place in places:
        before = text[: place.start].split()
        if not before or before[-1].lower() not in lex["binding"]["location_prepositions"]:
            continue
        hospital = hospital_in_town(region, place.entry.label)
        if hospital is None:
            continue
        window = lex["collective"]["place_window"]
        near = [
            m
            for m in mentions
            if m.target.iri in services and m.end <= place.start and len(text[m.end : place.start].split()) <= window
        ]
        if near:
            out.append(
                Mention(place.start, place.end, Target(hospital.iri, hospital.label, "Hospital", place.text), "place")
            )
    return out
