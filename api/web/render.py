"""How the explorer answers: one view's data as an HTML page, JSON, CSV, Turtle or JSON-LD, chosen by the path's
suffix or the Accept header; the interface language by `?lang=`, a cookie or Accept-Language."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.web.i18n import STRINGS, translate

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
SUFFIXES = {".json": "json", ".csv": "csv", ".ttl": "turtle", ".jsonld": "jsonld"}
MEDIA = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "text/csv": "csv",
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
}
CSV = "text/csv; charset=utf-8"


def split_suffix(path: str) -> tuple[str, str | None]:
    """ "proposal/x.json" → ("proposal/x", "json"); a path without a known suffix comes back whole."""
    for suffix, form in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], form
    return path, None


def form_of(suffix: str | None) -> str | None:
    """The form a `/page.{suffix}` route names; 404 for a suffix no page has."""
    if not suffix:
        return None
    _, form = split_suffix(f".{suffix}")
    if form not in ("json", "csv"):
        raise HTTPException(404, f"no .{suffix} form of this page; use .json or .csv")
    return form


def wanted(request: Request, form: str | None = None, default: str = "html") -> str:
    """The representation asked for: a path suffix wins, else the first Accept type (by q, then order) we make."""
    if form:
        return form
    offers = []
    for position, part in enumerate(request.headers.get("accept", "").split(",")):
        media, *params = [p.strip().lower() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        offers.append((-q, position, media))
    for _, _, media in sorted(offers):
        if media in MEDIA:
            return MEDIA[media]
        if media.endswith("*"):
            return default
    return default


def language(request: Request) -> str:
    """sv unless English is asked for by ?lang=en, the lang cookie, or an Accept-Language that puts en before sv."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in STRINGS:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in STRINGS:
            return tag
    return "sv"


def href(ref: dict | None) -> str | None:
    """The explorer path of a node ({"id": "party/m"} → "/id/party/m"), None outside the project's namespace."""
    return f"/id/{ref['id']}" if ref and ref.get("id") else None


def source_link(proposal: dict | str | None, line: int | None) -> str | None:
    """The source-text view of a proposal, at the line, with that line highlighted."""
    if not proposal or not line:
        return None
    ident = proposal if isinstance(proposal, str) else proposal.get("id")
    return f"/id/{ident}/text?hl={line}#L{line}" if ident else None


def msek(amount) -> str:
    if amount is None:
        return ""
    if amount == 0:
        return "0 mnkr"
    return f"{amount:+,.1f}".replace(",", "\u202f").replace(".", ",").removesuffix(",0") + " mnkr"


def merge_query(params, **changes) -> str:
    """The query string with some parameters replaced (the next page's link)."""
    return urlencode({**dict(params), **changes})


TEMPLATES.filters.update(
    href=href,
    msek=msek,
    merge_query=merge_query,
    with_proposal=lambda stance, proposal: {**stance, "proposal": proposal},
)
TEMPLATES.globals.update(source_link=source_link)


def page(request: Request, template: str, data: dict, form: str | None = None, table=None, status: int = 200):
    """`data` rendered by `template`, or as JSON (the page's twin), or `table(data)` (rows of dicts) as CSV."""
    chosen = wanted(request, form)
    if chosen == "json":
        return JSONResponse(data, status)
    if chosen == "csv" and table is not None:
        return csv_response(table(data))
    if chosen != "html":
        return JSONResponse({"error": f"this page has no {chosen} form; ask for HTML, JSON or CSV", "status": 406}, 406)
    return html(request, template, data, status)


def html(request: Request, template: str, data: dict, status: int = 200) -> HTMLResponse:
    lang = language(request)
    body = TEMPLATES.get_template(template).render(
        data=data, lang=lang, t=lambda key: translate(lang, key), request=request, path=request.url.path
    )
    response = HTMLResponse(body, status)
    if request.query_params.get("lang") in STRINGS:
        response.set_cookie("lang", request.query_params["lang"], max_age=31536000, samesite="lax")
    return response


def csv_response(rows: list[dict]) -> Response:
    """Rows as CSV with the union of their keys as header (nested values as JSON)."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}
        )
    return Response(out.getvalue(), media_type=CSV)


def wants_page(request: Request) -> bool:
    """Whether an error should be a page: a browser asking for HTML outside the JSON API and SPARQL endpoint."""
    path = request.url.path
    if path.startswith(("/api/", "/sparql")) or split_suffix(path)[1]:
        return False
    return wanted(request, default="json") == "html"


def error_page(request: Request, status: int, message) -> HTMLResponse:
    return html(request, "error.html", {"error": message, "status": status}, status)
