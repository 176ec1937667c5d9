"""The SPARQL editor page and the neighbourhood graph page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from api.deps import resolve_given, store
from api.web.render import html, language, wanted
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
TEXT = {
    "sv": {
        "heading": "Fråga grafen med SPARQL",
        "prefixes": "Fördeklarerade prefix:",
        "formats": "Svaren finns också på /sparql som JSON, CSV, TSV eller XML (Accept-huvudet).",
        "examples": "Exempelfrågor",
        "query": "Fråga",
        "run": "Kör frågan",
        "download": "Ladda ner svaret:",
        "rows": "rader",
        "empty": "Ingen fråga: skriv en SPARQL-fråga i rutan.",
        "neighbourhood": "Grannskap",
        "neighbourhood_of": "Grannskapet kring",
        "click": "Klicka på en nod för att öppna dess sida; grannarna som JSON finns längst ned.",
        "noscript": "Grafen behöver JavaScript; grannarna finns som JSON (länken längst ned).",
    },
    "en": {
        "heading": "Query the graph with SPARQL",
        "prefixes": "Predeclared prefixes:",
        "formats": "Answers are also at /sparql as JSON, CSV, TSV or XML (the Accept header).",
        "examples": "Example queries",
        "query": "Query",
        "run": "Run the query",
        "download": "Download the answer:",
        "rows": "rows",
        "empty": "No query: write a SPARQL query in the box.",
        "neighbourhood": "Neighbourhood",
        "neighbourhood_of": "The neighbourhood of",
        "click": "Click a node to open its page; the neighbours as JSON are linked at the bottom.",
        "noscript": "The graph needs JavaScript; the neighbours are linked as JSON at the bottom.",
    },
}

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Example:
    name: str
    titles: dict[str, str]  # language → title
    query: str


def read_example(name: str) -> Example:
    """A saved query: `# sv: title` and `# en: title` lines, then the query."""
    lines = (QUERIES / f"{name}.rq").read_text("utf-8").splitlines(keepends=True)
    heads = [line for line in lines if line.startswith("# ")]
    titles = dict(line[2:].strip().split(": ", 1) for line in heads)
    return Example(name, titles, "".join(lines[len(heads) :]))


@cache
def examples() -> tuple[Example, ...]:
    """The saved queries, three-hospitals first."""
    return tuple(read_example(name) for name in EXAMPLE_ORDER)


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
    """A browser's navigation puts text/html first; API clients send */*, nothing, or a results type."""
    return wanted(request, default="json") == "html"


def static_files() -> GZipMiddleware:
    """/static, gzipped: the editor's script is 1 MB as built and about 290 kB on the wire."""
    return GZipMiddleware(StaticFiles(directory=STATIC), minimum_size=1024)


def editor_page(request: Request, status: int = 200, **extra) -> HTMLResponse:
    """The editor with a query loaded: a shared one (?edit=), an example (?example=), or the posted one (extra)."""
    chosen = example(request.query_params.get("example"))
    shared = request.query_params.get("edit")
    data = {
        "text": TEXT[language(request)],
        "examples": examples(),
        "chosen": None if shared else chosen.name,
        "query": shared or chosen.query,
        "prefixes": PREFIXES,
        "vocabulary": vocabulary(),
        "default_query": SPARQL_PREFIXES + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 10\n",
        "yasgui": YASGUI if vendored(f"{YASGUI}/yasgui.min.js") else None,
        "result": None,
        "graph_text": None,
        "error": None,
    }
    return html(request, "sparql_editor.html", data | extra, status)


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, id: str) -> HTMLResponse:
    """The neighbourhood of one entity (`kind/slug`) as a clickable graph, fed by /api/neighbours; 404 if unknown."""
    iri = resolve_given(request, id)
    label = labels_for(store(request), [iri]).get(iri, id)
    data = {"text": TEXT[language(request)], "entity": id, "label": label}
    return html(request, "graph_view.html", data | {"cytoscape": CYTOSCAPE if vendored(CYTOSCAPE) else None})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask every site for one; a 404 would be a console error on every page."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
