"""Attacks on a server put on a network: writes without a key, cross-origin writes, SERVICE in disguise.

Real server processes on loopback, real HTTP; nothing is mocked.
"""

from __future__ import annotations

import os
import subprocess
import sys

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
