"""A majority that a proposal speaks of without naming its parties, named from another proposal of the same region
and years: written into the region's inferred graph (graph/inference.py) with the proposal that names them.

Two sources, in this order:
- another proposal whose majority of overlapping years is named ("den styrande majoriteten (S, V, MP)"), when all
  such proposals name the same parties;
- else the one plan of overlapping years written by parties that speaks of no majority besides itself (the
  majority's own plan: an opposition plan speaks of the majority it opposes), when its authors are not the speaker's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ontology.terms import ORG, PKG, iri_list

PROPOSALS = """SELECT ?p ?start ?end WHERE {{ ?p a pkg:Proposal ; pkg:region <{region}> ;
  pkg:periodStart ?start ; pkg:periodEnd ?end }}"""
# the parties among each proposal's authors: a party itself, or a coalition's members
AUTHORS = """SELECT DISTINCT ?p ?party WHERE {{ VALUES ?p {{ {proposals} }} ?p dcterms:creator ?a .
  {{ ?a a pkg:Party BIND(?a AS ?party) }} UNION {{ ?a org:hasMember ?party . ?party a pkg:Party }} }}"""
MAJORITIES = """SELECT ?p ?m ?member WHERE {{ VALUES ?p {{ {proposals} }} GRAPH ?g {{ ?p a pkg:Proposal .
  ?m a pkg:Majority . OPTIONAL {{ ?m org:hasMember ?member }} }} }}"""


@dataclass
class Plan:
    """A proposal of the region, as far as naming majorities goes."""

    iri: str
    start: int
    end: int
    authors: set[str] = field(default_factory=set)  # party IRIs
    majority: str = ""  # the pkg:Majority it speaks of, if any
    members: set[str] = field(default_factory=set)  # the parties it names for that majority

    def overlaps(self, other: Plan) -> bool:
        return self.iri != other.iri and self.start <= other.end and other.start <= self.end


def region_plans(store, region: str) -> list[Plan]:
    plans = {
        r["p"].value: Plan(r["p"].value, int(r["start"].value), int(r["end"].value))
        for r in store.select(PROPOSALS.format(region=region))
    }
    if not plans:
        return []
    for r in store.select(AUTHORS.format(proposals=iri_list(plans))):
        plans[r["p"].value].authors.add(r["party"].value)
    for r in store.select(MAJORITIES.format(proposals=iri_list(plans))):
        plan = plans[r["p"].value]
        plan.majority = r["m"].value
        if "member" in r:
            plan.members.add(r["member"].value)
    return sorted(plans.values(), key=lambda p: p.iri)


def named_by(plan: Plan, plans: list[Plan]) -> tuple[set[str], str] | None:
    """The parties of `plan`'s unnamed majority and the proposal that names them, when exactly one answer is found."""
    others = [p for p in plans if p.overlaps(plan)]
    naming = [p for p in others if p.members]
    if naming:
        answers = {frozenset(p.members) for p in naming}
        return (set(naming[0].members), naming[0].iri) if len(answers) == 1 else None
    own = [p for p in others if p.authors and not p.majority and not p.authors & plan.authors]
    return (set(own[0].authors), own[0].iri) if len(own) == 1 else None


def majority_members(store, region: str) -> dict[str, tuple[set[str], str]]:
    """Every unnamed majority of the region's proposals → (its parties, the proposal naming them), or (empty, "")
    when no other proposal names them."""
    plans = region_plans(store, region)
    return {p.majority: named_by(p, plans) or (set(), "") for p in plans if p.majority and not p.members}


def majority_quads(links: dict[str, tuple[set[str], str]], graph: ox.NamedNode) -> list[ox.Quad]:
    has_member, named_in = ox.NamedNode(ORG + "hasMember"), ox.NamedNode(PKG + "membersNamedIn")
    quads = []
    for majority, (members, evidence) in sorted(links.items()):
        if not members:
            continue
        subject = ox.NamedNode(majority)
        quads += [ox.Quad(subject, has_member, ox.NamedNode(m), graph) for m in sorted(members)]
        quads.append(ox.Quad(subject, named_in, ox.NamedNode(evidence), graph))
    return quads
