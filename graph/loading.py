"""Load documents into a store: extract first, then swap the proposal's named graph in one step.

A document that fails to extract never touches the store, so the graph stays as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.extracted import Extracted, extracted
from graph.inference import recompute_inferred
from graph.parsing import QUEUED, Limits, Parsed, Pool, Task, read
from loaders.read import DocumentError
from loaders.version import EXTRACTOR_VERSION
from ontology.reference import reference_quads
from ontology.terms import (
    GRAPH,
    ONTOLOGY_FILE,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    graph_iri,
    is_inferred_graph,
)

FLUSH_EVERY = 10  # documents between store flushes during a folder load (RocksDB holds writes in memory until then)
BULK_BYTES = 64 * 2**20  # N-Triples of new graphs gathered for one bulk write (about 50 documents)
RESERVED = {REFERENCE_GRAPH, ONTOLOGY_GRAPH}
DOCUMENT_SUFFIXES = {".txt", ".pdf", ".docx", ".html", ".htm"}  # what a folder load picks up; each read by content


@dataclass
class LoadResult:
    slug: str
    source_file: str
    status: str  # added | replaced | unchanged | failed
    triples: int
    measures: int
    goals: int
    regions: frozenset[str] = frozenset()  # regions whose inferred graph this load makes stale
    cause: str = ""  # why a failed document was not loaded (names the file)


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

    def is_current(self, doc: Extracted) -> bool:
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


def choose_slug(store, doc: Extracted) -> str:
    """Keep the readable slug unless another file already owns it."""
    found = existing(store, doc.slug)
    if found and found.source_file != doc.source_file:
        return f"{doc.slug}-{doc.content_hash[:6]}"
    return doc.slug


def load_bytes(store, data: bytes, name: str, infer: bool = True) -> LoadResult:
    """Extract and store one document; re-loading the same file replaces its graph."""
    return store_document(store, extracted(data, name), lambda slug: extracted(data, name, slug), infer)


def load_read(store, doc: Extracted, source: Path) -> LoadResult:
    """Store a document read elsewhere (an upload, read in a worker under the parse limits) from this file; its bytes
    are read here only if the slug is taken and the document must be extracted again under another."""
    return store_document(store, doc, lambda slug: extracted(source.read_bytes(), doc.source_file, slug))


def store_document(store, doc: Extracted, again, infer: bool = True) -> LoadResult:
    """Store an extracted document under its slug (`again(slug)` re-extracts it when another file owns the slug)."""
    slug = choose_slug(store, doc)
    return put(store, doc if slug == doc.slug else again(slug), infer)


def put(store, doc: Extracted, infer: bool) -> LoadResult:
    """Write a document's graph under its slug, unless the store holds it as it is (reference data first, if new)."""
    ensure_reference_once(store)
    before = existing(store, doc.slug)
    if before and before.is_current(doc):
        return LoadResult(doc.slug, doc.source_file, "unchanged", doc.triples, doc.measures, doc.goals)
    regions = graph_regions(store, doc.slug) | ({doc.region} if doc.region else set())
    store.load_graph(doc.graph, doc.whole)
    if infer:
        recompute_inferred(store, regions)
    status = "replaced" if before else "added"
    return LoadResult(doc.slug, doc.source_file, status, doc.triples, doc.measures, doc.goals, frozenset(regions))


def ensure_reference_once(store) -> None:
    if REFERENCE_GRAPH not in store.graphs():
        ensure_reference(store)


@dataclass
class NewGraphs:
    """Documents of a folder load whose graph the store does not hold yet, written together by one bulk write."""

    store: Any  # an EmbeddedStore or a RemoteStore
    pending: dict[str, Extracted] = field(default_factory=dict)  # slug → document
    size: int = 0

    def __contains__(self, slug: str) -> bool:
        return slug in self.pending

    def take(self, doc: Extracted) -> LoadResult | None:
        """Queue a document for the next bulk write and describe it as added; None if the store holds its graph."""
        if self.store.holds_graph(doc.graph):
            return None
        self.pending[doc.slug] = doc
        self.size += len(doc.ntriples)
        if self.size >= BULK_BYTES:
            self.write()
        regions = frozenset({doc.region} if doc.region else ())
        return LoadResult(doc.slug, doc.source_file, "added", doc.triples, doc.measures, doc.goals, regions)

    def write(self) -> None:
        if self.pending:
            self.store.add_graphs([(doc.graph, doc.ntriples, doc.seal) for doc in self.pending.values()])
            self.store.flush()
        self.pending, self.size = {}, 0


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


def default_jobs() -> int:
    """One extracting worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


def stored_documents(store) -> dict[tuple[str, str], str]:
    """(source file, content hash) → slug of every proposal the current extractor made: files that need no reading."""
    rows = store.select(
        "SELECT ?g ?file ?hash WHERE { GRAPH ?g { ?p pkg:sourceFile ?file ; pkg:contentHash ?hash ; "
        f'pkg:extractorVersion "{EXTRACTOR_VERSION}" }} }}'
    )
    return {(r["file"].value, r["hash"].value): r["g"].value.removeprefix(GRAPH) for r in rows}


def fingerprint(path: Path) -> tuple[str, str] | None:
    """What the store records of a file's bytes (its name and SHA-256); None if it cannot be read."""
    try:
        return path.name, hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader reports why


