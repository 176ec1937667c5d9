"""Readers for the formats PolicyKG accepts: PDF, DOCX, HTML and UTF-8 text, recognised by content.

Every reader returns a `Text`: normalised lines in the shape the structure layer reads (a heading on its own line,
bullets as "• text", table rows as tab-separated cells under their header row, a blank line between blocks),
for PDFs the 1-based page each line came from, and the level of every heading the format marks (a DOCX heading
style, an HTML h1–h6, a PDF line set in larger or bold type), which the outline nests by.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_MAX_PAGES = 1000
DEFAULT_MAX_UNPACKED = 200 * 1024 * 1024  # a DOCX's parts, uncompressed, may not exceed this (zip bombs)


@dataclass
class Text:
    lines: list[str]
    pages: list[int] = field(default_factory=list)  # per line, for paged formats; empty otherwise
    format: str = "text"
    headings: dict[int, int] = field(default_factory=dict)  # 1-based line → heading level (1 = top) the format marks


def max_pages() -> int:
    return _int_setting("POLICYKG_MAX_PAGES", DEFAULT_MAX_PAGES)


def max_unpacked() -> int:
    return _int_setting("POLICYKG_MAX_UNPACKED", DEFAULT_MAX_UNPACKED)


def _int_setting(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a whole number") from None
    if value < 1:
        raise ValueError(f"{name}={raw!r}: expected a positive number")
    return value
