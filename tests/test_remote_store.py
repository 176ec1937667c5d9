"""PolicyKG against a real Oxigraph server: load through RemoteStore, then drive the API over real HTTP."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn

from api.app import create_app
from api.settings import BUNDLED_CORPUS, Settings
from graph.loading import LoadResult, ensure_reference, load_paths, proposal_graphs
from graph.remote import RemoteStore
from tests.conftest import TEST_KEY, WRITE_AUTH

PROPOSALS = "PREFIX pkg: <https://w3id.org/policykg/ns#>\nSELECT ?p WHERE { ?p a pkg:Proposal } ORDER BY ?p"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
DOCUMENTS = len(list(BUNDLED_CORPUS.glob("*.txt")))


def oxigraph_binary() -> str | None:
    """The `oxigraph` CLI from PATH or from this interpreter's bin folder (the [test] extra installs it)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return shutil.which("oxigraph") or (str(beside) if beside.exists() else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, seconds: float = 30) -> None:
    """Poll until the server answers, failing early with its stderr if it exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode(errors='replace')}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory) -> Iterator[str]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` server binary is not installed (pip install -e '.[test]' provides it)")
    url = f"http://127.0.0.1:{free_port()}"
    location = tmp_path_factory.mktemp("oxigraph")
    cmd = [binary, "serve", "--location", str(location), "--bind", url.removeprefix("http://")]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(url + "/", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def loaded(oxigraph_url: str) -> Iterator[tuple[RemoteStore, list[LoadResult]]]:
    """The bundled corpus loaded through RemoteStore, with the loader's results."""
    store = RemoteStore(oxigraph_url)
    ensure_reference(store)
    yield store, load_paths(store, [BUNDLED_CORPUS])
    store.close()


@pytest.fixture(scope="module")
def remote(loaded: tuple[RemoteStore, list[LoadResult]]) -> RemoteStore:
    return loaded[0]


@pytest.fixture(scope="module")
def api(remote: RemoteStore, tmp_path_factory) -> Iterator[httpx.Client]:
    """The PolicyKG API in a uvicorn thread on its own loopback port, configured with store_url only."""
    settings = Settings(store=tmp_path_factory.mktemp("unused"), store_url=remote.url, api_keys=[TEST_KEY])
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/")
        with httpx.Client(base_url=url, timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def triple_count(api: httpx.Client) -> int:
    answer = api.post("/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"})
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_corpus_loads_into_the_remote_store(loaded: tuple[RemoteStore, list[LoadResult]]) -> None:
    remote, results = loaded
    assert [r.status for r in results] == ["added"] * DOCUMENTS
    assert len(proposal_graphs(remote)) == DOCUMENTS
    assert remote.size() > 5000


def test_sparql_select_over_http_returns_every_proposal(api: httpx.Client) -> None:
    answer = api.get("/sparql", params={"query": PROPOSALS}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["results"]["bindings"]) == DOCUMENTS


def test_malformed_sparql_is_a_400_with_the_servers_message(api: httpx.Client) -> None:
    answer = api.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert answer.status_code == 400
    assert "malformed" in answer.json()["error"]


def test_proposals_and_measures_by_actor(api: httpx.Client) -> None:
    proposals = api.get("/api/proposals").json()["items"]
    assert len(proposals) == DOCUMENTS
    actor = next(a["id"] for p in proposals for a in p["authors"] if a["id"])
    measures = api.get("/api/measures", params={"actor": actor, "limit": 20})
    assert measures.status_code == 200, measures.text
    items = measures.json()["items"]
    assert items and all(m["proposal"]["id"].startswith("proposal/") for m in items)


def test_reloading_a_document_replaces_its_graph(api: httpx.Client) -> None:
    before = triple_count(api)
    path = sorted(BUNDLED_CORPUS.glob("*.txt"))[0]
    changed = path.read_bytes() + b"\n"  # a new content hash, the same statements
    answer = api.post("/api/proposals", files={"file": (path.name, changed, "text/plain")}, headers=WRITE_AUTH)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "replaced"
    assert triple_count(api) == before
    assert len(api.get("/api/proposals").json()["items"]) == DOCUMENTS


def recording_store(url: str, update_limit: int) -> tuple[RemoteStore, list[str]]:
    """A RemoteStore with a small update limit that records the requests it sends ("METHOD /path")."""
    sent: list[str] = []
    record = [lambda request: sent.append(f"{request.method} {request.url.path}")]
    client = httpx.Client(timeout=30, event_hooks={"request": record})
    return RemoteStore(url, update_limit=update_limit, client=client), sent


def test_a_large_graph_that_changes_little_is_replaced_by_one_difference_update(remote: RemoteStore) -> None:
    store, sent = recording_store(remote.url, update_limit=20_000)  # far below one proposal graph
    graph = proposal_graphs(remote)[0]
    quads = list(remote.quads(graph))
    before = remote.size()
    note = ox.Quad(quads[0].subject, ox.NamedNode(RDFS_COMMENT), ox.Literal("benchmark note"), ox.NamedNode(graph))
    changed = [*quads[1:], note]
    store.replace_graph(graph, changed)
    assert sent == ["POST /query", "POST /update"]  # read what is there, then one difference update
    assert set(remote.quads(graph)) == set(changed)
    assert remote.size() == before
    store.replace_graph(graph, quads)
    assert set(remote.quads(graph)) == set(quads)
    store.close()


def test_graphs_too_large_for_an_update_go_by_graph_store_put(remote: RemoteStore) -> None:
    store, sent = recording_store(remote.url, update_limit=1)
    graph = proposal_graphs(remote)[0]
    quads = list(remote.quads(graph))
    before = remote.size()
    store.replace_graph(graph, quads[1:])
    assert sent == ["POST /query", "PUT /store"]
    assert remote.size() == before - 1
    store.replace_graph(graph, quads)
    assert remote.size() == before
    assert set(remote.quads(graph)) == set(quads)
    store.close()
