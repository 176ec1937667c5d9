"""Derived statements in the inferred graphs, one per region, recomputed for the regions a load or removal touches.

- pkg:conflictsWith (symmetric, both directions written): two stances of different actors in the same region that
  point in opposite directions on the same target (supports vs opposes; a derived stance stands for its measure, so
  funds vs cuts and reopens vs closes are covered, and two conflicting measures are linked as well). Actors whose
  member parties overlap do not conflict with each other. Each position meets, of every other actor, the opposite
  position(s) nearest in time: the same budget round when that actor has one, else its closest period (undated
  proposals meet undated ones).
- pkg:changedStance (earlier → later): a party's position on a target in one period and its opposite in the next
  period in which the party says anything about that target.
- org:hasMember and pkg:membersNamedIn for a majority a proposal speaks of without naming its parties, from
  another proposal of the same region and years (graph/majorities.py); its stances then count as those parties'.

Pairing by time keeps both relations linear in a region's history: a decade of proposals adds links per position,
not a pair of every proposal with every other (pairing all made 3.5M links at 1000× the bench corpus, ×108 of 100×).

Both relations stay inside one region, so each region's inferred graph (graph/inferred/<region>) is computed from
that region's stances alone: memory is bounded by the largest region, and a load recomputes only its own region.
Stances are grouped into positions (proposal, holder parties, target, polarity) and each pair of
positions is linked once, through one representative stance per side (stated or reported before derived, a
sentence naming the target itself before a collective reference, then the earliest line).
"""

from __future__ import annotations

import hashlib
import tomllib
from bisect import bisect_left
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox

from graph.majorities import majority_members, majority_quads
from loaders.version import source_digest
from ontology.terms import PKG, entity_iri, graph_iri, inferred_graph, iri_list, is_inferred_graph

LEXICON = Path(__file__).resolve().parents[1] / "loaders" / "lexicon" / "stances.toml"

# stated in each inferred graph: a store whose graphs another rule made recomputes them on the next load
INFERENCE_VERSION = source_digest(("graph/inference.py", "graph/majorities.py", "loaders/lexicon/stances.toml"))
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
VERSIONS = "SELECT ?g ?version WHERE { GRAPH ?g { ?g pkg:inferenceVersion ?version } }"
INPUTS = (
    "SELECT ?region ?g ?hash ?extractor WHERE { GRAPH ?g { ?p a pkg:Proposal ; pkg:region ?region "
    "OPTIONAL { ?p pkg:contentHash ?hash } OPTIONAL { ?p pkg:extractorVersion ?extractor } } }"
)


@dataclass(slots=True)
class StanceRow:
    iri: str
    about: str
    polarity: str
    kind: str
    proposal: str
    region: str
    start: int | None
    line: int
    parties: set[str] = field(default_factory=set)
    measure: str = ""
    siblings: int = 1  # targets named by the same sentence: several means a collective reference or a list
    beside_report: bool = False  # the authors' own view in a sentence that reports someone else's

    def rank(self) -> tuple:
        return (self.kind == "derived", self.beside_report, self.siblings > 1, self.line, self.iri)


def region_positions(store, region: str, members: dict[str, set[str]]) -> dict[tuple, dict[tuple, StanceRow]]:
    """A region's positions, read one proposal at a time: only the representatives are held, never every stance
    of the region (at 1000× the bench corpus a region has 43k stances and 9k positions). `members` (holder → its
    member parties, shared by the region's proposals) starts with what inference itself names."""
    out: dict[tuple, dict[tuple, StanceRow]] = defaultdict(dict)
    for r in store.select(PROPOSALS.format(region=region)):
        start = int(r["start"].value) if "start" in r else None
        positions(proposal_stances(store, r["p"].value, region, start, members), out)
    return out


