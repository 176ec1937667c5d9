"""Measures listed by actor, relation, target, goal or proposal: pages in document order (proposal, line).

Every measure lives in its proposal's named graph, so matches are counted per graph (`GRAPH ?g`) without a join
or decoding a single measure IRI, and a page then reads its rows from the few graphs it spans, ordered by line
(an inline integer). Sorting every match by IRI instead meant decoding each one first: 130–160 ms for a party's
or the whole store's uncached first page at 1M triples, against 5–32 ms this way (docs/benchmarks.md, finding 22).
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from graph.queries import labels_for, ref, value
from ontology.terms import PKG, RELATIONS, iri_list

RELATION_PROPS = sorted({PKG + local for local in RELATIONS.values()})
FIELDS = ["text", "quote", "sourceLine", "measureKind", "amount", "amountPeriod", "effect"]  # pkg: properties
LINKS = ["statedIn", "servesGoal", "committee", "proposedBy"]  # pkg: properties whose objects need a label


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
    iris = in_document_order(store, measure_filters(**filters), after, limit + 1)
    return measure_details(store, iris) if iris else []


def actor_and_groups(store, actor: str) -> list[str]:
    """The actor and every coalition or majority it belongs to: their measures are its measures too."""
    groups = store.select(f"SELECT DISTINCT ?g WHERE {{ ?g org:hasMember <{actor}> }}")
    return [actor, *(r["g"].value for r in groups)]


def measure_filters(actors=None, relation=None, target=None, goal=None, proposal=None) -> list[str]:
    """Patterns binding ?m inside its proposal's graph, the most selective first. An actor's IRIs are a VALUES
    block only when nothing else binds ?m: after another pattern Oxigraph joins a VALUES block by hash over all
    of the party's measures (90 ms at 1M triples), where FILTER … IN tests each bound measure."""
    parts = []
    if relation and target:
        parts.append(f"?m pkg:{relation} <{target}> .")
    elif relation:
        parts.append(f"?m pkg:effect pkg:{relation} .")  # also the measures with no recognised service
    elif target:
        parts.append(f"?m ?rel <{target}> . FILTER(?rel IN ({in_list(RELATION_PROPS)}))")
    if goal:
        parts.append(f"?m pkg:servesGoal <{goal}> .")
    if proposal:
        parts.append(f"?m pkg:statedIn <{proposal}> .")
    if actors and parts:
        parts.append(f"?m pkg:proposedBy ?actor . FILTER(?actor IN ({in_list(actors)}))")
    elif actors:
        parts.append(f"VALUES ?actor {{ {iri_list(actors)} }} ?m pkg:proposedBy ?actor .")
    # proposedBy, servesGoal and the relation properties only ever describe measures (their rdfs:domain)
    return parts or ["?m a pkg:Measure ."]


def in_list(iris) -> str:
    return ", ".join(f"<{i}>" for i in sorted(set(iris)))


def in_document_order(store, patterns: list[str], after: str | None, size: int) -> list[str]:
    """`size` measures matching every pattern after the cursor measure, ordered by proposal graph, line and IRI.

    Graphs are taken in batches by the count of their matches of the first pattern alone (one cheap grouped
    count, memoised; 4–10 ms at 1M triples where counting all patterns together took up to 50 ms). With more
    patterns that count is an upper bound, so a batch that falls short is followed by one twice as wide."""
    lead = patterns[0]
    counts = store.memo(f"measures per graph {lead}", lambda: matches_per_graph(store, lead))
    first, keyset = 0, ""
    if after:
        graph, line = position(store, after)
        first = bisect.bisect_left([g for g, _ in counts], graph)
        keyset = f'FILTER(?g != <{graph}> || ?line > {line} || (?line = {line} && STR(?m) > "{after}"))'
    found: list[str] = []
    widen = 1
    while len(found) < size and first < len(counts):
        batch, expected = [], 0
        while first < len(counts) and expected < (size - len(found)) * widen:
            batch.append(counts[first][0])
            expected += counts[first][1]
            first += 1
        rows = store.select(f"""SELECT DISTINCT ?m ?g ?line WHERE {{
            VALUES ?g {{ {iri_list(batch)} }} GRAPH ?g {{ {" ".join(patterns)} ?m pkg:sourceLine ?line }} {keyset} }}
            ORDER BY STR(?g) ?line STR(?m) LIMIT {size - len(found)}""")
        found += [r["m"].value for r in rows]
        keyset = ""  # only the cursor's own graph starts part-way
        widen *= 2
    return found


def matches_per_graph(store, where: str) -> list[tuple[str, int]]:
    """(graph, matching measures) in IRI order, for the graphs with any."""
    rows = store.select(f"SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE {{ GRAPH ?g {{ {where} }} }} GROUP BY ?g")
    return sorted((r["g"].value, int(r["n"].value)) for r in rows)


def position(store, measure: str) -> tuple[str, int]:
    """The cursor measure's graph and line; LookupError when it is gone (its page can no longer be placed)."""
    rows = store.select(f"SELECT ?g ?line WHERE {{ GRAPH ?g {{ <{measure}> pkg:sourceLine ?line }} }} LIMIT 1")
    if not rows:
        raise LookupError(measure)
    return rows[0]["g"].value, int(rows[0]["line"].value)


def measure_details(store, iris: list[str]) -> list[dict]:
    """Fields, actors and effects of the given measures, in the given order: one query for their own triples,
    one for the labels of what they link to (a join per field or per label cost twice as much)."""
    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in store.select(f"""SELECT ?m ?p ?o WHERE {{ VALUES ?m {{ {iri_list(iris)} }} ?m ?p ?o .
            FILTER(?p IN ({in_list(PKG + f for f in [*FIELDS, *LINKS])}, {in_list(RELATION_PROPS)})) }}"""):
        facts[r["m"].value][r["p"].value[len(PKG) :]].append(r["o"])
    linked = {o.value for f in facts.values() for p, objects in f.items() if p not in FIELDS for o in objects}
    labels = labels_for(store, linked)
    return [measure_row(i, facts[i], labels) for i in iris if "text" in facts[i]]


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
        "proposal": linked("statedIn"),
        "goal": linked("servesGoal"),
        "committee": linked("committee"),
        "actors": [ref(a, labels.get(a)) for a in sorted(o.value for o in facts.get("proposedBy", []))],
        "relation": one("effect").value[len(PKG) :] if facts.get("effect") else None,
        "effects": [{"relation": p, "target": ref(o, labels.get(o))} for p, o in relations],
        "evidence": {"quote": one("quote").value, "line": value(one("sourceLine"))},
    }
