"""Attacks on a server put on a network: writes without a key, cross-origin writes, SERVICE in disguise.

Real server processes on loopback, real HTTP; nothing is mocked.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.conftest import ROOT, TEST_KEY, WRITE_AUTH, Server

UPLOAD = {"file": ("x-gavleborg.txt", "Budgetförslag 2031\n\nVi yrkar\n• Att BUP stärks.\n".encode(), "text/plain")}
EVIL = "http://evil.example"


def preflight(client: httpx.Client, path: str, method: str, origin: str = EVIL) -> httpx.Response:
    return client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": method})


# --- writes need a key -------------------------------------------------------------------------------------------


def test_writes_without_a_key_or_with_a_wrong_one_are_refused(client):
    before = client.get("/api/stats").json()["triples"]
    slug = client.get("/api/proposals").json()["items"][0]["id"].split("/", 1)[1]
    missing = client.post("/api/proposals", files=UPLOAD)
    assert missing.status_code == 401 and "Authorization: Bearer" in missing.json()["error"]
    wrong = client.post("/api/proposals", files=UPLOAD, headers={"Authorization": "Bearer not-the-key"})
    assert wrong.status_code == 403
    assert client.delete(f"/api/proposals/{slug}").status_code == 401
    assert client.delete(f"/api/proposals/{slug}", headers={"Authorization": "Bearer x"}).status_code == 403
    assert client.delete(f"/api/proposals/{slug}", headers={"Authorization": f"Basic {TEST_KEY}"}).status_code == 401
    assert client.get("/api/stats").json()["triples"] == before
    # the right key gets through the guard (an unknown slug then is a plain 404, and nothing changes)
    assert client.delete("/api/proposals/no-such-proposal", headers=WRITE_AUTH).status_code == 404


def test_openapi_declares_the_bearer_scheme_on_writes_only(client):
    spec = client.get("/openapi.json").json()
    scheme = spec["components"]["securitySchemes"]["apiKey"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert spec["paths"]["/api/proposals"]["post"]["security"] == [{"apiKey": []}]
    assert spec["paths"]["/api/proposals/{slug}"]["delete"]["security"] == [{"apiKey": []}]
    assert "security" not in spec["paths"]["/api/proposals"]["get"]


def test_default_cors_allows_reads_from_anywhere_and_writes_from_nowhere(client):
    read = client.get("/api/stats", headers={"Origin": EVIL})
    assert read.headers["access-control-allow-origin"] == "*"
    assert preflight(client, "/api/stats", "GET").status_code == 200
    for method in ("POST", "DELETE"):
        refused = preflight(client, "/api/proposals/x", method)
        assert refused.status_code == 400
        assert method not in refused.headers.get("access-control-allow-methods", "")
    # a multipart POST needs no preflight in a browser: the server refuses the foreign origin itself
    simple = client.post("/api/proposals", files=UPLOAD, headers={**WRITE_AUTH, "Origin": EVIL})
    assert simple.status_code == 403 and "origin" in simple.json()["error"]


def test_no_key_configured_means_writes_off_with_a_message_saying_how(tmp_path):
    server = Server(tmp_path / "db", {"POLICYKG_API_KEY": ""})
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for response in (
                http.post("/api/proposals", files=UPLOAD, headers=WRITE_AUTH),
                http.delete("/api/proposals/anything"),
            ):
                assert response.status_code == 403
                assert "POLICYKG_API_KEY" in response.json()["error"]
            assert http.get("/api/stats").status_code == 200
    finally:
        server.stop()
    started = server.process.stderr.read().decode()
    assert "writes: off" in started and "POLICYKG_API_KEY" in started


def test_anonymous_writes_are_an_opt_in_refused_off_loopback(tmp_path):
    env = {"POLICYKG_API_KEY": "", "POLICYKG_ALLOW_ANONYMOUS_WRITES": "1"}

    refused = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--store", str(tmp_path / "db"), "--host", "0.0.0.0"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "POLICYKG_ALLOW_ANONYMOUS_WRITES" in refused.stderr
    server = Server(tmp_path / "db", {**env, "POLICYKG_CORS_ORIGINS": "http://app.example"})
    try:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            added = http.post("/api/proposals", files=UPLOAD)
            assert added.status_code == 201, added.text
            # the configured origin list applies to reads and writes alike
            assert preflight(http, "/api/proposals/x", "DELETE", "http://app.example").status_code == 200
            assert preflight(http, "/api/proposals/x", "DELETE").status_code == 400
            assert "access-control-allow-origin" not in http.get("/api/stats", headers={"Origin": EVIL}).headers
            slug = added.json()["slug"]
            assert http.delete(f"/api/proposals/{slug}", headers={"Origin": EVIL}).status_code == 403
            assert http.delete(f"/api/proposals/{slug}").status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("host,ok", [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False)])
def test_loopback_recognised(host, ok):
    from api.security import is_loopback

    assert is_loopback(host) is ok


def test_keys_compare_against_every_configured_key():
    from api.security import key_matches

    assert key_matches("b", ["a", "b"]) and not key_matches("c", ["a", "b"]) and not key_matches("", [])


# --- no outbound requests: SERVICE in every disguise ---------------------------------------------------------------


class Listener:
    """A loopback socket that records every connection made to it (and closes it at once)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    sock = Listener()
    yield sock
    sock.close()


