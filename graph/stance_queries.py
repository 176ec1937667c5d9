"""Read queries for stances, conflicts and stance changes; plain dicts for the JSON API.

Every stance says how it is known (`kind`: stated, reported or derived), who holds it, who reports it (for
reported stances), the measure it is derived from (for derived ones), and its quote and line. Answers group by
polarity and proposal and keep the kinds apart, so a reported stance is never presented as the holder's own words.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph.document_order import in_document_order, one_of
from graph.queries import actor_and_groups, labels_for, one_value, ref, value
from ontology.terms import PKG, iri_list

POLARITIES = {PKG + "Supports": "supports", PKG + "Opposes": "opposes", PKG + "Mixed": "mixed"}
POLARITY_IRI = {v: k for k, v in POLARITIES.items()}
KINDS = ("stated", "reported", "derived")


def holder_filter(actor: str, var: str = "?s") -> str:
    """The actor holds the stance itself, or is a member of the coalition or majority that holds it."""
    group = f"{var}_group"  # one per stance variable: two filters in one query must not share it
    groups = f"{{ SELECT DISTINCT {group} WHERE {{ {group} org:hasMember <{actor}> }} }}"  # the few groups first
    return f"{{ {var} pkg:holder <{actor}> }} UNION {{ {groups} {var} pkg:holder {group} }}"


def stance_patterns(
    store, about=None, actor=None, kind=None, region=None, proposal=None, polarity=None, narrower=False
) -> list[str]:
    """Patterns binding ?s inside its proposal's graph, the most selective first. Sets that other graphs define
    (the concepts narrower than `about`, the coalitions an actor belongs to) are looked up first; holder, about,
    polarity and kind only describe stances (their rdfs:domain), so the type is only asked for without them."""
    parts = []
    if about:
        parts.append(one_of("?s", "pkg:about", narrower_concepts(store, about) if narrower else [about], True))
    if proposal:
        parts.append(f"?s pkg:statedIn <{proposal}> .")
    if region:
        parts.append(f"?s pkg:statedIn ?p . ?p pkg:region <{region}> .")
    if actor:
        parts.append(one_of("?s", "pkg:holder", actor_and_groups(store, actor), leading=not parts))
    if kind:
        parts.append(f'?s pkg:stanceKind "{kind}" .')
    if polarity:
        parts.append(f"?s pkg:polarity <{POLARITY_IRI[polarity]}> .")
    if not (about or actor or kind or polarity):
        parts[:1] = [" ".join([*parts[:1], "?s a pkg:Stance ."])]
    return parts


def narrower_concepts(store, concept: str) -> list[str]:
    return [r["c"].value for r in store.select(f"SELECT DISTINCT ?c WHERE {{ ?c skos:broader* <{concept}> }}")]


# no `?s a pkg:Stance` here: with it Oxigraph starts from every stance instead of the listed ones (10 s for 2,000)
STANCE_SELECT = """SELECT ?s ?about ?pol ?kind ?p ?line ?quote (SAMPLE(?m) AS ?measure) WHERE {{
  VALUES ?s {{ {stances} }}
  ?s pkg:about ?about ; pkg:polarity ?pol ; pkg:stanceKind ?kind ; pkg:statedIn ?p ;
     pkg:sourceLine ?line ; pkg:quote ?quote .
  OPTIONAL {{ ?s pkg:derivedFrom ?m }} }} GROUP BY ?s ?about ?pol ?kind ?p ?line ?quote"""


def find_stances(store, limit: int = 1000, **filters) -> tuple[list[dict], bool]:
    """Stances matching the filters in document order (proposal, line), with holders, reporters, proposal and
    target; (rows, truncated). The page is cut in graph.document_order, then described in batched queries."""
    page = in_document_order(store, "?s", stance_patterns(store, **filters), None, limit + 1)
    details = stances_by_iri(store, page[:limit])
    return [details[iri] for iri in page[:limit] if iri in details], len(page) > limit


def stances_by_iri(store, iris: list[str]) -> dict[str, dict]:
    if not iris:
        return {}
    return {s["iri"]: s for s in describe_stances(store, store.select(STANCE_SELECT.format(stances=iri_list(iris))))}


def describe_stances(store, rows: list[dict]) -> list[dict]:
    """Rows of STANCE_SELECT → stance dicts, fetching actors, proposals and labels in three batched queries."""
    if not rows:
        return []
    stances = [r["s"].value for r in rows]
    actors = stance_actors(store, stances)
    proposals = proposal_info(store, {r["p"].value for r in rows})
    labels = labels_for(
        store, set(stances) | {r["about"].value for r in rows} | {r["measure"].value for r in rows if "measure" in r}
    )
    out = []
    for r in rows:
        iri = r["s"].value
        about = r["about"].value
        measure = r["measure"].value if "measure" in r else None
        out.append(
            {
                **ref(iri, labels.get(iri)),
                "kind": r["kind"].value,
                "polarity": POLARITIES.get(r["pol"].value, r["pol"].value),
                "about": ref(about, labels.get(about)),
                "holders": actors[iri]["holder"],
                "reported_by": actors[iri]["reportedBy"],
                "derived_from": ref(measure, labels.get(measure)) if measure else None,
                "proposal": proposals.get(r["p"].value, ref(r["p"].value, None)),
                "quote": r["quote"].value,
                "line": value(r["line"]),
            }
        )
    return out


def stance_actors(store, stances: list[str]) -> dict[str, dict[str, list[dict]]]:
    """Holders and reporters of each stance; each actor described once (a coalition is described in every
    proposal that names it, so joining its label and type per stance multiplies rows by those graphs)."""
    rows = store.select(f"""
      SELECT DISTINCT ?s ?rel ?a WHERE {{
        VALUES ?s {{ {iri_list(stances)} }}
        {{ ?s pkg:holder ?a BIND("holder" AS ?rel) }} UNION {{ ?s pkg:reportedBy ?a BIND("reportedBy" AS ?rel) }}
      }} ORDER BY ?s ?rel ?a""")
    actors = {r["a"].value for r in rows}
    labels, notations = labels_for(store, actors), one_value(store, actors, "skos:notation")
    kinds = one_value(store, actors, "a", "VALUES ?v { pkg:Party pkg:Coalition pkg:Majority pkg:Person }")
    members = actor_members(store, actors)
    out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"holder": [], "reportedBy": []})
    for r in rows:
        a = r["a"].value
        actor = {
            **ref(a, labels.get(a)),
            "notation": notations.get(a),
            "type": kinds[a][len(PKG) :] if a in kinds else None,
        }
        if members.get(a):
            actor["members"] = members[a]
        out[r["s"].value][r["rel"].value].append(actor)
    return out


def actor_members(store, actors: set[str]) -> dict[str, list[dict]]:
    if not actors:
        return {}
    rows = store.select(f"""
      SELECT ?a ?m (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?notation) WHERE {{
        VALUES ?a {{ {iri_list(actors)} }} ?a org:hasMember ?m .
        OPTIONAL {{ ?m rdfs:label ?l }} OPTIONAL {{ ?m skos:notation ?n }}
      }} GROUP BY ?a ?m ORDER BY ?a ?m""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["a"].value].append({**ref(r["m"].value, value(r.get("label"))), "notation": value(r.get("notation"))})
    return out


