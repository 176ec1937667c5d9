"""Extraction speed: CPU seconds per 100 kB of text for every bundled document (issue 15's 1 s budget).

    python -m bench.extraction [--corpus data/corpus]

Reference data, lexicons and lemma tables are loaded by one warm-up extraction of the corpus's last document, as in
a long-running loader; each document is then extracted once (a second round would find its blocks in the
gazetteer's cache, so the last document's figure is a little flattered).
Prints a Markdown table and the whole corpus's figure.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.servers import ROOT
from loaders.pipeline import extract_file

BUDGET_S_PER_100KB = 1.0


def cpu_seconds(path: Path) -> float:
    started = time.process_time()
    extract_file(path)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    args = parser.parse_args(argv)
    files = sorted(args.corpus.glob("*.txt"))
    extract_file(files[-1])
    print("| document | kB | CPU s | s per 100 kB |\n|---|---|---|---|")
    total_s = total_kb = 0.0
    for path in files:
        kb, seconds = path.stat().st_size / 1000, cpu_seconds(path)
        total_s, total_kb = total_s + seconds, total_kb + kb
        print(f"| {path.name[:40]} | {kb:.0f} | {seconds:.2f} | {100 * seconds / kb:.2f} |")
    per_100kb = 100 * total_s / total_kb
    print(f"| all | {total_kb:.0f} | {total_s:.2f} | {per_100kb:.2f} (budget {BUDGET_S_PER_100KB}) |")


if __name__ == "__main__":
    main()
