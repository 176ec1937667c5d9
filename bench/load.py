"""Load benchmark: each size is loaded with graph.loading.load_paths in its own process into a fresh store.

A separate process per size keeps allocator and cache state of one size out of the next one's numbers.
The child reports its exact peak RSS (getrusage) and RSS after every document; the parent also samples
the child's RSS with psutil, which is what the report shows. Optional variants flush the store every
N documents through load_paths' progress hook (what bounds the store's write-side memory), or trace
Python's own heap with tracemalloc (what PolicyKG holds, apart from the store's native memory; 3-4x slower).

Child entry point: `python -m bench.load DOCS_DIR STORE_DIR [FLUSH_EVERY] [heap]` prints one JSON object.
"""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import psutil

from bench.servers import ROOT

MB = 2**20


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def rss_tracker(files: Iterable[Path], samples: list, store=None, flush_every: int = 0) -> Iterator[Path]:
    """load_paths' progress hook: records (time, RSS, Python heap) after each document (and flushes the store,
    if asked); the heap is 0 unless tracemalloc is tracing."""
    me = psutil.Process()
    for count, path in enumerate(files, start=1):
        yield path
        if flush_every and count % flush_every == 0:
            store.flush()
        samples.append((time.perf_counter(), me.memory_info().rss, tracemalloc.get_traced_memory()[0]))


def child(docs: Path, store_dir: Path, flush_every: int = 0, trace_heap: bool = False) -> dict:
    """Load one folder into a fresh on-disk store and describe time, size and memory."""
    from api.settings import Settings
    from graph.loading import ensure_reference, load_paths
    from graph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, open_files=Settings().store_open_files)
    ensure_reference(store)
    reference_quads = store.size()
    rss_before = psutil.Process().memory_info().rss
    samples: list[tuple[float, int, int]] = []
    if trace_heap:
        tracemalloc.start()  # after imports and reference data: counts what loading the corpus allocates
    started = time.perf_counter()
    results = load_paths(store, [docs], lambda files: rss_tracker(files, samples, store, flush_every))
    finished = time.perf_counter()  # load_paths ends with one recompute_inferred over the whole store
    store.flush()
    heap_peak = tracemalloc.get_traced_memory()[1]
    seconds = time.perf_counter() - started
    quads = store.size() - reference_quads
    sizes = [p.stat().st_size for p in docs.glob("*.txt")]
    return {
        "docs": len(results),
        "text_mb": sum(sizes) / MB,
        "largest_doc_kb": max(sizes) / 1024,
        "seconds": seconds,
        "mb_per_s": sum(sizes) / MB / seconds,
        "triples": quads,
        "triples_per_s": quads / seconds,
        "measures": sum(r.measures for r in results),
        "statuses": dict(Counter(r.status for r in results)),
        "rss_before_load_mb": rss_before / MB,
        "final_inference_s": finished - samples[-1][0] if samples else None,
        "rss_checkpoints_mb": checkpoints([rss for _, rss, _ in samples]),
        **(
            {"heap_peak_mb": heap_peak / MB, "heap_checkpoints_mb": checkpoints([h for *_, h in samples])}
            if trace_heap
            else {}
        ),  # fmt: skip
        "peak_rss_mb_getrusage": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "store_disk_mb": folder_bytes(store_dir) / MB,
        "flush_every": flush_every,
        "trace_heap": trace_heap,
    }


def checkpoints(samples: list[int], points: int = 5) -> list[float]:
    """RSS after 20 %, 40 %, … 100 % of the documents: flat means memory does not grow with the corpus."""
    if not samples:
        return []
    return [round(samples[max(0, len(samples) * k // points - 1)] / MB, 1) for k in range(1, points + 1)]


def measure(docs: Path, store_dir: Path, timeout: float, flush_every: int = 0, trace_heap: bool = False) -> dict:
    """Run the child and sample its RSS every 50 ms; the child's own numbers come back as JSON."""
    cmd = [sys.executable, "-m", "bench.load", str(docs), str(store_dir), str(flush_every)] + ["heap"] * trace_heap
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(process.pid)
    peak = 0
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            return {"error": f"did not finish within {timeout:g} s"}
        with contextlib.suppress(psutil.Error):
            peak = max(peak, watched.memory_info().rss)
        time.sleep(0.05)
    out, err = process.communicate()
    if process.returncode != 0:
        return {"error": err.strip()[-2000:]}
    return {**json.loads(out), "peak_rss_mb": peak / MB}


def documents_seconds(result: dict) -> float:
    """Load time without the one recompute_inferred at the end (extraction and graph writes only)."""
    return result["seconds"] - (result.get("final_inference_s") or 0.0)


def is_variant(result: dict) -> bool:
    """A second load of a size with flushing or heap tracing: not part of the growth series."""
    return bool(result.get("flush_every") or result.get("trace_heap"))


def growth(results: dict[str, dict]) -> list[dict]:
    """Ratios between consecutive sizes: time ratio ≈ text ratio means linear load time."""
    ran = [(k, v) for k, v in results.items() if "seconds" in v and not is_variant(v)]
    out = []
    for (small, a), (large, b) in zip(ran, ran[1:], strict=False):
        out.append(
            {
                "from": small,
                "to": large,
                "text_ratio": b["text_mb"] / a["text_mb"],
                "time_ratio": b["seconds"] / a["seconds"],
                "triples_ratio": b["triples"] / a["triples"],
                "peak_rss_ratio": b["peak_rss_mb"] / a["peak_rss_mb"],
                "documents_time_ratio": documents_seconds(b) / documents_seconds(a),
            }
        )
    return out


if __name__ == "__main__":
    flush = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    print(json.dumps(child(Path(sys.argv[1]), Path(sys.argv[2]), flush, trace_heap=sys.argv[4:] == ["heap"])))
