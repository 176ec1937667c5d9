"""Derived statements in the inferred graphs, one per region, recomputed for the regions a load or removal touches.

- pkg:conflictsWith (symmetric, both directions written): two stances of different actors in the same region that
  point in opposite directions on the same target (supports vs opposes; a derived stance stands for its measure, so
  funds vs cuts and reopens vs closes are covered, and two conflicting measures are linked as well). Actors whose
  member parties overlap do not conflict with each other.
- pkg:changedStance (earlier → later): two stances of the same party on the same target in the same region, in
  proposals of different periods, with opposite polarity.

Both relations stay inside one region, so each region's inferred graph (graph/inferred/<region>) is computed from
that region's stances alone: memory is bounded by the largest region, and a load recomputes only its own region.
Stances are grouped into positions (proposal, holder parties, target, polarity) and each pair of
positions is linked once, through one representative stance per side (stated or reported before derived, a
sentence naming the target itself before a collective reference, then the earliest line).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox

from ontology.terms import PKG, entity_iri, graph_iri, inferred_graph, is_inferred_graph

LEXICON = Path(__file__).resolve().parents[1] / "loaders" / "lexicon" / "stances.toml"

OPPOSITE = {PKG + "Supports": PKG + "Opposes", PKG + "Opposes": PKG + "Supports"}

# Narrow queries joined in Python: one wide query with holders and memberships multiplies rows (a coalition's
# members are stated in every proposal graph that names it, and the default graph is the union of them all).
# Stances and holders are read from each proposal's own graph (twice as fast as the union at 2M triples);
# {graph} is that graph, {region} a region's IRI, {groups} the holders found there.
STANCES = """SELECT ?s ?about ?pol ?kind ?line ?quote ?measure WHERE {{ GRAPH <{graph}> {{
  ?s a pkg:Stance ; pkg:about ?about ; pkg:polarity ?pol ; pkg:stanceKind ?kind ; pkg:sourceLine ?line ;
     pkg:quote ?quote .
  OPTIONAL {{ ?s pkg:derivedFrom ?measure }} }} }}"""
HOLDERS = "SELECT ?s ?h WHERE {{ GRAPH <{graph}> {{ ?s a pkg:Stance ; pkg:holder ?h }} }}"
MEMBERS = "SELECT DISTINCT ?g ?member WHERE {{ VALUES ?g {{ {groups} }} ?g org:hasMember ?member }}"
PROPOSALS = """SELECT DISTINCT ?p ?start WHERE {{ ?p a pkg:Proposal ; pkg:region <{region}> .
  OPTIONAL {{ ?p pkg:periodStart ?start }} }}"""
REGIONS = "SELECT DISTINCT ?region WHERE { ?p a pkg:Proposal ; pkg:region ?region }"


@dataclass
class StanceRow:
    iri: str
    about: str
    polarity: str
    kind: str
    proposal: str
    region: str
    start: int | None
    line: int
    quote: str
    parties: set[str] = field(default_factory=set)
    measure: str = ""
    siblings: int = 1  # targets named by the same sentence: several means a collective reference or a list
    beside_report: bool = False  # the authors' own view in a sentence that reports someone else's

    def rank(self) -> tuple:
        return (self.kind == "derived", self.beside_report, self.siblings > 1, self.line, self.iri)


def load_stances(store, region: str) -> list[StanceRow]:
    """A region's stances with their holders expanded to parties (a coalition or majority → its members)."""
    proposals = {r["p"].value: r for r in store.select(PROPOSALS.format(region=region))}
    graphs = {p: graph_iri(p.rsplit("/", 1)[1]) for p in proposals}
    held = {(r["s"].value, r["h"].value) for g in graphs.values() for r in store.select(HOLDERS.format(graph=g))}
    members: dict[str, set[str]] = defaultdict(set)
    if held:
        groups = " ".join(f"<{h}>" for h in sorted({h for _, h in held}))
        for r in store.select(MEMBERS.format(groups=groups)):
            members[r["g"].value].add(r["member"].value)
    holders: dict[str, set[str]] = defaultdict(set)
    for stance, holder in held:
        holders[stance] |= members.get(holder) or {holder}
    by_iri: dict[str, StanceRow] = {}
    for proposal, graph in graphs.items():
        start = proposals[proposal].get("start")
        for r in store.select(STANCES.format(graph=graph)):
            iri = r["s"].value
            if iri in by_iri:
                continue
            by_iri[iri] = StanceRow(
                iri,
                r["about"].value,
                r["pol"].value,
                r["kind"].value,
                proposal,
                region,
                int(start.value) if start else None,
                int(r["line"].value),
                r["quote"].value,
                parties=holders.get(iri, set()),
                measure=r["measure"].value if "measure" in r else "",
            )
    targets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in by_iri.values():
        targets[(row.proposal, row.quote)].add(row.about)
    reported = {(row.proposal, row.quote) for row in by_iri.values() if row.kind == "reported"}
    for row in by_iri.values():
        row.siblings = len(targets[(row.proposal, row.quote)])
        row.beside_report = row.kind == "stated" and (row.proposal, row.quote) in reported
    return list(by_iri.values())


