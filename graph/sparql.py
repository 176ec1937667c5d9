"""Guarded SPARQL execution for untrusted queries: read-only, no SERVICE, time and row limits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from graph.sparql_guard import verdict
from graph.store import solution_row

T = TypeVar("T")
TIMED_OUT = [0]  # queries answered 503 at the time limit, for /metrics
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sparql")


class QueryRefused(ValueError):
    """A query we will not run; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Result:
    form: str  # select | ask | graph
    variables: list[str]
    rows: list[dict]
    triples: list[ox.Triple]
    answer: bool = False


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
        rows = []
        for row in raw:
            if len(rows) >= max_rows:
                raise QueryRefused(too_many(max_rows), 413)
            rows.append(solution_row(variables, row))
        return Result("select", variables, rows, [])
    if isinstance(raw, ox.QueryBoolean):
        return Result("ask", [], [], [], bool(raw))
    triples = []
    for triple in raw:
        if len(triples) >= max_rows:
            raise QueryRefused(too_many(max_rows), 413)
        triples.append(triple)
    return Result("graph", [], [], triples)


def too_many(limit: int) -> str:
    return f"the result has more than {limit} rows; add a LIMIT or narrow the query"


def run(store, query: str, timeout: float, max_rows: int) -> Result:
    """Run a user's query with limits; raises QueryRefused with a message that says what to fix."""
    check(query)
    future = _POOL.submit(collect, store, query, max_rows)
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        TIMED_OUT[0] += 1
        raise QueryRefused(timed_out(timeout), 503) from None


async def run_async(store, query: str, timeout: float, max_rows: int, finish: Callable[[Result], T]) -> T:
    """`run` for the event loop, with `finish` (serialising the answer) in the same pool thread: awaited there, the
    request makes one thread hand-over, where a sync endpoint handing on to the pool made two."""

    def work() -> T:
        check(query)  # parsing a long query takes a while: here, not on the event loop
        return finish(collect(store, query, max_rows))

    future = _POOL.submit(work)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except TimeoutError:
        TIMED_OUT[0] += 1
        raise QueryRefused(timed_out(timeout), 503) from None


def timed_out(timeout: float) -> str:
    return f"the query ran longer than the {timeout:g} s time limit; narrow it or add a LIMIT"
