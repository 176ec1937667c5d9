"""Scoring one proposal in a store against one gold annotation: matching, attribute checks, metrics.

See docs/evaluation.md for the rules (written from RULES in evaluation.report) and the latest numbers.
"""

from __future__ import annotations

from typing import Any

from evaluation.gold import PROSE, GoldMeasure, author_names, gold_measures
from evaluation.predicted import Predicted, read_measures, read_metadata
from evaluation.text import containment, normalise, shares_word, stems
from graph.store import EmbeddedStore

# The issue-15 targets, each for every document; measure precision and recall are for the core scope, the prose
# ones for documents whose proposals all stand in prose.
TARGETS = {
    "core_recall": 0.95,
    "core_precision": 0.90,
    "amount_exact": 0.97,
    "relation": 0.85,
    "actors_exact": 0.97,
    "target_recall": 0.85,
    "goal_link": 0.85,
    "metadata": 1.0,
}
PROSE_TARGETS = {"prose_recall": 0.70, "prose_precision": 0.70}

LINE_WINDOW = 2  # a predicted measure may start this many lines away from the gold line
MIN_OVERLAP = 0.5  # token containment needed for a match
AMOUNT_TOLERANCE = 0.05  # MSEK
SCOPES = ("core", "prose", "all")


def ratio(numerator: int, denominator: int) -> float | None:
    """None when there is nothing to count: the metric does not apply to that document."""
    return numerator / denominator if denominator else None


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


def named_as(actors: list[set[str]], gold: list[str]) -> list[str]:
    """Each predicted actor by the gold name it answers to (its notation or label), else by its first name."""
    wanted = {normalise(name): name for name in gold}
    return sorted(next((wanted[n] for n in names if n in wanted), min(names)) for names in actors)


def actors_check(g: GoldMeasure, p: Predicted) -> tuple[bool, object, object]:
    """Exact actor sets: a missing or an extra actor both make the attribution wrong."""
    got = named_as(list(p.actors.values()), list(g.actors))
    return sorted(g.actors) == got, sorted(g.actors), got


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


def in_scope(scope: str, source: str) -> bool:
    return scope == "all" or (source == PROSE) == (scope == "prose")


def scope_scores(gold: list[GoldMeasure], predicted: list[Predicted]) -> tuple[dict, dict]:
    """Precision and recall counts per scope, and the core scope's misses and false positives."""
    counts: dict[str, list[int]] = {}
    problems: dict[str, list] = {}
    for scope in SCOPES:
        g = [m for m in gold if in_scope(scope, m.source)]
        p = [m for m in predicted if in_scope(scope, m.source)]
        pairs = match(g, p)
        counts |= {f"{scope}_precision": [len(pairs), len(p)], f"{scope}_recall": [len(pairs), len(g)]}
        if scope != "all":  # core: unmatched_gold, false_positives; running text: the same with a prose_ prefix
            prefix = "prose_" if scope == "prose" else ""
            matched_gold, matched_pred = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
            missed = [brief(m) | {"id": m.id} for i, m in enumerate(g) if i not in matched_gold]
            problems[f"{prefix}unmatched_gold"] = missed
            problems[f"{prefix}false_positives"] = [brief(m) for i, m in enumerate(p) if i not in matched_pred]
    return counts, problems


def metadata_checks(document: dict, predicted: dict[str, list]) -> dict[str, dict]:
    """Gold document metadata in the same shape as read_metadata, compared field by field."""
    people = document.get("signatories", [])
    authors = author_names(document)
    gold: dict[str, Any] = {
        "region": normalise(document.get("region") or ""),
        "period": list(document.get("period") or []),
        "authors": authors,
        "signatories": sorted({(normalise(s["name"]), s.get("party_abbr") or "") for s in people}),
        "signatory_roles": sorted({(normalise(s["name"]), normalise(s.get("role") or "")) for s in people}),
    }
    predicted = predicted | {"authors": named_as(predicted["authors"], authors)}
    checks = {}
    for name, want in gold.items():
        got = predicted[name]
        ok = region_named(want, got) if name == "region" else want == got
        checks[name] = {"gold": want, "predicted": got, "ok": ok}
    return checks


def region_named(gold: str, labels: list[str]) -> bool:
    """The gold region is one of the region's labels, with or without the word "region" ("Region Värmland")."""
    return gold in labels or gold.removeprefix("region ") in labels


def score_document(gold: dict, store: EmbeddedStore, proposal: str) -> dict:
    """Scores of one proposal in the store against one gold annotation."""
    measures = gold_measures(gold)
    predicted = read_measures(store, proposal)
    counts, problems = scope_scores(measures, predicted)
    attributes, errors = check_pairs(measures, predicted, match(measures, predicted))
    metadata = metadata_checks(gold["document"], read_metadata(store, proposal))
    counts |= attributes | {"metadata": [sum(c["ok"] for c in metadata.values()), len(metadata)]}
    return {
        "proposal": proposal,
        "counts": counts,
        "metrics": metrics(counts),
        "targets": targets_for(counts),
        "metadata": metadata,
        **problems,
        "attribute_errors": errors,
    }


def targets_for(counts: dict[str, list[int]]) -> dict[str, float]:
    """The targets that apply: core ones where the gold has list items or table rows, prose ones where it has none."""
    if counts["core_recall"][1]:
        return TARGETS
    return {k: v for k, v in TARGETS.items() if not k.startswith("core")} | PROSE_TARGETS


def metrics(counts: dict[str, list[int]]) -> dict[str, float | None]:
    """Ratios from [numerator, denominator] counts, plus F1 per scope."""
    out = {name: ratio(*pair) for name, pair in counts.items()}
    for scope in SCOPES:
        p, r = out[f"{scope}_precision"], out[f"{scope}_recall"]
        out[f"{scope}_f1"] = 2 * p * r / (p + r) if p and r else None if p is None or r is None else 0.0
    return out


def below_target(doc: dict) -> dict[str, float | None]:
    """The metrics of one document under their target (a metric that cannot be computed is under it)."""
    return {k: doc["metrics"][k] for k, v in doc["targets"].items() if (doc["metrics"][k] or 0.0) < v}