@cache
def broad_targets() -> frozenset[str]:
    """Concepts too broad to contradict on (configured in loaders/lexicon/stances.toml)."""
    slugs = tomllib.loads(LEXICON.read_text("utf-8"))["conflicts"]["broad_concepts"]
    return frozenset(entity_iri("concept", s) for s in slugs)


def positions(rows: list[StanceRow]) -> dict[tuple, dict[tuple, StanceRow]]:
    """(region, target) → (proposal, parties, polarity) → representative stance."""
    out: dict[tuple, dict[tuple, StanceRow]] = defaultdict(dict)
    broad = broad_targets()
    for row in rows:
        if row.polarity not in OPPOSITE or row.about in broad:
            continue
        key = (row.proposal, frozenset(row.parties), row.polarity)
        group = out[(row.region, row.about)]
        if key not in group or row.rank() < group[key].rank():
            group[key] = row
    return out


def conflicts(groups) -> set[tuple[str, str]]:
    pairs = set()
    for group in groups.values():
        for (ka, a), (kb, b) in combinations(sorted(group.items(), key=lambda kv: kv[1].iri), 2):
            if OPPOSITE[a.polarity] != b.polarity or ka[1] & kb[1]:
                continue
            pairs.add((a.iri, b.iri))
            if a.measure and b.measure and a.kind == b.kind == "derived":
                pairs.add((a.measure, b.measure))
    return pairs


def changes(groups) -> set[tuple[str, str]]:
    pairs = set()
    for group in groups.values():
        for (ka, a), (kb, b) in combinations(group.items(), 2):
            if OPPOSITE[a.polarity] != b.polarity or not (ka[1] & kb[1]):
                continue
            if a.start is None or b.start is None or a.start == b.start:
                continue
            earlier, later = (a, b) if a.start < b.start else (b, a)
            pairs.add((earlier.iri, later.iri))
    return pairs


def inferred_quads(store, region: str) -> list[ox.Quad]:
    graph = ox.NamedNode(inferred_graph(region))
    groups = positions(load_stances(store, region))
    quads = []
    conflict = ox.NamedNode(PKG + "conflictsWith")
    for a, b in sorted(conflicts(groups)):
        quads.append(ox.Quad(ox.NamedNode(a), conflict, ox.NamedNode(b), graph))
        quads.append(ox.Quad(ox.NamedNode(b), conflict, ox.NamedNode(a), graph))
    changed = ox.NamedNode(PKG + "changedStance")
    for a, b in sorted(changes(groups)):
        quads.append(ox.Quad(ox.NamedNode(a), changed, ox.NamedNode(b), graph))
    return quads


def proposal_regions(store) -> set[str]:
    return {r["region"].value for r in store.select(REGIONS)}


def recompute_inferred(store, regions: set[str] | None = None) -> None:
    """Conflicts and stance changes of the given regions (all when None), each written over its own graph.

    Inferred graphs of regions that no longer have proposals (and the single pre-region graph) are dropped.
    """
    present = proposal_regions(store)
    for region in sorted(present if regions is None else regions & present):
        store.replace_graph(inferred_graph(region), inferred_quads(store, region))
        store.flush()  # one region's writes at a time in memory: at 2M triples the peak is 30 MB lower
    wanted = {inferred_graph(r) for r in present}
    for graph in store.graphs():
        if is_inferred_graph(graph) and graph not in wanted:
            store.drop_graph(graph)
