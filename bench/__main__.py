"""`python -m bench`: generate corpora, benchmark loading, queries and HTTP under load; write the report.

    python -m bench                      # sizes 1,10,100 as far as they fit in 20 minutes; queries on ≥ 1M triples
    python -m bench --quick              # sizes 1,10; queries on ~100k triples; a few minutes
    python -m bench --sizes 1,10,100,1000 --max-minutes 120
    python -m bench --sizes 10,100,1000 --load-only --flush-variant 0 --max-minutes 95 --json docs/benchmarks-load.json

A size whose estimated load time does not fit is not silently extrapolated: it is reported as skipped,
and the largest round size that does fit is loaded instead (and reported as such).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psutil
import pyoxigraph as ox

from api.settings import Settings
from bench import build, load, loadtest, queries, report
from bench.generate import corpus_bytes, documents, generate
from bench.machine import describe
from bench.servers import ROOT, api_server
from graph.store import table_files_limited_to
from ontology.terms import ID, RELATIONS

MB = 2**20
QUERY_RESERVE_S = 560  # what the query and HTTP phases need once the query store exists
ROUND_SIZES = [2, 3, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 150, 200, 300, 500, 750, 1000]
SAFETY = 1.3  # load time per MB rises a little with store size (final inference grows faster than linear)


def parse(argv: list[str]) -> argparse.Namespace:
    raw = argparse.RawTextHelpFormatter
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=raw)
    p.add_argument("--sizes", default=None, help="corpus sizes as multiples of the bundled corpus (default 1,10,100)")
    p.add_argument("--quick", action="store_true", help="small sizes and short runs, to check the harness")
    p.add_argument("--query-triples", type=int, default=None, help="grow the query store to this (default 1000000)")
    p.add_argument("--reps", type=int, default=None, help="timed runs per query and engine (default 15)")
    p.add_argument("--budget", type=float, default=None, help="seconds per query and engine (default 6)")
    p.add_argument("--max-minutes", type=float, default=20, help="skip what would not fit (default 20)")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--load-seconds", type=float, default=None, help="per load-test run (default 8)")
    p.add_argument("--skip-rdflib", action="store_true", help="leave out engines (c) and (d)")
    p.add_argument("--load-only", action="store_true", help="stop after the load benchmark (e.g. for 1000x)")
    p.add_argument("--rdflib-cap", type=float, default=20, help="seconds before an rdflib query is abandoned")
    p.add_argument("--flush-variant", type=float, default=10, help="also load this size flushing every 10 docs")
    p.add_argument(
        "--heap-sizes", default=None, help="also load these sizes tracing Python's heap (default 1,10; '' for none)"
    )
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--workdir", type=Path, default=None, help="keep generated files here (default: a temp dir)")
    p.add_argument("--json", type=Path, default=None, help="default docs/benchmarks.json (quick: beside the workdir)")
    p.add_argument("--markdown", type=Path, default=None, help="also write the results section to this file")
    p.add_argument(
        "--from-json", type=Path, default=None, help="only re-derive targets and markdown from a results file"
    )
    args = p.parse_args(argv)
    quick = args.quick
    args.sizes = [float(s) for s in (args.sizes or ("1,10" if quick else "1,10,100")).split(",")]
    heap_sizes = ("1" if quick else "1,10") if args.heap_sizes is None else args.heap_sizes
    args.heap_sizes = [float(s) for s in heap_sizes.split(",") if s.strip()]
    args.store_open_files = Settings().store_open_files  # POLICYKG_STORE_OPEN_FILES, honoured by every store opened
    args.query_triples = args.query_triples or (100_000 if quick else 1_000_000)
    args.reps = args.reps or (5 if quick else 15)
    args.budget = args.budget or (2.0 if quick else 6.0)
    args.load_seconds = args.load_seconds or (4.0 if quick else 8.0)
    return args


def label(factor: float) -> str:
    return f"{factor:g}x"


class Clock:
    """The run's time budget: phases ask before starting whether they fit."""

    def __init__(self, minutes: float):
        self.started = time.monotonic()
        self.limit = minutes * 60

    def left(self) -> float:
        return self.limit - (time.monotonic() - self.started)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- load ----------------------------------------------------------------------------------------------


def estimate_s(seconds_per_mb: float | None, factor: float) -> float:
    return SAFETY * seconds_per_mb * factor * corpus_bytes() / MB if seconds_per_mb else 0.0


def fitting_size(seconds_per_mb: float, allowance: float, below: float, above: float) -> float | None:
    """The largest round size between the last one loaded and the one that does not fit."""
    fits = [n for n in ROUND_SIZES if above < n < below and estimate_s(seconds_per_mb, n) <= allowance]
    return max(fits, default=None)


