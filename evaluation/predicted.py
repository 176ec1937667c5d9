"""Reading the extracted graph back with SPARQL: each measure and the proposal's metadata, as the scorer compares."""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluation.text import normalise
from graph.store import EmbeddedStore
from ontology.terms import PKG, RELATIONS, iri_list

RELATION_OF = {PKG + local: name for name, local in RELATIONS.items()}
# An actor's names: its notations and labels, or, for a coalition or majority, those of its member parties.
ACTOR_NAMES = (
    "{ ?a skos:notation ?name FILTER NOT EXISTS { ?a org:hasMember ?any } } "
    "UNION { ?a rdfs:label ?name FILTER NOT EXISTS { ?a org:hasMember ?any } } "
    "UNION { ?a org:hasMember ?member . ?member skos:notation ?name }"
)


@dataclass
class Predicted:
    """One extracted measure as the graph states it, relations in gold naming."""

    iri: str
    line: int
    text: str
    source: str
    amounts: list[float] = field(default_factory=list)
    actors: dict[str, set[str]] = field(default_factory=dict)  # actor IRI (or member IRI) -> its names
    relations: set[str] = field(default_factory=set)
    targets: dict[str, list[str]] = field(default_factory=dict)  # target IRI -> label, altLabels
    goals: list[str] = field(default_factory=list)


def values(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in row.items()} for row in store.select(sparql)]


def measure_rows(store: EmbeddedStore, proposal: str, variables: str, pattern: str) -> list[dict]:
    """Rows about the proposal's measures: pattern is matched for each measure ?m."""
    return values(store, f"SELECT ?m {variables} WHERE {{ ?m a pkg:Measure ; pkg:statedIn <{proposal}> . {pattern} }}")


def actor_rows(store: EmbeddedStore, subject_pattern: str) -> dict[str, dict[str, set[str]]]:
    """For each ?m of the pattern: its actors ?a (members standing for a coalition) and their names."""
    rows = values(store, f"SELECT ?m ?a ?member ?name WHERE {{ {subject_pattern} {ACTOR_NAMES} }}")
    out: dict[str, dict[str, set[str]]] = {}
    for r in rows:
        key = r.get("member") or r["a"]
        out.setdefault(r["m"], {}).setdefault(key, set()).add(normalise(r["name"]))
    return out


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
    for m, actors in actor_rows(store, f"?m a pkg:Measure ; pkg:statedIn <{proposal}> ; pkg:proposedBy ?a .").items():
        found[m].actors = actors
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
    """The proposal's region labels, period, authors' names and signatories."""
    p = f"<{proposal}>"
    region = values(store, f"SELECT ?l WHERE {{ {p} pkg:region ?r . ?r rdfs:label ?l }}")
    period = values(store, f"SELECT ?s ?e WHERE {{ {p} pkg:periodStart ?s ; pkg:periodEnd ?e }}")
    authors = actor_rows(store, f"BIND({p} AS ?m) {p} dcterms:creator ?a .").get(proposal, {})
    people = values(
        store,
        f"""SELECT ?name ?abbr ?role WHERE {{ {p} pkg:signatory ?s .
        ?s rdfs:label ?name . OPTIONAL {{ ?s org:memberOf ?party . ?party skos:notation ?abbr }}
        OPTIONAL {{ ?s pkg:role ?role }} }}""",
    )
    return {
        "region": sorted({normalise(r["l"]) for r in region}),
        "period": [int(period[0]["s"][:4]), int(period[0]["e"][:4])] if period else [],
        "authors": list(authors.values()),
        "signatories": sorted({(normalise(r["name"]), r.get("abbr", "")) for r in people}),
        "signatory_roles": sorted({(normalise(r["name"]), normalise(r.get("role", ""))) for r in people}),
    }
