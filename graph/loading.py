"""Load documents into a store: extract first, then swap the proposal's named graph in one step.

A document that fails to extract never touches the store, so the graph stays as it was.
"""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.inference import recompute_inferred
from loaders.pipeline import extract
from loaders.records import Document
from loaders.triples import to_quads
from loaders.version import EXTRACTOR_VERSION
from ontology.reference import reference_quads
from ontology.terms import (
    GRAPH,
    ONTOLOGY_FILE,
    ONTOLOGY_GRAPH,
    PKG,
    REFERENCE_GRAPH,
    graph_iri,
    is_inferred_graph,
)

FLUSH_EVERY = 10  # documents between store flushes during a bulk load (RocksDB holds writes in memory until then)
RESERVED = {REFERENCE_GRAPH, ONTOLOGY_GRAPH}
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#positiveInteger"
DOCUMENT_SUFFIXES = {".txt", ".pdf", ".docx", ".html", ".htm"}  # what a folder load picks up; each read by content


@dataclass
class LoadResult:
    slug: str
    source_file: str
    status: str  # added | replaced | unchanged
    triples: int
    measures: int
    goals: int
    regions: frozenset[str] = frozenset()  # regions whose inferred graph this load makes stale


def ensure_reference(store) -> None:
    """Write reference data and the ontology once (and again when their files change)."""
    store.replace_graph(REFERENCE_GRAPH, reference_quads())
    ontology = list(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
    store.replace_graph(
        ONTOLOGY_GRAPH, [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ONTOLOGY_GRAPH)) for t in ontology]
    )


@dataclass(frozen=True)
class Stored:
    """What the store knows of a proposal graph: its file, the digest of its bytes and the extractor that read it."""

    source_file: str
    content_hash: str
    extractor_version: str | None

    def is_current(self, doc: Document) -> bool:
        return self.content_hash == doc.content_hash and self.extractor_version == EXTRACTOR_VERSION


def existing(store, slug: str) -> Stored | None:
    """The proposal already stored under slug, if any."""
    rows = store.select(
        f"SELECT ?file ?hash ?version WHERE {{ GRAPH <{graph_iri(slug)}> {{ ?p pkg:sourceFile ?file ; "
        "pkg:contentHash ?hash OPTIONAL { ?p pkg:extractorVersion ?version } } } LIMIT 1"
    )
    if not rows:
        return None
    version = rows[0].get("version")
    return Stored(rows[0]["file"].value, rows[0]["hash"].value, version.value if version else None)


def choose_slug(store, doc: Document) -> str:
    """Keep the readable slug unless another file already owns it."""
    found = existing(store, doc.slug)
    if found and found.source_file != doc.source_file:
        return f"{doc.slug}-{doc.content_hash[:6]}"
    return doc.slug


def load_bytes(store, data: bytes, name: str, infer: bool = True) -> LoadResult:
    """Extract and store one document; re-loading the same file replaces its graph."""
    return store_document(store, extract(data, name), lambda slug: extract(data, name, slug=slug), infer)


def store_document(store, doc: Document, again, infer: bool = True) -> LoadResult:
    """Store an extracted document under its slug (`again(slug)` re-extracts it when another file owns the slug)."""
    name = doc.source_file
    if REFERENCE_GRAPH not in store.graphs():
        ensure_reference(store)
    slug = choose_slug(store, doc)
    if slug != doc.slug:
        doc = again(slug)
    before = existing(store, slug)
    quads = with_provenance(doc, to_quads(doc))
    if before and before.is_current(doc):
        return LoadResult(slug, name, "unchanged", len(quads), len(doc.measures), len(doc.goals))
    regions = graph_regions(store, slug) | ({doc.region.iri} if doc.region else set())
    store.replace_graph(graph_iri(slug), quads)
    if infer:
        recompute_inferred(store, regions)
    status = "replaced" if before else "added"
    return LoadResult(slug, name, status, len(quads), len(doc.measures), len(doc.goals), frozenset(regions))


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
            if quad.predicate == line_predicate and 1 <= int(quad.object.value) <= len(doc.pages):
                page = ox.Literal(str(doc.pages[int(quad.object.value) - 1]), datatype=ox.NamedNode(XSD_INTEGER))
                extra.append(ox.Quad(quad.subject, page_predicate, page, graph))
    return quads + extra


def proposal_text(store, slug: str) -> tuple[str, str] | None:
    """The stored normalised text of a proposal and its source format, or None if no such proposal is stored."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        return None
    rows = store.select(
        f"SELECT ?text ?format WHERE {{ GRAPH <{graph_iri(slug)}> {{ ?p a pkg:Proposal ; pkg:normalisedText ?text "
        "OPTIONAL { ?p pkg:sourceFormat ?format } } } LIMIT 1"
    )
    if not rows:
        return None
    fmt = rows[0].get("format")
    return rows[0]["text"].value, fmt.value if fmt else "text"


def graph_regions(store, slug: str) -> set[str]:
    """The region(s) of the proposal stored under slug (none if it is not stored)."""
    graph = graph_iri(slug)
    rows = store.select(f"SELECT DISTINCT ?r WHERE {{ GRAPH <{graph}> {{ ?p a pkg:Proposal ; pkg:region ?r }} }}")
    return {r["r"].value for r in rows}


def extract_path(path: Path) -> Document:
    """A worker's task in a parallel load: read and extract one file (the store is the writer's alone)."""
    return extract(path.read_bytes(), path.name)


def extracted(files: list[Path], jobs: int):
    """(path, document) per file, in file order: extracted here, or by `jobs` worker processes."""
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield path, extract_path(path)
        return
    # no fork of a process holding an open store: workers fork from a clean server that has the extractor imported
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["loaders.pipeline", "loaders.formats.pdf"])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from zip(files, pool.map(extract_path, files), strict=True)


def load_paths(store, paths: list[Path], progress=None, jobs: int = 1) -> list[LoadResult]:
    """Load files and folders (the text, PDF, DOCX and HTML files inside folders); inference runs once at the end, for
    the regions the files touched (and, as on every recompute, those whose inferred graph older rules made).
    With jobs > 1, worker processes extract and this process alone writes, in file order (the same graph)."""
    files = expand(paths)
    results = []
    done = extracted(files, jobs)
    for count, path in enumerate(progress(files) if progress else files, start=1):
        _, doc = next(done)  # lazily: extracted now (one process) or as the workers finish (file order kept)
        again = lambda slug, p=path: extract(p.read_bytes(), p.name, slug=slug)  # noqa: E731
        results.append(store_document(store, doc, again, infer=False))
        if count % FLUSH_EVERY == 0:
            store.flush()  # written data is held in memory until flushed; keep the footprint flat
    recompute_inferred(store, {region for r in results for region in r.regions})
    return results


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return files


def proposal_graphs(store) -> list[str]:
    return [g for g in store.graphs() if g.startswith(GRAPH) and g not in RESERVED and not is_inferred_graph(g)]


def remove_proposal(store, slug: str) -> bool:
    graph = graph_iri(slug)
    if graph not in proposal_graphs(store):
        return False
    regions = graph_regions(store, slug)
    store.drop_graph(graph)
    recompute_inferred(store, regions)
    return True
