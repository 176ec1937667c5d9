"""The markdown report: one table of metrics per document (worst document and overall beside), then what to fix."""

from __future__ import annotations

from collections import Counter

from evaluation.scoring import AMOUNT_TOLERANCE, LINE_WINDOW, MIN_OVERLAP, PROSE_TARGETS, TARGETS

LISTED = 15  # rows of each problem list shown in the markdown

ROWS = [
    ("core_precision", "Measures precision (core)"),
    ("core_recall", "Measures recall (core)"),
    ("core_f1", "Measures F1 (core)"),
    ("prose_precision", "Running text precision"),
    ("prose_recall", "Running text recall"),
    ("all_precision", "Measures precision (all)"),
    ("all_recall", "Measures recall (all)"),
    ("amount_exact", "Amount exact"),
    ("relation", "Relation"),
    ("actors_exact", "Actors exact"),
    ("target_recall", "Target recall"),
    ("goal_link", "Goal link"),
    ("metadata", "Metadata"),
]

RULES = f"""## How it is scored

- A predicted measure matches a gold measure when its `pkg:sourceLine` is within
  ±{LINE_WINDOW} lines of the gold `line` and token containment (shared stemmed content words
  over the smaller text's count, Swedish Snowball stems, stop words ignored) is at least
  {MIN_OVERLAP}. Pairs are taken one-to-one, best overlap first, nearer line breaking ties.
- *Core* scope: gold measures whose `source_class` is `list` or `table`, and predicted measures whose
  `pkg:extractedFrom` is not `running_text`; *running text*: the rest; *all*: every measure. Precision = matched /
  predicted, recall = matched / gold. A ratio with nothing to count is "n/a" (the metric does not apply).
- The attribute checks run on the measures matched in the *all* scope:
  - amount: one `pkg:amount` within {AMOUNT_TOLERANCE} MSEK of `amount_msek` signed by
    `amount_sign`; a null gold amount needs no `pkg:amount`;
  - relation: the relation properties used (`pkg:affects` = `other`, ignored beside a more
    specific one) must all be the gold `relation` or in `relation_alt`; none at all is wrong;
  - actors: each `pkg:proposedBy` actor (a coalition or majority stands for its member parties) answers to a gold
    actor by its `skos:notation` or `rdfs:label`; the two sets must be equal;
  - target recall: a gold target is found when any predicted target's `rdfs:label` or
    `skos:altLabel` shares a stemmed content word with it, a word also matching a compound it
    begins or ends when it has at least 6 letters (whole-string equality when a name has
    no content word);
  - goal link: a `pkg:servesGoal` label equals the gold goal's label after normalising case,
    whitespace and trailing punctuation, or one contains the other.
- Metadata: region (gold label among the region's `rdfs:label`s), period (start, end), authors (by notation or
  label, as actors), signatories as (name, party) pairs and as (name, role) pairs, case-insensitive.
- Targets hold for every document: {", ".join(f"{k} ≥ {v:.2f}" for k, v in TARGETS.items())}; a document whose
  gold has no list item or table row is held to {", ".join(f"{k} ≥ {v:.2f}" for k, v in PROSE_TARGETS.items())}
  instead of the core ones. **Worst** is the lowest score of any document the metric applies to.
"""


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def cell(value: float | None, count: list[int] | None, target: float | None = None) -> str:
    text = f"{percent(value)} ({count[0]}/{count[1]})" if count and count[1] else percent(value)
    return f"**{text}**" if target is not None and (value or 0.0) < target else text


def metric_table(report: dict) -> list[str]:
    docs = report["documents"]
    head = ["Metric", "Target", *[d["gold"].removesuffix(".json")[:12] for d in docs], "Worst", "Overall"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, label in ROWS:
        target = TARGETS.get(key, PROSE_TARGETS.get(key))
        cells = [cell(d["metrics"][key], d["counts"].get(key), d["targets"].get(key)) for d in docs]
        low = report["worst"].get(key)
        worst = f"{percent(low['value'])} ({low['document'][:12]})" if low else "n/a"
        total = cell(report["overall"]["metrics"][key], report["overall"]["counts"].get(key))
        lines.append("| " + " | ".join([label, percent(target) if target else "", *cells, worst, total]) + " |")
    return lines


def document_section(doc: dict) -> list[str]:
    lines = [f"### {doc['gold']} — {doc['file']}", "", "| Metadata | Gold | Predicted | OK |", "|---|---|---|---|"]
    for name, check in doc["metadata"].items():
        mark = "yes" if check["ok"] else "**no**"
        lines.append(f"| {name} | {show(check['gold'])} | {show(check['predicted'])} | {mark} |")
    lines += problem_list(f"Unmatched gold core measures ({len(doc['unmatched_gold'])})", doc["unmatched_gold"])
    lines += problem_list(f"False-positive core predictions ({len(doc['false_positives'])})", doc["false_positives"])
    missed = doc.get("prose_unmatched_gold", [])
    lines += problem_list(f"Unmatched gold running-text measures ({len(missed)})", missed)
    errors = doc["attribute_errors"]
    per_check = Counter(e["check"] for e in errors)
    lines += [
        "",
        f"Attribute errors on matched measures ({len(errors)}: "
        + ", ".join(f"{k} {n}" for k, n in per_check.most_common())
        + f"), first {LISTED} of each check:",
        "",
    ]
    for check in per_check:
        lines += [
            f"- line {e['line']} {e['id']} {e['check']}: gold {show(e['gold'])} — predicted {show(e['predicted'])}"[
                :240
            ]
            for e in [e for e in errors if e["check"] == check][:LISTED]
        ]
    return [*lines, ""]


def show(value: object) -> str:
    """Lists as comma-separated text (pairs as a / b), safe inside a markdown table."""
    if isinstance(value, list | tuple):
        parts = [" / ".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value]
        text = ", ".join(parts) or "—"
    else:
        text = "—" if value is None else str(value)
    return text.replace("|", "\\|")


def problem_list(title: str, items: list[dict]) -> list[str]:
    lines = ["", f"{title}{f', first {LISTED}' if len(items) > LISTED else ''}:", ""]
    return lines + [f"- line {i['line']} ({i['source'] or '?'}): {i['text']}" for i in items[:LISTED]]


def render_markdown(report: dict, extra: list[str]) -> str:
    """The human-readable report: the metric table, the sections in `extra`, then what to fix per document."""
    lines = [
        "# Extraction evaluation",
        "",
        "Written by `policykg eval` (the `evaluation` package); do not edit by hand.",
        "",
        *metric_table(report),
        "",
        *extra,
        RULES,
        "## Per document",
        "",
    ]
    for doc in report["documents"]:
        lines += document_section(doc)
    return "\n".join(lines).rstrip() + "\n"
