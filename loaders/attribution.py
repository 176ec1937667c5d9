"""Measures → who proposes them: the document's authors, or the parties a section heading names."""

from __future__ import annotations

import re

from loaders.metadata import doc_region, party_actor
from loaders.parties import parties_in
from loaders.records import Document


def section_authors(doc: Document, section: int) -> list[str]:
    """Parties named together in an enclosing heading ("C, SJVP och KD:s gemensamma …")."""
    while section >= 0:
        named = parties_in(doc.sections[section].title, doc_region(doc))
        if len(named) >= 2:
            for entry in named:
                doc.actors.setdefault(entry.iri, party_actor(entry))
            return [e.iri for e in named]
        section = doc.sections[section].parent
    return []


def author_iris(doc: Document) -> list[str]:
    """Coalitions propose as a whole; their member parties are linked through org:hasMember."""
    return [a.iri for a in doc.authors]


WE_LIST = re.compile(r"\b[Vv]i \(([^)]{1,40})\)")


def named_we(doc: Document, text: str) -> list[str]:
    """ "Vi (C, SJVP, KD) vill …" names its authors inline."""
    match = WE_LIST.search(text)
    named = parties_in(match.group(1), doc_region(doc)) if match else []
    for entry in named:
        doc.actors.setdefault(entry.iri, party_actor(entry))
    return [e.iri for e in named]


def attribute(doc: Document) -> Document:
    for measure in doc.measures:
        inline = named_we(doc, measure.quote or measure.text)
        measure.actors = inline or section_authors(doc, measure.section) or author_iris(doc)
    return doc
