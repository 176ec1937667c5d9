"""Score the extracted graph against the hand-made gold annotations (issue 3).

Each annotated corpus document is loaded into its own in-memory store, read back with SPARQL,
and compared with its gold file; see docs/evaluation.md for the rules and the latest numbers.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import snowballstemmer

from graph.loading import ensure_reference, load_bytes
from graph.store import EmbeddedStore
from ontology.terms import PKG, RELATIONS, iri_list

REPO = Path(__file__).resolve().parents[1]

# The issue-3 acceptance thresholds; measure precision and recall are for the core scope.
TARGETS = {
    "core_recall": 0.95,
    "core_precision": 0.90,
    "amount_exact": 0.97,
    "relation": 0.90,
    "actors_exact": 0.97,
    "target_recall": 0.85,
    "goal_link": 0.85,
    "metadata": 1.0,
}

LINE_WINDOW = 2  # a predicted measure may start this many lines away from the gold line
MIN_OVERLAP = 0.5  # token containment needed for a match
AMOUNT_TOLERANCE = 0.05  # MSEK
LISTED = 15  # rows of each problem list shown in the markdown

# Function words, plus the region words nearly every measure mentions, never count as overlap.
STOPWORDS = frozenset(
    {
        "och",
        "i",
        "för",
        "av",
        "till",
        "med",
        "på",
        "att",
        "den",
        "det",
        "de",
        "dem",
        "en",
        "ett",
        "som",
        "om",
        "från",
        "vid",
        "samt",
        "inom",
        "är",
        "ska",
        "skall",
        "så",
        "eller",
        "ej",
        "inte",
        "mer",
        "mm",
        "etc",
        "under",
        "över",
        "efter",
        "genom",
        "mellan",
        "hos",
        "utan",
        "sin",
        "sina",
        "sitt",
        "dess",
        "deras",
        "vi",
        "man",
        "kan",
        "bör",
        "får",
        "blir",
        "har",
        "alla",
        "all",
        "allt",
        "hela",
        "andra",
        "annan",
        "övriga",
        "även",
        "också",
        "region",
        "regionen",
        "regionens",
    }
)
STEMMER = snowballstemmer.stemmer("swedish")
COMPOUND_PART = 6
RELATION_OF = {PKG + local: name for name, local in RELATIONS.items()}


@dataclass
class GoldMeasure:
    """A gold measure reduced to what is scored; the gold goal id is resolved to its label."""

    id: str
    line: int
    text: str
    source: str
    actors: frozenset[str]
    relations: frozenset[str]  # the gold relation and its defensible alternatives
    targets: tuple[str, ...]
    amount: float | None  # signed MSEK
    goal: str | None

    @classmethod
    def from_json(cls, m: dict, goal_labels: dict[str, str]) -> GoldMeasure:
        amount = m.get("amount_msek")
        if amount is not None and m.get("amount_sign") == "-":
            amount = -amount
        return cls(
            m["id"],
            m["line"],
            m["text"],
            m.get("source") or "",
            frozenset(m.get("actors", [])),
            frozenset([m["relation"], *m.get("relation_alt", [])]),
            tuple(m.get("targets", [])),
            amount,
            goal_labels.get(m.get("goal") or ""),
        )


@dataclass
class Predicted:
    """One extracted measure as the graph states it, relations in gold naming."""

    iri: str
    line: int
    text: str
    source: str
    amounts: list[float] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    targets: dict[str, list[str]] = field(default_factory=dict)  # target IRI -> label, altLabels
    goals: list[str] = field(default_factory=list)


def stems(text: str) -> set[str]:
    """Stemmed content words: the unit of both text overlap and target matching."""
    words = re.findall(r"[^\W\d_]{2,}", text.casefold())
    return {STEMMER.stemWord(w) for w in words if w not in STOPWORDS}


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller token set found in the other; robust to one text being a fragment."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def normalise(text: str) -> str:
    """Case, whitespace and trailing punctuation do not make labels differ."""
    return " ".join(text.casefold().split()).rstrip(" .,:;!?")


def ratio(numerator: int, denominator: int) -> float:
    """0.0 on an empty denominator: the harness never rewards absence."""
    return numerator / denominator if denominator else 0.0


# --- reading the graph -------------------------------------------------------------------------


def values(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in row.items()} for row in store.select(sparql)]


# An actor's parties: the party itself, or a coalition's members.
PARTY_OF_ACTOR = "{ ?a skos:notation ?abbr } UNION { ?a org:hasMember ?party . ?party skos:notation ?abbr }"


def measure_rows(store: EmbeddedStore, proposal: str, variables: str, pattern: str) -> list[dict]:
    """Rows about the proposal's measures: pattern is matched for each measure ?m."""
    return values(store, f"SELECT ?m {variables} WHERE {{ ?m a pkg:Measure ; pkg:statedIn <{proposal}> . {pattern} }}")


