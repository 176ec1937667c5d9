"""Readers during writes (issue 18): while one writer removes and re-uploads the same proposal over and over, concurrent
readers of `/api/measures?proposal=…` and `/sparql` see the whole proposal or none of it — never a part — and never
a 5xx. Real server process, real HTTP, a store of two documents; bounded by DURATION seconds of traffic."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx
import pytest

from api.settings import BUNDLED_CORPUS
from graph.loading import ensure_reference, load_paths
from graph.store import EmbeddedStore
from ontology.terms import entity_iri
from tests.conftest import WRITE_AUTH, Server

DURATION = 20.0  # seconds of concurrent traffic
READERS = 3
HOLD = 1.0  # seconds the writer leaves the re-uploaded proposal in place before removing it again
TARGET = BUNDLED_CORPUS / "varmland_hsn_arsplan_budget_2026.txt"  # the proposal written over and over
BYSTANDER = BUNDLED_CORPUS / "sormland_mal_och_budget_2025_2027_first32k.txt"  # stays loaded throughout
COUNT = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a pkg:Measure ; pkg:statedIn <{iri}> }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("rw") / "db"
    store = EmbeddedStore(path)
    ensure_reference(store)
    load_paths(store, [TARGET, BYSTANDER])
    store.flush()
    del store
    srv = Server(path, {"POLICYKG_QUERY_TIMEOUT": "10"})
    yield srv
    srv.stop()


def measures_seen(http: httpx.Client, slug: str) -> tuple[int, int]:
    """(status, measures) from one page of /api/measures large enough to hold the whole proposal."""
    answer = http.get("/api/measures", params={"proposal": slug, "limit": 1000})
    if answer.status_code == 404:  # the proposal is not there at all
        return 404, 0
    items = answer.json()["items"] if answer.status_code == 200 else []
    assert answer.status_code != 200 or answer.json()["next_cursor"] is None
    assert all(item["id"].startswith(f"measure/{slug}-") for item in items)
    return answer.status_code, len(items)


def sparql_seen(http: httpx.Client, slug: str) -> tuple[int, int]:
    query = COUNT.format(iri=entity_iri("proposal", slug))
    answer = http.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    if answer.status_code >= 500:  # a finding: the reason goes into the report
        raise RuntimeError(f"{answer.status_code} {answer.text[:300]}")
    if answer.status_code != 200:
        return answer.status_code, -1
    return 200, int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_readers_see_the_whole_proposal_or_none_of_it_while_it_is_rewritten(server):
    with httpx.Client(base_url=server.url, timeout=60) as http:
        slug = next(
            p["id"].split("/", 1)[1]
            for p in http.get("/api/proposals").json()["items"]
            if p["source_file"] == TARGET.name
        )
        full_api, full_sparql = measures_seen(http, slug)[1], sparql_seen(http, slug)[1]
    assert full_api == full_sparql > 0

    stop = threading.Event()
    seen = {"api": Counter(), "sparql": Counter()}  # measure count → times seen
    statuses: Counter = Counter()
    writes: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def reader(index: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            turn = index
            while not stop.is_set():
                kind = "api" if turn % 2 == 0 else "sparql"
                turn += 1
                try:
                    status, count = (measures_seen if kind == "api" else sparql_seen)(http, slug)
                except Exception as err:  # noqa: BLE001 - a failed read is a finding, reported below
                    with lock:
                        errors.append(f"{kind}: {err!r}")
                    continue
                with lock:
                    statuses[(kind, status)] += 1
                    if status in (200, 404):
                        seen[kind][count] += 1
                if status == 429:  # the per-client query limit: back off a little, as a client should
                    time.sleep(0.05)

    def writer() -> None:
        data = TARGET.read_bytes()
        with httpx.Client(base_url=server.url, timeout=120, headers=WRITE_AUTH) as http:
            while not stop.is_set():
                removed = http.delete(f"/api/proposals/{slug}")
                added = http.post("/api/proposals", files={"file": (TARGET.name, data, "text/plain")})
                with lock:
                    writes[("DELETE", removed.status_code)] += 1
                    writes[("POST", added.status_code, added.json().get("status"))] += 1
                    if added.status_code != 201 or added.json().get("slug") != slug:
                        errors.append(f"upload: {added.status_code} {added.text[:200]}")
                stop.wait(HOLD)  # readers see the whole proposal for a while, not only its absence during extraction

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    threads.append(threading.Thread(target=writer))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(DURATION)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started

    reads = sum(n for (_, status), n in statuses.items())
    print(
        f"\nreaders-during-writes: {elapsed:.1f} s, {reads} reads {dict(statuses)}, writes {dict(writes)}, "
        f"measure counts seen: api {dict(seen['api'])}, sparql {dict(seen['sparql'])} (full = {full_api})"
    )
    assert not errors, errors[:5]
    assert not [key for key in statuses if key[1] >= 500], statuses
    assert writes[("DELETE", 200)] >= 2 and writes[("POST", 201, "added")] >= 2, writes
    for kind in ("api", "sparql"):
        assert set(seen[kind]) <= {0, full_api}, (kind, seen[kind])
    # after the last write, every reader sees the proposal whole (no answer kept from before a write)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        assert measures_seen(http, slug) == (200, full_api)
        assert sparql_seen(http, slug) == (200, full_sparql)