def disguises(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    body = "{ ?s ?p ?o }"
    service = f"SERVICE <{url}/> {body}"
    return {
        "escaped quote in a prefixed name": (
            f"SELECT * WHERE {{ OPTIONAL {{ ?s pkg:x pkg:a\\' }} SERVICE <{url}/x> {body} FILTER(?o != 'x') }}"
        ),
        "long string with escaped quotes": f'SELECT * WHERE {{ BIND("""a\\"""" AS ?x) SERVICE <{url}/x> {body} }}',
        "prefixed-name endpoint": f"PREFIX : <{url}/> SELECT * WHERE {{ SERVICE:n1 {body} }}",
        "SERVICE SILENT": f"PREFIX : <{url}/> SELECT * WHERE {{ SERVICE SILENT:n1 {body} }}",
        "silent with IRI": f"SELECT * WHERE {{ SERVICE SILENT <{url}/> {body} }}",
        "nested subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {{ SELECT ?s WHERE {{ {service} }} }} }} }} }}",
        "FILTER EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/> {body} }} }} LIMIT 1",
        "FILTER NOT EXISTS in ASK": f"ASK {{ FILTER NOT EXISTS {{ SERVICE <{url}/> {body} }} }}",
        "variable endpoint": f"SELECT * WHERE {{ BIND(<{url}/> AS ?e) SERVICE ?e {body} }}",
        "VALUES endpoint": f"SELECT * WHERE {{ VALUES ?e {{ <{url}/> }} SERVICE ?e {body} }}",
        "lower case and comment": f"select * where {{ # }} SERVICE\n service <{url}/> {body} }}",
        "CONSTRUCT with OPTIONAL": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{url}/> {body} }} }}",
        "in MINUS and UNION": f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ ?s ?p ?o MINUS {{ {service} }} }} }}",
        "in GRAPH": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}/> {body} }} }}",
    }


def test_the_listener_does_see_an_unguarded_engine_call_out(listener):
    """Control: pyoxigraph itself would make the request these queries ask for."""
    import pyoxigraph as ox

    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"))
    assert listener.connections >= 1


def test_service_in_every_disguise_is_refused_and_nothing_connects(client, listener):
    for name, query in disguises(listener.port).items():
        for response in (
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
            client.post("/sparql", data={"query": query}),
        ):
            assert response.status_code == 403, (name, response.text)
            assert "SERVICE" in response.json()["error"], name
    time.sleep(0.5)
    assert listener.connections == 0


def test_queries_that_merely_mention_service_still_run(client):
    for query in (
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" } LIMIT 1',
        "SELECT ?service WHERE { ?service a pkg:Service } LIMIT 1  # SERVICE <http://127.0.0.1:9/>",
        "SELECT * WHERE { ?s pkg:service ?o } LIMIT 1",
    ):
        assert client.get("/sparql", params={"query": query}).status_code == 200, query


def test_updates_in_every_disguise_are_refused(client, listener):
    url = f"http://127.0.0.1:{listener.port}/"
    updates = [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "# a comment\n  insert data { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:> InSeRt DaTa { x:a x:b x:c }",
        "DELETE WHERE { ?s ?p ?o }",
        "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { <urn:a> <urn:b> <urn:c> } WHERE { ?s ?p ?o }",
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <urn:g>",
        "CLEAR ALL",
        "DROP SILENT DEFAULT",
        "CREATE GRAPH <urn:g>",
        "ADD DEFAULT TO <urn:g>",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> } # SELECT",
    ]
    for update in updates:
        for response in (
            client.get("/sparql", params={"query": update}),
            client.get("/sparql", params={"update": update}),
            client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
            client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"}),
            client.post("/sparql", data={"update": update}),
            client.post("/sparql", data={"query": update}),
        ):
            assert response.status_code in (400, 403), (update, response.status_code, response.text)
    assert client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False
    time.sleep(0.3)
    assert listener.connections == 0
