"""Reference data: CSV files in ontology/reference → entries for matching and RDF for the store."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ontology.terms import (
    DCTERMS,
    ORG,
    PKG,
    RDF,
    RDFS,
    REFERENCE_DIR,
    REFERENCE_GRAPH,
    SKOS,
    XSD,
    Term,
    entity_iri,
)


@dataclass(frozen=True)
class Entry:
    """One reference thing with the names it goes by in text."""

    iri: str
    label: str
    kind: str  # Region | Municipality | Hospital | Party | Coalition | Committee | Concept
    names: tuple[str, ...]
    notation: str = ""
    region: str = ""  # region slug
    fields: dict = field(default_factory=dict, compare=False, hash=False)


def rows(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    path = directory / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        ]


def split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


@cache
def regions() -> tuple[Entry, ...]:
    return tuple(
        Entry(
            entity_iri("region", r["slug"]),
            r["name"],
            "Region",
            (r["name"], r["official_name"], r["county"], *split(r.get("aliases", ""))),
            r.get("county_code", ""),
            r["slug"],
            r,
        )
        for r in rows("regions.csv")
    )


@cache
def municipalities() -> tuple[Entry, ...]:
    """Municipalities as places; the rare slug clash (Håbo/Habo) is split by municipality code."""
    from collections import Counter

    from loaders.read import slug_for

    table = rows("municipalities.csv")
    clashes = Counter(slug_for(r["name"]) for r in table)

    def slug(r: dict[str, str]) -> str:
        base = slug_for(r["name"])
        return f"{base}-{r['code']}" if clashes[base] > 1 else base

    return tuple(
        Entry(
            entity_iri("place", slug(r)),
            r["name"],
            "Municipality",
            (r["name"], *split(r.get("aliases", ""))),
            r["code"],
            r["region_slug"],
            r,
        )
        for r in table
    )


@cache
def hospitals() -> tuple[Entry, ...]:
    return tuple(
        Entry(
            entity_iri("hospital", r["slug"]),
            r["name"],
            "Hospital",
            (r["name"], *split(r.get("aliases", ""))),
            "",
            r["region_slug"],
            r,
        )
        for r in rows("hospitals.csv")
    )


@cache
def parties() -> tuple[Entry, ...]:
    return tuple(
        Entry(
            entity_iri("party", r["slug"]),
            r["name"],
            "Party",
            (r["name"], *split(r.get("aliases", ""))),
            r["abbr"],
            r.get("region_slug", ""),
            r,
        )
        for r in rows("parties.csv")
    )


@cache
def coalitions() -> tuple[Entry, ...]:
    return tuple(
        Entry(
            entity_iri("coalition", r["slug"]),
            r["name"],
            "Coalition",
            (r["name"], *split(r.get("aliases", ""))),
            "",
            "",
            r,
        )
        for r in rows("coalitions.csv")
    )


@cache
def committees() -> tuple[Entry, ...]:
    return tuple(
        Entry(
            entity_iri("committee", r["slug"]),
            r["name"],
            "Committee",
            (r["name"], *split(r.get("aliases", ""))),
            r.get("abbr", ""),
            "",
            r,
        )
        for r in rows("committees.csv")
    )


@cache
def concepts() -> tuple[Entry, ...]:
    return tuple(
        Entry(
            entity_iri("concept", r["slug"]),
            r["pref_label_sv"],
            "Concept",
            (r["pref_label_sv"], *split(r.get("alt_labels_sv", ""))),
            "",
            "",
            r,
        )
        for r in rows("services.csv")
    )


@cache
def global_goals() -> dict[int, tuple[str, ...]]:
    """The UN's 17 global goals by number, with the Swedish names plans print them under."""
    return {int(r["number"]): (r["name"], *split(r.get("aliases", ""))) for r in rows("global_goals.csv")}


@cache
def all_entries() -> tuple[Entry, ...]:
    groups = (regions, municipalities, hospitals, parties, coalitions, committees, concepts)
    return tuple(entry for group in groups for entry in group())


