"""`policykg eval`: score the gold documents, report robustness on the corpus, write docs/evaluation.{md,json}."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evaluation.report import metric_table, render_markdown
from evaluation.robustness import render, robustness, robustness_table
from evaluation.run import evaluate
from evaluation.variants import render_variants, score_variants

REPO = Path(__file__).resolve().parents[1]
CHANGELOG = REPO / "docs" / "evaluation-changelog.md"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `policykg eval`, shared by this module's own entry point and the CLI's subcommand."""
    parser.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus", help="texts (default: data/corpus)")
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "fixtures" / "gold", help="gold *.json")
    parser.add_argument("--json", type=Path, default=REPO / "docs" / "evaluation.json")
    parser.add_argument("--markdown", type=Path, default=REPO / "docs" / "evaluation.md")
    parser.add_argument(
        "--variants", action="store_true", help="also score the texts as other converters write them (about a minute)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policykg eval", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def sections(report: dict) -> list[str]:
    """What the markdown holds between the metric table and the scoring rules: robustness on every bundled document,
    the conversion variants, then the changelog of extraction changes."""
    changelog = CHANGELOG.read_text("utf-8").splitlines() + [""] if CHANGELOG.is_file() else []
    return render(report.get("robustness", [])) + render_variants(report.get("variants")) + changelog


def run(args: argparse.Namespace) -> int:
    """Score, print the table, write the JSON and markdown reports; exit 2 with a message when inputs are missing."""
    for folder, option in ((args.corpus, "--corpus"), (args.gold, "--gold")):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder; pass {option} DIR (a source checkout has them)")
            return 2
    report = evaluate(args.corpus, args.gold) | {"robustness": robustness(args.corpus)}
    if args.variants:
        report["variants"] = score_variants(args.corpus, args.gold, report)
    markdown = render_markdown(report, sections(report))
    for path, text in ((args.json, json.dumps(report, ensure_ascii=False, indent=1)), (args.markdown, markdown)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    print("\n".join(metric_table(report) + [""] + robustness_table(report["robustness"])))
    return 0
