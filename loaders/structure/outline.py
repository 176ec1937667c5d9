"""Blocks → outline: decide which blocks are headings and give every block its section."""

from __future__ import annotations

import re

from loaders.records import Block, Document, Section
from loaders.structure.blocks import SENTENCE_END, YEAR_TOKEN, ends_dangling, is_caps, is_column_header

NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)")
FIGURE = re.compile(r"[<>≤≥±+−–-]?\d+(?:[,.]\d+)?%?")
UNNUMBERED = 9  # the depth of an unnumbered heading, below every numbered one; a marked level nests further


def item_number(block: Block) -> int | None:
    match = NUMBER.match(block.marker)
    return int(match.group(1).split(".")[-1]) if match and block.kind == "item" else None


def in_numbered_run(blocks: list[Block], i: int) -> bool:
    """A numbered block next to a consecutively numbered one is a list item, not a heading."""
    number = item_number(blocks[i])
    if number is None:
        return False
    before = item_number(blocks[i - 1]) if i > 0 else None
    after = item_number(blocks[i + 1]) if i + 1 < len(blocks) else None
    return before == number - 1 or after == number + 1


def looks_like_title(text: str, limit: int) -> bool:
    """Short, capitalised, no closing full stop, not a proposal opening "Att …", and not cut off mid-sentence
    ("… hållbar eko-", "… stärka verksamheten och": a paragraph's first line that its column's next line continues)."""
    return (
        not re.match(r"Att [a-zåäö]", text)
        and not re.search(r"\w-$", text)
        and not ends_dangling(text)
        and len(text) <= limit
        and text[:1].isupper() | text[:1].isdigit()
        and (not SENTENCE_END.search(text) or text.endswith(":") and len(text) < 40)
    )


def is_table_line(text: str) -> bool:
    """A column header ("Mnkr 2026 2027 2028") or a line holding two figures that are not years ("Soliditet
    -33,2% -24,2% -16,3%") belongs to a table; it opens no section."""
    figures = [t for t in text.split() if FIGURE.fullmatch(t) and not YEAR_TOKEN.fullmatch(t)]
    return len(figures) >= 2 or is_column_header(text)


def is_heading(blocks: list[Block], i: int) -> bool:
    block = blocks[i]
    if block.kind == "row" or i + 1 >= len(blocks) or is_table_line(block.text):
        return False
    if block.kind == "item":
        numbered = bool(NUMBER.match(block.marker))
        dotted = "." in block.marker.strip(".")
        if is_caps(block.text):
            return numbered
        shaped = looks_like_title(block.text, 110)
        return numbered and shaped and (dotted or not in_numbered_run(blocks, i))
    return is_caps(block.text) and len(block.text) <= 160 or looks_like_title(block.text, 90)


def is_footnote(number: str, top: int) -> bool:
    """Chapter numbers only grow; a lower bare number after them is a footnote."""
    return bool(number) and "." not in number and int(number) < top


def marked_heading(doc: Document, block: Block) -> bool:
    """A line the format marks as a heading (by style or type) is one, whatever its wording; a marked list
    item still follows the rules for items (a bold numbered list stays a list)."""
    return block.kind != "item" and block.line in doc.headings


def outline(doc: Document) -> Document:
    """Mark headings; numbered ones nest by their dotted depth, unnumbered ones sit below them, nested by the level
    the format marks (all at one depth in plain text)."""
    stack: list[tuple[int, int]] = []  # (depth, section index)
    top = 0
    unmarked = max(doc.headings.values(), default=-1) + 1  # where type marks headings, a plain line is below them
    for i, block in enumerate(doc.blocks):
        number = block.marker.rstrip(".)") if NUMBER.match(block.marker) else ""
        if (marked_heading(doc, block) or is_heading(doc.blocks, i)) and not is_footnote(number, top):
            top = max(top, int(number.split(".")[0])) if number else top
            depth = number.count(".") + 1 if number else UNNUMBERED + doc.headings.get(block.line, unmarked)
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else -1
            doc.sections.append(Section(block.text.rstrip(":"), block.line, number, parent))
            block.kind = "heading"
            stack.append((depth, len(doc.sections) - 1))
        block.section = stack[-1][1] if stack else -1
    return doc
