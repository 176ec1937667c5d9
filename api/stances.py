"""Stance endpoints: who stands where, an actor's positions over time, conflicts and stance changes.

Stated, reported and derived stances are always returned apart (`kind`, and separate lists per proposal): a
reported stance is what a proposal's authors say another actor wants, with `reported_by` naming them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api.deps import resolve_given, resolve_kind, store
from api.pagination import decode, page
from graph import stance_queries as sq

router = APIRouter(prefix="/api", tags=["stances"])


def check_choice(name: str, given: str | None, allowed) -> None:
    if given and given not in allowed:
        raise HTTPException(422, f"unknown {name} {given!r}; use one of: {', '.join(allowed)}")


@router.get("/stances", summary="Stances about an entity or concept, by polarity and proposal; stated vs reported")
def stances(
    request: Request,
    about: str | None = None,
    actor: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    proposal: str | None = None,
    polarity: str | None = None,
    narrower: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> dict:
    """`about`: a hospital, service, place or concept id (with `narrower=true` also narrower concepts);
    `actor`: stances it holds itself or as a member of a coalition or majority; `kind`: stated | reported |
    derived."""
    check_choice("kind", kind, sq.KINDS)
    check_choice("polarity", polarity, ("supports", "opposes", "mixed"))
    ids = {
        "about": resolve_kind(request, about, "concept", "target"),
        "actor": resolve_kind(request, actor, "party", "actor"),
        "region": resolve_kind(request, region, "region", "region"),
        "proposal": resolve_kind(request, proposal, "proposal"),
    }
    filters = {**ids, "kind": kind, "polarity": polarity, "narrower": narrower}
    rows, truncated = sq.find_stances(store(request), limit, **filters)
    labels = sq.labels_for(store(request), {v for k, v in ids.items() if k != "proposal" and v})
    named = {k: sq.ref(v, labels.get(v)) for k, v in ids.items() if v}
    return {
        "filters": {k: named.get(k, v) for k, v in filters.items()},
        "count": len(rows),
        "truncated": truncated,
        "kinds": {k: sum(1 for r in rows if r["kind"] == k) for k in sq.KINDS},
        "by_polarity": sq.group_by_polarity(rows),
    }


@router.get("/actors/{actor_id:path}/positions", summary="An actor's positions across proposals and years")
def positions(
    request: Request,
    actor_id: str,
    about: str | None = None,
    kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 2000,
) -> dict:
    """Stances the actor holds (itself or through a coalition or majority it belongs to), per proposal by period,
    and per target a timeline of its polarity; reported stances are what others say about it."""
    check_choice("kind", kind, sq.KINDS)
    actor = resolve_given(request, actor_id, "actor", kind="party")
    rows, truncated = sq.find_stances(
        store(request), limit, actor=actor, about=resolve_kind(request, about, "concept", "target"), kind=kind
    )
    return {
        "actor": sq.ref(actor, sq.labels_for(store(request), {actor}).get(actor)),
        "count": len(rows),
        "truncated": truncated,
        "kinds": {k: sum(1 for r in rows if r["kind"] == k) for k in sq.KINDS},
        "proposals": sq.group_by_proposal(rows),
        "timeline": sq.timeline(rows),
    }


@router.get("/conflicts", summary="Contradicting stances of different actors in a region, both sides quoted")
def conflicts(
    request: Request,
    region: str | None = None,
    target: str | None = None,
    actor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict:
    """Pairs linked by pkg:conflictsWith in the regions' inferred graphs (recomputed on load and removal). Each side
    is one stance with its kind, holders, proposal, quote and line, plus `also`: more quotes of that position."""
    rows = sq.conflicts(
        store(request),
        region=resolve_kind(request, region, "region", "region"),
        target=resolve_kind(request, target, "concept", "target"),
        actor=resolve_kind(request, actor, "party", "actor"),
        limit=limit,
        after=decode(cursor),
    )
    return page(rows, limit, key="key")


@router.get("/stance-changes", summary="Parties whose stance on a target changed between proposal periods")
def stance_changes(
    request: Request,
    actor: str | None = None,
    target: str | None = None,
    region: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict:
    """pkg:changedStance pairs (earlier → later) with the parties that hold both stances."""
    rows = sq.changes(
        store(request),
        actor=resolve_kind(request, actor, "party", "actor"),
        target=resolve_kind(request, target, "concept", "target"),
        region=resolve_kind(request, region, "region", "region"),
        limit=limit,
        after=decode(cursor),
    )
    return page(rows, limit, key="key")
