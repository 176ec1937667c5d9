"""Frame tables ("Ekonomiska ramar per nämnd") → one observation per committee and year.

A frame row is a committee name followed by numbers; its last cells belong to the year columns
named by the nearest header line above ("Budget 2025 Plan 2026 Plan 2027 Plan 2028").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from loaders.amounts import cells, to_float
from loaders.lexicons import lexicon as load
from loaders.records import Document
from loaders.structure.blocks import SIGN, cell_texts, has_cells
from ontology.reference import Entry, committees

YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass
class Frame:
    committee: Entry
    year: int
    amount: float
    line: int
    quote: str


FOOTNOTE_MARK = re.compile(r"\s*(?:\d{1,2}\)|\*+|[¹²³⁴⁵⁶⁷⁸⁹])$")


def squashed(text: str) -> str:
    """PDF tables split words ("Regionful lmäktige"); compare names with all spaces removed."""
    return re.sub(r"\s+", "", text).lower()


@cache
def committee_index() -> dict[str, Entry]:
    """Every committee name and alias, squashed, to its committee (the first listed wins a shared name)."""
    index: dict[str, Entry] = {}
    for entry in committees():
        for name in entry.names:
            index.setdefault(squashed(name), entry)
    return index


def committee_named(label: str) -> Entry | None:
    """The committee a row label names, a footnote mark after it ("Nämnden för hållbar utveckling 1)") and a
    qualifier ("Regionstyrelsen inkl finansiering") aside."""
    label = FOOTNOTE_MARK.sub("", label)
    words = label.split()
    cut = next((i for i, w in enumerate(words) if i and w.lower() in label_qualifiers()), len(words))
    return committee_index().get(squashed(label)) or committee_index().get(squashed(" ".join(words[:cut])))


@cache
def label_qualifiers() -> frozenset[str]:
    return frozenset(load("tables")["label_qualifiers"])


def header_years(doc: Document, line: int) -> list[int]:
    """Years of the nearest line above that lists at least three (the year columns)."""
    for number in range(line - 1, max(0, line - 40), -1):
        years = [int(y) for y in YEAR.findall(doc.lines[number - 1])]
        if len(years) >= 3 and years == sorted(years):
            return years
    return []


def tab_header(doc: Document, line: int, width: int) -> list[str]:
    """The nearest tab-separated line above with as many columns: the table's column names."""
    for number in range(line - 1, max(0, line - 40), -1):
        columns = cell_texts(doc.lines[number - 1])
        if len(columns) == width and not any(re.fullmatch(r"[-−–+\d ,.]+", c.strip()) for c in columns[1:] if c):
            return columns
    return []


def tab_frames(doc: Document, line: int) -> list[Frame]:
    """Tab tables keep their columns: a cell counts when its column is headed by a frame and a year."""
    columns = cell_texts(doc.lines[line - 1])
    entry = committee_named(columns[0])
    if entry is None:
        return []
    header = tab_header(doc, line, len(columns))
    out = []
    for name, cell in zip(header[1:], columns[1:], strict=False):
        year = YEAR.search(name)
        if year and re.search(r"(?i)budget|plan|ram", name) and re.fullmatch(rf"{SIGN}?[\d ]+(?:,\d+)?", cell.strip()):
            out.append(Frame(entry, int(year.group(1)), to_float(cell), line, doc.lines[line - 1].strip()))
    return allocations(out)


def allocations(frames: list[Frame]) -> list[Frame]:
    """A row of net costs written as negatives ("Regionstyrelsen -10 852,6 -11 250,2") allocates their size."""
    if frames and all(f.amount <= 0 for f in frames) and any(f.amount < 0 for f in frames):
        return [replace(f, amount=-f.amount) for f in frames]
    return frames


def column_frames(doc: Document, label: str, values: list[str], line: int, quote: str) -> list[Frame]:
    """Space-separated tables: the last cells belong to the year columns of the header above."""
    entry = committee_named(label) if len(values) >= 3 else None
    years = header_years(doc, line) if entry else []
    if not entry or not years or len(values) < len(years):
        return []
    cells_by_year = zip(years, values[-len(years) :], strict=True)
    return allocations([Frame(entry, y, to_float(v), line, quote) for y, v in cells_by_year])


def extract_frames(doc: Document) -> Document:
    """Tab tables are read line by line (their columns survive); other tables block by block."""
    for number, line in enumerate(doc.lines, start=1):
        if has_cells(line):
            doc.frames += tab_frames(doc, number)
    for block in doc.blocks:
        if not has_cells(doc.lines[block.line - 1]):
            label, values = cells(block.text)
            doc.frames += column_frames(doc, label, values, block.line, block.raw)
    return doc
