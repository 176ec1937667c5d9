"""Opaque cursors for keyset pagination: the cursor encodes the last key (an IRI, or a pair) of the previous page."""

from __future__ import annotations

import base64
import binascii

from fastapi import HTTPException


def encode(iri: str) -> str:
    return base64.urlsafe_b64encode(iri.encode()).decode().rstrip("=")


def decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise HTTPException(400, "invalid cursor: pass the `next_cursor` of a previous page") from None


def page(items: list[dict], limit: int, key: str = "iri") -> dict:
    """Trim the one extra row fetched to know whether another page exists; the cursor is the last row's key."""
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode(items[-1][key]) if more and items else None}
