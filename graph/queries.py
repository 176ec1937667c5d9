"""The read queries behind the JSON API; each returns plain dicts with stable field names."""

from __future__ import annotations

import bisect
from collections import defaultdict

import pyoxigraph as ox

from graph.document_order import in_document_order
from ontology.terms import ID, ONTOLOGY_GRAPH, PKG, RDFS, Term, iri_list, shorten

CLASSES = [
    "Proposal",
    "Party",
    "Coalition",
    "Person",
    "Majority",
    "Region",
    "Municipality",
    "Goal",
    "Measure",
    "Service",
    "Hospital",
    "Committee",
    "Stance",
]


def value(term: Term | None):
    """A JSON-friendly value: numbers for numeric literals, strings otherwise."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.endswith(
        ("#decimal", "#integer", "#positiveInteger", "#double")
    ):
        return float(term.value) if "." in term.value else int(term.value)
    return term.value


def entity_id(iri: str) -> str | None:
    return iri[len(ID) :] if iri.startswith(ID) else None


def ref(iri: str, label: str | None) -> dict:
    return {"id": entity_id(iri), "iri": iri, "label": label or shorten(iri)}


def search_literal(text: str) -> str:
    """A search text as a SPARQL string, every character escaped (a carriage return once broke the query), its white
    space folded as labels have it."""
    return str(ox.Literal(" ".join(text.split())))


OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"


def list_entities(store, kind: str | None, q: str | None, limit: int, after: str | None) -> list[dict]:
    """One page of entities in IRI order: the IRIs first (memoised, sorted here), then labels and types of the page."""
    iris = page_after(store, entity_select(kind, q), after, limit + 1)
    labels = labels_for(store, iris)
    # without a kind, the most specific type (a hospital is also a service and a place)
    narrowest = "FILTER NOT EXISTS { ?n a ?narrower . ?narrower rdfs:subClassOf+ ?v }"
    types = dict.fromkeys(iris, PKG + kind) if kind else one_value(store, iris, "a", narrowest, "MIN")
    return [{**ref(i, labels.get(i)), "type": shorten(types.get(i, ""))} for i in iris]


def entity_select(kind: str | None, q: str | None) -> str:
    """Labelled entities of a type (or any), optionally by label: the narrower condition first, the other as a
    FILTER EXISTS. The union default graph gives one solution per graph holding a triple, so a join would multiply
    a service minted in hundreds of proposals by its labels in each (2.6M rows for 4,783 services at 1M triples)."""
    search = f"FILTER(CONTAINS(LCASE(STR(?l)), LCASE({search_literal(q)})))" if q else ""
    ours = f'FILTER(STRSTARTS(STR(?m), "{ID}"))'
    if kind:
        return f"SELECT DISTINCT ?m WHERE {{ ?m a pkg:{kind} {ours} FILTER EXISTS {{ ?m rdfs:label ?l {search} }} }}"
    any_type = f"FILTER EXISTS {{ ?m a ?t FILTER(?t != <{OWL_CLASS}>) }}"
    return f"SELECT DISTINCT ?m WHERE {{ ?m rdfs:label ?l {search} {ours} {any_type} }}"


INCOMING_PER_PROPERTY = 100


def describe(store, iri: str) -> dict:
    """One entity: types, label, outgoing properties and incoming edges, with labels.

    Incoming edges are capped per property (a party is the object of thousands of statements);
    `incoming_counts` gives the full numbers.
    """
    out = store.select(
        f"SELECT ?p ?o (SAMPLE(?ol) AS ?olabel) WHERE {{ <{iri}> ?p ?o . "
        f"OPTIONAL {{ ?o rdfs:label ?ol }} }} GROUP BY ?p ?o ORDER BY ?p"
    )
    counts = store.select(f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p <{iri}> }} GROUP BY ?p ORDER BY ?p")
    types = [r["o"].value for r in out if r["p"].value.endswith("#type")]
    labels = [r["o"].value for r in out if r["p"].value.endswith("rdf-schema#label")]
    return {
        **ref(iri, labels[0] if labels else None),
        "types": [shorten(t) for t in types],
        "properties": [property_row(r) for r in out if not r["p"].value.endswith("#type")],
        "incoming": [edge for r in counts for edge in incoming(store, iri, r["p"].value)],
        "incoming_counts": {shorten(r["p"].value): value(r["n"]) for r in counts},
    }


def incoming(store, iri: str, prop: str) -> list[dict]:
    """Up to INCOMING_PER_PROPERTY subjects with an edge `prop` to `iri`, labelled, listed by IRI. Which ones is
    the store's index order (stable for the same data): choosing the first by IRI meant decoding all of a
    party's 12k statements first; grouping and ordering them in SPARQL took 0.85 s at 1M triples."""
    rows = store.select(f"SELECT DISTINCT ?s WHERE {{ ?s <{prop}> <{iri}> }} LIMIT {INCOMING_PER_PROPERTY}")
    subjects = sorted(r["s"].value for r in rows)
    labels = labels_for(store, subjects)
    return [{"property": shorten(prop), **ref(s, labels.get(s))} for s in subjects]


