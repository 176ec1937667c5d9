"""Uploads and removals over HTTP against a server with its own store (the shared one stays read-only)."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import WRITE_AUTH, Server

PROPOSAL = """Budgetförslag 2031 med plan för 2032–2033

Vänsterpartiet i Region Gävleborg

1. Vård i hela länet

Vi yrkar
• Att förlossningen i Hudiksvall återöppnas.
• Att primärvården tillförs 30 miljoner kronor under 2031.
"""


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("upload") / "db")
    with httpx.Client(base_url=server.url, timeout=60, headers=WRITE_AUTH) as client:
        yield client
    server.stop()


def proposals(client) -> list[str]:
    return [p["id"] for p in client.get("/api/proposals").json()["items"]]


def test_upload_adds_a_proposal_and_delete_removes_it(writable):
    before = writable.get("/api/stats").json()  # memoised listings must see every write
    response = writable.post("/api/proposals", files={"file": ("v-gavleborg.txt", PROPOSAL.encode(), "text/plain")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "added" and body["measures"] >= 2
    assert body["id"] in proposals(writable)
    funded = writable.get("/api/measures", params={"proposal": body["id"], "relation": "funds"}).json()["items"]
    assert [m["amount_msek"] for m in funded] == [30]
    after = writable.get("/api/stats").json()
    assert after["classes"]["pkg:Proposal"] == before["classes"].get("pkg:Proposal", 0) + 1
    assert body["id"] in [p["id"] for p in after["proposals"]]
    again = writable.post("/api/proposals", files={"file": ("v-gavleborg.txt", PROPOSAL.encode(), "text/plain")})
    assert again.json()["status"] == "unchanged"
    slug = body["id"].split("/", 1)[1]
    assert writable.delete(f"/api/proposals/{slug}").status_code == 200
    assert body["id"] not in proposals(writable)
    gone = writable.get("/api/stats").json()
    assert gone["classes"].get("pkg:Proposal", 0) == before["classes"].get("pkg:Proposal", 0)
    assert body["id"] not in [p["id"] for p in gone["proposals"]]
    assert writable.delete(f"/api/proposals/{slug}").status_code == 404


def test_bad_uploads_are_refused_and_change_nothing(writable):
    before = writable.get("/api/stats").json()["triples"]
    latin_text = PROPOSAL.replace("–", "-").replace("•", "-").encode("latin-1")
    latin = writable.post("/api/proposals", files={"file": ("x.txt", latin_text, "text/plain")})
    assert latin.status_code == 400 and "not valid UTF-8" in latin.json()["error"]
    empty = writable.post("/api/proposals", files={"file": ("e.txt", b"  \n", "text/plain")})
    assert empty.status_code == 400 and "empty" in empty.json()["error"]
    for name in ("../etc/x.txt", "a/b.txt", "a\\b.txt", "..", "x\x01.txt", "x\x1b.txt", "a" * 300 + ".txt"):
        # a raw multipart body: httpx would percent-encode control characters in the name
        body = (
            f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n{PROPOSAL}\r\n--b--\r\n"
        ).encode()
        bad_name = writable.post(
            "/api/proposals", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        assert bad_name.status_code == 400 and "file name" in bad_name.json()["error"], (name, bad_name.text)
    missing = writable.post("/api/proposals")
    assert missing.status_code == 422 and "file" in missing.json()["error"]
    assert writable.get("/api/stats").json()["triples"] == before