def read_measures(store: EmbeddedStore, proposal: str) -> list[Predicted]:
    """Every measure stated in the proposal, with the properties the scorer compares."""
    found: dict[str, Predicted] = {}
    for r in measure_rows(
        store,
        proposal,
        "?text ?line ?src",
        "OPTIONAL { ?m pkg:text ?text } OPTIONAL { ?m pkg:sourceLine ?line } OPTIONAL { ?m pkg:extractedFrom ?src }",
    ):
        line = int(r.get("line", 0))
        if r["m"] not in found or line < found[r["m"]].line:
            found[r["m"]] = Predicted(r["m"], line, r.get("text", ""), r.get("src", ""))
    for r in measure_rows(store, proposal, "?a", "?m pkg:amount ?a"):
        found[r["m"]].amounts.append(float(r["a"]))
    for r in measure_rows(store, proposal, "?abbr", f"?m pkg:proposedBy ?a . {PARTY_OF_ACTOR}"):
        found[r["m"]].actors.add(r["abbr"])
    for r in measure_rows(store, proposal, "?label", "?m pkg:servesGoal ?g . OPTIONAL { ?g rdfs:label ?label }"):
        found[r["m"]].goals.append(r.get("label", ""))
    read_targets(store, proposal, found)
    return sorted(found.values(), key=lambda m: (m.line, m.iri))


def read_targets(store: EmbeddedStore, proposal: str, found: dict[str, Predicted]) -> None:
    """Relation properties and their targets' names; pkg:affects only counts when alone."""
    relations = iri_list(RELATION_OF)
    for r in measure_rows(
        store,
        proposal,
        "?rel ?t ?label ?alt",
        f"?m ?rel ?t . VALUES ?rel {{ {relations} }} "
        "OPTIONAL { ?t rdfs:label ?label } OPTIONAL { ?t skos:altLabel ?alt }",
    ):
        measure = found[r["m"]]
        measure.relations.add(RELATION_OF[r["rel"]])
        names = measure.targets.setdefault(r["t"], [])
        names += [r[k] for k in ("label", "alt") if k in r and r[k] not in names]
    for measure in found.values():
        if len(measure.relations) > 1:
            measure.relations.discard("other")


def read_metadata(store: EmbeddedStore, proposal: str) -> dict[str, list]:
    """The proposal's region labels, period, authoring parties and signatories."""
    p = f"<{proposal}>"
    region = values(store, f"SELECT ?l WHERE {{ {p} pkg:region ?r . ?r rdfs:label ?l }}")
    period = values(store, f"SELECT ?s ?e WHERE {{ {p} pkg:periodStart ?s ; pkg:periodEnd ?e }}")
    authors = values(store, f"SELECT ?abbr WHERE {{ {p} dcterms:creator ?a . {PARTY_OF_ACTOR} }}")
    people = values(
        store,
        f"""SELECT ?name ?abbr ?role WHERE {{ {p} pkg:signatory ?s .
        ?s rdfs:label ?name . OPTIONAL {{ ?s org:memberOf ?party . ?party skos:notation ?abbr }}
        OPTIONAL {{ ?s pkg:role ?role }} }}""",
    )
    return {
        "region": sorted({normalise(r["l"]) for r in region}),
        "period": [int(period[0]["s"][:4]), int(period[0]["e"][:4])] if period else [],
        "authors": sorted({r["abbr"] for r in authors}),
        "signatories": sorted({(normalise(r["name"]), r.get("abbr", "")) for r in people}),
        "signatory_roles": sorted({(normalise(r["name"]), normalise(r.get("role", ""))) for r in people}),
    }


# --- scoring -----------------------------------------------------------------------------------


