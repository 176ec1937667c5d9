"""Measures → what they affect: hospitals, committees, services and places from reference data."""

from __future__ import annotations

from loaders.gazetteer import Mention, gazetteer
from loaders.records import Document, Measure, Target

TARGET_KINDS = ("Hospital", "Committee", "Concept")
PLACE_KINDS = ("Municipality",)


def as_target(mention: Mention) -> Target:
    kind = "Place" if mention.entry.kind == "Municipality" else mention.entry.kind
    return Target(mention.entry.iri, mention.entry.label, kind, mention.text)


def unique(targets: list[Target]) -> list[Target]:
    return list({t.iri: t for t in targets}.values())


def in_region(mention: Mention, region: str) -> bool:
    """Hospitals and places of another region are only kept when the region is unknown."""
    return not region or not mention.entry.region or mention.entry.region == region


def section_committee(doc: Document, measure: Measure) -> Target | None:
    """The committee named by the nearest heading or short line above a table row or list."""
    finder = gazetteer(("Committee",))
    for block in reversed(doc.blocks[: block_index(doc, measure)]):
        if block.kind in ("heading", "para") and len(block.text) < 120:
            mentions = finder.find(block.text)
            if mentions:
                return as_target(mentions[0])
        if block.kind == "heading" and block.marker:
            return None
    return None


def block_index(doc: Document, measure: Measure) -> int:
    return next(i for i, b in enumerate(doc.blocks) if b.line == measure.line)


def find_targets(doc: Document) -> Document:
    region = doc.region.iri.rsplit("/", 1)[-1] if doc.region else ""
    for measure in doc.measures:
        mentions = [m for m in gazetteer(TARGET_KINDS).find(measure.text) if in_region(m, region)]
        places = [m for m in gazetteer(PLACE_KINDS).find(measure.text) if in_region(m, region)]
        measure.targets = unique([as_target(m) for m in mentions])
        measure.places = unique([as_target(m) for m in places])
        named = [t for t in measure.targets if t.kind == "Committee"]
        if named and measure.text.lower().startswith(named[0].mention.lower()[:6]):
            measure.committee = named[0]
        elif measure.source in ("table", "list"):
            measure.committee = section_committee(doc, measure) or (named[0] if named else None)
    return doc
