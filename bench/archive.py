"""Whole-folder load benchmark: `policykg load DIR --jobs N` on the synthetic corpus, documents per second per N.

    python -m bench.archive --size 20 --jobs 1,2 [--workdir DIR]

The folder is generated once (bench/generate.py; --size × the bundled corpus). Each N loads it into a fresh store
through the CLI in its own process, as a user runs it (start-up and the final inference included), then loads it
again to time the skip of unchanged files. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from bench.servers import ROOT

MB = 2**20


def load(folder: Path, store: Path, jobs: int) -> tuple[float, str]:
    """Seconds of one `policykg load` and its summary's last line."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "api.cli", "load", "--store", str(store), "--jobs", str(jobs), str(folder)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def row(jobs: int, docs: int, first: float, again: float, last: str) -> str:
    triples = re.search(r"holds ([\d,]+) triples", last).group(1)
    return f"| {jobs} | {docs} | {first:.1f} | {docs / first:.2f} | {again:.1f} | {triples} |"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__.split("\n")[0])
    p.add_argument("--size", type=float, default=20, help="corpus size, × the bundled corpus (default 20)")
    p.add_argument("--jobs", default="1,2", help="worker counts to compare (default 1,2)")
    p.add_argument("--workdir", type=Path, default=None, help="keep the generated folder and stores here")
    args = p.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="policykg-archive-"))
    folder = work / f"corpus-{args.size:g}x"
    docs = len(list(generate(folder, args.size)))
    text = sum(f.stat().st_size for f in folder.iterdir()) / MB
    print(f"{docs} documents, {text:.1f} MB of text in {folder}")
    print("| --jobs | docs | load s | docs/s | second load (all unchanged) s | store triples |")
    print("|---|---|---|---|---|---|")
    for jobs in (int(j) for j in args.jobs.split(",")):
        store = work / f"store-{args.size:g}x-jobs{jobs}"
        first, last = load(folder, store, jobs)
        again, _ = load(folder, store, jobs)
        print(row(jobs, docs, first, again, last), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