def unchanged(store, slug: str, path: Path) -> LoadResult:
    """A file stored as it is, by the current extractor: described from the store, not read again."""
    graph = graph_iri(slug)
    row = store.select(
        f"SELECT ?t ?m ?g WHERE {{ {{ SELECT (COUNT(*) AS ?t) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} "
        f"{{ SELECT (COUNT(?x) AS ?m) WHERE {{ GRAPH <{graph}> {{ ?x a pkg:Measure }} }} }} "
        f"{{ SELECT (COUNT(?y) AS ?g) WHERE {{ GRAPH <{graph}> {{ ?y a pkg:Goal }} }} }} }}"
    )[0]
    return LoadResult(slug, path.name, "unchanged", int(row["t"].value), int(row["m"].value), int(row["g"].value))


def read_here(tasks: list[Task]) -> Iterator[Parsed]:
    """Read and extract in this process (no limits): a document that cannot be read is reported, not raised."""
    for index, task in enumerate(tasks):
        try:
            yield Parsed(index, task.name, document=read(task))
        except DocumentError as err:
            yield Parsed(index, task.name, error=err)
        except OSError as err:
            yield Parsed(index, task.name, error=DocumentError(f"{task.name}: cannot be read ({err.strerror})"))


@contextmanager
def extraction(jobs: int, limits: Limits | None) -> Iterator[Callable[[list[Task]], Iterator[Parsed]]]:
    """Tasks to parsed documents in task order: in `jobs` worker processes under the limits, or here when jobs is 0."""
    if jobs < 1:
        yield read_here
        return
    with Pool(jobs, limits or Limits(), queued=QUEUED) as pool:
        yield pool.parse


def write(store, parsed: Parsed, path: Path, new: NewGraphs) -> LoadResult | Task:
    """Store one extracted document (a new graph with the next bulk write) or describe why it failed; one whose slug
    another file owns comes back as the task to extract it again under a slug of its own (in a worker, after the
    others: not here, beside the writes)."""
    if parsed.error:
        return LoadResult("", str(path), "failed", 0, 0, 0, cause=str(parsed.error))
    doc = parsed.result()
    if doc.slug in new:
        new.write()  # so that the store answers who owns the slug
    slug = choose_slug(store, doc)
    if slug != doc.slug:
        return Task(path, path.name, slug)
    return new.take(doc) or put(store, doc, infer=False)


def write_all(
    store, todo: Iterable[tuple[int, Task]], parsed: Iterator[Parsed], results: dict[int, LoadResult]
) -> list[tuple[int, Task]]:
    """Write each task's document in task order into results (by file index), flushing every few; returns the
    tasks to extract again under another slug."""
    again = []
    new = NewGraphs(store)
    for count, ((index, task), outcome) in enumerate(zip(todo, parsed, strict=True), start=1):
        assert isinstance(task.source, Path)  # a folder load reads files
        written = write(store, outcome, task.source, new)
        if isinstance(written, Task):
            again.append((index, written))
        else:
            results[index] = written
        if count % FLUSH_EVERY == 0:
            store.flush()  # written data is held in memory until flushed; keep the footprint flat
    new.write()
    return again


def load_paths(
    store, paths: list[Path], progress=None, jobs: int = 0, limits: Limits | None = None
) -> list[LoadResult]:
    """Load files and folders (the text, PDF, DOCX and HTML files inside folders); inference runs once at the end, for
    the regions the files touched (and, as on every recompute, those whose inferred graph older rules made).
    A file stored with the same bytes by the same extractor is skipped before it is read; a file that fails is
    reported (status "failed", its cause) and the others still load. With jobs >= 1, that many worker processes
    read, extract and serialise under `limits` and this process alone writes, in file order, then the documents
    whose slug an earlier file took, extracted again under their own (the same graph as jobs 0)."""
    files = expand(paths)
    ensure_reference_once(store)
    known = stored_documents(store)
    results: dict[int, LoadResult] = {}
    todo: list[tuple[int, Task]] = []
    for index, path in enumerate(files):
        key = fingerprint(path)
        slug = known.get(key) if key else None
        if slug:
            results[index] = unchanged(store, slug, path)
        else:
            todo.append((index, Task(path, path.name)))
    with extraction(min(jobs, len(todo)), limits) as parse:
        while todo:
            parsed = parse([task for _, task in todo])
            todo = write_all(store, progress(todo) if progress else todo, parsed, results)
    recompute_inferred(store, {region for r in results.values() for region in r.regions}, threads=max(jobs, 1))
    return [results[index] for index in range(len(files))]


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
