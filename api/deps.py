"""Shared request helpers: the store, id → IRI resolution with a 404 that says what was missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from ontology.terms import ID, RELATIONS

T = TypeVar("T")


def store(request: Request):
    return request.app.state.store


async def on_store(request: Request, work: Callable[[], T]) -> T:
    """Run short, bounded store work inline when the store is embedded: it is CPU-bound, and handing it to the
    threadpool costs more than the work (1.3 ms of GIL hand-over per request here). A remote store waits on the
    network, so its work goes to the threadpool and the event loop stays free."""
    if store(request).kind == "embedded":
        return work()
    return await run_in_threadpool(work)


def resolve(request: Request, entity_id: str | None, what: str = "entity") -> str | None:
    """An id such as "party/sjvp" (or a full IRI) → IRI; 404 if the graph does not know it."""
    if not entity_id:
        return None
    iri = entity_id if entity_id.startswith("http") else ID + entity_id.strip("/")
    if not store(request).has_subject(iri):
        raise HTTPException(404, f"unknown {what} {entity_id!r}; list ids with GET /api/entities")
    return iri


def resolve_given(request: Request, entity_id: str | None, what: str = "entity", kind: str = "") -> str:
    """`resolve` (`resolve_kind` with a kind) for a parameter that must be given: an empty one is a 400 that says
    what to pass."""
    iri = resolve_kind(request, entity_id, kind, what) if kind else resolve(request, entity_id, what)
    if iri is None:
        raise HTTPException(400, f"missing {what} id: pass one such as party/moderaterna (see GET /api/entities)")
    return iri


def resolve_kind(request: Request, value: str | None, kind: str, what: str | None = None) -> str | None:
    """Like `resolve`, but a bare slug ("vasternorrland", "sjvp-vasternorrland-2025") is read as `{kind}/{slug}`."""
    if value and "/" not in value and not value.startswith("http"):
        value = f"{kind}/{value}"
    return resolve(request, value, what or kind)


def relation_name(name: str | None) -> str | None:
    """Accept "funds", "changes_fee" or "changesFee"; refuse anything else with the valid list."""
    if not name:
        return None
    local = RELATIONS.get(name, name)
    if local not in RELATIONS.values():
        valid = ", ".join(sorted(RELATIONS))
        raise HTTPException(422, f"unknown relation {name!r}; use one of: {valid}")
    return local
