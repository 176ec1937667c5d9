"""Opaque cursors for keyset pagination: the cursor encodes the last key (an IRI, or a pair) of the previous page."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import HTTPException, Query

Limit = Annotated[int, Query(ge=1, le=1000, description="page size")]


def encode(iri: str) -> str:
    return base64.urlsafe_b64encode(iri.encode()).decode().rstrip("=")


def decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside
        raise HTTPException(400, "invalid cursor: pass the `next_cursor` of a previous page") from None


def page(items: list[dict], limit: int, key: str = "iri") -> dict:
    """Trim the one extra row fetched to know whether another page exists; the cursor is the last row's key."""
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode(items[-1][key]) if more and items else None}


@contextmanager
def known_cursor(listing: str) -> Iterator[None]:
    """Listings in document order find their cursor by position: one whose row has gone gets a 400, not a guess."""
    try:
        yield
    except LookupError:
        raise HTTPException(400, f"cursor names no {listing} of this listing: start again without `cursor`") from None
