"""Build each gold document's graph in a store of its own and score it; overall and worst-document figures."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from evaluation.gold import corpus_file, gold_files, read_gold
from evaluation.scoring import TARGETS, below_target, metrics, score_document
from graph.loading import ensure_reference, load_bytes
from graph.store import EmbeddedStore


def build_store(path: Path) -> tuple[EmbeddedStore, str]:
    """A fresh in-memory store holding one document, so nothing else can leak into its scores."""
    store = EmbeddedStore(None)
    ensure_reference(store)
    load_bytes(store, path.read_bytes(), path.name)
    name = str(ox.Literal(path.name))
    rows = store.select(f"SELECT ?p WHERE {{ ?p a pkg:Proposal ; pkg:sourceFile {name} }}")
    if not rows:
        raise LookupError(f"{path.name}: no pkg:Proposal was stored")
    return store, rows[0]["p"].value


def score_file(corpus_dir: Path, gold_file: Path) -> dict:
    gold = read_gold(gold_file)
    path = corpus_file(corpus_dir, gold_file, gold)
    store, proposal = build_store(path)
    return {"gold": gold_file.name, "file": path.name} | score_document(gold, store, proposal)


def summed(documents: list[dict]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for doc in documents:
        for name, (num, den) in doc["counts"].items():
            total = totals.setdefault(name, [0, 0])
            total[0] += num
            total[1] += den
    return totals


def worst(documents: list[dict]) -> dict[str, dict]:
    """Per metric, the lowest score among the documents it applies to, and which document that is."""
    out: dict[str, dict] = {}
    for doc in documents:
        for key, value in doc["metrics"].items():
            if value is not None and (key not in out or value < out[key]["value"]):
                out[key] = {"value": value, "document": doc["gold"].removesuffix(".json")}
    return out


def evaluate(corpus_dir: Path, gold_dir: Path) -> dict:
    """Build and score every document that has a gold file; overall numbers are micro-averaged."""
    documents = [score_file(corpus_dir, gold_file) for gold_file in gold_files(gold_dir)]
    totals = summed(documents)
    return {
        "targets": TARGETS,
        "overall": {"counts": totals, "metrics": metrics(totals)},
        "worst": worst(documents),
        "below_target": {d["gold"]: below_target(d) for d in documents if below_target(d)},
        "documents": documents,
    }
