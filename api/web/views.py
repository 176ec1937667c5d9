"""The data behind each entity page: plain dicts (the page's JSON twin) composed from the graph layer's queries."""

from __future__ import annotations

from collections import defaultdict

from graph import explorer_queries as eq
from graph import measure_queries, queries
from graph import stance_queries as sq

MOST = 5000  # rows per listing on one page: every measure of the largest bundled proposal fits
ACTOR_TYPES = {"Party", "Coalition", "Majority", "Person"}
TARGET_TYPES = {"Hospital", "Service", "Committee", "Concept"}


def entity_view(store, iri: str) -> tuple[str, dict]:
    """(template, data) for any entity: the page its most specific type has, else the generic description."""
    types = set(eq.types_of(store, iri))
    for names, build in (
        ({"Proposal"}, proposal_view),
        ({"Measure"}, measure_view),
        ({"Goal"}, goal_view),
        (ACTOR_TYPES, actor_view),
        (TARGET_TYPES, target_view),
    ):
        if types & names:
            template, data = build(store, iri)
            return template, {**data, "types": sorted(types)}
    return "entity.html", {"entity": queries.describe(store, iri)}


def measures_of(store, **filters) -> list[dict]:
    return measure_queries.list_measures(store, MOST, None, **filters)[:MOST]


def proposal_view(store, iri: str) -> tuple[str, dict]:
    """Metadata, the goal tree with the measures serving each goal, measures without a goal, frames."""
    measures = measures_of(store, proposal=iri)
    goals = queries.goal_page(store, MOST, None, iri)
    frames = queries.frame_page(store, MOST, None, proposal=iri)
    return "proposal.html", {
        "proposal": queries.list_proposals(store, [iri])[0],
        "goals": goal_tree(goals, eq.goal_parents(store, iri), measures),
        "unlinked_measures": [m for m in measures if not m["goal"]],
        "frames": frames,
    }


def goal_tree(goals: list[dict], parents: dict[str, str], measures: list[dict]) -> list[dict]:
    """Goals nested under their parent goal, each with the full rows of the measures serving it."""
    serving = defaultdict(list)
    for m in measures:
        if m["goal"]:
            serving[m["goal"]["iri"]].append(m)
    nodes = {g["iri"]: {**g, "measures": serving[g["iri"]], "children": []} for g in goals}
    roots: list[dict] = []
    for g in goals:
        parent = nodes.get(parents.get(g["iri"], ""))
        (parent["children"] if parent else roots).append(nodes[g["iri"]])
    return roots


def actor_view(store, iri: str) -> tuple[str, dict]:
    """An actor's proposals over time, positions per target, stance changes and conflicts."""
    authored = eq.proposals_by(store, queries.actor_and_groups(store, iri))
    proposals = queries.list_proposals(store, authored) if authored else []
    stances, truncated = sq.find_stances(store, MOST, actor=iri)
    return "actor.html", {
        "actor": entity_ref(store, iri),
        "members": eq.related(store, iri, "org:hasMember"),
        "member_of": eq.related(store, iri, "org:hasMember", inverse=True),
        "proposals": sorted(proposals, key=lambda p: (p["period"] or [0])[0]),
        "kinds": {k: sum(1 for s in stances if s["kind"] == k) for k in sq.KINDS},
        "stances_truncated": truncated,
        "timeline": sq.timeline(stances),
        "changes": sq.changes(store, actor=iri, limit=100)[:100],
        "conflicts": sq.conflicts(store, actor=iri, limit=100)[:100],
    }


def target_view(store, iri: str) -> tuple[str, dict]:
    """Who funds, cuts, closes, reopens or investigates a hospital, service, committee or concept; its stances."""
    committee = "Committee" in eq.types_of(store, iri)
    measures = measures_of(store, committee=iri) if committee else measures_of(store, target=iri)
    stances, truncated = sq.find_stances(store, MOST, about=iri)
    return "target.html", {
        "entity": entity_ref(store, iri),
        "region": next(iter(eq.related(store, iri, "pkg:inRegion")), None),
        "category": eq.related(store, iri, "pkg:category"),
        "by_relation": by_relation(measures, proposal_refs(store, {m["proposal"]["iri"] for m in measures})),
        "measures": measures,
        "frames": queries.frame_page(store, MOST, None, committee=iri) if committee else [],
        "stances": sq.group_by_polarity(stances),
        "stances_truncated": truncated,
        "conflicts": sq.conflicts(store, target=iri, limit=100)[:100],
    }


def by_relation(measures: list[dict], proposals: dict[str, dict]) -> list[dict]:
    """Per relation and proposal: who proposes it, how many measures and their signed sum ("who does what"); a part
    of another measure's sum (pkg:partOf) counts as a measure but not again in the sum."""
    groups: dict[tuple, dict] = {}
    for m in measures:
        key = (m["relation"] or "affects", m["proposal"]["iri"])
        group = groups.setdefault(
            key, {"relation": key[0], "proposal": proposals[key[1]], "actors": {}, "measures": 0, "msek": None}
        )
        group["measures"] += 1
        group["actors"].update((a["iri"], a) for a in m["actors"])
        if m["amount_msek"] is not None and not m.get("part_of"):
            group["msek"] = round((group["msek"] or 0) + m["amount_msek"], 3)
    rows = [{**g, "actors": sorted(g["actors"].values(), key=lambda a: a["iri"])} for g in groups.values()]
    return sorted(rows, key=lambda g: (g["relation"], g["proposal"]["iri"]))


def measure_view(store, iri: str) -> tuple[str, dict]:
    found = measure_queries.measure_details(store, [iri])
    return "measure.html", {"measure": found[0] if found else queries.describe(store, iri)}


def goal_view(store, iri: str) -> tuple[str, dict]:
    facts = eq.goal_facts(store, iri) or {}
    parent = facts.get("parent")
    return "goal.html", {
        "goal": {**entity_ref(store, iri), "level": facts.get("level"), "line": facts.get("line")},
        "proposal": proposal_ref(store, facts["proposal"]) if facts.get("proposal") else None,
        "parent": entity_ref(store, parent) if parent else None,
        "subgoals": eq.related(store, iri, "pkg:parentGoal", inverse=True),
        "measures": measures_of(store, goal=iri),
    }


def entity_ref(store, iri: str) -> dict:
    return queries.ref(iri, queries.labels_for(store, [iri]).get(iri))


def proposal_ref(store, iri: str) -> dict:
    """A proposal's link with its title, region and period (proposals carry a title, not a label)."""
    return proposal_refs(store, {iri}).get(iri) or queries.ref(iri, None)


def proposal_refs(store, iris: set[str]) -> dict[str, dict]:
    found = queries.list_proposals(store, sorted(iris)) if iris else []
    return {p["iri"]: {k: p[k] for k in ("id", "iri", "label", "region", "period")} for p in found}
