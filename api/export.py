"""Export the whole dataset or one proposal's graph as Turtle, N-Quads/TriG or JSON-LD."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.deps import store
from graph.loading import proposal_graphs
from ontology.terms import PREFIXES, graph_iri

router = APIRouter(prefix="/api", tags=["export"])
FORMATS = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "trig": ("application/trig", ox.RdfFormat.TRIG),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}
DATASET_FORMATS = {"nquads", "trig", "jsonld"}


@router.get("/export", summary="Export the dataset (nquads, trig, jsonld) or one proposal (any)")
def export(request: Request, format: str = "trig", proposal: str | None = None) -> Response:
    if format not in FORMATS:
        raise HTTPException(422, f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    media, fmt = FORMATS[format]
    if proposal:
        graph = graph_iri(proposal)
        if graph not in proposal_graphs(store(request)):
            raise HTTPException(404, f"unknown proposal {proposal!r}; see GET /api/proposals")
        data = (
            [q.triple for q in store(request).quads(graph)]
            if format not in DATASET_FORMATS
            else list(store(request).quads(graph))
        )
    elif format in DATASET_FORMATS:
        data = list(store(request).quads())
    else:
        raise HTTPException(
            422,
            "the whole dataset has named graphs: use format=trig, nquads or jsonld, or pass proposal=… for one graph",
        )
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return Response(ox.serialize(data, format=fmt, prefixes=prefixes), media_type=media)
