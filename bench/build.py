"""Grow a store to a triple count for the query benchmark, extracting on every core.

Extraction is the loader's cost (the store write is ~2 % of it), so worker processes run the same
pipeline as load_bytes (extract → to_quads) and one writer swaps each proposal's graph in. A slug
that another file already owns goes through load_bytes itself, which re-extracts under a new slug.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

MB = 2**20


def extract_nquads(path: str) -> tuple[str, str, bytes]:
    """Worker: one document → (slug, source file, its quads as N-Quads)."""
    from loaders.pipeline import extract
    from loaders.triples import to_quads

    source = Path(path)
    doc = extract(source.read_bytes(), source.name)
    return doc.slug, doc.source_file, ox.serialize(to_quads(doc), format=ox.RdfFormat.N_QUADS)


def write(store, path: Path, slug: str, source_file: str, nquads: bytes) -> int:
    """Swap the graph in; on a slug clash defer to load_bytes so naming matches the real loader."""
    from graph.loading import existing, load_bytes
    from ontology.terms import graph_iri

    found = existing(store, slug)
    if found and found.source_file != source_file:
        return load_bytes(store, path.read_bytes(), path.name, infer=False).triples
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    store.replace_graph(graph_iri(slug), quads)
    return len(quads)


def grow(store_dir: Path, documents: Iterator[Path], target_triples: int, workers: int | None = None) -> dict:
    """Add documents until the store holds target_triples quads (or the documents run out)."""
    from api.settings import Settings
    from graph.inference import recompute_inferred
    from graph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, open_files=Settings().store_open_files)
    count = start = store.size()
    workers = workers or os.cpu_count() or 1
    window: deque[tuple[Path, Future]] = deque()
    added = text = 0
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        while count < target_triples or window:
            while count < target_triples and len(window) < 2 * workers and (path := next(documents, None)):
                window.append((path, pool.submit(extract_nquads, str(path))))
            if not window:
                break
            path, future = window.popleft()
            count += write(store, path, *future.result())
            added += 1
            text += path.stat().st_size
    recompute_inferred(store)
    store.flush()
    seconds = time.perf_counter() - started
    final = store.size()
    del store
    return {
        "workers": workers,
        "docs_added": added,
        "text_mb_added": text / MB,
        "seconds": seconds,
        "mb_per_s": text / MB / seconds if seconds else 0.0,
        "triples_before": start,
        "triples": final,
    }
