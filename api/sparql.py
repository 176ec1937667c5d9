"""The SPARQL 1.1 Protocol endpoint: GET and POST, results negotiated by the Accept header."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.web.editor import editor_page, wants_html
from graph import results
from graph.sparql import QueryRefused, Result, run_async
from ontology.terms import PREFIXES

router = APIRouter(tags=["sparql"])


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
    raise HTTPException(406, f"cannot produce {accept!r}; acceptable: {', '.join(table)}")


def respond(result: Result, accept: str) -> Response:
    if result.form == "graph":
        media = negotiate(accept, results.GRAPH_TYPES, "text/turtle")
        body = results.serialize_triples(result.triples, results.GRAPH_TYPES[media], PREFIXES)
        return Response(body, media_type=media)
    media = negotiate(accept, results.SELECT_TYPES, "application/sparql-results+json")
    kind = results.SELECT_TYPES[media]
    if result.form == "ask":
        return Response(results.serialize_ask(result.answer, kind), media_type=media)
    return Response(results.serialize_select(result.variables, result.rows, kind), media_type=media)


async def execute(request: Request, query: str | None) -> Response:
    """The query runs, and its answer is serialised, on the query pool (it may run to the time limit)."""
    if not query or not query.strip():
        raise HTTPException(400, "missing SPARQL query: pass it as ?query=… or POST it")
    settings, accept = request.app.state.settings, request.headers.get("accept", "")
    try:
        return await run_async(
            request.app.state.store, query, settings.query_timeout, settings.max_results, lambda r: respond(r, accept)
        )
    except QueryRefused as err:
        raise HTTPException(err.status, str(err)) from None


@router.get("/sparql", summary="SPARQL 1.1 query (GET)")
async def sparql_get(request: Request, query: str | None = None) -> Response:
    if "update" in request.query_params:
        raise HTTPException(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if query is None and wants_html(request):
        return editor_page(request)  # a browser without a query gets the editor, as Fuseki and Oxigraph do
    return await execute(request, query)


@router.post("/sparql", summary="SPARQL 1.1 query (POST form or direct body)")
async def sparql_post(request: Request) -> Response:
    query = posted_query(request, (await request.body()).decode("utf-8", errors="replace"))
    return await execute(request, query)


def posted_query(request: Request, body: str) -> str | None:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise HTTPException(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if ctype == "application/sparql-query":
        return body
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body)
        if "update" in form:
            raise HTTPException(403, "this endpoint is read-only: SPARQL Update is not accepted")
        return (form.get("query") or [None])[0]
    raise HTTPException(
        415,
        "POST the query as application/sparql-query or as a "
        "application/x-www-form-urlencoded form with a `query` field",
    )
