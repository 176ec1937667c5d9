"""Entity pages at the IRI's own path, /id/{kind}/{slug}: HTML, JSON (`.json`), CSV of the main table (`.csv`),
Turtle (`.ttl`) and JSON-LD (`.jsonld`), or by Accept; and each proposal's source text with line anchors."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.deps import store
from api.web import views
from api.web.render import page, split_suffix, wanted
from graph import explorer_queries as eq
from graph.loading import proposal_text
from ontology.terms import ID, PREFIXES

router = APIRouter(include_in_schema=False)
RDF_FORMATS = {"turtle": ("text/turtle", ox.RdfFormat.TURTLE), "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD)}


def known(request: Request, ident: str) -> str:
    """The IRI of `kind/slug`; 404 with where to look when the graph has no such entity."""
    iri = ID + ident
    if not ident or not store(request).has_subject(iri):
        raise HTTPException(
            404, f"no entity {ident!r} in the graph; search for it at /search?q=… or list ids at /api/entities"
        )
    return iri


@router.get("/id/{path:path}")
def entity(request: Request, path: str) -> Response:
    ident, form = split_suffix(path)
    if ident.startswith("proposal/") and ident.endswith("/text"):
        return source_text(request, ident.removeprefix("proposal/").removesuffix("/text"), form)
    iri = known(request, ident)
    chosen = wanted(request, form)
    if chosen in RDF_FORMATS:
        media, fmt = RDF_FORMATS[chosen]
        prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
        return Response(
            ox.serialize(eq.own_triples(store(request), iri), format=fmt, prefixes=prefixes), media_type=media
        )
    template, data = views.entity_view(store(request), iri)
    return page(request, template, data, chosen, table=main_table)


def main_table(data: dict) -> list[dict]:
    """The page's main table for CSV: measures where it has them, else stance positions, else its properties."""
    if "measures" in data and isinstance(data["measures"], list):
        return [flat_measure(m) for m in data["measures"]]
    if "unlinked_measures" in data:
        return [flat_measure(m) for m in walk_goals(data["goals"])] + [
            flat_measure(m) for m in data["unlinked_measures"]
        ]
    if "timeline" in data:
        return [
            {
                "about": e["about"]["id"],
                "year": p["year"],
                "proposal": p["proposal"]["id"],
                "kind": p["kind"],
                "polarity": p["polarity"],
                "stances": p["stances"],
            }
            for e in data["timeline"]
            for p in e["positions"]
        ]
    if "measure" in data:
        return [flat_measure(data["measure"])]
    return [{"property": p["property"], "value": p.get("id") or p.get("value")} for p in data["entity"]["properties"]]


def walk_goals(goals: list[dict]):
    for goal in goals:
        yield from goal["measures"]
        yield from walk_goals(goal["children"])


def flat_measure(m: dict) -> dict:
    return {
        "id": m["id"],
        "text": m["text"],
        "relation": m["relation"],
        "amount_msek": m["amount_msek"],
        "targets": " ".join(e["target"]["id"] or e["target"]["iri"] for e in m["effects"]),
        "committee": (m["committee"] or {}).get("id"),
        "goal": (m["goal"] or {}).get("id"),
        "proposal": m["proposal"]["id"],
        "line": m["evidence"]["line"],
        "quote": m["evidence"]["quote"],
    }


def source_text(request: Request, slug: str, form: str | None) -> Response:
    """The normalised text the line numbers count; `?hl=N` (or the #LN anchor) highlights the quoted line."""
    found = proposal_text(store(request), slug)
    if found is None:
        raise HTTPException(404, f"no proposal {slug!r} with a stored text; see the proposals on / or /api/proposals")
    text, source_format = found
    hl = request.query_params.get("hl", "")
    data = {
        "proposal": views.proposal_ref(store(request), ID + f"proposal/{slug}"),
        "format": source_format,
        "highlight": int(hl) if hl.isdigit() else None,
        "lines": [{"line": n, "text": line} for n, line in enumerate(text.split("\n"), start=1)],
    }
    return page(request, "text.html", data, form, table=lambda d: d["lines"])
