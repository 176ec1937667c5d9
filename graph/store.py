"""The embedded on-disk store: pyoxigraph (RocksDB). Named graphs are replaced atomically."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

try:
    import resource
except ImportError:  # no `resource` module on Windows: stores open with pyoxigraph's own choice there
    resource = None  # type: ignore[assignment]

import pyoxigraph as ox

from ontology.terms import PREFIXES, SPARQL_PREFIXES, Term


def quad_text(quad: ox.Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} ."


def named_node(iri: str) -> ox.NamedNode | None:
    """The IRI as a term, or None when no IRI is spelled so (an id with a space or ">" names nothing)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def solution_row(names: list[str], row: ox.QuerySolution) -> dict[str, Term]:
    """One solution as {variable: term}, unbound variables left out."""
    return {n: term for n, term in zip(names, row, strict=True) if term is not None}


def solution_rows(solutions: ox.QuerySolutions) -> list[dict[str, Term]]:
    """SELECT solutions as {variable: term} dicts."""
    names = [v.value for v in solutions.variables]
    return [solution_row(names, row) for row in solutions]


# pyoxigraph sets RocksDB's max_open_files to the soft RLIMIT_NOFILE minus 48 when it opens a store (and refuses
# a limit below 96). Each open table file keeps its index blocks in memory, outside any cache (oxigraph leaves
# cache_index_and_filter_blocks off), so the number of open table files is what grows with the store's size.
OXIGRAPH_RESERVED_FILES = 48
OXIGRAPH_MIN_FILE_LIMIT = 96
MIN_OPEN_FILES = OXIGRAPH_MIN_FILE_LIMIT - OXIGRAPH_RESERVED_FILES


@contextlib.contextmanager
def table_files_limited_to(open_files: int) -> Iterator[None]:
    """Lower the soft file limit while pyoxigraph opens a store, then restore it: RocksDB keeps the number of table
    files it derived (its table cache closes the least recently used beyond it), the process keeps its limit."""
    if not open_files or resource is None:
        yield
        return
    if open_files < MIN_OPEN_FILES:
        raise ValueError(f"open_files must be at least {MIN_OPEN_FILES} (pyoxigraph's minimum), not {open_files}")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = open_files + OXIGRAPH_RESERVED_FILES
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def graph_quads(graph: str, ntriples: bytes) -> list[ox.Quad]:
    """N-Triples as the quads of one named graph."""
    node = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, node) for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def as_nquads(graph: str, ntriples: bytes) -> bytes:
    """N-Triples as N-Quads of one named graph (a raw newline only ever ends a statement in N-Triples)."""
    return ntriples.replace(b" .\n", f" <{graph}> .\n".encode())


def replace_graph_update(graph: str, quads: Iterable[ox.Quad]) -> str:
    """One SPARQL update that drops a graph and inserts its new content: one transaction."""
    body = "\n".join(quad_text(q) for q in quads)
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


