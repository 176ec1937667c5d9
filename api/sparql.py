"""The SPARQL 1.1 Protocol endpoint: GET and POST, results negotiated by the Accept header."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.web.editor import editor_page, wants_html
from graph.sparql import QueryRefused

router = APIRouter(tags=["sparql"])


async def execute(request: Request, query: str | None) -> Response:
    """The query runs, and its answer is serialised, in a query worker (graph/query_pool.py)."""
    if not query or not query.strip():
        raise HTTPException(400, "missing SPARQL query: pass it as ?query=… or POST it")
    settings, accept = request.app.state.settings, request.headers.get("accept", "")
    client = request.client.host if request.client else ""
    try:
        body, media = await request.app.state.queries.run(
            query, accept, settings.query_timeout, settings.max_results, client
        )
    except QueryRefused as err:
        raise HTTPException(err.status, str(err), headers=err.headers) from None
    return Response(body, media_type=media)


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
        query = form.get("query")
        return query[0] if query else None
    raise HTTPException(
        415,
        "POST the query as application/sparql-query or as a "
        "application/x-www-form-urlencoded form with a `query` field",
    )