def proposal_info(store, proposals: set[str]) -> dict[str, dict]:
    rows = store.select(f"""
      SELECT ?p (SAMPLE(?t) AS ?title) (SAMPLE(?st) AS ?start) (SAMPLE(?en) AS ?end) (SAMPLE(?r) AS ?region)
             (SAMPLE(?rl) AS ?regionLabel) WHERE {{
        VALUES ?p {{ {iri_list(proposals)} }} ?p dcterms:title ?t .
        OPTIONAL {{ ?p pkg:periodStart ?st ; pkg:periodEnd ?en }}
        OPTIONAL {{ ?p pkg:region ?r . ?r rdfs:label ?rl }}
      }} GROUP BY ?p""")
    return {
        r["p"].value: {
            **ref(r["p"].value, r["title"].value),
            "period": [int(r["start"].value), int(r["end"].value)] if "start" in r and "end" in r else None,
            "region": ref(r["region"].value, value(r.get("regionLabel"))) if "region" in r else None,
        }
        for r in rows
    }


# --- grouping ----------------------------------------------------------------------------------------------


def period_key(proposal: dict) -> tuple:
    return (proposal["period"] or [0])[0], proposal["id"] or proposal["iri"]


def group_by_polarity(stances: list[dict]) -> list[dict]:
    """[{polarity, count, proposals: [{proposal, stated, reported, derived}]}], proposals by period."""
    out = []
    for polarity in ("supports", "opposes", "mixed"):
        chosen = [s for s in stances if s["polarity"] == polarity]
        if chosen:
            out.append({"polarity": polarity, "count": len(chosen), "proposals": group_by_proposal(chosen)})
    return out


