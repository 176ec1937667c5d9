"""Entity lookup and graph traversal endpoints (JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from api import models
from api.deps import on_store, relation_name, resolve_given, store
from api.pagination import Limit, decode, page
from graph import queries, traversal

router = APIRouter(prefix="/api", tags=["browse"])


@router.get("/entities", response_model=models.EntityPage, summary="List or search entities by type and label")
def entities(
    request: Request, type: str | None = None, q: str | None = None, limit: Limit = 50, cursor: str | None = None
) -> dict:
    if type and type not in queries.CLASSES:
        raise HTTPException(422, f"unknown type {type!r}; use one of: {', '.join(queries.CLASSES)}")
    rows = queries.list_entities(store(request), type, q, limit, decode(cursor))
    return page(rows, limit)


@router.get("/entities/{entity_id:path}", summary="One entity with its properties and edges")
def entity(request: Request, entity_id: str) -> dict:
    return queries.describe(store(request), resolve_given(request, entity_id))


@router.get(
    "/neighbours",
    response_model=models.Neighbourhood,
    summary="Neighbours of an entity to a depth, optionally by relation",
)
async def neighbours(
    request: Request,
    id: str,
    depth: Annotated[int, Query(ge=1, le=4)] = 1,
    relation: Annotated[list[str] | None, Query()] = None,
    max_nodes: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> JSONResponse:
    """Built by graph.traversal in the documented shape; returned as is (a hot path: no second validation)."""
    relations = [name for r in relation or () if (name := relation_name(r))] or None  # "relation=" filters nothing

    def build() -> dict:
        graph = traversal.neighbourhood(store(request), resolve_given(request, id), depth, relations, max_nodes)
        return traversal.as_json(graph, queries.labels_for(store(request), list(graph.nodes)))

    return JSONResponse(await on_store(request, build))


@router.get("/paths", response_model=models.Path, summary="Shortest path between two entities")
def paths(request: Request, source: str, target: str, max_depth: Annotated[int, Query(ge=1, le=8)] = 6) -> dict:
    a, b = resolve_given(request, source, "source"), resolve_given(request, target, "target")
    edges = traversal.shortest_path(store(request), a, b, max_depth)
    if edges is None:
        raise HTTPException(404, f"no path between {source!r} and {target!r} within {max_depth} steps")
    nodes = path_nodes(a, edges)
    labels = queries.labels_for(store(request), nodes)
    return {
        "length": len(edges),
        "nodes": [queries.ref(n, labels.get(n)) for n in nodes],
        "edges": [{"source": s, "relation": queries.shorten(p), "target": o} for s, p, o in edges],
    }


def path_nodes(start: str, edges: list[tuple[str, str, str]]) -> list[str]:
    """The nodes in walking order from `start`; edges keep their own direction, so step to the other end."""
    nodes = [start]
    for s, _, o in edges:
        nodes.append(o if s == nodes[-1] else s)
    return nodes
