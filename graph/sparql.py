"""Guarded SPARQL execution for untrusted queries: read-only, no SERVICE, time and row limits.

`answer` is one query from text to response body: guard, run, serialise. The server runs it in killable worker
processes (graph/query_pool.py); `run` is the command line's in-process form.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox

from graph import results
from graph.sparql_guard import verdict
from graph.store import solution_row
from ontology.terms import PREFIXES

TIMED_OUT = [0]  # queries stopped (or, without worker processes, answered 503) at the time limit, for /metrics
REJECTED = [0]  # queries answered 429: every worker busy and the queue full, or the client over its share


class QueryRefused(ValueError):
    """A query we will not run; `status` is the HTTP status to answer with, `headers` go with it."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers


@dataclass
class Result:
    form: str  # select | ask | graph
    variables: list[str]
    rows: list[dict]
    triples: list[ox.Triple]
    answer: bool = False


class Answer(NamedTuple):
    """A query's HTTP answer as it crosses from a worker process: a body and its media type, or a refusal."""

    status: int
    body: bytes = b""
    media: str = ""
    error: str = ""


def check(query: str) -> None:
    """Refuse updates, federated SERVICE calls and unreadable queries, from the parser's tree (graph/sparql_guard)."""
    refused = verdict(query)
    if refused:
        raise QueryRefused(refused[1], refused[0])


def collect(store, query: str, max_rows: int) -> Result:
    try:
        raw = store.query(query)
    except SyntaxError as err:
        raise QueryRefused(f"malformed SPARQL query: {err}") from None
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        rows: list[dict] = []
        for row in raw:
            if len(rows) >= max_rows:
                raise QueryRefused(too_many(max_rows), 413)
            rows.append(solution_row(variables, row))
        return Result("select", variables, rows, [])
    if isinstance(raw, ox.QueryBoolean):
        return Result("ask", [], [], [], bool(raw))
    triples: list[ox.Triple] = []
    for triple in raw:
        if len(triples) >= max_rows:
            raise QueryRefused(too_many(max_rows), 413)
        triples.append(triple)
    return Result("graph", [], [], triples)


def too_many(limit: int) -> str:
    return f"the result has more than {limit} rows; add a LIMIT or narrow the query"


def negotiate(accept: str, table: dict, default: str) -> str:
    """The first media type in Accept (by q order, then position) that we can produce."""
    offers = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=")), 1.0)
        offers.append((-q, position, media.lower()))
    for _, _, media in sorted(offers):
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    if not accept.strip():
        return default
    raise QueryRefused(f"cannot produce {accept!r}; acceptable: {', '.join(table)}", 406)


def render(result: Result, accept: str) -> tuple[bytes, str]:
    """The result's body and media type as Accept asks, so that serialising happens where the query ran."""
    if result.form == "graph":
        media = negotiate(accept, results.GRAPH_TYPES, "text/turtle")
        return results.serialize_triples(result.triples, results.GRAPH_TYPES[media], PREFIXES), media
    media = negotiate(accept, results.SELECT_TYPES, "application/sparql-results+json")
    kind = results.SELECT_TYPES[media]
    if result.form == "ask":
        return results.serialize_ask(result.answer, kind), media
    return results.serialize_select(result.variables, result.rows, kind), media


def answer(store, query: str, accept: str, max_rows: int) -> Answer:
    """Guard, run and serialise one query; refusals become Answers, a failure to read the store raises OSError."""
    try:
        check(query)
        body, media = render(collect(store, query, max_rows), accept)
    except QueryRefused as err:
        return Answer(err.status, error=str(err))
    return Answer(200, body, media)


def failure(err: Exception) -> Answer:
    """The answer when the engine failed: a refused socket is the worker's network block (graph/sandbox.py)."""
    if isinstance(err, PermissionError):
        return Answer(403, error="the query tried to reach the network, which query workers cannot")
    return Answer(503, error=f"the store could not be read: {err}")


def run(store, query: str, timeout: float, max_rows: int) -> Result:
    """Run a user's query with limits; raises QueryRefused with a message that says what to fix. A query past the
    limit is left in a daemon thread, so that `policykg query` ends at once instead of waiting for it."""
    check(query)
    done: queue.Queue = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            done.put((collect(store, query, max_rows), None))
        except Exception as err:  # noqa: BLE001 - handed to the caller's thread
            done.put((None, err))

    threading.Thread(target=work, name="sparql", daemon=True).start()
    try:
        result, err = done.get(timeout=timeout)
    except queue.Empty:
        TIMED_OUT[0] += 1
        raise QueryRefused(timed_out(timeout), 503) from None
    if err is not None:
        raise err
    return result


def timed_out(timeout: float) -> str:
    return f"the query ran longer than the {timeout:g} s time limit; narrow it or add a LIMIT"