def load_phase(args: argparse.Namespace, work: Path, clock: Clock) -> tuple[dict, Path | None, int]:
    """Load each size in turn; a size that would not fit is reported and replaced by one that does."""
    out: dict[str, dict] = {}
    largest: Path | None = None
    next_index, loaded, seconds_per_mb = 0, 0.0, None
    for wanted in args.sizes:
        factor = wanted
        allowance = clock.left() - (0 if args.load_only else QUERY_RESERVE_S)
        if estimate_s(seconds_per_mb, wanted) > allowance:
            factor = fitting_size(seconds_per_mb, allowance, wanted, loaded)
            out[label(wanted)] = skipped(seconds_per_mb, wanted, allowance, factor)
            say(f"load {label(wanted)}: {out[label(wanted)]['skipped']}")
            if factor is None:
                continue
        result, store_dir, after = load_size(args, work, factor, clock)
        out |= result
        if "seconds" in result[label(factor)]:
            seconds_per_mb = result[label(factor)]["seconds"] / result[label(factor)]["text_mb"]
            largest, next_index, loaded = store_dir, after, factor
            if factor == args.flush_variant:
                out |= variant(args, work, clock, factor, "flush/10", flush_every=10)
            if factor in args.heap_sizes:
                out |= variant(args, work, clock, factor, "heap", trace_heap=True)
    return out, largest, next_index


def skipped(seconds_per_mb: float | None, wanted: float, allowance: float, instead: float | None) -> dict:
    note = (
        f"not run: estimated {estimate_s(seconds_per_mb, wanted):,.0f} s at the rate measured so far, "
        f"{max(0.0, allowance):,.0f} s available"
    )
    return {"skipped": note + (f"; loaded {label(instead)} instead" if instead else "")}


def load_size(args: argparse.Namespace, work: Path, factor: float, clock: Clock) -> tuple[dict, Path, int]:
    """One size: generate, load in a child process, delete the documents (the store is kept)."""
    name = label(factor)
    docs = work / f"docs-{name}"
    generated = list(generate(docs, factor, args.seed))
    store_dir = work / f"store-{name}"
    say(f"load {name}: {len(generated)} docs, {sum(g.size for g in generated) / MB:.1f} MB …")
    result = load.measure(docs, store_dir, timeout=max(60.0, clock.left()))
    if "seconds" in result:
        say(f"  {result['seconds']:.1f} s, {result['triples']:,} triples, peak RSS {result['peak_rss_mb']:.0f} MB")
    shutil.rmtree(docs, ignore_errors=True)
    return {name: result}, store_dir, generated[-1].next_index


def variant(args: argparse.Namespace, work: Path, clock: Clock, factor: float, tag: str, **options) -> dict:
    """The same size again with one load option (flushing every 10 documents, tracing the heap): a side row."""
    name = f"{label(factor)} {tag}"
    docs = work / f"docs-{label(factor)}-again"
    list(generate(docs, factor, args.seed))
    say(f"load {name} …")
    store_dir = work / f"store-{label(factor)}-again"
    result = load.measure(docs, store_dir, max(60.0, clock.left()), **options)
    shutil.rmtree(docs, ignore_errors=True)
    shutil.rmtree(store_dir, ignore_errors=True)
    return {name: result}


def build_phase(args: argparse.Namespace, work: Path, base: Path, next_index: int, clock: Clock) -> dict:
    """The largest loaded store, grown (in a copy) with the documents that follow if it is below the target."""
    probe = ox.Store.read_only(str(base))
    triples = len(probe)
    del probe
    if triples >= args.query_triples:
        return {"base": base.name, "triples": triples, "docs_added": 0, "path": str(base)}
    store_dir = work / "store-query"
    shutil.copytree(base, store_dir)
    deadline = time.monotonic() + max(30.0, clock.left() - QUERY_RESERVE_S)
    stream = (g.path for g in documents(work / "docs-extra", args.seed, next_index))
    limited = itertools.takewhile(lambda _: time.monotonic() < deadline, stream)
    say(f"query store: growing {base.name} from {triples:,} to {args.query_triples:,} triples …")
    result = build.grow(store_dir, limited, args.query_triples)
    shutil.rmtree(work / "docs-extra", ignore_errors=True)
    say(f"  {result['triples']:,} triples after {result['seconds']:.0f} s")
    return {**result, "base": base.name, "path": str(store_dir)}


# --- queries -------------------------------------------------------------------------------------------


