"""Measures listed by actor, relation, target, goal or proposal: pages in document order (graph.document_order)."""

from __future__ import annotations

from collections import defaultdict

from graph.document_order import in_document_order, one_of
from graph.queries import actor_and_groups, labels_for, ref, value
from ontology.terms import PKG, RELATIONS, in_list, iri_list

RELATION_PROPS = sorted({PKG + local for local in RELATIONS.values()})
# pkg: properties
FIELDS = [
    "text",
    "quote",
    "sourceLine",
    "measureKind",
    "amount",
    "amountPeriod",
    "effect",
    "extractedFrom",
    "confidence",
]
LINKS = ["statedIn", "servesGoal", "committee", "proposedBy", "partOf"]  # pkg: properties whose objects need a label


def list_measures(store, limit: int, after: str | None, **filters) -> list[dict]:
    """One page of measures (and one more, to tell whether there is a next page). Pages are memoised until the
    store is next written: a party's first page is what many readers ask for. A cursor naming a measure that is
    gone raises LookupError."""
    key = f"measures {sorted(filters.items())} after={after} limit={limit}"
    return store.memo(key, lambda: measure_page(store, limit, after, **filters))


def measure_page(store, limit: int, after: str | None, **filters) -> list[dict]:
    """Pick the page's IRIs first, then fetch their details in two batched queries."""
    actor = filters.pop("actor", None)
    if actor:
        filters["actors"] = actor_and_groups(store, actor)
    iris = in_document_order(store, "?m", measure_filters(**filters), after, limit + 1)
    return measure_details(store, iris) if iris else []


def measure_filters(
    actors=None, relation=None, target=None, goal=None, proposal=None, committee=None, min_confidence=None
) -> list[str]:
    """Patterns binding ?m inside its proposal's graph, the most selective first."""
    parts = []
    if relation and target:
        parts.append(f"?m pkg:{relation} <{target}> .")
    elif relation:
        parts.append(f"?m pkg:effect pkg:{relation} .")  # also the measures with no recognised service
    elif target:
        parts.append(f"?m ?rel <{target}> . FILTER(?rel IN ({in_list(RELATION_PROPS)}))")
    if goal:
        parts.append(f"?m pkg:servesGoal <{goal}> .")
    if committee:
        parts.append(f"?m pkg:committee <{committee}> .")
    if proposal:
        parts.append(f"?m pkg:statedIn <{proposal}> .")
    if actors:
        parts.append(one_of("?m", "pkg:proposedBy", actors, leading=not parts))
    if min_confidence is not None:
        parts.append(f"?m pkg:confidence ?confidence . FILTER(?confidence >= {float(min_confidence)})")
    # proposedBy, servesGoal and the relation properties only ever describe measures (their rdfs:domain)
    return parts or ["?m a pkg:Measure ."]


def measure_details(store, iris: list[str]) -> list[dict]:
    """Fields, actors and effects of the given measures, in the given order: one query for their own triples,
    one for the labels of what they link to (a join per field or per label cost twice as much)."""
    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in store.select(f"""SELECT ?m ?p ?o WHERE {{ VALUES ?m {{ {iri_list(iris)} }} ?m ?p ?o .
            FILTER(?p IN ({in_list(PKG + f for f in [*FIELDS, *LINKS])}, {in_list(RELATION_PROPS)})) }}"""):
        facts[r["m"].value][r["p"].value[len(PKG) :]].append(r["o"])
    linked = {o.value for f in facts.values() for p, objects in f.items() if p not in FIELDS for o in objects}
    labels = labels_for(store, linked)
    years = yearly_amounts(store, iris)
    return [measure_row(i, facts[i], labels) | {"yearly": years.get(i, [])} for i in iris if "text" in facts[i]]


def yearly_amounts(store, iris: list[str]) -> dict[str, list[dict]]:
    """A budget row's figure per year column (pkg:yearlyAmount), by measure, in year order."""
    out: dict[str, list[dict]] = defaultdict(list)
    for r in store.select(f"""SELECT ?m ?year ?amount WHERE {{ VALUES ?m {{ {iri_list(iris)} }}
            ?m pkg:yearlyAmount ?y . ?y pkg:year ?year ; pkg:amount ?amount }} ORDER BY ?m ?year"""):
        out[r["m"].value].append({"year": int(r["year"].value), "amount_msek": value(r["amount"])})
    return out


def measure_row(iri: str, facts: dict[str, list], labels: dict[str, str]) -> dict:
    def one(prop: str):
        return min(facts[prop], key=lambda t: t.value) if facts.get(prop) else None

    def linked(prop: str) -> dict | None:
        target = one(prop)
        return ref(target.value, labels.get(target.value)) if target else None

    relations = sorted((p, o.value) for p, objects in facts.items() if PKG + p in RELATION_PROPS for o in objects)
    return {
        **ref(iri, one("text").value),
        "text": one("text").value,
        "kind": value(one("measureKind")),
        "amount_msek": value(one("amount")),
        "amount_period": value(one("amountPeriod")),
        "source": value(one("extractedFrom")),
        "confidence": value(one("confidence")),
        "proposal": linked("statedIn"),
        "goal": linked("servesGoal"),
        "committee": linked("committee"),
        "part_of": linked("partOf"),
        "actors": [ref(a, labels.get(a)) for a in sorted(o.value for o in facts.get("proposedBy", []))],
        "relation": one("effect").value[len(PKG) :] if facts.get("effect") else None,
        "effects": [{"relation": p, "target": ref(o, labels.get(o))} for p, o in relations],
        "evidence": {"quote": one("quote").value, "line": value(one("sourceLine"))},
    }