def property_row(row: dict) -> dict:
    obj = row["o"]
    base = {"property": shorten(row["p"].value)}
    if isinstance(obj, ox.NamedNode):
        return {**base, **ref(obj.value, value(row.get("olabel")))}
    return {**base, "value": value(obj)}


def actor_and_groups(store, actor: str) -> list[str]:
    """The actor and every coalition or majority it belongs to: their statements are its statements too."""
    groups = store.select(f"SELECT DISTINCT ?g WHERE {{ ?g org:hasMember <{actor}> }}")
    return [actor, *(r["g"].value for r in groups)]


def page_after(store, select: str, after: str | None, size: int) -> list[str]:
    """`size` IRIs of ?m in IRI order, after the cursor. Sorted here: Oxigraph's ORDER BY on IRIs decodes and
    compares every string (0.8 s for the 14k measures of one party at 1M triples), a Python sort takes 50 ms;
    the sorted list is memoised, so the following pages cost a bisect."""
    iris = store.memo(select, lambda: sorted({r["m"].value for r in store.select(select)}))
    start = bisect.bisect_right(iris, after) if after else 0
    return iris[start : start + size]


def ordered_after(store, select: str, key, after: str | None, size: int) -> list[str]:
    """`size` IRIs after the cursor IRI, in the order of `key(row)` (a tuple ending with the row's IRI). The order is
    memoised until the store is next written; a cursor that names no row raises LookupError."""
    order = store.memo(select, lambda: sorted(key(r) for r in store.select(select)))
    start = 0
    if after:
        found = next((i + 1 for i, k in enumerate(order) if k[-1] == after), None)
        if found is None:
            raise LookupError(after)
        start = found
    return [k[-1] for k in order[start : start + size]]


def labels_for(store, nodes) -> dict[str, str]:
    """One label per IRI (any language). The embedded store seeks the first one; over the network SAMPLE in one
    query beats a round trip per IRI."""
    if store.kind == "embedded":
        return store.first_values(nodes, RDFS + "label")
    return one_value(store, nodes, "rdfs:label")


def one_value(store, nodes, prop: str, restrict: str = "", pick: str = "SAMPLE") -> dict[str, str]:
    """One value of `prop` per IRI (any, if several; `pick="MIN"` for a stable choice), in grouped queries of 200."""
    nodes = sorted(set(nodes))
    found: dict[str, str] = {}
    for i in range(0, len(nodes), 200):
        values = iri_list(nodes[i : i + 200])
        for r in store.select(
            f"SELECT ?n ({pick}(?v) AS ?value) WHERE {{ VALUES ?n {{ {values} }} ?n {prop} ?v {restrict} }} GROUP BY ?n"
        ):
            found[r["n"].value] = r["value"].value
    return found