def rdflib_engines(args: argparse.Namespace, store: ox.Store, work: Path) -> tuple[dict, object, dict]:
    """(c) and (d) over one N-Quads export, parsed once into a Dataset whose default graph is the union."""
    import rdflib

    dump = work / "dump.nq"
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    say("rdflib: parsing the N-Quads export …")
    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(dump), format="nquads")
    parse_s = time.perf_counter() - started
    dump.unlink()
    gc.freeze()  # millions of long-lived objects: the cyclic GC (and fork's copy-on-write) should leave them be
    say(f"  {parse_s:.0f} s")
    engines = {
        "rdflib": queries.Capped(queries.rdflib_engine(dataset), args.rdflib_cap),
        "rdflib_endpoint": queries.ForkedEndpoint(dataset, args.rdflib_cap),
    }
    return engines, dataset, {"rdflib_parse_s": parse_s, "rdflib_cap_s": args.rdflib_cap}


def query_phase(args: argparse.Namespace, store_dir: Path, work: Path) -> dict:
    """Time the mix through every engine, then the traversal endpoints, all on the same data."""
    with table_files_limited_to(args.store_open_files):  # as the API's own store is opened
        store = ox.Store.read_only(str(store_dir))
    params = queries.choose_parameters(store)
    mix = queries.query_mix(params)
    dataset, notes = None, {}
    with api_server(store_dir) as api, httpx.Client(base_url=api.url, timeout=900) as http:
        engines: dict = {"api": queries.http_engine(http, "/sparql"), "pyoxigraph": queries.pyoxigraph_engine(store)}
        if not args.skip_rdflib:
            more, dataset, notes = rdflib_engines(args, store, work)
            engines |= more
        say(f"queries: {', '.join(mix)} × {', '.join(engines)} …")
        timed = queries.time_mix(engines, mix, args.reps, args.budget)
        traversal = traversal_timings(args, http, params)
    del dataset, engines
    gc.unfreeze()
    gc.collect()
    return {"parameters": params.__dict__, "queries": timed, "traversal": traversal, "query_notes": notes}


def traversal_timings(args: argparse.Namespace, http: httpx.Client, params: queries.Parameters) -> dict:
    """Every JSON endpoint once over, so a listing that does not scale shows here (three once took 20–110 s)."""
    party, measure = params.party.removeprefix(ID), params.measure.removeprefix(ID)
    region = params.region.removeprefix(ID)
    requests = {
        f"/api/neighbours?id={measure}&depth=1": ("/api/neighbours", {"id": measure, "depth": 1}),
        f"/api/neighbours?id={measure}&depth=2": ("/api/neighbours", {"id": measure, "depth": 2}),
        f"/api/measures?actor={party}&limit=20": ("/api/measures", {"actor": party, "limit": 20}),
        f"/api/paths?source={party}&target={measure}": ("/api/paths", {"source": party, "target": measure}),
        "/api/entities?type=Measure&limit=50": ("/api/entities", {"type": "Measure", "limit": 50}),
        f"/api/entities/{party}": (f"/api/entities/{party}", {}),
        "/api/proposals": ("/api/proposals", {}),
        "/api/stats": ("/api/stats", {}),
        "/api/goals": ("/api/goals", {}),
        "/api/frames": ("/api/frames", {}),
        f"/api/stances?actor={party}": ("/api/stances", {"actor": party}),
        f"/api/actors/{party}/positions": (f"/api/actors/{party}/positions", {}),
        f"/api/conflicts?region={region}": ("/api/conflicts", {"region": region}),
        f"/api/stance-changes?region={region}": ("/api/stance-changes", {"region": region}),
    }
    say("API endpoints, one client …")
    return {k: queries.time_get(http, path, p, args.reps, args.budget) for k, (path, p) in requests.items()}


# --- HTTP under load -------------------------------------------------------------------------------------

NEIGHBOURS = "traversal /api/neighbours depth=1"


def load_test_requests(params: dict) -> dict[str, list[dict]]:
    """Each load test's rotation of distinct requests; its first is the one timed alone in the query phase.
    Only /api/neighbours is a traversal (the target's subject); the measure listings show a memoised page
    (one party, what most readers of a party ask for) and cold pages (every party × relation in turn)."""
    chosen = queries.Parameters(**params)
    measures = list(dict.fromkeys([chosen.measure, *chosen.measures]))
    parties = list(dict.fromkeys([chosen.party, *chosen.parties]))
    json_results = {"Accept": "application/sparql-results+json"}
    return {
        NEIGHBOURS: [get("/api/neighbours", id=m.removeprefix(ID), depth=1) for m in measures],
        "listing /api/measures?actor, one party (memoised)": [
            get("/api/measures", actor=chosen.party.removeprefix(ID), limit=20)
        ],
        "listing /api/measures?actor&relation, every party × relation (cold)": [
            get("/api/measures", actor=p.removeprefix(ID), limit=20, **({"relation": r} if r else {}))
            for r in (None, *sorted(RELATIONS))
            for p in parties
        ],
        "/sparql point lookup": [
            {**get("/sparql", query=queries.point_lookup(m)), "headers": json_results} for m in measures
        ],
    }


