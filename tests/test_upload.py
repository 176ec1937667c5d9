"""Uploads and removals over HTTP against a server with its own store (the shared one stays read-only)."""

from __future__ import annotations

import select
import socket

import httpx
import pytest

from tests.conftest import TEST_KEY, WRITE_AUTH, Server

LIMIT = 1 << 20  # POLICYKG_MAX_UPLOAD of the streaming server
PIECE = b"Att primarvarden tillfors 30 miljoner kronor.\n" * 1400  # 64.4 kB of valid text per chunk

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


@pytest.fixture(scope="module")
def streaming(tmp_path_factory):
    """A server with a 1 MiB upload limit whose temporary files go to a folder of its own."""
    temp = tmp_path_factory.mktemp("upload-temp")
    server = Server(
        tmp_path_factory.mktemp("streaming") / "db", {"POLICYKG_MAX_UPLOAD": str(LIMIT), "TMPDIR": str(temp)}
    )
    server.temp = temp
    yield server
    server.stop()


def peak_rss(pid: int) -> int:
    """The process's peak resident memory in bytes (VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def send_chunked_upload(port: int, pieces: int) -> tuple[bytes, int]:
    """POST a chunked multipart upload of `pieces` × PIECE, reading between chunks; the answer's first bytes and the
    file bytes sent before it came (or before the server stopped taking them)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    head = (
        f"POST /api/proposals HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TEST_KEY}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    sock.sendall(
        head.encode() + chunk(b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n')
    )
    sent = 0
    with sock:
        try:
            while sent < pieces * len(PIECE) and not select.select([sock], [], [], 0)[0]:
                sock.sendall(chunk(PIECE))
                sent += len(PIECE)
            sock.sendall(chunk(b"\r\n--b--\r\n") + b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed the connection
        return sock.recv(65536), sent


def test_an_oversized_chunked_upload_is_refused_while_it_arrives(streaming):
    """No Content-Length to refuse early: the server counts the body as it arrives, answers 413 at the limit and
    stops reading, so the client learns it after a little more than the limit, not after 20 times it."""
    with httpx.Client(base_url=streaming.url, timeout=60, headers=WRITE_AUTH) as client:
        triples = client.get("/api/stats").json()["triples"]
        before = peak_rss(streaming.process.pid)
        answer, sent = send_chunked_upload(streaming.port, pieces=20 * LIMIT // len(PIECE))
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"upload limit of 1048576 bytes" in answer and b"connection: close" in answer.lower()
        assert sent < 8 * LIMIT, f"the 413 came after {sent} bytes"  # loopback socket buffers hold a few MB
        # reading all 20 MB in would add ≥ 20 MB to the peak; buffers and allocator noise add about 1 MB
        assert peak_rss(streaming.process.pid) - before < 4 * LIMIT
        assert client.get("/api/stats").json()["triples"] == triples
    assert not list(streaming.temp.glob("policykg-upload-*"))


def test_an_upload_streams_through_a_temporary_file_that_is_removed(streaming):
    with httpx.Client(base_url=streaming.url, timeout=60, headers=WRITE_AUTH) as client:
        loaded = client.post("/api/proposals", files={"file": ("small.txt", PROPOSAL.encode(), "text/plain")})
        assert loaded.status_code == 201, loaded.text
        assert loaded.json()["source_file"] == "small.txt" and loaded.json()["measures"] >= 2
        text = PROPOSAL.encode() + PIECE * (LIMIT // len(PIECE) + 1)  # over the file limit, under the body check
        triples = client.get("/api/stats").json()["triples"]
        over = client.post("/api/proposals", files={"file": ("over.txt", text, "text/plain")})
        assert over.status_code == 413 and "POLICYKG_MAX_UPLOAD" in over.json()["error"]
        cut = b'--b\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\n\r\n' + PROPOSAL.encode()
        truncated = client.post(
            "/api/proposals", content=cut, headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        assert truncated.status_code == 400 and "closing boundary" in truncated.json()["error"]
        assert client.get("/api/stats").json()["triples"] == triples
    assert not list(streaming.temp.glob("policykg-upload-*"))
