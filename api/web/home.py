"""The home page: what is loaded (regions, proposals per region and year with their parties, counts) and example
questions. `/` answers a browser with the page and every other client with the JSON index it always gave."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.deps import store
from api.web.render import page, wanted
from graph import explorer_queries as eq
from graph import queries

router = APIRouter(include_in_schema=False)
EXAMPLES = [
    ("example_three_hospitals", "/search?q=" + quote("tre akutsjukhus") + "&region=vasternorrland&kind=stance"),
    ("example_three_hospitals_sparql", "/sparql?example=three-hospitals"),
    ("example_solleftea", "/id/hospital/solleftea-sjukhus"),
    ("example_primary_care", "/search?q=" + quote("primärvården") + "&relation=funds"),
    ("example_compare", "/compare?p=sjvp-vasternorrland-2025&p=kd-vasternorrland-2020"),
]


def api_index(request: Request) -> dict:
    """What the service offers to programs (the JSON `/` has always answered with)."""
    paths = request.app.openapi()["paths"]
    return {
        "name": "PolicyKG",
        "docs": "/docs",
        "sparql": "/sparql",
        "endpoints": sorted(p for p in paths if p.startswith("/api")),
    }


def home_data(request: Request) -> dict:
    proposals = queries.list_proposals(store(request))
    per_region: dict[str, list[dict]] = defaultdict(list)
    for p in proposals:
        per_region[(p["region"] or {}).get("iri", "")].append(p)
    regions = [
        {**r, "proposals": sorted(per_region.get(r["iri"], []), key=lambda p: ((p["period"] or [0])[0], p["iri"]))}
        for r in eq.regions(store(request))
    ]
    return {
        **api_index(request),
        "regions": regions,
        "proposal_count": len(proposals),
        "classes": queries.statistics(store(request))["classes"],
        "examples": [{"key": key, "href": href} for key, href in EXAMPLES],
    }


@router.get("/")
def home(request: Request) -> Response:
    if wanted(request, default="json") != "html":
        return JSONResponse(api_index(request))
    return page(request, "home.html", home_data(request), "html")


@router.get("/index.json")
def home_json(request: Request) -> JSONResponse:
    return JSONResponse(home_data(request))
