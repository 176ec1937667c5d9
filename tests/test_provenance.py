"""Provenance of documents read from other formats: the normalised text is stored with the proposal (so every
pkg:sourceLine can be checked against it, across restarts) and nodes from a PDF carry pkg:sourcePage."""

from __future__ import annotations

import hashlib

import pytest

from graph.loading import ensure_reference, load_bytes, proposal_text
from graph.store import EmbeddedStore
from loaders.read import normalised_text
from tests.render_formats import render_pdf
from tests.test_formats import TABLE, source_lines

PART = source_lines()[:240] + TABLE  # the first pages of 000 and a budget table


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    pdf = render_pdf(PART, columns=2)
    path = tmp_path_factory.mktemp("provenance") / "db"
    store = EmbeddedStore(path)
    ensure_reference(store)
    result = load_bytes(store, pdf, "000-part.pdf")
    store.flush()
    del store
    return path, pdf, result


def test_the_normalised_text_is_stored_and_survives_a_restart(loaded):
    path, pdf, result = loaded
    store = EmbeddedStore(path)  # reopened: what a restarted server sees
    text, fmt = proposal_text(store, result.slug)
    assert fmt == "pdf"
    assert text.split("\n") == normalised_text(pdf, "000-part.pdf").lines  # the same bytes give the same lines
    assert proposal_text(store, "no-such-proposal") is None and proposal_text(store, "x> } ; DROP") is None
    rows = store.select("SELECT ?quote ?line WHERE { ?m a pkg:Measure ; pkg:quote ?quote ; pkg:sourceLine ?line }")
    lines = text.split("\n")
    assert len(rows) > 20
    for row in rows:
        start = int(row["line"].value)
        block = []
        for line in lines[start - 1 :]:
            if not line.strip():
                break
            block.append(line)
        assert " ".join(row["quote"].value.split()) in " ".join(" ".join(block).split())
    assert load_bytes(store, pdf, "000-part.pdf").status == "unchanged"


def test_nodes_from_a_pdf_carry_their_page(loaded):
    path, pdf, result = loaded
    store = EmbeddedStore(path)
    pages = normalised_text(pdf, "000-part.pdf").pages
    rows = store.select("SELECT ?s ?line ?page WHERE { ?s pkg:sourceLine ?line ; pkg:sourcePage ?page }")
    missing = store.select(
        "SELECT ?s WHERE { GRAPH ?g { ?s pkg:sourceLine ?line FILTER NOT EXISTS { ?s pkg:sourcePage ?page } } "
        "FILTER(?g != <https://w3id.org/policykg/graph/reference>) }"
    )
    assert rows and not missing
    assert all(int(r["page"].value) == pages[int(r["line"].value) - 1] for r in rows)
    assert max(int(r["page"].value) for r in rows) > 3


def test_the_text_is_served_with_line_numbers(loaded):
    import httpx

    from tests.conftest import Server

    path, pdf, result = loaded
    server = Server(path)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            body = client.get(f"/api/proposals/{result.slug}/text").json()
            lines = normalised_text(pdf, "000-part.pdf").lines
            assert body["format"] == "pdf" and body["line_count"] == len(lines)
            assert [item["text"] for item in body["lines"]] == lines
            assert [item["line"] for item in body["lines"][:3]] == [1, 2, 3]
            part = client.get(f"/api/proposals/{result.slug}/text", params={"start": 3, "end": 4, "format": "plain"})
            assert part.text == f"3\t{lines[2]}\n4\t{lines[3]}\n"
            missing = client.get("/api/proposals/no-such-proposal/text")
            assert missing.status_code == 404 and "unknown proposal" in missing.json()["error"]
    finally:
        server.stop()


def test_a_parallel_load_builds_the_same_graph(tmp_path):
    """--jobs 2 (two extracting workers, one writer) stores exactly the quads --jobs 1 stores."""
    from api.settings import BUNDLED_CORPUS
    from graph.loading import load_paths
    from tests.render_formats import render_html
    from tests.test_formats import SMALL

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(render_pdf(SMALL, header="Vänsterpartiet Gävleborg"))
    (folder / "b.html").write_bytes(render_html(PART))
    for path in sorted(BUNDLED_CORPUS.glob("*.txt"))[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    copy = path.read_bytes() + b"\n"
    (folder / "z-copy.txt").write_bytes(copy)  # the same readable slug as the file before: extracted again
    graphs = []
    for jobs in (1, 2):
        store = EmbeddedStore(tmp_path / f"db{jobs}")
        ensure_reference(store)
        results = load_paths(store, [folder], jobs=jobs)
        assert [r.status for r in results] == ["added"] * 5
        slugs = {r.source_file: r.slug for r in results}
        assert slugs["z-copy.txt"] == f"{slugs[path.name]}-{hashlib.sha256(copy).hexdigest()[:6]}"
        rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) }")
        graphs.append({tuple(str(r[k]) for k in ("g", "s", "p", "o")) for r in rows})
        del store
    assert graphs[0] == graphs[1] and len(graphs[0]) > 1000


def test_jobs_must_be_a_positive_number():
    from tests.test_cli import policykg

    refused = policykg("load", "--jobs", "0", "data/corpus")
    assert refused.returncode == 2 and "at least 1" in refused.stderr