def linked_per_subject(store, subjects: str, prop: str) -> dict[str, list[dict]]:
    """Objects of `prop` with a label, for every subject bound by the `subjects` pattern (?p). Labels are looked
    up once per object: joined per row, a person's label was read from every proposal naming them (4× slower)."""
    pairs = sorted(
        {(r["p"].value, r["o"].value) for r in store.select(f"SELECT ?p ?o WHERE {{ {subjects} ?p {prop} ?o }}")}
    )
    labels = labels_for(store, {o for _, o in pairs})
    out: dict[str, list[dict]] = {}
    for p, o in pairs:
        out.setdefault(p, []).append(ref(o, labels.get(o)))
    return out


def counts_per_proposal(store) -> dict[str, dict[str, int]]:
    """Measures and goals per proposal, memoised. Counted per named graph (each proposal's statements live in its
    own graph) and mapped to proposals by their own typing triple: joining every measure to its proposal took
    0.3 s for all proposals at 1M triples and 0.8 s for a page of 100 (a VALUES join), per graph 25 ms."""
    return store.memo("counts per proposal", lambda: count_per_proposal(store))


def count_per_proposal(store) -> dict[str, dict[str, int]]:
    proposal_of = {
        r["g"].value: r["p"].value for r in store.select("SELECT ?g ?p WHERE { GRAPH ?g { ?p a pkg:Proposal } }")
    }
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"measures": 0, "goals": 0})
    for cls, key in (("Measure", "measures"), ("Goal", "goals")):
        for r in store.select(f"SELECT ?g (COUNT(?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a pkg:{cls} }} }} GROUP BY ?g"):
            if r["g"].value in proposal_of:
                counts[proposal_of[r["g"].value]][key] = int(r["n"].value)
    return counts


def proposal_page(store, limit: int, after: str | None) -> list[dict]:
    """One page of proposals in IRI order, and one more to tell whether there is a next page."""
    iris = page_after(store, "SELECT ?m WHERE { ?m a pkg:Proposal }", after, limit + 1)
    return list_proposals(store, iris) if iris else []


def list_proposals(store, iris: list[str] | None = None) -> list[dict]:
    """The proposals given (or all) with region, period, authors, signatories and counts, in five queries."""
    subjects = f"VALUES ?p {{ {iri_list(iris)} }}" if iris else ""
    rows = store.select(f"""
      SELECT ?p ?title ?file ?hash ?start ?end ?region ?regionLabel WHERE {{ {subjects}
        ?p a pkg:Proposal ; dcterms:title ?title ; pkg:sourceFile ?file ; pkg:contentHash ?hash .
        OPTIONAL {{ ?p pkg:periodStart ?start ; pkg:periodEnd ?end }}
        OPTIONAL {{ ?p pkg:region ?region . ?region rdfs:label ?regionLabel }}
      }} ORDER BY ?p""")
    authors = linked_per_subject(store, subjects, "dcterms:creator")
    signatories = linked_per_subject(store, subjects, "pkg:signatory")
    counts = counts_per_proposal(store)
    return [proposal_row(r, authors, signatories, counts) for r in rows]


def proposal_row(r: dict, authors: dict, signatories: dict, counts: dict) -> dict:
    iri = r["p"].value
    return {
        **ref(iri, r["title"].value),
        "title": r["title"].value,
        "source_file": r["file"].value,
        "content_hash": r["hash"].value,
        "period": [int(r["start"].value), int(r["end"].value)] if "start" in r else None,
        "region": ref(r["region"].value, value(r.get("regionLabel"))) if "region" in r else None,
        "authors": authors.get(iri, []),
        "signatories": signatories.get(iri, []),
        **counts[iri],
    }


