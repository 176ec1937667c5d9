"""Full-text search pages: /search (HTML), /search.json and /api/search (its JSON twins), /search.csv."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import Response

from api.deps import relation_name, resolve_kind, store
from api.web.render import form_of, page
from graph.search import KINDS, SearchIndex
from graph.stance_queries import POLARITIES

router = APIRouter()
PAGE = 50


def index_of(app: FastAPI) -> SearchIndex:
    """The process's search index, made (empty) on first use and filled by its first sync."""
    if getattr(app.state, "search", None) is None:
        app.state.search = SearchIndex()
    return app.state.search


def refresh(app: FastAPI) -> None:
    """After a load or removal: bring an index that exists in step now, so the next search finds it current."""
    if getattr(app.state, "search", None) is not None:
        app.state.search.sync(app.state.store)


def run(request: Request, q: str, kind, region, year, party, relation, offset: int) -> dict:
    if kind and kind not in KINDS:
        raise HTTPException(422, f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    filters = {
        "kind": kind,
        "region": resolve_kind(request, region, "region"),
        "year": year,
        "party": party.removeprefix("party/") if party and party.startswith("party/") else party,
        "relation": relation if relation in POLARITIES.values() else relation_name(relation),
    }
    found = index_of(request.app).search(store(request), q, PAGE, offset, **filters)
    return {**found, "filters": {**filters, "region": region}, "offset": offset, "limit": PAGE}


def empty(q: str) -> dict:
    return {"query": q, "total": 0, "items": [], "filters": {}, "offset": 0, "limit": PAGE}


Year = Annotated[int | None, Query(ge=1990, le=2100)]
MAX_OFFSET = 1_000_000  # far past any result list; SQLite's OFFSET overflows past 2**63 (a 500 schemathesis found)
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


@router.get("/search", include_in_schema=False)
@router.get("/search.{suffix}", include_in_schema=False)
@router.get("/api/search", tags=["browse"], summary="Full-text search (Swedish stemming) with filters")
def search(
    request: Request,
    q: str = "",
    kind: str | None = None,
    region: str | None = None,
    year: Year = None,
    party: str | None = None,
    relation: str | None = None,
    offset: Offset = 0,
    suffix: str | None = None,
) -> Response:
    """Measures, goals, stance quotes and named entities matching every word of `q` (by Swedish stem, as a prefix:
    "primärvårdens" finds "primärvård"), best first; `highlighted` marks the matched words. Filters: kind
    (measure, goal, stance, entity), region, year (within the proposal's period), party (id or notation), relation."""
    form = "json" if request.url.path.startswith("/api/") else form_of(suffix)
    data = run(request, q, kind, region, year, party, relation, offset) if q.strip() else empty(q)
    return page(request, "search.html", data, form, table=lambda d: d["items"])
