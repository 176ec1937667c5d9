"""Health, readiness, Prometheus metrics, request ids and request-size caps on a real server."""

from __future__ import annotations

import re

import httpx


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_request_id_is_echoed_or_made(client):
    given = client.get("/api/stats", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = client.get("/api/stats", headers={"X-Request-ID": "bad id\twith control"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert client.get("/no/such/path").headers["x-request-id"]


def test_metrics_count_requests_latency_timeouts_and_store_size(client):
    client.get("/api/stats")
    text = client.get("/metrics").text
    assert re.search(r'policykg_requests_total\{method="GET",route="/api/stats",status="200"\} [1-9]', text)
    assert 'policykg_request_seconds_bucket{le="+Inf"}' in text
    assert "policykg_queries_timed_out_total " in text
    size = int(re.search(r"^policykg_store_triples (\d+)$", text, re.M).group(1))
    assert size == client.get("/api/stats").json()["triples"]


def test_oversized_query_strings_and_bodies_are_413(client, server):
    long_query = "ASK { " + "?s ?p ?o . " * 2000 + "}"
    assert client.get("/sparql", params={"query": long_query}).status_code == 413
    huge = "#" * (1 << 20) + "\nASK {}"
    posted = client.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"})
    assert posted.status_code == 413 and "larger" in posted.json()["error"]
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_access_log_is_one_json_line_per_request(tmp_path):
    import json
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT, free_port

    port = free_port()
    log = (tmp_path / "access.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--store", str(tmp_path / "db"), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            assert process.poll() is None, "server exited"
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        httpx.get(url + "/api/stats", headers={"X-Request-ID": "trace-7"}, timeout=10)
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
    lines = [json.loads(line) for line in (tmp_path / "access.log").read_text().splitlines() if line.startswith("{")]
    entry = next(e for e in lines if e["request_id"] == "trace-7")
    assert entry["method"] == "GET" and entry["path"] == "/api/stats" and entry["status"] == 200
    assert entry["client"] == "127.0.0.1" and entry["duration_ms"] >= 0
