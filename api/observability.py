"""Request ids, structured access logs, request-size caps, /healthz, /readyz and Prometheus /metrics."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from api.uploads import PART_OVERHEAD
from graph import sparql as sparql_engine

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
MAX_QUERY_STRING = 32768  # bytes of the URL's query string
MAX_SPARQL_BODY = 1 << 20  # bytes of a POSTed query
log = logging.getLogger("policykg.access")


class Metrics:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = {}
        self.buckets = [0] * len(BUCKETS)
        self.count = 0
        self.total = 0.0

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self.lock:
            key = (method, route, status)
            self.requests[key] = self.requests.get(key, 0) + 1
            self.count += 1
            self.total += seconds
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    self.buckets[i] += 1

    def render(self, store_size: int | None) -> str:
        out = [
            "# HELP policykg_requests_total HTTP requests by method, route and status",
            "# TYPE policykg_requests_total counter",
        ]
        with self.lock:
            for (method, route, status), n in sorted(self.requests.items()):
                out.append(f'policykg_requests_total{{method="{method}",route="{_esc(route)}",status="{status}"}} {n}')
            out += ["# HELP policykg_request_seconds request latency", "# TYPE policykg_request_seconds histogram"]
            for bound, n in zip(BUCKETS, self.buckets, strict=True):
                out.append(f'policykg_request_seconds_bucket{{le="{bound:g}"}} {n}')
            out.append(f'policykg_request_seconds_bucket{{le="+Inf"}} {self.count}')
            out.append(f"policykg_request_seconds_sum {self.total:.6f}")
            out.append(f"policykg_request_seconds_count {self.count}")
        out += [
            "# HELP policykg_queries_timed_out_total SPARQL queries stopped at the time limit",
            "# TYPE policykg_queries_timed_out_total counter",
            f"policykg_queries_timed_out_total {sparql_engine.TIMED_OUT[0]}",
            "# HELP policykg_queries_rejected_total SPARQL queries answered 429, all workers busy",
            "# TYPE policykg_queries_rejected_total counter",
            f"policykg_queries_rejected_total {sparql_engine.REJECTED[0]}",
        ]
        if store_size is not None:
            out += ["# HELP policykg_store_triples triples in the store", "# TYPE policykg_store_triples gauge"]
            out.append(f"policykg_store_triples {store_size}")
        return "\n".join(out) + "\n"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def size_refusal(request: Request) -> str | None:
    """413 reasons known before the body is read: a long query string, or a declared body over its limit."""
    if len(request.scope.get("query_string", b"")) > MAX_QUERY_STRING:
        return f"the query string is longer than {MAX_QUERY_STRING} bytes; POST the query instead"
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        settings = request.app.state.settings
        limit = MAX_SPARQL_BODY if request.url.path == "/sparql" else settings.max_upload_bytes + PART_OVERHEAD
        if int(declared) > limit:
            return f"the request body is larger than {limit} bytes"
    return None


def install(app: FastAPI) -> None:
    metrics = Metrics()
    app.state.metrics = metrics
    if not log.handlers:
        handler = logging.StreamHandler(sys.stdout)  # one JSON object per line, for a log collector
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.middleware("http")
    async def observe(request: Request, call_next):
        given = request.headers.get("x-request-id", "")
        request_id = given if GOOD_ID.fullmatch(given) else uuid.uuid4().hex
        request.state.request_id = request_id
        started = time.perf_counter()
        refused = size_refusal(request)
        if refused:
            response = JSONResponse({"error": refused, "status": 413}, 413)
        else:
            response = await call_next(request)
        seconds = time.perf_counter() - started
        response.headers["X-Request-ID"] = request_id
        route = getattr(request.scope.get("route"), "path", None) or "unmatched"
        metrics.observe(request.method, route, response.status_code, seconds)
        log.info(
            json.dumps(
                {
                    "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.url.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                    "client": request.client.host if request.client else None,
                }
            )
        )
        return response

    @app.get("/healthz", tags=["meta"], summary="The process is up")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["meta"], summary="The store answers queries")
    def readyz(request: Request):
        try:
            request.app.state.store.ask("ASK {}")
        except Exception as err:  # noqa: BLE001 - any failure means not ready
            return JSONResponse({"status": "unavailable", "error": str(err)}, 503)
        return {"status": "ready"}

    @app.get("/metrics", tags=["meta"], summary="Prometheus metrics", response_class=PlainTextResponse)
    def prometheus(request: Request) -> PlainTextResponse:
        try:
            size = request.app.state.store.size()
        except Exception:  # noqa: BLE001 - a remote store may be away; the rest still counts
            size = None
        return PlainTextResponse(metrics.render(size), media_type="text/plain; version=0.0.4")
