"""Loading a whole folder: a document that fails is reported with its cause while the others load, unchanged files
are skipped before they are read, and reading runs under a time and a memory limit (CLI and upload alike)."""

from __future__ import annotations

import json

import httpx
import pytest

from api.settings import BUNDLED_CORPUS
from tests.render_formats import render_html, render_pdf
from tests.test_cli import policykg
from tests.test_formats import BAD, SMALL, SMALL_TEXT

SLOW = (sorted(BUNDLED_CORPUS.glob("*.txt"))[0].read_bytes()) * 16  # ~1.7 MB: well past a 1 s limit (SMALL: ~10 ms)


def proposals(store) -> int:
    stats = json.loads(policykg("stats", "--store", str(store), "--format", "json").stdout)
    return stats["classes"].get("pkg:Proposal", 0)


@pytest.fixture
def mixed(tmp_path):
    """Good PDF, HTML and text files beside a corrupt PDF, a zip that is no Word document and a picture."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "gavleborg.pdf").write_bytes(render_pdf(SMALL, header="Vänsterpartiet Gävleborg"))
    (folder / "dalarna.html").write_bytes(render_html(SMALL_TEXT.replace("Gävleborg", "Dalarna").split("\n")))
    (folder / "skane.txt").write_text(SMALL_TEXT.replace("Gävleborg", "Skåne"), encoding="utf-8")
    (folder / "corrupt.pdf").write_bytes(BAD["corrupt.pdf"][0]())
    (folder / "bilaga.docx").write_bytes(BAD["archive.docx"][0]())
    (folder / "photo.png").write_bytes(BAD["picture.png"][0]())  # not a document suffix: not picked up
    return folder


def test_a_folder_loads_its_good_documents_and_reports_the_bad_ones(mixed, tmp_path):
    store = tmp_path / "db"
    result = policykg("load", "--store", str(store), "--jobs", "2", str(mixed))
    assert result.returncode == 2, result.stderr
    out = result.stdout
    assert all(f"({name})" in out for name in ("gavleborg.pdf", "dalarna.html", "skane.txt"))
    assert out.count("added ") == 3 and "photo.png" not in out
    assert "loaded                       3" in out and "failed                       2" in out
    assert f"failed: {mixed / 'corrupt.pdf'}: the PDF is corrupt" in out
    assert f"failed: {mixed / 'bilaga.docx'}: a zip archive that is no Word document" in out
    assert "error: corrupt.pdf: the PDF is corrupt" in result.stderr
    assert "5 documents in" in out
    assert proposals(store) == 3


def test_a_second_load_skips_every_unchanged_document_before_reading_it(mixed, tmp_path):
    store = tmp_path / "db"
    assert policykg("load", "--store", str(store), str(mixed)).returncode == 2
    # a time limit nothing can be read within: an unchanged file reported as such was never read
    again = policykg("load", "--store", str(store), str(mixed), env={"POLICYKG_PARSE_TIMEOUT": "0.001"})
    assert again.returncode == 2
    assert sum(line.startswith("unchanged ") for line in again.stdout.splitlines()) == 3
    assert "skipped unchanged            3" in again.stdout
    assert "failed                       2" in again.stdout and "added " not in again.stdout
    assert proposals(store) == 3


def test_a_document_over_the_time_limit_fails_and_the_next_one_loads(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-slow.txt").write_bytes(SLOW)
    (folder / "b-small.txt").write_text(SMALL_TEXT, encoding="utf-8")
    store = tmp_path / "db"
    result = policykg("load", "--store", str(store), "--jobs", "1", str(folder), env={"POLICYKG_PARSE_TIMEOUT": "1"})
    assert result.returncode == 2
    assert "error: a-slow.txt: reading it took longer than the time limit of 1 s (POLICYKG_PARSE_TIMEOUT)" in (
        result.stderr
    )
    assert "(b-small.txt)" in result.stdout and proposals(store) == 1


def test_a_document_over_the_memory_limit_fails_and_the_next_one_loads(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    line = "Vi vill satsa 30 miljoner kronor på vården i hela länet. " * 5 + "\n"
    (folder / "a-huge.txt").write_bytes(line.encode() * 150_000)  # 42 MB of text
    (folder / "b-small.txt").write_text(SMALL_TEXT, encoding="utf-8")
    store = tmp_path / "db"
    env = {"POLICYKG_PARSE_MEMORY_MB": "64"}
    result = policykg("load", "--store", str(store), "--jobs", "1", str(folder), env=env)
    assert result.returncode == 2
    assert "error: a-huge.txt: reading it needed more than the memory limit of 64 MB" in result.stderr
    assert "(b-small.txt)" in result.stdout and proposals(store) == 1


def test_bad_limit_values_are_named():
    refused = policykg("load", "data/corpus", env={"POLICYKG_PARSE_TIMEOUT": "soon"})
    assert refused.returncode == 2 and "POLICYKG_PARSE_TIMEOUT must be a number" in refused.stderr


def test_an_upload_over_the_time_limit_is_refused_413_and_the_store_is_unchanged(tmp_path):
    from tests.conftest import WRITE_AUTH, Server

    server = Server(tmp_path / "db", env={"POLICYKG_PARSE_TIMEOUT": "1"})
    try:
        with httpx.Client(base_url=server.url, timeout=120, headers=WRITE_AUTH) as client:
            before = client.get("/api/stats").json()["triples"]
            slow = client.post("/api/proposals", files={"file": ("slow.txt", SLOW, "text/plain")})
            assert slow.status_code == 413, slow.text
            assert "slow.txt: reading it took longer than the time limit of 1 s" in slow.json()["error"]
            assert client.get("/api/stats").json()["triples"] == before
            small = client.post("/api/proposals", files={"file": ("small.txt", SMALL_TEXT.encode(), "text/plain")})
            assert small.status_code == 201, small.text
    finally:
        server.stop()