def group_by_proposal(stances: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for stance in stances:
        proposal = stance["proposal"]
        group = groups.setdefault(proposal["iri"], {"proposal": proposal, **{k: [] for k in KINDS}})
        group[stance["kind"]].append({k: v for k, v in stance.items() if k != "proposal"})
    for group in groups.values():
        for kind in KINDS:
            group[kind].sort(key=lambda s: (s["line"], s["about"]["iri"]))
    return sorted(groups.values(), key=lambda g: period_key(g["proposal"]))


def timeline(stances: list[dict]) -> list[dict]:
    """Per target: the polarity in each proposal (by period), one entry per proposal and kind."""
    per: dict[str, dict] = {}
    for s in stances:
        entry = per.setdefault(s["about"]["iri"], {"about": s["about"], "positions": {}})
        key = (s["proposal"]["iri"], s["kind"])
        entry["positions"].setdefault(key, {"proposal": s["proposal"], "kind": s["kind"], "polarity": set(), "n": 0})
        entry["positions"][key]["polarity"].add(s["polarity"])
        entry["positions"][key]["n"] += 1
    out = []
    for entry in per.values():
        positions = [
            {
                "year": (p["proposal"]["period"] or [None])[0],
                "proposal": p["proposal"],
                "kind": p["kind"],
                "polarity": next(iter(p["polarity"])) if len(p["polarity"]) == 1 else "mixed",
                "stances": p["n"],
            }
            for p in sorted(entry["positions"].values(), key=lambda p: (period_key(p["proposal"]), p["kind"]))
        ]
        out.append({"about": entry["about"], "positions": positions})
    return sorted(out, key=lambda e: (-len(e["positions"]), e["about"]["label"] or ""))


# --- conflicts and changes ---------------------------------------------------------------------------------


def pair_filters(region=None, target=None, actor=None) -> str:
    parts = []
    if region:
        parts.append(f"?a pkg:statedIn ?pa . ?pa pkg:region <{region}> .")
    if target:
        parts.append(f"?a pkg:about <{target}> .")
    if actor:
        parts.append(f"{{ {holder_filter(actor, '?a')} }} UNION {{ {holder_filter(actor, '?b')} }}")
    return "\n".join(parts)


def pair_keyset(after: str | None) -> str:
    """Keyset pagination over (?a, ?b) pairs; the cursor is "a b" of the last pair seen."""
    if not after:
        return ""
    first, _, second = after.partition(" ")
    a, b = str(ox.Literal(first)), str(ox.Literal(second))  # quoted and escaped: a cursor is user input
    return f"FILTER(STR(?a) > {a} || (STR(?a) = {a} && STR(?b) > {b}))"


def conflicts(store, region=None, target=None, actor=None, limit=100, after=None) -> list[dict]:
    """Stance pairs linked by pkg:conflictsWith (each pair once), both sides with quotes."""
    rows = store.select(f"""
      SELECT DISTINCT ?a ?b WHERE {{
        ?a pkg:conflictsWith ?b .
        ?a a pkg:Stance . ?b a pkg:Stance . FILTER(STR(?a) < STR(?b)) {pair_filters(region, target, actor)}
        {pair_keyset(after)}
      }} ORDER BY ?a ?b LIMIT {limit + 1}""")
    pairs = [(r["a"].value, r["b"].value) for r in rows]
    details = stances_by_iri(store, [x for pair in pairs for x in pair])
    supported = {s["iri"]: s for s in with_support(store, list(details.values()))}
    out = []
    for a, b in pairs:
        sides = sorted((supported[a], supported[b]), key=lambda s: (s["polarity"], period_key(s["proposal"])))
        out.append(
            {
                "key": f"{a} {b}",
                "about": sides[0]["about"],
                "region": sides[0]["proposal"]["region"],
                "sides": sides,
            }
        )
    return out


def with_support(store, stances: list[dict], most: int = 5) -> list[dict]:
    """Sides of conflicts: each stance plus `also`, up to `most` other quotes of the same position (same proposal,
    target and polarity, held by at least the same holders), in line order. One query for every side: the other
    stances share the side's proposal graph; one query a side took 5.5 ms each, 0.56 s a page at 1M triples."""
    if not stances:
        return []
    rows = store.select(f"""
      SELECT DISTINCT ?x ?o ?line ?quote ?kind WHERE {{
        VALUES ?x {{ {iri_list(s["iri"] for s in stances)} }}
        GRAPH ?g {{ ?x pkg:about ?about ; pkg:polarity ?pol .
          ?o pkg:about ?about ; pkg:polarity ?pol ; pkg:stanceKind ?kind ; pkg:sourceLine ?line ; pkg:quote ?quote }}
        FILTER(?o != ?x) }}""")
    holders = defaultdict(set)
    involved = {s["iri"] for s in stances} | {r["o"].value for r in rows}
    for r in store.select(f"SELECT DISTINCT ?o ?h WHERE {{ VALUES ?o {{ {iri_list(involved)} }} ?o pkg:holder ?h }}"):
        holders[r["o"].value].add(r["h"].value)
    also: dict[str, list[dict]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (int(r["line"].value), r["o"].value)):
        x, o = r["x"].value, r["o"].value
        if holders[o] >= holders[x] and len(also[x]) < most:
            also[x].append(
                {"id": ref(o, None)["id"], "kind": r["kind"].value, "line": value(r["line"]), "quote": r["quote"].value}
            )
    return [{**s, "also": also[s["iri"]]} for s in stances]


def changes(store, actor=None, target=None, region=None, limit=100, after=None) -> list[dict]:
    """pkg:changedStance pairs (earlier → later) with the parties that hold both; the actor must hold both."""
    held = f"{{ {holder_filter(actor, '?a')} }} {{ {holder_filter(actor, '?b')} }}" if actor else ""
    rows = store.select(f"""
      SELECT DISTINCT ?a ?b WHERE {{
        ?a pkg:changedStance ?b . {pair_filters(region, target, None)} {held} {pair_keyset(after)}
      }} ORDER BY ?a ?b LIMIT {limit + 1}""")
    pairs = [(r["a"].value, r["b"].value) for r in rows]
    details = stances_by_iri(store, [x for pair in pairs for x in pair])
    out = []
    for a, b in pairs:
        earlier, later = details[a], details[b]
        out.append(
            {
                "key": f"{a} {b}",
                "parties": [p for p in parties_of(earlier) if p["iri"] in {q["iri"] for q in parties_of(later)}],
                "about": earlier["about"],
                "region": earlier["proposal"]["region"],
                "earlier": earlier,
                "later": later,
            }
        )
    return out


def parties_of(stance: dict) -> list[dict]:
    """The parties behind a stance's holders (a coalition's or majority's members, or the party itself)."""
    out = {}
    for holder in stance["holders"]:
        for party in holder.get("members") or [holder]:
            out[party["iri"]] = party
    return list(out.values())