def match(gold: list[GoldMeasure], predicted: list[Predicted]) -> list[tuple[int, int]]:
    """One-to-one greedy pairing, best overlap first, nearer line breaking ties."""
    pred_stems = [stems(p.text) for p in predicted]
    candidates = []
    for gi, g in enumerate(gold):
        g_stems = stems(g.text)
        for pi, p in enumerate(predicted):
            distance = abs(p.line - g.line)
            score = containment(g_stems, pred_stems[pi])
            if distance <= LINE_WINDOW and score >= MIN_OVERLAP:
                candidates.append((-score, distance, gi, pi))
    pairs, used_gold, used_pred = [], set(), set()
    for _, _, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            pairs.append((gi, pi))
            used_gold.add(gi)
            used_pred.add(pi)
    return pairs


def amount_check(g: GoldMeasure, p: Predicted) -> tuple[bool, object, object]:
    """Signed amounts within tolerance; an amount invented for a gold null is wrong too."""
    if g.amount is None:
        return not p.amounts, None, p.amounts
    ok = len(p.amounts) == 1 and abs(p.amounts[0] - g.amount) <= AMOUNT_TOLERANCE + 1e-9
    return ok, g.amount, p.amounts


def relation_check(g: GoldMeasure, p: Predicted) -> tuple[bool, object, object]:
    """Every stated relation must be defensible; a measure without one is wrong."""
    ok = bool(p.relations) and p.relations <= g.relations
    return ok, sorted(g.relations), sorted(p.relations)


def actors_check(g: GoldMeasure, p: Predicted) -> tuple[bool, object, object]:
    """Exact party sets: a missing or an extra party both make the attribution wrong."""
    return set(g.actors) == p.actors, sorted(g.actors), sorted(p.actors)


def goal_check(g: GoldMeasure, p: Predicted) -> tuple[bool, object, object]:
    """Labels agree when equal after normalising or when one contains the other."""
    if g.goal is None:
        return not p.goals, None, p.goals
    gold = normalise(g.goal)
    ok = any(label and (label in gold or gold in label) for label in map(normalise, p.goals))
    return ok, g.goal, p.goals


CHECKS = {
    "amount_exact": amount_check,
    "relation": relation_check,
    "actors_exact": actors_check,
    "goal_link": goal_check,
}


def target_found(gold_target: str, p: Predicted) -> bool:
    """Found when a predicted target's label or altLabel shares a stemmed content word, where a
    word also matches a compound it begins or ends ("primärvårdsledning" ~ "primärvård")."""
    wanted = stems(gold_target) or {normalise(gold_target)}
    return any(shares_word(wanted, stems(name) or {normalise(name)}) for names in p.targets.values() for name in names)


def shares_word(gold: set[str], predicted: set[str]) -> bool:
    return bool(gold & predicted) or any(compound_part(g, w) for g in gold for w in predicted)


def compound_part(a: str, b: str) -> bool:
    """One word is a compound of the other (parts of at least COMPOUND_PART letters)."""
    short, long = sorted((a, b), key=len)
    return len(short) >= COMPOUND_PART and long != short and (long.startswith(short) or long.endswith(short))


def check_pairs(
    gold: list[GoldMeasure], predicted: list[Predicted], pairs: list[tuple[int, int]]
) -> tuple[dict[str, list[int]], list[dict]]:
    """Counts [correct, total] per attribute on matched measures, and each failure."""
    counts = {name: [0, 0] for name in [*CHECKS, "target_recall"]}
    errors = []
    for gi, pi in pairs:
        g, p = gold[gi], predicted[pi]
        for name, check in CHECKS.items():
            ok, want, got = check(g, p)
            counts[name][0] += ok
            counts[name][1] += 1
            if not ok:
                errors.append(error(g, name, want, got))
        missing = [t for t in g.targets if not target_found(t, p)]
        counts["target_recall"][0] += len(g.targets) - len(missing)
        counts["target_recall"][1] += len(g.targets)
        if missing:
            labels = sorted(names[0] if names else iri for iri, names in p.targets.items())
            errors.append(error(g, "target_recall", missing, labels))
    return counts, errors


def error(g: GoldMeasure, check: str, want: object, got: object) -> dict:
    return {"id": g.id, "line": g.line, "check": check, "gold": want, "predicted": got}


def brief(item: GoldMeasure | Predicted) -> dict:
    """How a missed or spurious measure is listed: where, what kind, and its opening words."""
    return {"line": item.line, "source": item.source, "text": item.text[:80]}


def scope_counts(
    scope: str, gold: list[GoldMeasure], predicted: list[Predicted], pairs: list[tuple[int, int]]
) -> dict[str, list[int]]:
    return {f"{scope}_precision": [len(pairs), len(predicted)], f"{scope}_recall": [len(pairs), len(gold)]}


