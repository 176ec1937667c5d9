"""The SPARQL editor page and the neighbourhood graph page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.middleware.gzip import GZipMiddleware

from api.deps import resolve, store
from graph.queries import labels_for
from ontology.terms import ONTOLOGY_FILE, PREFIXES, SPARQL_PREFIXES

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
QUERIES = HERE / "queries"
VENDOR = "vendor/node_modules"
YASGUI = f"{VENDOR}/@zazuko/yasgui/build"
CYTOSCAPE = f"{VENDOR}/cytoscape/dist/cytoscape.min.js"
EXAMPLE_ORDER = ("three-hospitals", "primary-care-money", "solleftea-stances", "measures-per-relation", "proposals")
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")

router = APIRouter(include_in_schema=False)
templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(), auto_reload=False)


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    query: str


@cache
def examples() -> tuple[Example, ...]:
    """The saved queries, three-hospitals first: a `# title` line, then the query."""
    found = []
    for name in EXAMPLE_ORDER:
        first, _, query = (QUERIES / f"{name}.rq").read_text("utf-8").partition("\n")
        found.append(Example(name, first.lstrip("# ").strip(), query))
    return tuple(found)


def example(name: str | None) -> Example:
    if name is None:
        return examples()[0]
    chosen = next((e for e in examples() if e.name == name), None)
    if chosen is None:
        raise HTTPException(404, f"no example query {name!r}; known: {', '.join(e.name for e in examples())}")
    return chosen


@cache
def vocabulary() -> dict[str, list[str]]:
    """The ontology's classes and properties, for the editor's autocompletion (no remote vocabulary service)."""
    kinds = {"classes": {OWL + "Class"}, "properties": {OWL + t for t in ("ObjectProperty", "DatatypeProperty")}}
    kinds["properties"].add(PREFIXES["rdf"] + "Property")
    found: dict[str, set[str]] = {k: set() for k in kinds}
    for quad in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        if quad.predicate == RDF_TYPE and isinstance(quad.subject, ox.NamedNode):
            for key, types in kinds.items():
                if quad.object.value in types:
                    found[key].add(quad.subject.value)
    return {k: sorted(v) for k, v in found.items()}


def vendored(path: str) -> bool:
    """Whether `npm ci` (dev.py) has installed a front-end file; without it pages fall back to plain HTML."""
    return (STATIC / path).is_file()


def wants_html(request: Request) -> bool:
    """A browser's navigation names text/html outright; API clients send */*, nothing, or a results type."""
    for part in request.headers.get("accept", "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if media.lower() in ("text/html", "application/xhtml+xml") and "q=0" not in params:
            return True
    return False


def static_files() -> GZipMiddleware:
    """/static, gzipped: the editor's script is 1 MB as built and about 290 kB on the wire."""
    return GZipMiddleware(StaticFiles(directory=STATIC), minimum_size=1024)


def page(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(templates.get_template(name).render(**context), status)


def editor_page(request: Request, status: int = 200, **extra) -> HTMLResponse:
    """The editor with one example (or the posted query) loaded; YASGUI when vendored, else the plain form."""
    chosen = example(request.query_params.get("example"))
    context = {
        "examples": examples(),
        "chosen": chosen,
        "query": chosen.query,
        "prefixes": PREFIXES,
        "vocabulary": vocabulary(),
        "default_query": SPARQL_PREFIXES + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 10\n",
        "yasgui": YASGUI if vendored(f"{YASGUI}/yasgui.min.js") else None,
        "result": None,
        "graph_text": None,
        "error": None,
    }
    return page("sparql_editor.html", status, **(context | extra))


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, id: str) -> HTMLResponse:
    """The neighbourhood of one entity (`kind/slug`) as a clickable graph, fed by /api/neighbours; 404 if unknown."""
    iri = resolve(request, id)
    label = labels_for(store(request), [iri]).get(iri, id)
    return page("graph_view.html", entity=id, label=label, cytoscape=CYTOSCAPE if vendored(CYTOSCAPE) else None)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask every site for one; a 404 would be a console error on every page."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
