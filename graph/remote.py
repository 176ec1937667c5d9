"""A remote SPARQL 1.1 server (Oxigraph server, Fuseki, …) behind the same interface as EmbeddedStore.

The API and the loaders only call query/select/ask/replace_graph/load_graph/add_graphs/holds_graph/drop_graph/
graphs/quads/size, so one process type can run against an embedded store or, to scale out, against a shared SPARQL
server.

Endpoints default to Oxigraph server's layout under one base URL: {base}/query, {base}/update and
{base}/store (Graph Store Protocol). Override them for other servers, e.g. Fuseki:

    POLICYKG_STORE_URL=http://fuseki:3030/ds          # {base}/query and {base}/update exist in Fuseki too
    POLICYKG_SPARQL_GSP_URL=http://fuseki:3030/ds/data
    POLICYKG_SPARQL_UNION_PARAM=                      # empty: do not send Oxigraph's union-default-graph

Queries see the union of all named graphs, like the embedded store. Oxigraph server does this per
request with the `union-default-graph` parameter; on Fuseki configure the dataset once instead
(TDB2: `tdb2:unionDefaultGraph true`), and no query needs rewriting.

Atomicity: a graph whose SPARQL update fits the server's update-size limit (Oxigraph: 1 MiB) is replaced
by one request "DROP SILENT GRAPH …; INSERT DATA …", which Oxigraph and Fuseki run in one transaction.
A larger graph that already exists is compared with what the server holds, and only the difference goes
("DELETE DATA …; INSERT DATA …", again one transaction): re-loading a document changes few statements.
Otherwise it is sent with a Graph Store Protocol PUT of N-Triples. Fuseki runs a PUT in one write
transaction. Oxigraph server clears the graph and then loads the body in a second transaction: for a new
graph readers see nothing and then everything, but over an existing graph a reader can see it empty for
that moment (only when the difference itself exceeds the limit, or the graph holds blank nodes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

import httpx
import pyoxigraph as ox

from graph.store import graph_quads, named_node, quad_text, replace_graph_update, solution_rows
from ontology.terms import SPARQL_PREFIXES, Term

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
OXIGRAPH_UNION_PARAM = "union-default-graph"
OXIGRAPH_UPDATE_LIMIT = 1_000_000  # Oxigraph server refuses SPARQL bodies over 1 MiB (form-encoded or not)


class RemoteStoreError(RuntimeError):
    """The SPARQL server answered with an error other than a malformed query, or could not be reached."""

    def __init__(self, message: str, status: int = 502):
        super().__init__(message)
        self.status = status


def _env(name: str, default: str | None = None) -> str | None:
    """An environment override; an empty value counts as set (it disables the union parameter)."""
    return os.environ.get(name, default)


class RemoteStore:
    """A SPARQL server over HTTP (one keep-alive connection pool). Queries see the union of all graphs."""

    kind = "remote"

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        gsp_url: str | None = None,
        union_param: str | None = None,
        update_limit: int | None = None,
        timeout: float | None = None,
        client: httpx.Client | None = None,
    ):
        base = url.rstrip("/")
        self.url = base
        self.query_url = query_url or _env("POLICYKG_SPARQL_QUERY_URL") or f"{base}/query"
        self.update_url = update_url or _env("POLICYKG_SPARQL_UPDATE_URL") or f"{base}/update"
        self.gsp_url = gsp_url or _env("POLICYKG_SPARQL_GSP_URL") or f"{base}/store"
        chosen = union_param if union_param is not None else _env("POLICYKG_SPARQL_UNION_PARAM", OXIGRAPH_UNION_PARAM)
        self.union_param = chosen or ""
        self.update_limit = update_limit or int(_env("POLICYKG_SPARQL_UPDATE_LIMIT") or OXIGRAPH_UPDATE_LIMIT)
        seconds = timeout or float(_env("POLICYKG_SPARQL_TIMEOUT") or 60)
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(seconds, connect=5.0),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    # --- HTTP ---------------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        """One request; a 400 becomes SyntaxError (the API answers 400), other failures RemoteStoreError."""
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as err:
            raise RemoteStoreError(f"cannot reach the SPARQL server at {url}: {err}", 503) from None
        if response.status_code == 400:
            raise SyntaxError(response.text.strip() or "the SPARQL server refused the request")
        if response.status_code >= 300:
            raise RemoteStoreError(
                f"{method} {url} answered HTTP {response.status_code}: {response.text.strip()[:500]}"
            )
        return response

    def _update(self, sparql: str) -> None:
        headers = {"Content-Type": "application/sparql-update"}
        self._send("POST", self.update_url, content=sparql.encode(), headers=headers)

    # --- the EmbeddedStore interface ------------------------------------------------------------

    def query(self, sparql: str, union: bool = True):
        """Run a SPARQL query remotely; returns what pyoxigraph's Store.query would return."""
        params = {self.union_param: ""} if union and self.union_param else None
        response = self._send(
            "POST",
            self.query_url,
            params=params,
            content=sparql.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT},
        )
        media = response.headers.get("content-type", RESULTS_JSON).split(";")[0].strip().lower()
        results_format = ox.QueryResultsFormat.from_media_type(media)
        if results_format is not None:
            return ox.parse_query_results(response.content, format=results_format)
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise RemoteStoreError(f"the SPARQL server answered with an unexpected media type {media!r}")
        return (quad.triple for quad in ox.parse(response.content, format=rdf_format))

    def select(self, sparql: str) -> list[dict[str, Term]]:
        """A SELECT with the project prefixes, as a list of {variable: term}."""
        return solution_rows(self.query(SPARQL_PREFIXES + sparql))

    def ask(self, sparql: str) -> bool:
        return bool(self.query(SPARQL_PREFIXES + sparql))

    def has_subject(self, iri: str) -> bool:
        node = named_node(iri)
        return node is not None and self.ask(f"ASK {{ {node} ?p ?o }}")

    def memo(self, key: str, compute: Callable[[], object]) -> object:
        """No memo: other clients may write to the server at any time."""
        return compute()

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """Swap a graph's content in one transaction whenever the server's size limit allows (see above)."""
        update = replace_graph_update(graph, quads)
        if not quads or self._fits(update):
            self._update(update)
            return
        old = set(self.quads(graph))
        if old and not _has_blank_nodes(old) and not _has_blank_nodes(quads):
            delta = delta_update(graph, old, set(quads))
            if delta is None:
                return
            if self._fits(delta):
                self._update(delta)
                return
        body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        self._send("PUT", self.gsp_url, params={"graph": graph}, content=body, headers={"Content-Type": N_TRIPLES})

    def load_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace a graph with N-Triples (serialised where the document was extracted), as `replace_graph` does."""
        self.replace_graph(graph, graph_quads(graph, ntriples))

    def add_graphs(self, graphs: list[tuple[str, bytes, bytes]]) -> None:
        """Write new graphs as (graph, N-Triples, seal N-Triples): one request each, as `load_graph` does."""
        for graph, ntriples, seal in graphs:
            self.load_graph(graph, ntriples + seal)

    def holds_graph(self, graph: str) -> bool:
        return self.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def _fits(self, update: str) -> bool:
        return len(update.encode()) <= self.update_limit

    def drop_graph(self, graph: str) -> None:
        self._update(f"DROP SILENT GRAPH <{graph}>")

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterable[ox.Quad]:
        """A graph's quads (or the whole dataset's), fetched with one SELECT that any server supports."""
        if graph:
            rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union=False)
            return _as_quads(rows, ox.NamedNode(graph))
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", union=False)
        return _as_quads(rows, None)

    def size(self) -> int:
        """The number of quads in the dataset (default graph plus every named graph)."""
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", union=False)
        return int(next(iter(rows))["n"].value)

    def flush(self) -> None:
        """Nothing is buffered here: every write is one finished HTTP request."""

    def close(self) -> None:
        self.client.close()


def delta_update(graph: str, old: set[ox.Quad], new: set[ox.Quad]) -> str | None:
    """One update that turns the graph's old statements into the new ones; None when nothing changes."""
    parts = []
    for verb, quads in (("DELETE", old - new), ("INSERT", new - old)):
        if quads:
            body = "\n".join(quad_text(q) for q in quads)
            parts.append(f"{verb} DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
    return " ;\n".join(parts) or None


def _has_blank_nodes(quads: Iterable[ox.Quad]) -> bool:
    """Blank nodes cannot be matched across requests, so such graphs are never sent as a difference."""
    return any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)


def _as_quads(rows: ox.QuerySolutions, graph: ox.NamedNode | None) -> Iterator[ox.Quad]:
    for row in rows:
        name = graph or row["g"] or ox.DefaultGraph()
        yield ox.Quad(row["s"], row["p"], row["o"], name)
