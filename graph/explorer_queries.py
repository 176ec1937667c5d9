"""Read queries the web explorer needs beyond the JSON API's: an entity's types and own triples, who authored
which proposals, the goal hierarchy, and signed amounts per committee or service for side-by-side comparison."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph.measure_queries import RELATION_PROPS
from graph.queries import labels_for, ref, value
from ontology.terms import in_list, iri_list


def types_of(store, iri: str) -> list[str]:
    """The entity's rdf:types, as local names ("Hospital", "Concept", …)."""
    rows = store.select(f"SELECT DISTINCT ?t WHERE {{ <{iri}> a ?t }}")
    return sorted(r["t"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in rows)


def own_triples(store, iri: str) -> list[ox.Triple]:
    """Every statement about the entity (its concise description), for Turtle and JSON-LD."""
    node = ox.NamedNode(iri)
    rows = store.select(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    return [ox.Triple(node, r["p"], r["o"]) for r in rows]


def proposals_by(store, actors: list[str]) -> list[str]:
    """Proposals authored or signed by any of the actors (an actor with its coalitions and majorities)."""
    rows = store.select(f"""SELECT DISTINCT ?p WHERE {{ VALUES ?a {{ {iri_list(actors)} }}
        ?p a pkg:Proposal . {{ ?p dcterms:creator ?a }} UNION {{ ?p pkg:signatory ?a }} }}""")
    return sorted(r["p"].value for r in rows)


def related(store, iri: str, prop: str, inverse: bool = False) -> list[dict]:
    """Labelled objects of `prop` from the entity (or, inverse, subjects pointing to it with `prop`)."""
    pattern = f"?x {prop} <{iri}>" if inverse else f"<{iri}> {prop} ?x"
    nodes = sorted({r["x"].value for r in store.select(f"SELECT DISTINCT ?x WHERE {{ {pattern} }}")})
    labels = labels_for(store, nodes)
    return [ref(n, labels.get(n)) for n in nodes]


def goal_parents(store, proposal: str) -> dict[str, str]:
    """Goal → parent goal within one proposal."""
    rows = store.select(f"SELECT ?g ?parent WHERE {{ ?g pkg:statedIn <{proposal}> ; pkg:parentGoal ?parent }}")
    return {r["g"].value: r["parent"].value for r in rows}


def regions(store) -> list[dict]:
    rows = store.select("SELECT ?r (SAMPLE(?l) AS ?label) WHERE { ?r a pkg:Region ; rdfs:label ?l } GROUP BY ?r")
    return sorted((ref(r["r"].value, r["label"].value) for r in rows), key=lambda r: r["label"])


def amounts(store, proposals: list[str], by: str) -> list[dict]:
    """Signed MSEK and measure counts per proposal and committee (`by="committee"`) or affected service
    (`by="target"`; a measure touching two services counts for both; a part of another measure's sum not at all), as
    rows of {key, proposal, msek, measures}."""
    link = "pkg:committee ?k" if by == "committee" else f"?rel ?k . FILTER(?rel IN ({in_list(RELATION_PROPS)}))"
    rows = store.select(f"""SELECT ?p ?k (SUM(?a) AS ?msek) (COUNT(DISTINCT ?m) AS ?n) WHERE {{
        VALUES ?p {{ {iri_list(proposals)} }} ?m pkg:statedIn ?p ; pkg:amount ?a ; {link}
        FILTER NOT EXISTS {{ ?m pkg:partOf ?whole }} }} GROUP BY ?p ?k""")
    labels = labels_for(store, {r["k"].value for r in rows})
    per: dict[str, dict] = defaultdict(dict)
    for r in rows:
        per[r["k"].value][r["p"].value] = {"msek": round(value(r["msek"]), 3), "measures": value(r["n"])}
    return [
        {"key": ref(k, labels.get(k)), "values": values}
        for k, values in sorted(per.items(), key=lambda kv: -max(abs(v["msek"]) for v in kv[1].values()))
    ]


def goal_facts(store, iri: str) -> dict | None:
    rows = store.select(f"""SELECT ?label ?level ?line ?p ?parent WHERE {{ <{iri}> a pkg:Goal ; rdfs:label ?label ;
        pkg:statedIn ?p OPTIONAL {{ <{iri}> pkg:goalLevel ?level }} OPTIONAL {{ <{iri}> pkg:sourceLine ?line }}
        OPTIONAL {{ <{iri}> pkg:parentGoal ?parent }} }} LIMIT 1""")
    if not rows:
        return None
    r = rows[0]
    return {
        "label": r["label"].value,
        "level": value(r.get("level")),
        "line": value(r.get("line")),
        "proposal": r["p"].value,
        "parent": r["parent"].value if "parent" in r else None,
    }