def proposal_stances(store, proposal: str, region: str, start: int | None, members: dict) -> list[StanceRow]:
    """One proposal's stances with their holders expanded to parties (a coalition or majority → its members)."""
    graph = graph_iri(proposal.rsplit("/", 1)[1])
    held = [(r["s"].value, r["h"].value) for r in store.select(HOLDERS.format(graph=graph))]
    unknown = sorted({h for _, h in held} - members.keys())
    if unknown:
        members.update((h, set()) for h in unknown)
        for r in store.select(MEMBERS.format(groups=iri_list(unknown))):
            members[r["g"].value].add(r["member"].value)
    holders: dict[str, set[str]] = defaultdict(set)
    for stance, holder in held:
        holders[stance] |= members[holder] or {holder}
    by_iri: dict[str, StanceRow] = {}
    quotes: dict[str, str] = {}
    for r in store.select(STANCES.format(graph=graph)):
        iri = r["s"].value
        if iri not in by_iri:
            quotes[iri] = r["quote"].value
            by_iri[iri] = StanceRow(
                iri, r["about"].value, r["pol"].value, r["kind"].value, proposal, region, start,
                int(r["line"].value), parties=holders.get(iri, set()),
                measure=r["measure"].value if "measure" in r else "",
            )  # fmt: skip
    targets: dict[str, set[str]] = defaultdict(set)
    for iri, row in by_iri.items():
        targets[quotes[iri]].add(row.about)
    reported = {quotes[iri] for iri, row in by_iri.items() if row.kind == "reported"}
    for iri, row in by_iri.items():
        row.siblings = len(targets[quotes[iri]])
        row.beside_report = row.kind == "stated" and quotes[iri] in reported
    return list(by_iri.values())


@cache
def broad_targets() -> frozenset[str]:
    """Concepts too broad to contradict on (configured in loaders/lexicon/stances.toml)."""
    slugs = tomllib.loads(LEXICON.read_text("utf-8"))["conflicts"]["broad_concepts"]
    return frozenset(entity_iri("concept", s) for s in slugs)


def positions(rows: list[StanceRow], out: dict | None = None) -> dict[tuple, dict[tuple, StanceRow]]:
    """(region, target) → (proposal, parties, polarity) → representative stance, folded into out when given."""
    out = defaultdict(dict) if out is None else out
    broad = broad_targets()
    for row in rows:
        if row.polarity not in OPPOSITE or row.about in broad:
            continue
        key = (row.proposal, frozenset(row.parties), row.polarity)
        group = out[(row.region, row.about)]
        if key not in group or row.rank() < group[key].rank():
            group[key] = row
    return out


@dataclass(slots=True)
class Side:
    """One actor's positions on one target with one polarity, by period start (None: undated)."""

    parties: frozenset[str]
    by_start: dict[int | None, list[StanceRow]]
    dated: list[int]  # the starts in order

    def nearest(self, year: int | None) -> list[StanceRow]:
        """The positions closest in time to year (both neighbours on a tie); undated meets undated only."""
        if year is None:
            return self.by_start.get(None, [])
        i = bisect_left(self.dated, year)
        near = self.dated[max(i - 1, 0) : i + 1]
        best = min((abs(s - year) for s in near), default=None)
        return [row for s in near if abs(s - year) == best for row in self.by_start[s]]


def sides(group: dict[tuple, StanceRow]) -> dict[str, list[Side]]:
    """polarity → each actor's side of the target."""
    found: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
    for row in group.values():
        found[(frozenset(row.parties), row.polarity)][row.start].append(row)
    out: dict[str, list[Side]] = defaultdict(list)
    for (parties, polarity), by_start in found.items():
        out[polarity].append(Side(parties, dict(by_start), sorted(s for s in by_start if s is not None)))
    return out


def conflicts(groups) -> set[tuple[str, str]]:
    pairs = set()
    for group in groups.values():
        by_polarity = sides(group)
        for a in group.values():
            for side in by_polarity[OPPOSITE[a.polarity]]:
                if side.parties & a.parties:
                    continue
                for b in side.nearest(a.start):
                    pairs.add(tuple(sorted((a.iri, b.iri))))
                    if a.measure and b.measure and a.kind == b.kind == "derived":
                        pairs.add(tuple(sorted((a.measure, b.measure))))
    return pairs