class EmbeddedStore:
    """pyoxigraph on disk (or in memory with path=None). Queries see the union of all graphs.

    `open_files` (0: pyoxigraph's choice, near the process's file limit) caps the table files RocksDB keeps open,
    and with them the index memory that otherwise grows with the store."""

    kind = "embedded"
    MEMO_SIZE = 32

    def __init__(self, path: Path | None, read_only: bool = False, open_files: int = 0):
        self.path = path
        self.read_only = read_only
        self._memo: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()  # readers on the event loop and in the threadpool share the memo
        self._generation = 0  # counts writes begun and finished
        if path is None:
            self.store = ox.Store()
            return
        with table_files_limited_to(open_files):
            if read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))

    def query(self, sparql: str, union: bool = True):
        """Run a SPARQL query; the project prefixes (pkg:, rdfs:, dcterms: …) are predeclared.

        Raises SyntaxError with the parser's message when the query is malformed.
        """
        return self.store.query(sparql, use_default_graph_as_union=union, prefixes=PREFIXES)

    def select(self, sparql: str) -> list[dict[str, Term]]:
        """A SELECT with the project prefixes, as a list of {variable: term}."""
        return solution_rows(self.query(SPARQL_PREFIXES + sparql))

    def ask(self, sparql: str) -> bool:
        return bool(self.query(SPARQL_PREFIXES + sparql))

    def memo(self, key: str, compute: Callable[[], object]) -> object:
        """A derived answer kept until this process next writes (a read-only open never changes underneath us;
        a writable one is only written through this object). Least recently used entries go first. An answer
        computed while a write was under way is returned but not kept: it may predate the write."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            generation = self._generation
        value = compute()
        with self._lock:
            if generation == self._generation:
                self._memo[key] = value
                if len(self._memo) > self.MEMO_SIZE:
                    self._memo.popitem(last=False)
        return value

    @property
    def generation(self) -> int:
        """Changes when a write begins and when it ends: query workers reopen their read-only view on a change."""
        return self._generation

    def _forget(self) -> None:
        """Called before and after every write: the memo empties and answers begun meanwhile are not kept."""
        with self._lock:
            self._generation += 1
            self._memo.clear()

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """Atomic either way. A graph written for the first time (every document of a bulk load, every region's
        first inference) goes in by `extend`, one transaction without a SPARQL text to build and parse: half the
        memory of the update for the same quads."""
        self._forget()
        node = ox.NamedNode(graph)
        if not self._holds(None, None, None, node):
            self.store.extend(ox.Quad(q.subject, q.predicate, q.object, node) for q in quads)
        else:
            self.store.update(replace_graph_update(graph, quads))
        self._forget()

    def load_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace a graph with N-Triples (serialised where the document was extracted), atomically. A new graph, every
        document of a bulk load, is parsed and written by pyoxigraph in one transaction (`load`: no quad objects
        built here); `bulk_load` was ~15 % cheaper but is not atomic and leaves table files per document to compact."""
        node = ox.NamedNode(graph)
        if self._holds(None, None, None, node):
            self.replace_graph(graph, graph_quads(graph, ntriples))
            return
        self._forget()
        self.store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        self._forget()

    def add_graphs(self, graphs: list[tuple[str, bytes, bytes]]) -> None:
        """Write graphs the store does not hold yet, as (graph, N-Triples, seal N-Triples), in one bulk load: about half
        the CPU of one transaction per graph (docs/benchmarks.md, finding 41). A bulk load is not atomic, so the seals
        (the triples that mark a graph complete) go in afterwards, in one transaction: a load cut short leaves graphs
        without their seal, which the next load of their files replaces. Blank nodes would be shared across the
        graphs of one load; extracted graphs have none."""
        self._forget()
        try:
            body = b"".join(as_nquads(graph, ntriples) for graph, ntriples, _ in graphs)
            self.store.bulk_load(body, format=ox.RdfFormat.N_QUADS, lenient=True)
            seals = b"".join(as_nquads(graph, seal) for graph, _, seal in graphs)
            self.store.load(seals, format=ox.RdfFormat.N_QUADS)
        except BaseException:
            for graph, _, _ in graphs:  # what the bulk load wrote of them
                self.store.remove_graph(ox.NamedNode(graph))
            raise
        finally:
            self._forget()

    def holds_graph(self, graph: str) -> bool:
        """Whether any statement is in the named graph."""
        return self._holds(None, None, None, ox.NamedNode(graph))

    def drop_graph(self, graph: str) -> None:
        self._forget()
        self.store.update(f"DROP SILENT GRAPH <{graph}>")
        self._forget()

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterable[ox.Quad]:
        target = ox.NamedNode(graph) if graph else None
        return self.store.quads_for_pattern(None, None, None, target)

    def has_subject(self, iri: str) -> bool:
        """Whether any statement is about `iri` (an index seek)."""
        node = named_node(iri)
        return node is not None and self._holds(node, None, None, None)

    def _holds(self, *pattern: ox.NamedNode | None) -> bool:
        """Whether any quad matches (subject, predicate, object, graph); None matches anything."""
        return next(iter(self.store.quads_for_pattern(*pattern)), None) is not None

    def quads_touching(self, iris: Iterable[str]) -> Iterator[ox.Quad]:
        """Every quad with one of `iris` as its subject, then every one with it as its object, in index order."""
        for iri in iris:
            node = ox.NamedNode(iri)
            yield from self.store.quads_for_pattern(node, None, None, None)
            yield from self.store.quads_for_pattern(None, None, node, None)

    def first_values(self, subjects: Iterable[str], predicate: str) -> dict[str, str]:
        """Each subject's first value of `predicate` in index order, one index seek each. SPARQL's SAMPLE reads
        every value first, and a label repeated in every proposal that names a thing can be hundreds of them."""
        prop = ox.NamedNode(predicate)
        found: dict[str, str] = {}
        for subject in set(subjects):
            for quad in self.store.quads_for_pattern(ox.NamedNode(subject), prop, None, None):
                if not isinstance(quad.object, ox.Triple):
                    found[subject] = quad.object.value
                    break
        return found

    def size(self) -> int:
        return len(self.store)

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self.store.flush()