def metadata_checks(document: dict, predicted: dict[str, list]) -> dict[str, dict]:
    """Gold document metadata in the same shape as read_metadata, compared field by field."""
    people = document.get("signatories", [])
    gold = {
        "region": normalise(document.get("region") or ""),
        "period": list(document.get("period") or []),
        "authors": sorted({a["abbr"] for a in document.get("authors", [])}),
        "signatories": sorted({(normalise(s["name"]), s.get("party_abbr") or "") for s in people}),
        "signatory_roles": sorted({(normalise(s["name"]), normalise(s.get("role") or "")) for s in people}),
    }
    checks = {}
    for name, want in gold.items():
        got = predicted[name]
        ok = want in got if name == "region" else want == got
        checks[name] = {"gold": want, "predicted": got, "ok": ok}
    return checks


def score_document(gold: dict, store: EmbeddedStore, proposal: str) -> dict:
    """Scores of one proposal in the store against one gold annotation."""
    goal_labels = {g["id"]: g["label"] for g in gold.get("goals", [])}
    measures = [GoldMeasure.from_json(m, goal_labels) for m in gold["measures"]]
    predicted = read_measures(store, proposal)
    core_gold = [m for m in measures if m.source != "running_text"]
    core_pred = [p for p in predicted if p.source != "running_text"]
    core_pairs = match(core_gold, core_pred)
    all_pairs = match(measures, predicted)
    attributes, errors = check_pairs(measures, predicted, all_pairs)
    metadata = metadata_checks(gold["document"], read_metadata(store, proposal))
    counts = {
        **scope_counts("core", core_gold, core_pred, core_pairs),
        **scope_counts("all", measures, predicted, all_pairs),
        **attributes,
        "metadata": [sum(c["ok"] for c in metadata.values()), len(metadata)],
    }
    matched_gold = {gi for gi, _ in core_pairs}
    matched_pred = {pi for _, pi in core_pairs}
    return {
        "proposal": proposal,
        "counts": counts,
        "metrics": metrics(counts),
        "metadata": metadata,
        "unmatched_gold": [brief(g) | {"id": g.id} for i, g in enumerate(core_gold) if i not in matched_gold],
        "false_positives": [brief(p) for i, p in enumerate(core_pred) if i not in matched_pred],
        "attribute_errors": errors,
    }


