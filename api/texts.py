"""The normalised text a proposal's graph was built from, with line numbers (what every pkg:sourceLine counts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse

from api.deps import store
from graph.loading import proposal_text

router = APIRouter(prefix="/api", tags=["policy"])


@router.get("/proposals/{slug}/text", summary="The normalised text of a proposal, with line numbers")
def text(
    request: Request,
    slug: str,
    start: Annotated[int, Query(ge=1, description="first line (1-based)")] = 1,
    end: Annotated[int | None, Query(ge=1, description="last line (inclusive)")] = None,
    format: Annotated[str, Query(pattern="^(json|plain)$", description="json, or plain: 'N<TAB>line'")] = "json",
):
    found = proposal_text(store(request), slug)
    if found is None:
        raise HTTPException(404, f"unknown proposal {slug!r} (or stored before texts were kept; load it again)")
    body, source_format = found
    lines = body.split("\n")
    last = min(end or len(lines), len(lines))
    numbered = [(n, lines[n - 1]) for n in range(start, last + 1)]
    if format == "plain":
        return PlainTextResponse("".join(f"{n}\t{line}\n" for n, line in numbered))
    return {
        "id": f"proposal/{slug}",
        "format": source_format,
        "line_count": len(lines),
        "lines": [{"line": n, "text": line} for n, line in numbered],
    }