@cache
def party_by_notation() -> dict[str, Entry]:
    """Abbreviation (upper case) → party; regional parties never shadow Riksdag ones."""
    table: dict[str, Entry] = {}
    for entry in sorted(parties(), key=lambda e: e.fields.get("kind") == "riksdag"):
        table[entry.notation.upper()] = entry
    return table


def region_entry(slug: str) -> Entry | None:
    return next((e for e in regions() if e.region == slug), None)


# --- RDF ------------------------------------------------------------------------------------


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


CLASS_OF = {
    "Region": ["Region"],
    "Municipality": ["Municipality", "Place"],
    "Hospital": ["Hospital", "Service"],
    "Party": ["Party", "Actor"],
    "Coalition": ["Coalition", "Actor"],
    "Committee": ["Committee", "Service"],
}


def entry_triples(entry: Entry) -> list[tuple[str, str, Term]]:
    """The triples that describe one entry (subject IRI, predicate IRI, object)."""
    s = entry.iri
    out: list[tuple[str, str, Term]] = [(s, RDFS + "label", _lit(entry.label, "sv"))]
    if entry.kind == "Concept":
        out += [
            (s, RDF + "type", ox.NamedNode(SKOS + "Concept")),
            (s, SKOS + "prefLabel", _lit(entry.label, "sv")),
            (s, SKOS + "inScheme", ox.NamedNode(entity_iri("scheme", "services"))),
        ]
        if entry.fields.get("pref_label_en"):
            out.append((s, SKOS + "prefLabel", _lit(entry.fields["pref_label_en"], "en")))
        if entry.fields.get("broader"):
            out.append((s, SKOS + "broader", ox.NamedNode(entity_iri("concept", entry.fields["broader"]))))
    for cls in CLASS_OF.get(entry.kind, []):
        out.append((s, RDF + "type", ox.NamedNode(PKG + cls)))
    if entry.kind == "Party":
        out.append((s, RDF + "type", ox.NamedNode(ORG + "Organization")))
    out += [(s, SKOS + "altLabel", _lit(name, "sv")) for name in set(entry.names) - {entry.label}]
    if entry.notation:
        out.append((s, SKOS + "notation", _lit(entry.notation)))
    if entry.region and entry.kind != "Region":
        out.append((s, PKG + "inRegion", ox.NamedNode(entity_iri("region", entry.region))))
    return out + _specific_triples(entry)


def _specific_triples(entry: Entry) -> list[tuple[str, str, Term]]:
    s, f = entry.iri, entry.fields
    out: list[tuple[str, str, Term]] = []
    if entry.kind == "Hospital":
        out += [
            (s, PKG + "town", _lit(f.get("town", ""))),
            (s, PKG + "emergency", _lit(str(f.get("emergency") == "yes").lower(), datatype=XSD + "boolean")),
            (s, PKG + "university", _lit(str(f.get("university") == "yes").lower(), datatype=XSD + "boolean")),
            (s, PKG + "category", ox.NamedNode(entity_iri("concept", "akutsjukhus"))),
        ]
    if entry.kind == "Coalition":
        members = [party_by_notation().get(m.upper()) for m in split(f.get("members", ""))]
        out += [(s, ORG + "hasMember", ox.NamedNode(m.iri)) for m in members if m]
    if entry.kind == "Region" and f.get("seat"):
        out.append((s, PKG + "seat", _lit(f["seat"])))
    return out


def reference_quads() -> list[ox.Quad]:
    """All reference data as quads in the reference graph."""
    graph = ox.NamedNode(REFERENCE_GRAPH)
    quads = [
        ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph)
        for entry in all_entries()
        for s, p, o in entry_triples(entry)
    ]
    scheme = ox.NamedNode(entity_iri("scheme", "services"))
    quads.append(ox.Quad(scheme, ox.NamedNode(RDF + "type"), ox.NamedNode(SKOS + "ConceptScheme"), graph))
    quads.append(ox.Quad(scheme, ox.NamedNode(DCTERMS + "title"), _lit("Tjänster och politikområden", "sv"), graph))
    return quads