def metrics(counts: dict[str, list[int]]) -> dict[str, float]:
    """Ratios from [numerator, denominator] counts, plus F1 per scope."""
    out = {name: ratio(*pair) for name, pair in counts.items()}
    for scope in ("core", "all"):
        p, r = out[f"{scope}_precision"], out[f"{scope}_recall"]
        out[f"{scope}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


# --- running -----------------------------------------------------------------------------------


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


def corpus_file(corpus_dir: Path, gold_file: Path) -> Path:
    """The corpus document a gold file annotates: same number prefix."""
    found = sorted(corpus_dir.glob(f"{gold_file.stem}_*.txt"))
    if not found:
        raise FileNotFoundError(f"no {gold_file.stem}_*.txt in {corpus_dir} for {gold_file.name}")
    return found[0]


def evaluate(corpus_dir: Path, gold_dir: Path) -> dict:
    """Build and score every document that has a gold file; overall numbers are micro-averaged."""
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise FileNotFoundError(f"no gold *.json in {gold_dir}")
    documents = []
    for gold_file in gold_files:
        path = corpus_file(corpus_dir, gold_file)
        store, proposal = build_store(path)
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        documents.append({"gold": gold_file.name, "file": path.name} | score_document(gold, store, proposal))
    totals: dict[str, list[int]] = {}
    for doc in documents:
        for name, (num, den) in doc["counts"].items():
            total = totals.setdefault(name, [0, 0])
            total[0] += num
            total[1] += den
    overall = metrics(totals)
    return {
        "targets": TARGETS,
        "overall": {
            "counts": totals,
            "metrics": overall,
            "meets_target": {k: overall[k] >= v for k, v in TARGETS.items()},
        },
        "documents": documents,
    }


# --- the report --------------------------------------------------------------------------------

ROWS = [
    ("core_precision", "Measures precision (core)"),
    ("core_recall", "Measures recall (core)"),
    ("core_f1", "Measures F1 (core)"),
    ("all_precision", "Measures precision (all)"),
    ("all_recall", "Measures recall (all)"),
    ("all_f1", "Measures F1 (all)"),
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
- *Core* scope: gold measures whose `source` is not `running_text`, and predicted measures whose
  `pkg:extractedFrom` is not `running_text`. *All* scope: every measure. Precision = matched /
  predicted, recall = matched / gold. Overall numbers are micro-averaged over documents, and any
  ratio with nothing to count is 0.
- The attribute checks run on the measures matched in the *all* scope:
  - amount: one `pkg:amount` within {AMOUNT_TOLERANCE} MSEK of `amount_msek` signed by
    `amount_sign`; a null gold amount needs no `pkg:amount`;
  - relation: the relation properties used (`pkg:affects` = `other`, ignored beside a more
    specific one) must all be the gold `relation` or in `relation_alt`; none at all is wrong;
  - actors: the set of party notations of `pkg:proposedBy`, coalitions expanded to their
    `org:hasMember` parties, equals the gold set;
  - target recall: a gold target is found when any predicted target's `rdfs:label` or
    `skos:altLabel` shares a stemmed content word with it, a word also matching a compound it
    begins or ends when it has at least 6 letters (whole-string equality when a name has
    no content word);
  - goal link: a `pkg:servesGoal` label equals the gold goal's label after normalising case,
    whitespace and trailing punctuation, or one contains the other.
- Metadata: region (gold label among the region's `rdfs:label`s), period (start, end), authoring
  parties, signatories as (name, party) pairs and as (name, role) pairs, case-insensitive.
"""


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def metric_table(report: dict) -> list[str]:
    docs = report["documents"]
    head = ["Metric", "Target", *[d["gold"].removesuffix(".json") for d in docs], "Overall"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, label in ROWS:
        target = percent(TARGETS[key]) if key in TARGETS else ""
        cells = [cell(d["metrics"][key], d["counts"].get(key)) for d in docs]
        total = cell(report["overall"]["metrics"][key], report["overall"]["counts"].get(key))
        lines.append("| " + " | ".join([label, target, *cells, total]) + " |")
    return lines


def cell(value: float, count: list[int] | None) -> str:
    return f"{percent(value)} ({count[0]}/{count[1]})" if count else percent(value)


def document_section(doc: dict) -> list[str]:
    lines = [f"### {doc['gold']} — {doc['file']}", "", "| Metadata | Gold | Predicted | OK |", "|---|---|---|---|"]
    for name, check in doc["metadata"].items():
        mark = "yes" if check["ok"] else "**no**"
        lines.append(f"| {name} | {show(check['gold'])} | {show(check['predicted'])} | {mark} |")
    lines += problem_list(f"Unmatched gold core measures ({len(doc['unmatched_gold'])})", doc["unmatched_gold"])
    lines += problem_list(f"False-positive core predictions ({len(doc['false_positives'])})", doc["false_positives"])
    errors = doc["attribute_errors"]
    per_check = Counter(e["check"] for e in errors)
    lines += [
        "",
        f"Attribute errors on matched measures ({len(errors)}: "
        + ", ".join(f"{k} {n}" for k, n in per_check.most_common())
        + f"), first {LISTED}:",
        "",
    ]
    lines += [
        f"- line {e['line']} {e['id']} {e['check']}: gold {show(e['gold'])} — predicted {show(e['predicted'])}"[:240]
        for e in errors[:LISTED]
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


def render_markdown(report: dict) -> str:
    """The human-readable report: one table of metrics, then what to fix per document."""
    lines = [
        "# Extraction evaluation",
        "",
        "Written by `policykg eval` (loaders/evaluation.py); do not edit by hand.",
        "",
        *metric_table(report),
        "",
        RULES,
        "## Per document",
        "",
    ]
    for doc in report["documents"]:
        lines += document_section(doc)
    return "\n".join(lines).rstrip() + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `policykg eval`, shared by this module's own entry point and the CLI's subcommand."""
    parser.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "fixtures" / "gold")
    parser.add_argument("--json", type=Path, default=REPO / "docs" / "evaluation.json")
    parser.add_argument("--markdown", type=Path, default=REPO / "docs" / "evaluation.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policykg eval", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Score the gold documents, print the table, and write the JSON and markdown reports."""
    report = evaluate(args.corpus, args.gold)
    markdown = render_markdown(report)
    for path, text in ((args.json, json.dumps(report, ensure_ascii=False, indent=1)), (args.markdown, markdown)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    print("\n".join(metric_table(report)))
    return 0