def changes(groups) -> set[tuple[str, str]]:
    """Each party's positions on a target by period; a link wherever one period's polarity flips in the next."""
    pairs: set[tuple[str, str]] = set()
    for group in groups.values():
        rounds: dict[str, dict[int, list[StanceRow]]] = defaultdict(lambda: defaultdict(list))
        for row in group.values():
            if row.start is not None:
                for party in row.parties:
                    rounds[party][row.start].append(row)
        for by_start in rounds.values():
            starts = sorted(by_start)
            for earlier, later in pairwise(starts):
                for a in by_start[earlier]:
                    pairs.update((a.iri, b.iri) for b in by_start[later] if OPPOSITE[a.polarity] == b.polarity)
    return pairs


def inferred_quads(store, region: str, current: dict[str, str] | None = None) -> list[ox.Quad]:
    """A region's inferred graph; `current` is stamps(store) when the caller has it (it reads every proposal)."""
    graph = ox.NamedNode(inferred_graph(region))
    majorities = majority_members(store, region)
    groups = region_positions(store, region, {m: set(parties) for m, (parties, _) in majorities.items()})
    stamp = (stamps(store) if current is None else current).get(region, INFERENCE_VERSION)
    quads = [ox.Quad(graph, ox.NamedNode(PKG + "inferenceVersion"), ox.Literal(stamp), graph)]
    quads += majority_quads(majorities, graph)
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


def stamps(store) -> dict[str, str]:
    """Per region, what its inferred graph is made from: these rules' version and a digest of the region's proposals
    (graph, source bytes, extractor). A proposal written without the inference that should follow it (a load killed
    in between) changes the digest, so the next load recomputes that region."""
    inputs: dict[str, list[str]] = defaultdict(list)
    for row in store.select(INPUTS):
        terms = (row["g"], row.get("hash"), row.get("extractor"))
        inputs[row["region"].value].append(" ".join(t.value for t in terms if t))
    return {region: f"{INFERENCE_VERSION} {digest(rows)}" for region, rows in inputs.items()}


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]


def outdated_regions(store, present: set[str], current: dict[str, str]) -> set[str]:
    """Regions (of those present) whose inferred graph is missing or was made by other rules or other proposals
    (`current`: stamps(store))."""
    made = {r["g"].value: r["version"].value for r in store.select(VERSIONS)}
    return {region for region in present if made.get(inferred_graph(region)) != current.get(region)}


def recompute_inferred(store, regions: set[str] | None = None, threads: int = 1) -> None:
    """Conflicts and stance changes of the given regions (all when None), each written over its own graph, and of
    any region whose graph older rules or other proposals made, so every load heals those.

    `threads` regions are computed at a time (pyoxigraph runs their queries side by side: two threads take about
    two thirds of the time), then written one by one; no region reads another's inferred graph, so the result is the
    same. Inferred graphs of regions that no longer have proposals (and the single pre-region graph) are dropped.
    """
    present, current = proposal_regions(store), stamps(store)
    due = sorted(present if regions is None else (regions & present) | outdated_regions(store, present, current))
    width = max(threads, 1)
    with ThreadPoolExecutor(width) as pool:
        for start in range(0, len(due), width):
            batch = due[start : start + width]
            for region, quads in zip(batch, pool.map(lambda r: inferred_quads(store, r, current), batch), strict=True):
                store.replace_graph(inferred_graph(region), quads)
                store.flush()  # one region's writes at a time in memory: at 2M triples the peak is 30 MB lower
    wanted = {inferred_graph(r) for r in present}
    for graph in store.graphs():
        if is_inferred_graph(graph) and graph not in wanted:
            store.drop_graph(graph)
