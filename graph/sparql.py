"""Guarded SPARQL execution for untrusted queries: read-only, no SERVICE, time and row limits."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from graph.store import solution_row

UPDATE_WORDS = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I | re.M)
STRINGS_AND_COMMENTS = re.compile(
    r"\"\"\".*?\"\"\"|'''.*?'''|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|<[^<>\s]*>|#[^\n]*", re.S
)
SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.I)  # the keyword, not ?service or pkg:Service
T = TypeVar("T")
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
    """Refuse updates and federated SERVICE calls before parsing."""
    code = STRINGS_AND_COMMENTS.sub(" ", query)
    if UPDATE_WORDS.search(code):
        raise QueryRefused(
            "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, "
            "CLEAR, DROP …) is not accepted; load documents with `policykg load`",
            403,
        )
    if SERVICE.search(code):
        raise QueryRefused(
            "federated queries are disabled: the SERVICE keyword is not allowed "
            "because it would make this server send requests elsewhere",
            403,
        )


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
        raise QueryRefused(timed_out(timeout), 503) from None


async def run_async(store, query: str, timeout: float, max_rows: int, finish: Callable[[Result], T]) -> T:
    """`run` for the event loop, with `finish` (serialising the answer) in the same pool thread: awaited there, the
    request makes one thread hand-over, where a sync endpoint handing on to the pool made two."""
    check(query)
    future = _POOL.submit(lambda: finish(collect(store, query, max_rows)))
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except TimeoutError:
        raise QueryRefused(timed_out(timeout), 503) from None


def timed_out(timeout: float) -> str:
    return f"the query ran longer than the {timeout:g} s time limit; narrow it or add a LIMIT"
