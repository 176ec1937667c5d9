"""Runaway SPARQL queries are stopped, not abandoned; the server stays answerable while they run.

A real server on a real store of the bundled corpus, POLICYKG_QUERY_TIMEOUT=2 and two query workers. Requests come
from several loopback addresses (127.0.0.x) so that they count as different clients. Timing bounds here are loose
(a shared 2-core machine); the figures measured are in docs/reliability.md.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from graph.loading import ensure_reference
from graph.query_pool import PRELOAD, Worker
from graph.store import EmbeddedStore
from tests.conftest import ROOT, WRITE_AUTH, Server, build_store
from tests.test_security import Listener

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUP = "/api/entities/hospital/solleftea-sjukhus"
TICK = os.sysconf("SC_CLK_TCK")
IDLE = 0.2  # cores: below this the server and its workers count as idle


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    path = tmp_path_factory.mktemp("limits") / "db"
    build_store(path)
    server = Server(path, {"POLICYKG_QUERY_TIMEOUT": "2", "POLICYKG_QUERY_WORKERS": "2", "POLICYKG_QUERY_QUEUE": "2"})
    server.store_path = path
    yield server
    server.stop()


def client_at(server: Server, address: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def sparql(http: httpx.Client, query: str) -> httpx.Response:
    return http.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})


def family(pid: int) -> list[int]:
    """The process and all its descendants (the forkserver and the query workers)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(parents.get(found[-1], []))
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return times


def cores_used(pid: int, window: float = 0.5) -> float:
    """CPU of the server and its workers over `window` seconds, in cores (processes alive throughout)."""
    before = cpu_seconds(family(pid))
    time.sleep(window)
    after = cpu_seconds(list(before))
    return sum(after[p] - before[p] for p in after) / window


def send_heavy(server: Server, address: str, answers: list) -> None:
    with client_at(server, address) as http:
        response = sparql(http, HEAVY)
        answers.append((response.status_code, time.monotonic(), response))


def test_eight_heavy_queries_are_stopped_and_lookups_still_answered(limited):
    answers: list = []
    workers = filtered(limited.process.pid)
    started = time.monotonic()
    heavy = [threading.Thread(target=send_heavy, args=(limited, f"127.0.0.{i}", answers)) for i in range(2, 10)]
    for thread in heavy:
        thread.start()
    time.sleep(0.5)
    with httpx.Client(base_url=limited.url, timeout=30) as http, client_at(limited, "127.0.0.20") as other:
        saturated = sparql(other, "ASK {}")
        lookups = []
        while any(t.is_alive() for t in heavy):
            begun = time.perf_counter()
            assert http.get(LOOKUP).status_code == 200
            lookups.append(time.perf_counter() - begun)
            time.sleep(0.1)
        for thread in heavy:
            thread.join()
        last_stop = max(at for status, at, _ in answers if status == 503)
        idle_after = None
        while time.monotonic() - last_stop < 10:
            if cores_used(limited.process.pid) < IDLE:
                idle_after = time.monotonic() - last_stop
                break
        metrics = http.get("/metrics").text
        assert sparql(other, "ASK {}").json()["boolean"] is True  # the killed workers were replaced
    statuses = sorted(status for status, _, _ in answers)
    print(
        f"\nstatuses {statuses}; lookups {len(lookups)}, slowest {max(lookups) * 1000:.0f} ms; "
        f"idle {idle_after:.2f} s after the last stop; whole run {last_stop - started:.1f} s"
    )
    # two run, two wait for a worker (and run when one is replaced), the rest are refused at once
    assert statuses.count(503) >= 2 and statuses.count(503) + statuses.count(429) == 8, statuses
    refused = next(r for s, _, r in answers if s == 429)
    assert refused.headers["retry-after"] == "2" and "busy" in refused.json()["error"]
    assert saturated.status_code == 429 and saturated.headers["retry-after"] == "2"
    assert max(lookups) < 1.0, lookups  # measured: well under 200 ms (docs/reliability.md)
    assert idle_after is not None and idle_after < 4.0, idle_after  # killed, not left running
    assert f"policykg_queries_timed_out_total {statuses.count(503)}" in metrics
    assert len(workers) == 2 and not set(workers) & set(family(limited.process.pid))  # killed, and reaped


