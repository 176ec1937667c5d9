"""kill -9 of `policykg load` at many moments: the store opens, each proposal is there completely or not at all,
and the next load leaves exactly what a clean load leaves, inferred region graphs included.

A base store holds two documents (one each of Västernorrland and Västerbotten, inferred graphs made). Each round
copies it, starts a load of two more documents of those regions, kills its whole process group with SIGKILL after
a delay spread over a clean load's duration, reopens the store as the next process would and compares every
proposal graph's triple count with the clean load's; then runs the load again and compares everything. Figures
are in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from api.settings import BUNDLED_CORPUS
from graph.inference import inferred_quads, proposal_regions
from graph.loading import load_bytes, proposal_graphs
from graph.store import EmbeddedStore
from ontology.terms import inferred_graph, is_inferred_graph
from tests.conftest import ROOT, WRITE_AUTH, Server
from tests.test_query_limits import family

BASE = ["000_0410683bcf7f9b19.txt", "002_c58cbc3ea1e4a57c.txt"]  # Västernorrland, Västerbotten
ADDED = ["004_22c4ad06b1d4bb37.txt", "001_e7164b981f31cdcf.txt"]  # one more of each region
# when to kill: (proposal graphs the load has committed, then seconds). Measured here: the load reads and extracts
# for ~16 s, writes the first document, the second ~1.5 s later, infers both regions in ~0.6 s and exits.
KILLS = ((0, 2.0), (1, 0.0), (1, 0.7), (2, 0.0), (2, 0.1), (2, 0.25))


def start_load(store: Path, documents: list[str]) -> subprocess.Popen:
    files = [str(BUNDLED_CORPUS / name) for name in documents]
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "load", "--store", str(store), *files],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its extraction workers die with it, as in a crash of the machine
    )


def wait_for_writes(path: Path, known: set[str], process: subprocess.Popen, count: int) -> None:
    """Until `count` graphs that `known` lacks are committed (seen through read-only opens, as query workers see)."""
    while count and process.poll() is None:
        try:
            graphs = {g.value for g in ox.Store.read_only(str(path)).named_graphs()}
        except (OSError, RuntimeError):  # RocksDB: a table file the writer just compacted away ("Corruption")
            graphs = set()
        if len(graphs - known) >= count:
            return
        time.sleep(0.01)


def load(store: Path, documents: list[str]) -> float:
    began = time.monotonic()
    assert start_load(store, documents).wait(timeout=300) == 0
    return time.monotonic() - began


def snapshot(path: Path) -> tuple[dict[str, int], dict[str, int], set[str]]:
    """Triples per proposal graph and per inferred graph, and the regions whose inferred graph is not what the
    proposals present give (missing, stale, or left over)."""
    store = EmbeddedStore(path)
    try:
        proposals = {g: len(list(store.quads(g))) for g in proposal_graphs(store)}
        inferred = {g: len(list(store.quads(g))) for g in store.graphs() if is_inferred_graph(g)}
        regions = proposal_regions(store)
        wrong = {
            r for r in regions if quad_texts(store.quads(inferred_graph(r))) != quad_texts(inferred_quads(store, r))
        }
        wrong |= set(inferred) - {inferred_graph(r) for r in regions}
    finally:
        del store
        gc.collect()
    return proposals, inferred, wrong


def quad_texts(quads) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}" for q in quads}


def test_kill_9_during_load_leaves_each_proposal_complete_or_absent(tmp_path):
    base, clean = tmp_path / "base", tmp_path / "clean"
    load(base, BASE)
    shutil.copytree(base, clean)
    took = load(clean, ADDED)
    proposals, inferred, wrong = snapshot(clean)
    assert len(proposals) == len(BASE) + len(ADDED) and not wrong
    known = {g.value for g in ox.Store.read_only(str(base)).named_graphs()}
    survived, after_kill = 0, []
    for round_, (writes, delay) in enumerate(KILLS):
        path = tmp_path / f"killed-{round_}"
        shutil.copytree(base, path)
        process = start_load(path, ADDED)
        wait_for_writes(path, known, process, writes)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        found, _, wrong_after_kill = snapshot(path)  # the store opens: pyoxigraph raises otherwise
        assert all(proposals[g] == n for g, n in found.items()), (round_, found)
        after_kill.append((writes, delay, process.returncode, len(found), len(wrong_after_kill)))
        load(path, ADDED)  # the next load over the killed store
        assert snapshot(path) == (proposals, inferred, set()), round_
        survived += 1
    print(
        f"\nclean load {took:.1f} s; {survived} kill points survived; (after n writes, + s, exit code, proposal "
        f"graphs present, regions whose inferred graph was out of date): {after_kill}"
    )


def test_a_server_started_over_a_write_without_its_inference_repairs_it(tmp_path):
    """What a kill -9 of the server between an upload's write and its inference leaves: the next start heals it."""
    path = tmp_path / "db"
    load(path, BASE)
    store = EmbeddedStore(path)
    load_bytes(store, (BUNDLED_CORPUS / ADDED[0]).read_bytes(), ADDED[0], infer=False)
    store.flush()
    del store
    gc.collect()
    assert snapshot(path)[2]  # the region's inferred graph no longer matches its proposals
    Server(path).stop()
    assert not snapshot(path)[2]


