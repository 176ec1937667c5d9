"""Policy endpoints: proposals, measures, goals, statistics, document upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from api import models
from api.deps import on_store, relation_name, resolve, resolve_given, resolve_kind, store
from api.pagination import Limit, decode, known_cursor, page
from api.security import WriteKey, upload_name_refusal
from api.uploads import REQUEST_BODY, received_file
from api.web.search import refresh as refresh_search
from graph import measure_queries, queries
from graph.loading import load_read, remove_proposal
from graph.parsing import Limits, OverLimit, extract_limited
from loaders.read import DocumentError
from ontology.terms import entity_iri

router = APIRouter(prefix="/api", tags=["policy"])


@router.get(
    "/proposals", response_model=models.ProposalPage, summary="Proposals with region, period, authors and counts"
)
def proposals(request: Request, limit: Limit = 100, cursor: str | None = None) -> dict:
    return page(queries.proposal_page(store(request), limit, decode(cursor)), limit)


@router.get("/proposals/{slug}", response_model=models.Proposal, summary="One proposal's metadata")
def proposal(request: Request, slug: str) -> dict:
    iri = resolve_given(request, f"proposal/{slug}", "proposal")
    return queries.list_proposals(store(request), [iri])[0]


@router.get(
    "/measures",
    response_model=models.MeasurePage,
    summary="Measures filtered by actor, relation, target, goal, proposal",
)
async def measures(
    request: Request,
    actor: str | None = None,
    relation: str | None = None,
    target: str | None = None,
    goal: str | None = None,
    proposal: str | None = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="keep measures this trusted")] = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict:
    after = decode(cursor)

    def rows() -> list[dict]:
        filters = {
            "actor": resolve(request, actor, "actor"),
            "relation": relation_name(relation),
            "target": resolve(request, target, "target"),
            "goal": resolve(request, goal, "goal"),
            "proposal": resolve_kind(request, proposal, "proposal"),
            "min_confidence": min_confidence,
        }
        return measure_queries.list_measures(store(request), limit, after, **filters)

    with known_cursor("measure"):
        return page(await on_store(request, rows), limit)


@router.get(
    "/goals", response_model=models.GoalPage, summary="Goals with the measures that serve them, in document order"
)
def goals(
    request: Request,
    proposal: str | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict:
    iri = resolve_kind(request, proposal, "proposal")
    with known_cursor("goal"):
        return page(queries.goal_page(store(request), limit, decode(cursor), iri), limit)


@router.get(
    "/frames", response_model=models.FramePage, summary="Budget frames per committee, year and proposal, side by side"
)
def frames(
    request: Request,
    committee: str | None = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    proposal: str | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict:
    filters = {
        "committee": resolve_kind(request, committee, "committee"),
        "proposal": resolve_kind(request, proposal, "proposal"),
        "year": year,
    }
    with known_cursor("frame"):
        return page(queries.frame_page(store(request), limit, decode(cursor), **filters), limit)


@router.get("/stats", response_model=models.Stats, summary="Counts per class and per proposal")
def stats(request: Request) -> dict:
    return queries.statistics(store(request))


@router.post(
    "/proposals",
    status_code=201,
    response_model=models.Uploaded,
    summary="Upload a document (PDF, DOCX, HTML or UTF-8 text) and load it",
    openapi_extra={"requestBody": REQUEST_BODY},
)
async def upload(request: Request, _: WriteKey) -> dict:
    """The body streams to a temporary file under the size limit (never whole into memory); the key is checked
    before any of it is read, and the store changes only once the document has been read."""
    async with received_file(request, request.app.state.settings.max_upload_bytes) as received:
        refused = upload_name_refusal(received.filename)
        if refused:
            raise HTTPException(400, refused)
        name = received.filename or "upload.txt"
        try:  # read in a worker process under the parse limits; the store is written here, one upload at a time
            doc = await run_in_threadpool(extract_limited, received.path, name, Limits.from_environment())
        except OverLimit as err:
            raise HTTPException(413, str(err)) from None
        except DocumentError as err:
            raise HTTPException(400, str(err)) from None
        result = load_read(store(request), doc, received.path)
    refresh_search(request.app)
    return {"id": f"proposal/{result.slug}", "iri": entity_iri("proposal", result.slug), **result.__dict__}


@router.delete("/proposals/{slug}", summary="Remove a proposal's graph")
def delete(request: Request, slug: str, _: WriteKey) -> dict:
    if not remove_proposal(store(request), slug):
        raise HTTPException(404, f"unknown proposal {slug!r}; see GET /api/proposals")
    refresh_search(request.app)
    return {"removed": slug}