def test_one_client_cannot_take_every_worker(limited):
    answers: list = []
    first = threading.Thread(target=send_heavy, args=(limited, "127.0.0.1", answers))
    first.start()
    time.sleep(0.5)
    with client_at(limited, "127.0.0.1") as same, client_at(limited, "127.0.0.30") as other:
        second = sparql(same, HEAVY)
        begun = time.perf_counter()
        point = sparql(other, "ASK {}")
        waited = time.perf_counter() - begun
    first.join()
    print(f"\nASK {{}} from another client beside a heavy query: {waited * 1000:.0f} ms")
    assert second.status_code == 429 and "this client" in second.json()["error"]
    assert point.status_code == 200 and point.json()["boolean"] is True
    assert waited < 1.0, waited
    assert answers[0][0] == 503


def test_workers_see_writes_made_after_they_started(limited):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with httpx.Client(base_url=limited.url, timeout=60) as http:

        def triples() -> int:
            return int(sparql(http, count).json()["results"]["bindings"][0]["n"]["value"])

        before = triples()
        text = "Budgetförslag 2032\n\nVi yrkar\n• Att BUP stärks.\n".encode()
        added = http.post("/api/proposals", files={"file": ("w-gavleborg.txt", text, "text/plain")}, headers=WRITE_AUTH)
        assert added.status_code == 201, added.text
        assert triples() > before
        assert http.delete(f"/api/proposals/{added.json()['slug']}", headers=WRITE_AUTH).status_code == 200
        assert triples() == before


def filtered(pid: int) -> list[int]:
    """The processes under `pid` that run under a seccomp filter: the query workers."""
    found = []
    for child in family(pid):
        try:
            if "Seccomp:\t2" in Path(f"/proc/{child}/status").read_text():
                found.append(child)
        except OSError:
            continue
    return found


def test_query_workers_run_under_the_network_filter(limited):
    deadline = time.monotonic() + 20  # a worker killed by an earlier test may still be being replaced
    while len(filtered(limited.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(filtered(limited.process.pid)) == 2  # both workers; the server and the forkserver are not


PROBE = """
import sys, pyoxigraph as ox
from graph.sandbox import block_network
assert block_network()
try:
    list(ox.Store().query("SELECT * WHERE { SERVICE <http://127.0.0.1:%d/> { ?s ?p ?o } }"))
except PermissionError as err:
    print("refused:", err)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the network filter is seccomp: Linux only")
def test_the_network_filter_stops_the_engine_itself():
    """Behind the guard: an engine asked for SERVICE directly cannot open a socket (its Rust HTTP client included)."""
    listener = Listener()
    try:
        probe = subprocess.run(
            [sys.executable, "-c", PROBE % listener.port], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        time.sleep(0.3)
    finally:
        listener.close()
    assert probe.returncode == 0 and "refused:" in probe.stdout, probe.stderr
    assert listener.connections == 0


def test_a_query_past_its_memory_ends_its_worker_not_the_server(limited):
    """RLIMIT_AS caps each worker (POLICYKG_QUERY_MEMORY_MB over its size at start): a sort of a cross product
    runs out of it long before its time limit, the worker dies and the answer says why."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    worker = Worker(context, limited.store_path, 0, 0, memory_mb=100)  # a read-only view beside the server's
    sort = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
    began = time.monotonic()
    answer = worker.ask((0, sort, "", 10), 60)
    assert answer is not None and answer.status == 503 and "memory" in answer.error, answer
    assert worker.stopped and time.monotonic() - began < 60


def test_the_query_command_ends_at_its_time_limit(tmp_path):
    """`policykg query` answers at the limit and exits; it used to wait for the abandoned query thread."""
    store = EmbeddedStore(tmp_path / "db")
    ensure_reference(store)  # some thousands of triples: the cross product would run for days
    store.flush()
    del store
    gc.collect()
    began = time.monotonic()
    cli = [sys.executable, "-m", "api.cli", "query", "--store", str(tmp_path / "db"), "--timeout", "2", HEAVY]
    done = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - began
    assert done.returncode == 2 and "time limit" in done.stderr, done.stderr
    assert took < 30, took
