"""Comparison, conflict and stance-change pages, each with its JSON twin (`.json` or Accept) and CSV table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import stances
from api.deps import resolve_given, store
from api.web.render import form_of, page
from api.web.views import proposal_ref
from graph import explorer_queries as eq
from graph import queries

router = APIRouter(include_in_schema=False)


def compare_data(request: Request, slugs: list[str]) -> dict:
    """Signed amounts per committee and per service for each proposal, side by side, with the bar scale."""
    iris = [resolve_given(request, s, "proposal", kind="proposal") for s in dict.fromkeys(slugs)]
    chosen = [proposal_ref(store(request), i) for i in iris]
    tables = {by: eq.amounts(store(request), iris, by) for by in ("committee", "target")} if iris else {}
    biggest = max((abs(v["msek"]) for rows in tables.values() for r in rows for v in r["values"].values()), default=0)
    return {
        "proposals": chosen,
        "per_committee": tables.get("committee", []),
        "per_service": tables.get("target", []),
        "scale_msek": biggest,
        "available": [proposal_ref(store(request), p["iri"]) for p in queries.list_proposals(store(request))],
    }


def compare_table(data: dict) -> list[dict]:
    return [
        {
            "by": by,
            "key": row["key"]["id"],
            "label": row["key"]["label"],
            "proposal": p["id"],
            **row["values"].get(p["iri"], {"msek": None, "measures": 0}),
        }
        for by in ("per_committee", "per_service")
        for row in data[by]
        for p in data["proposals"]
    ]


@router.get("/compare")
@router.get("/compare.{suffix}")
def compare(request: Request, p: Annotated[list[str] | None, Query()] = None, suffix: str | None = None) -> Response:
    return page(request, "compare.html", compare_data(request, p or []), form_of(suffix), table=compare_table)


Filter = Annotated[str | None, Query()]


@router.get("/conflicts")
@router.get("/conflicts.{suffix}")
def conflicts(
    request: Request,
    region: Filter = None,
    target: Filter = None,
    actor: Filter = None,
    cursor: Filter = None,
    suffix: str | None = None,
) -> Response:
    found = stances.conflicts(request, region, target, actor, 50, cursor)
    data = {**found, "filters": {"region": region, "target": target, "actor": actor}}
    return page(request, "conflicts.html", data, form_of(suffix), table=lambda d: sides_table(d["items"]))


@router.get("/stance-changes")
@router.get("/stance-changes.{suffix}")
def stance_changes(
    request: Request,
    actor: Filter = None,
    target: Filter = None,
    region: Filter = None,
    cursor: Filter = None,
    suffix: str | None = None,
) -> Response:
    found = stances.stance_changes(request, actor, target, region, 50, cursor)
    data = {**found, "filters": {"region": region, "target": target, "actor": actor}}
    return page(request, "changes.html", data, form_of(suffix), table=lambda d: changes_table(d["items"]))


def side_row(prefix: str, s: dict) -> dict:
    return {
        f"{prefix}_polarity": s["polarity"],
        f"{prefix}_kind": s["kind"],
        f"{prefix}_holders": " ".join(h["id"] or h["iri"] for h in s["holders"]),
        f"{prefix}_proposal": s["proposal"]["id"],
        f"{prefix}_line": s["line"],
        f"{prefix}_quote": s["quote"],
    }


def sides_table(items: list[dict]) -> list[dict]:
    return [{"about": c["about"]["id"], **side_row("a", c["sides"][0]), **side_row("b", c["sides"][1])} for c in items]


def changes_table(items: list[dict]) -> list[dict]:
    return [
        {
            "about": c["about"]["id"],
            "parties": " ".join(p["id"] for p in c["parties"]),
            **side_row("earlier", c["earlier"]),
            **side_row("later", c["later"]),
        }
        for c in items
    ]
