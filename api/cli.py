"""The `policykg` command: load, serve, query, stats, eval. A contract for scripts: keep flags stable."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from api import security
from api.settings import BUNDLED_CORPUS, DEFAULT_STORE, Settings
from evaluation import cli as evaluation
from graph import queries
from graph.factory import open_store
from graph.loading import LoadResult, default_jobs, ensure_reference, load_paths
from graph.parsing import Limits
from graph.sparql import QueryRefused, run


def progress(items):
    from tqdm import tqdm

    return tqdm(items, desc="loading", unit="doc", disable=len(items) < 3 or not sys.stderr.isatty())


def configured_store(settings: Settings, path: Path | None, url: str = ""):
    """The store named on the command line, opened with the environment's settings (POLICYKG_STORE_OPEN_FILES)."""
    return open_store(path, url, open_files=settings.store_open_files)


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def cmd_load(args: argparse.Namespace) -> int:
    """Load every document it can; exit 2 if any failed (each named with its cause), after the others are in."""
    try:
        limits = Limits.from_environment()
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    store = configured_store(args.settings, args.store, args.store_url)
    ensure_reference(store)
    started = time.monotonic()
    try:
        results = load_paths(store, [Path(p) for p in args.paths], progress, jobs=args.jobs, limits=limits)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    store.flush()
    for r in results:
        if r.status != "failed":
            print(
                f"{r.status:9} {r.slug:40} {r.measures:4} measures {r.goals:3} goals "
                f"{r.triples:6} triples  ({r.source_file})"
            )
    print(summary(results, time.monotonic() - started, store.size()))
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        print(f"error: {r.cause}", file=sys.stderr)
    return 2 if failed else 0


def summary(results: list[LoadResult], seconds: float, store_triples: int) -> str:
    """The table a long load ends with: what was loaded, skipped and refused (with why), and how fast."""
    groups = {
        "loaded": [r for r in results if r.status in ("added", "replaced")],
        "skipped unchanged": [r for r in results if r.status == "unchanged"],
        "failed": [r for r in results if r.status == "failed"],
    }
    lines = [f"{'':20} {'documents':>9} {'triples':>10}"]
    for label, rows in groups.items():
        triples = f"{sum(r.triples for r in rows):,}" if label != "failed" else ""
        lines.append(f"{label:20} {len(rows):9,} {triples:>10}".rstrip())
    for r in groups["failed"]:
        lines.append(f"  failed: {r.source_file}: {r.cause.removeprefix(Path(r.source_file).name + ': ')}")
    rate = len(results) / seconds if seconds else 0.0
    lines.append(
        f"{len(results)} documents in {seconds:.1f} s ({rate:.2f} documents/s); store holds {store_triples:,} triples"
    )
    return "\n".join(lines)


def bundled_store(settings: Settings) -> None:
    """Build (or refresh) the store from the bundled corpus; unchanged files are skipped."""
    store = configured_store(settings, settings.store)
    ensure_reference(store)
    for r in load_paths(store, [BUNDLED_CORPUS], progress):
        print(f"{r.status:9} {r.slug} ({r.measures} measures) {r.cause}".rstrip(), file=sys.stderr)
    store.flush()
    del store


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = args.settings
    try:
        Limits.from_environment()  # uploads are read under these: a bad value fails now, not at the first upload
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    settings.store_url = args.store_url or settings.store_url
    if args.store:
        settings.store = args.store
    elif not settings.store_url:
        if not BUNDLED_CORPUS.is_dir():  # an installed package has no corpus: say what to pass instead
            print("error: no bundled corpus here; pass --store DIR (filled with `policykg load`)", file=sys.stderr)
            return 2
        settings.store = DEFAULT_STORE
        bundled_store(settings)
    refused = security.check_bind(settings, args.host)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    print(f"PolicyKG on http://{args.host}:{args.port}/  (docs at /docs)", file=sys.stderr)
    print(security.write_status(settings), file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    store = configured_store(args.settings, args.store, args.store_url)
    try:
        result = run(store, args.sparql, args.timeout, args.max_results)
    except QueryRefused as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if result.form == "ask":
        print(json.dumps(result.answer) if args.format == "json" else str(result.answer).lower())
        return 0
    if result.form == "graph":
        import pyoxigraph as ox

        from graph.results import serialize_triples

        sys.stdout.write(serialize_triples(result.triples, ox.RdfFormat.TURTLE, {}).decode())
        return 0
    table = [{v: queries.value(row.get(v)) for v in result.variables} for row in result.rows]
    emit(result.variables, table, args.format)
    return 0


def emit(columns: list[str], rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    else:
        widths = {c: min(60, max([len(c)] + [len(str(r[c] or "")) for r in rows])) for c in columns}
        print("  ".join(c.ljust(widths[c]) for c in columns))
        for r in rows:
            print("  ".join(str(r[c] if r[c] is not None else "")[: widths[c]].ljust(widths[c]) for c in columns))


def cmd_stats(args: argparse.Namespace) -> int:
    stats = queries.statistics(configured_store(args.settings, args.store, args.store_url))
    if args.format == "json":
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"triples: {stats['triples']}")
    emit(["class", "count"], [{"class": k, "count": v} for k, v in stats["classes"].items()], "table")
    print()
    emit(["id", "measures", "goals"], stats["proposals"], "table")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    return evaluation.run(args)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="policykg", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)

    def store_args(p: argparse.ArgumentParser, default: Path | None = DEFAULT_STORE) -> None:
        p.add_argument("--store", type=Path, default=default, help="store folder (default: var/store)")
        p.add_argument("--store-url", default="", help="remote SPARQL server base URL instead")

    p = sub.add_parser("load", help="load documents (PDF, DOCX, HTML, text; files or folders) into a store")
    store_args(p)
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--jobs",
        type=positive,
        default=default_jobs(),
        help="worker processes that read and extract, under POLICYKG_PARSE_TIMEOUT and POLICYKG_PARSE_MEMORY_MB "
        "(one process writes); default: one per core",
    )
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("serve", help="serve the API; with no --store, the bundled corpus")
    store_args(p, default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("query", help="run a SPARQL query, print a table")
    store_args(p)
    p.add_argument("sparql")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--max-results", type=int, default=100_000)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("stats", help="counts per class and per proposal")
    store_args(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("eval", help="score extraction against gold annotations")
    evaluation.add_arguments(p)
    p.set_defaults(func=cmd_eval)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.settings = Settings()  # a misconfigured environment fails here, with the variable's name
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