def goal_page(store, limit: int, after: str | None, proposal: str | None) -> list[dict]:
    """One page of goals in document order (proposal, line), and one more to tell whether there is a next page;
    each goal with the measures that serve it. Cut by graph.document_order, like measures and stances."""
    pattern = f"?goal pkg:statedIn <{proposal}> ; a pkg:Goal ." if proposal else "?goal a pkg:Goal ."
    iris = in_document_order(store, "?goal", [pattern], after, limit + 1)
    if not iris:
        return []
    values = f"VALUES ?g {{ {iri_list(iris)} }}"
    goals = {
        r["g"].value: r
        for r in store.select(f"""SELECT ?g ?label ?level ?line ?p WHERE {{ {values}
            ?g rdfs:label ?label ; pkg:goalLevel ?level ; pkg:sourceLine ?line ; pkg:statedIn ?p }}""")
    }
    serving = defaultdict(list)
    for r in store.select(f"SELECT ?g ?m ?t WHERE {{ {values} ?m pkg:servesGoal ?g ; pkg:text ?t }}"):
        serving[r["g"].value].append(ref(r["m"].value, r["t"].value))
    return [goal_row(goals[i], sorted(serving[i], key=lambda m: m["iri"])) for i in iris if i in goals]


def goal_row(r: dict, measures: list[dict]) -> dict:
    return {
        **ref(r["g"].value, r["label"].value),
        "level": r["level"].value,
        "line": value(r["line"]),
        "proposal": ref(r["p"].value, None),
        "measures": measures,
    }


def statistics(store) -> dict:
    """Counts per class and per proposal; memoised until the store is next written (a second or more at 1M triples,
    and the page a dashboard polls)."""
    return store.memo("statistics", lambda: count_everything(store))


def count_everything(store) -> dict:
    classes = store.select(f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH ?g {{ ?s a ?c }} FILTER(?g != <{ONTOLOGY_GRAPH}>) FILTER(STRSTARTS(STR(?c), "{PKG}")) }}
        GROUP BY ?c ORDER BY ?c""")
    titles = store.select("SELECT ?p ?title WHERE { ?p a pkg:Proposal ; dcterms:title ?title } ORDER BY ?p")
    counts = counts_per_proposal(store)
    return {
        "triples": store.size(),
        "classes": {shorten(r["c"].value): value(r["n"]) for r in classes},
        "proposals": [{**ref(r["p"].value, r["title"].value), **counts[r["p"].value]} for r in titles],
    }


def frame_page(store, limit: int, after: str | None, committee=None, year=None, proposal=None) -> list[dict]:
    """One page of frame observations (committee × year × proposal, in that order) and one more to tell whether
    there is a next page, so proposals' frames for a committee and year sit side by side."""
    where = [
        f"?f pkg:committee <{committee}> ." if committee else "",
        f"?f pkg:statedIn <{proposal}> ." if proposal else "",
        f'FILTER(STR(?y) = "{year}")' if year else "",
    ]
    select = f"""SELECT ?f ?c ?y ?p WHERE {{
        ?f a pkg:BudgetFrame ; pkg:committee ?c ; pkg:year ?y ; pkg:statedIn ?p . {" ".join(where)} }}"""
    iris = ordered_after(store, select, frame_key, after, limit + 1)
    if not iris:
        return []
    rows = store.select(f"""SELECT ?f ?p ?title ?c ?clabel ?y ?amount ?quote ?line WHERE {{
        VALUES ?f {{ {iri_list(iris)} }}
        ?f pkg:statedIn ?p ; pkg:committee ?c ; pkg:year ?y ; pkg:amount ?amount ;
           pkg:quote ?quote ; pkg:sourceLine ?line .
        ?p dcterms:title ?title . ?c rdfs:label ?clabel }}""")
    found = {r["f"].value: frame_row(r) for r in rows}
    return [found[i] for i in iris if i in found]


def frame_key(r: dict) -> tuple:
    return r["c"].value, int(r["y"].value), r["p"].value, r["f"].value


def frame_row(r: dict) -> dict:
    return {
        **ref(r["f"].value, f"{r['clabel'].value} {r['y'].value}"),
        "proposal": ref(r["p"].value, r["title"].value),
        "committee": ref(r["c"].value, r["clabel"].value),
        "year": int(r["y"].value),
        "amount_msek": value(r["amount"]),
        "evidence": {"quote": r["quote"].value, "line": value(r["line"])},
    }
