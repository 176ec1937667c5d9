"""The JSON shapes of the API: documented in OpenAPI, and a contract for other apps (keep names stable)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Ref(BaseModel):
    """A link to any node: `id` is the path after https://w3id.org/policykg/id/ (null outside it)."""

    id: str | None
    iri: str
    label: str


class Evidence(BaseModel):
    quote: str = Field(description="verbatim text from the source file")
    line: int = Field(description="1-based line in the bundled file where the quote starts")


class Effect(BaseModel):
    relation: str = Field(
        description="funds, cuts, reopens, closes, investigates, establishes, reorganizes, "
        "changesFee, advocates, transfers or affects"
    )
    target: Ref


class YearAmount(BaseModel):
    year: int
    amount_msek: float


class Measure(Ref):
    text: str
    kind: str = Field(description="yrkande, åtgärd, uppdrag, budgetpost or beslutsförslag")
    amount_msek: float | None = Field(description="signed MSEK: + spending, − saving")
    amount_period: str | None
    yearly: list[YearAmount] = Field(default=[], description="a budget row's figure per year column, in MSEK")
    source: str | None = Field(description="where it stands: list, decision, table or running_text")
    confidence: float | None = Field(description="0–1: how often measures from such a place were right on the gold")
    proposal: Ref
    goal: Ref | None
    committee: Ref | None
    part_of: Ref | None = Field(default=None, description="the measure whose sum this amount is part of: not in totals")
    actors: list[Ref]
    relation: str | None = Field(description="the kind of effect (funds, cuts, …), also when no service was recognised")
    effects: list[Effect]
    evidence: Evidence


class MeasurePage(BaseModel):
    items: list[Measure]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class EntityItem(Ref):
    type: str


class EntityPage(BaseModel):
    items: list[EntityItem]
    next_cursor: str | None


class Proposal(Ref):
    title: str
    source_file: str
    content_hash: str
    period: list[int] | None = Field(description="[first year, last year]")
    region: Ref | None
    authors: list[Ref]
    signatories: list[Ref]
    measures: int
    goals: int


class ProposalPage(BaseModel):
    items: list[Proposal]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class Goal(Ref):
    level: str
    line: int
    proposal: Ref
    measures: list[Ref]


class GoalPage(BaseModel):
    items: list[Goal]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class Frame(Ref):
    proposal: Ref
    committee: Ref
    year: int
    amount_msek: float
    evidence: Evidence


class FramePage(BaseModel):
    items: list[Frame]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class ProposalCount(Ref):
    measures: int
    goals: int


class Stats(BaseModel):
    triples: int
    classes: dict[str, int]
    proposals: list[ProposalCount]


class Node(BaseModel):
    iri: str
    id: str | None
    label: str
    depth: int | None = None


class Edge(BaseModel):
    source: str
    relation: str
    target: str


class Neighbourhood(BaseModel):
    truncated: bool = Field(description="true when max_nodes, or a node's max_nodes edges, cut the neighbourhood")
    nodes: list[Node]
    edges: list[Edge]


class Path(BaseModel):
    length: int
    nodes: list[Ref]
    edges: list[Edge]


class Uploaded(BaseModel):
    """What an upload did to the store: the proposal it became and whether it was new, replaced or already there."""

    id: str
    iri: str
    slug: str
    source_file: str
    status: str = Field(description="added, replaced or unchanged")
    triples: int
    measures: int
    goals: int
    regions: list[str] = Field(description="regions whose inferred graph the upload recomputed")
    cause: str


class Error(BaseModel):
    """The body of every 4xx and 5xx answer of the JSON API (browsers asking for HTML get a page instead)."""

    error: str = Field(description="what went wrong and, where there is one, what to send instead")
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": Error, "description": "refused: the message says why"},
    "5XX": {"model": Error, "description": "the store or a query worker could not answer"},
}
