"""Page furniture: page numbers and running headers or footers, found by their structure and set aside.

A page number is a line holding only a number that, with others like it, counts up page by page; a running header
is a short line repeated beside page numbers. Neither is text of the document, so blocks skip them (and a paragraph
broken by a page end joins up again).
"""

from __future__ import annotations

import re
from collections import Counter

from loaders.records import Document

PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:sida|sid\.?|s\.)\s*)?[-–]?\s*(\d{1,4})\s*[-–]?\s*(?:\(\s*\d{1,3}\s*\)|/\s*\d{1,3})?\s*$", re.I
)
MIN_PAGES = 3  # fewer counting lines are as likely a table's cells
MIN_LINES_PER_PAGE = 8
MAX_PAGE_STEP = 2  # a page without a number (a picture, a blank page) may be skipped
HEADER_DISTANCE = 3  # a running header stands this close to a page number


def page_number_lines(lines: list[str]) -> list[int]:
    """The longest chain of number-only lines whose values go up by 1 (or 2) at least a page apart (0-based)."""
    candidates = [(i, v) for i, line in enumerate(lines) if (m := PAGE_NUMBER.match(line)) for v in readings(m[1])]
    best: list[list[int]] = []
    for j, (line_j, value_j) in enumerate(candidates):
        chain = [line_j]
        for i in range(j - 1, -1, -1):
            line_i, value_i = candidates[i]
            step, gap = value_j - value_i, line_j - line_i
            if 1 <= step <= MAX_PAGE_STEP and gap >= MIN_LINES_PER_PAGE and len(best[i]) + 1 > len(chain):
                chain = [*best[i], line_j]
        best.append(chain)
    longest = max(best, key=len, default=[])
    return longest if len(longest) >= MIN_PAGES else []


def readings(digits: str) -> list[int]:
    """A page number's value; a number printed twice by a two-column extraction ("22", "1010") may be either."""
    half = len(digits) // 2
    doubled = len(digits) % 2 == 0 and digits[:half] == digits[half:]
    return [int(digits), int(digits[:half])] if doubled else [int(digits)] if len(digits) <= 3 else []


def shape(line: str) -> str:
    return " ".join(line.split()).casefold()


def running_header_lines(lines: list[str], pages: list[int]) -> list[int]:
    """Short lines of two or more words repeated verbatim next to page numbers on at least MIN_PAGES pages."""
    near = {i for p in pages for i in range(p - HEADER_DISTANCE, p + HEADER_DISTANCE + 1) if 0 <= i < len(lines)}
    beside = Counter(shape(lines[i]) for i in near if is_header_like(lines[i]))
    repeated = {s for s, n in beside.items() if n >= MIN_PAGES}
    return [i for i in near if shape(lines[i]) in repeated and i not in pages]


def is_header_like(line: str) -> bool:
    words, letters = line.split(), sum(c.isalpha() for c in line)
    prose_like = letters >= len(line.replace(" ", "")) / 2 and not line.rstrip().endswith(":")  # a colon leads in
    return 2 <= len(words) <= 12 and len(line) <= 100 and prose_like


def mark_furniture(doc: Document) -> Document:
    """Record the 1-based lines that are page furniture; later steps never read them as text."""
    pages = page_number_lines(doc.lines)
    doc.furniture = {i + 1 for i in [*pages, *running_header_lines(doc.lines, pages)]}
    return doc
