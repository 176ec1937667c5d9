"""The FastAPI application: one store per process, routers for SPARQL, browse, policy, export."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from api import browse, export, observability, policy, security, sparql, stances, texts
from api.models import ERRORS
from api.settings import Settings
from api.web import compare, editor, entities, home, render, sparql_table
from api.web import search as web_search
from graph.factory import open_store
from graph.inference import recompute_inferred
from graph.query_pool import query_runner
from graph.remote import RemoteStoreError


def create_app(settings: Settings | None = None, store=None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = store or open_store(
            settings.store, settings.store_url, settings.read_only, settings.store_open_files
        )
        if app.state.store.kind == "embedded" and not settings.read_only:
            recompute_inferred(app.state.store, set())  # regions a crash left between a write and its inference
        app.state.queries = query_runner(app.state.store, settings)
        print(f"SPARQL queries: {app.state.queries.describe()}", file=sys.stderr)
        yield
        app.state.queries.close()
        app.state.store.flush()

    app = FastAPI(
        title="PolicyKG",
        version="0.1.0",
        lifespan=lifespan,
        description="A knowledge graph of Swedish regional budget proposals: "
        "traversal endpoints and a SPARQL 1.1 endpoint.",
    )
    app.state.settings = settings
    security.add_cors(app, settings)
    observability.install(app)
    for module in (sparql, browse, policy, texts, export, stances, editor, sparql_table):
        app.include_router(module.router, responses=ERRORS)  # documented: schemathesis checks every status
    for module in (home, entities, web_search, compare):  # the explorer's pages (api/web); /api/search is JSON
        app.include_router(module.router, responses=ERRORS)
    app.mount("/static", editor.static_files(), name="static")

    @app.exception_handler(HTTPException)  # Starlette's: also the router's own 404 and 405, in the documented shape
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if render.wants_page(request):
            return render.error_page(request, exc.status_code, exc.detail)
        return JSONResponse({"error": exc.detail, "status": exc.status_code}, exc.status_code, exc.headers)

    @app.exception_handler(RemoteStoreError)
    async def store_unavailable(_: Request, exc: RemoteStoreError) -> JSONResponse:
        return JSONResponse({"error": str(exc), "status": exc.status}, exc.status)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": f"invalid parameters: {problems}", "status": 422}, 422)

    return app
