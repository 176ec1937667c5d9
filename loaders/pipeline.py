"""The extraction pipeline, composed in one visible place: each step takes and returns a Document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.attribution import attribute
from loaders.classify import link_goals, relate
from loaders.frames import extract_frames
from loaders.goals import extract_goals
from loaders.measures import extract_measures
from loaders.metadata import detect_metadata
from loaders.prose import extract_prose
from loaders.read import document_from_bytes, slug_for
from loaders.records import Document
from loaders.stances.document import extract_stances
from loaders.structure.blocks import normalise
from loaders.structure.columns import repair_columns
from loaders.structure.furniture import mark_furniture
from loaders.structure.outline import outline
from loaders.structure.tables import find_tables
from loaders.targets import find_targets


@dataclass(frozen=True)
class Step:
    """One pipeline component: what it reads from the Document and what it fills in (checked at import)."""

    name: str
    run: Callable[[Document], Document]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


def readable_slug(doc: Document) -> str:
    """{authors}-{region}-{first year}, e.g. "sjvp-vasternorrland-2025"; stable for the same text."""
    authors = "-".join(a.notation or a.label for a in doc.authors) or "okand"
    region = doc.region.iri.rsplit("/", 1)[-1] if doc.region else "region"
    year = str(doc.period[0]) if doc.period else "period"
    return slug_for(f"{authors}-{region}-{year}")


def mint_slug(doc: Document) -> Document:
    """The slug every later IRI is minted from, from metadata unless the caller fixed it."""
    doc.slug = doc.slug if doc.slug != PENDING else readable_slug(doc)
    return doc


PENDING = "pending"
READ = ("lines", "headings", "source_file", "content_hash")  # what document_from_bytes fills in
METADATA = ("title", "region", "period", "authors", "co_authors", "signatories", "actors")

STEPS: list[Step] = [
    Step("columns", repair_columns, ("lines",), ("lines",)),
    Step("furniture", mark_furniture, ("lines",), ("furniture", "page_tails")),
    Step("normalise", normalise, ("lines", "furniture", "page_tails", "headings"), ("blocks",)),
    Step("outline", outline, ("blocks", "headings"), ("sections",)),
    Step("tables", find_tables, ("blocks", "sections"), ("tables",)),
    Step("metadata", detect_metadata, ("lines", "blocks", "sections"), METADATA),
    Step("slug", mint_slug, ("authors", "region", "period"), ("slug",)),
    Step("goals", extract_goals, ("sections", "blocks", "slug"), ("goals",)),
    Step("measures", extract_measures, ("blocks", "tables", "sections", "slug"), ("measures",)),
    Step("prose", extract_prose, ("blocks", "tables", "measures"), ("measures",)),
    Step("frames", extract_frames, ("lines", "blocks", "tables"), ("frames",)),
    Step("targets", find_targets, ("measures", "region"), ("measures",)),
    Step("attribution", attribute, ("measures", "authors", "sections"), ("measures", "actors")),
    Step("relations", relate, ("measures", "authors"), ("measures",)),
    Step("goal_links", link_goals, ("measures", "goals", "authors"), ("measures",)),
    Step("stances", extract_stances, ("blocks", "measures", "authors", "actors", "slug"), ("stances", "actors")),
]


def check_order(steps: list[Step]) -> None:
    """Every step runs after the steps that fill in what it reads; an out-of-order list fails at import."""
    filled = set(READ)
    for step in steps:
        missing = [name for name in step.requires if name not in filled]
        if missing:
            raise RuntimeError(f"pipeline step {step.name!r} runs before anything assigns {missing}")
        filled |= set(step.assigns)


check_order(STEPS)


def extract(data: bytes, name: str, slug: str | None = None) -> Document:
    """Run every step in order; the slug is minted from metadata unless the caller fixes it."""
    doc = document_from_bytes(data, name, slug=slug or PENDING)
    for step in STEPS:
        doc = step.run(doc)
    return doc


def extract_file(path: Path, slug: str | None = None) -> Document:
    return extract(path.read_bytes(), path.name, slug)