def get(url: str, **params) -> dict:
    return {"method": "GET", "url": url, "params": params}


def load_test_phase(args: argparse.Namespace, store_dir: Path, params: dict, sequential: dict) -> dict:
    """16 clients per request type, each against a fresh server (abandoned requests cannot spill over)."""
    requests = load_test_requests(params)
    slow = too_slow_for_load(requests, sequential)
    out: dict[str, dict] = {}
    for workers in (1, 2):
        runs: dict[str, dict] = {name: {"not_run": reason} for name, reason in slow.items()}
        for name, rotation in requests.items():
            if name in slow:
                continue
            with api_server(store_dir, workers) as api:
                with worker_cpu(api) as cpu:
                    runs[name] = loadtest.run(api.url, rotation, args.clients, 5000, args.load_seconds)
                runs[name]["worker_cpu_s"] = cpu
                if name == NEIGHBOURS:
                    rate = max(1.0, runs[name]["requests_per_s"] / 2)
                    runs[f"{name}, paced at half that rate"] = loadtest.run_paced(
                        api.url, rotation, args.clients, rate, args.load_seconds
                    )
        out[f"{workers} worker{'s' if workers > 1 else ''}"] = runs
        say(f"load test with {workers} worker(s) done")
    with api_server(store_dir, 2, stock=True) as api, worker_cpu(api) as cpu:
        stock = loadtest.run(api.url, requests[NEIGHBOURS], args.clients, 5000, args.load_seconds)
    out["uvicorn --workers 2 (stock)"] = {NEIGHBOURS: {**stock, "worker_cpu_s": cpu}}
    return out


@contextmanager
def worker_cpu(api) -> Iterator[list[float]]:
    """CPU seconds each worker process (the server, or its children when it has any) spent inside the block."""
    server = psutil.Process(api.process.pid)
    workers = [c for c in server.children() if "resource_tracker" not in " ".join(c.cmdline())] or [server]
    before = [sum(w.cpu_times()[:2]) for w in workers]
    spent: list[float] = []
    yield spent
    spent += [sum(w.cpu_times()[:2]) - b for w, b in zip(workers, before, strict=True)]


def too_slow_for_load(requests: dict[str, list[dict]], sequential: dict) -> dict[str, str]:
    """A request that takes over a second alone is not load-tested: 16 at once would only queue for minutes."""
    slow = {}
    for name, rotation in requests.items():
        request = rotation[0]
        for key, timing in sequential.items():
            same = key.startswith(request["url"]) and all(f"{k}={v}" in key for k, v in request["params"].items())
            if same and (timing.get("median_ms") or 0) > 1000:
                slow[name] = f"not load-tested: one request alone takes {timing['median_ms']:,.0f} ms (median)"
    return slow


# --- main ----------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, work: Path, clock: Clock, results: dict) -> None:
    results["load"], largest, next_index = load_phase(args, work, clock)
    results["load_growth"] = load.growth(results["load"])
    if largest is None or args.load_only:
        return
    results["query_store"] = build_phase(args, work, largest, next_index, clock)
    store_dir = Path(results["query_store"]["path"])
    results |= query_phase(args, store_dir, work)
    results["load_test"] = load_test_phase(args, store_dir, results["parameters"], results["traversal"])


def main(argv: list[str]) -> int:
    args = parse(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text())
        results["targets"] = report.targets(results)
        write(args, results, args.from_json.parent)
        return 0
    clock = Clock(args.max_minutes)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench", *argv]),
        "store_open_files": args.store_open_files,
        "machine": describe(),
    }
    try:
        run(args, work, clock, results)
    finally:
        results["total_seconds"] = time.monotonic() - clock.started
        results["targets"] = report.targets(results)
        write(args, results, work)
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def write(args: argparse.Namespace, results: dict, work: Path) -> None:
    text = report.markdown(results)
    print(text)
    default = work.parent / "policykg-bench.json" if args.quick else ROOT / "docs" / "benchmarks.json"
    json_path = args.json or args.from_json or default
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    say(f"results: {json_path}")
    if args.markdown:
        args.markdown.write_text(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
