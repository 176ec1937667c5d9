"""The extraction pipeline, composed in one visible place: each step takes and returns a Document."""

from __future__ import annotations

from collections.abc import Callable
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
from loaders.stances import extract_stances
from loaders.structure.blocks import normalise
from loaders.structure.furniture import mark_furniture
from loaders.structure.outline import outline
from loaders.structure.tables import find_tables
from loaders.targets import find_targets

Step = Callable[[Document], Document]

STEPS: list[tuple[str, Step]] = [
    ("furniture", mark_furniture),
    ("normalise", normalise),
    ("outline", outline),
    ("tables", find_tables),
    ("metadata", detect_metadata),
    ("goals", extract_goals),
    ("measures", extract_measures),
    ("prose", extract_prose),
    ("frames", extract_frames),
    ("targets", find_targets),
    ("attribution", attribute),
    ("relations", relate),
    ("goal_links", link_goals),
    ("stances", extract_stances),
]


def readable_slug(doc: Document) -> str:
    """{authors}-{region}-{first year}, e.g. "sjvp-vasternorrland-2025"; stable for the same text."""
    authors = "-".join(a.notation or a.label for a in doc.authors) or "okand"
    region = doc.region.iri.rsplit("/", 1)[-1] if doc.region else "region"
    year = str(doc.period[0]) if doc.period else "period"
    return slug_for(f"{authors}-{region}-{year}")


def extract(data: bytes, name: str, slug: str | None = None) -> Document:
    """Run every step; the slug is minted from metadata unless the caller fixes it."""
    doc = document_from_bytes(data, name, slug="pending")
    for _, step in STEPS[:5]:
        doc = step(doc)
    doc.slug = slug or readable_slug(doc)
    for _, step in STEPS[5:]:
        doc = step(doc)
    return doc


def extract_file(path: Path, slug: str | None = None) -> Document:
    return extract(path.read_bytes(), path.name, slug)
