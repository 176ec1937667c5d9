"""A document as the store takes it, made where it was read: a worker extracts, builds the graph's triples and
serialises them, so the one writing process only ingests bytes (no quad objects to build, no Document to unpickle).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from loaders.pipeline import extract
from loaders.records import Document
from loaders.triples import to_quads
from ontology.terms import PKG, graph_iri

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#positiveInteger"
EXTRACTOR_VERSION = ox.NamedNode(PKG + "extractorVersion")


@dataclass(frozen=True)
class Extracted:
    """One document's graph as N-Triples (its graph name is the slug's) and what a load reports about it."""

    slug: str
    source_file: str
    content_hash: str
    region: str | None  # the region's IRI
    triples: int
    measures: int
    goals: int
    ntriples: bytes  # all but the seal
    seal: bytes  # the triple that marks the graph complete (its extractor version): written last by a bulk load

    @property
    def graph(self) -> str:
        return graph_iri(self.slug)

    @property
    def whole(self) -> bytes:
        """The graph's N-Triples, seal included."""
        return self.ntriples + self.seal


def extracted(data: bytes, name: str, slug: str | None = None) -> Extracted:
    """Extract a document and serialise its graph (the slug minted from metadata unless the caller fixes it)."""
    doc = extract(data, name, slug=slug)
    quads = with_provenance(doc, to_quads(doc))
    seal = [q.triple for q in quads if q.predicate == EXTRACTOR_VERSION]
    body = [q.triple for q in quads if q.predicate != EXTRACTOR_VERSION]
    return Extracted(
        doc.slug,
        doc.source_file,
        doc.content_hash,
        doc.region.iri if doc.region else None,
        len(quads),
        len(doc.measures),
        len(doc.goals),
        ox.serialize(body, format=ox.RdfFormat.N_TRIPLES) or b"",  # None only when writing to a file
        ox.serialize(seal, format=ox.RdfFormat.N_TRIPLES) or b"",
    )


def with_provenance(doc: Document, quads: list[ox.Quad]) -> list[ox.Quad]:
    """The normalised text the line numbers count (pkg:normalisedText, pkg:sourceFormat on the proposal) and, for a
    paged source (PDF), pkg:sourcePage beside every pkg:sourceLine."""
    graph = ox.NamedNode(graph_iri(doc.slug))
    proposal = ox.NamedNode(doc.iri)
    extra = [
        ox.Quad(proposal, ox.NamedNode(PKG + "normalisedText"), ox.Literal("\n".join(doc.lines)), graph),
        ox.Quad(proposal, ox.NamedNode(PKG + "sourceFormat"), ox.Literal(doc.source_format), graph),
    ]
    if doc.pages:
        line_predicate = ox.NamedNode(PKG + "sourceLine")
        page_predicate = ox.NamedNode(PKG + "sourcePage")
        for quad in quads:
            line = quad.object
            if (
                quad.predicate == line_predicate
                and isinstance(line, ox.Literal)
                and 1 <= int(line.value) <= len(doc.pages)
            ):
                page = ox.Literal(str(doc.pages[int(line.value) - 1]), datatype=ox.NamedNode(XSD_INTEGER))
                extra.append(ox.Quad(quad.subject, page_predicate, page, graph))
    return quads + extra
