"""The editor's answer without JavaScript: a posted query run by the SPARQL endpoint, its rows as an HTML table."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from api import sparql
from api.web.editor import TEXT, editor_page
from api.web.render import language

router = APIRouter(include_in_schema=False)
JSON = "application/sparql-results+json"
ACCEPT = JSON + ", text/turtle;q=0.9"  # SELECT and ASK as JSON; CONSTRUCT and DESCRIBE as Turtle


def as_json(request: Request) -> Request:
    """The same request asking for JSON results (or Turtle), so the endpoint's own limits and guard apply unchanged."""
    headers = [(k, v) for k, v in request.scope["headers"] if k != b"accept"] + [(b"accept", ACCEPT.encode())]
    return Request({**request.scope, "headers": headers}, request.receive)


def table(answer: dict) -> dict:
    """SPARQL JSON results as plain cells: ASK as one cell, SELECT rows in the order of their variables."""
    if "boolean" in answer:
        return {"variables": ["boolean"], "rows": [[str(answer["boolean"]).lower()]]}
    names = answer["head"]["vars"]
    rows = [[b[v]["value"] if v in b else "" for v in names] for b in answer["results"]["bindings"]]
    return {"variables": names, "rows": rows}


@router.post("/sparql/table", response_class=HTMLResponse)
async def sparql_table(request: Request) -> HTMLResponse:
    form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
    query = (form.get("query") or [""])[0]
    if not query.strip():
        return editor_page(request, 400, error=TEXT[language(request)]["empty"])
    try:
        response = await sparql.execute(as_json(request), query)
    except HTTPException as err:
        return editor_page(request, err.status_code, query=query, error=str(err.detail))
    body = bytes(response.body)
    if not (response.media_type or "").startswith(JSON):  # CONSTRUCT/DESCRIBE: the Turtle as text
        return editor_page(request, query=query, graph_text=body.decode("utf-8"))
    return editor_page(request, query=query, result=table(json.loads(body)))