UPLOAD_KILLS = (0.05, 0.3, 0.6, 0.8, 0.95, 1.1)  # × a clean upload's duration (request sent → 201)


def upload(server: Server, name: str) -> tuple[float, int | None]:
    """Seconds and status of one upload; None when the server dies under it."""
    began = time.monotonic()
    data = (BUNDLED_CORPUS / name).read_bytes()
    try:
        response = httpx.post(
            server.url + "/api/proposals", files={"file": (name, data, "text/plain")}, headers=WRITE_AUTH, timeout=120
        )
    except httpx.HTTPError:
        return time.monotonic() - began, None
    return time.monotonic() - began, response.status_code


def kill_server(server: Server) -> None:
    """SIGKILL the server and every process it started (fork server, query and parse workers), as a power cut."""
    for pid in family(server.process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.process.wait()


def test_kill_9_of_the_server_during_an_upload_leaves_the_proposal_complete_or_absent(tmp_path):
    """The server killed at moments spread over an upload (reading, extracting, writing, inferring, answering): the
    store opens, the proposal is there with the clean upload's triples or not at all, and the next start leaves
    the inferred graphs right."""
    base, clean = tmp_path / "base", tmp_path / "clean"
    load(base, BASE)
    before = snapshot(base)
    shutil.copytree(base, clean)
    server = Server(clean)
    took, status = upload(server, ADDED[0])
    server.stop()
    assert status == 201
    proposals, inferred, wrong = snapshot(clean)
    assert len(proposals) == len(BASE) + 1 and not wrong
    outcomes = []
    for round_, share in enumerate(UPLOAD_KILLS):
        path = tmp_path / f"killed-{round_}"
        shutil.copytree(base, path)
        server = Server(path)
        answers: list[tuple[float, int | None]] = []
        sender = threading.Thread(target=lambda out=answers, srv=server: out.append(upload(srv, ADDED[0])))
        sender.start()
        time.sleep(share * took)
        kill_server(server)
        sender.join()
        found, _, _ = snapshot(path)  # the store opens: pyoxigraph raises otherwise
        assert all(proposals[g] == n for g, n in found.items()), (round_, found)
        Server(path).stop()  # the next start repairs an inference the kill cut off
        assert snapshot(path) in ((proposals, inferred, set()), before), round_
        outcomes.append((share, answers[0][1], len(found) > len(before[0])))
    print(f"\nclean upload {took:.2f} s; (share of it, status the client saw, proposal present): {outcomes}")
