"""Page furniture: page numbers, running headers or footers and the table of contents, found by their structure.

A page number is a line holding only a number that, with others like it, counts up page by page; a running header
is a short line repeated beside page numbers. Neither is text of the document, so blocks skip them; a page end
ends a block as a blank line does, unless its sentence plainly goes on (a hyphen, a comma, a lower-case start).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import pairwise

from loaders.records import Document

PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:sida|sid\.?|s\.)\s*)?[-–]?\s*(\d{1,4})\s*[-–]?\s*(?:\(\s*\d{1,3}\s*\)|/\s*\d{1,3})?\s*$", re.I
)
GLUED_PAGE = re.compile(r"[.!?]\s+(\d{1,3})\s*$")  # a sentence's end, then a page number
DOT_LEADER = re.compile(r"\.{4,}\s*\d{1,3}\s*$")
LEADER_ONLY = re.compile(r"^\s*\.{10,}\s*$")  # a dot leader wrapped onto a line of its own
ENTRY_PAGE = re.compile(r"[^\W\d].*\S \d{1,3}\s*$")  # a title, then its page number
TAB_PAGE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\t)?[^\t]*\S[^\t]*\t\s*(\d{1,3})\s*$")  # "2.\tVision\t7" too
SPACE_PAGE = re.compile(r"^([^\d\t]*[^\W\d]) (\d{1,3})\s*$")  # "Intern kontroll 48": a title without digits
WIDE_PAGE = re.compile(r"^(\S.*?[^\W\d])\.* {2,}(\d{1,3})\s*$")  # "2. Vision och mål   7": a tab laid out as spaces
FRONT_SHARE = 10  # contents stand in the document's first tenth
MAX_CONTENTS_LINE = 140
MIN_PAGES = 3  # fewer counting lines are as likely a table's cells
MIN_SERIES = 5  # a second page numbering (an appendix's) counts from this many pages
MIN_LINES_PER_PAGE = 8
MAX_PAGE_STEP = 2  # a page without a number (a picture, a blank page) may be skipped
MAX_HEADER_STEP = 5  # a running header may be left off a few pages (a chapter's first page, a full-page table)
HEADER_DISTANCE = 3  # a running header stands this close to a page number
HEADER_SEPARATOR = re.compile(r"\s+[/|]\s+")
NUMBER_IN_LINE = re.compile(r"\d{1,4}")
EDGE_NUMBER = re.compile(r"^\d{1,4}\s+|\s+\d{1,4}$")  # where a running header or footer carries its page number


def page_number_lines(lines: list[str]) -> list[int]:
    """The longest chain of number-only lines whose values go up by 1 (or 2) at least a page apart (0-based), and
    beside it any other chain of MIN_SERIES pages or more (an appendix numbered from 1 again)."""
    candidates = [(i, v) for i, line in enumerate(lines) if (m := PAGE_NUMBER.match(line)) for v in readings(m[1])]
    found: list[int] = []
    chain = longest_chain(candidates)
    while len(chain) >= (MIN_SERIES if found else MIN_PAGES):
        found += with_short_pages(candidates, chain)
        candidates = [(i, v) for i, v in candidates if not chain[0] <= i <= chain[-1]]
        chain = longest_chain(candidates)
    return sorted(set(found))


def longest_chain(candidates: list[tuple[int, int]]) -> list[int]:
    """The lines of the longest run of candidates (line, value) whose values rise as pages do."""
    best: list[list[int]] = []
    for j, (line_j, value_j) in enumerate(candidates):
        chain = [line_j]
        for i in range(j - 1, -1, -1):
            line_i, value_i = candidates[i]
            step, gap = value_j - value_i, line_j - line_i
            if pages_apart(step, gap) and len(best[i]) + 1 > len(chain):
                chain = [*best[i], line_j]
        best.append(chain)
    return max(best, key=len, default=[])


def pages_apart(step: int, gap: int) -> bool:
    """Two page numbers `step` pages and `gap` lines apart can be a document's: a page or two may lack their number
    (a chapter's first page, a full-page picture), a few more if the lines between fill as many pages."""
    if 1 <= step <= MAX_PAGE_STEP:
        return gap >= MIN_LINES_PER_PAGE
    return MAX_PAGE_STEP < step <= MAX_HEADER_STEP and gap >= MIN_LINES_PER_PAGE * step


def with_short_pages(candidates: list[tuple[int, int]], chain: list[int]) -> list[int]:
    """The chain with the pages it skipped that stand where they belong: number-only lines between pages N and N + k
    reading N + 1 … N + k - 1 in order are those pages, however few lines they hold (a chapter's title page, a page
    of pictures)."""
    values: dict[int, set[int]] = defaultdict(set)  # a line's readings ("1010" reads 1010 or 10)
    for line, value in candidates:
        values[line].add(value)
    filled = list(chain)
    for a, b in pairwise(chain):
        skipped = skipped_pages(values, a, b)
        last = min(skipped, default=0) - 1
        for line in sorted({line for line, _ in candidates if a < line < b}):
            following = [v for v in values[line] if v in skipped and v > last]
            if following:
                filled.append(line)
                last = min(following)
    return sorted(filled)


def skipped_pages(values: dict[int, set[int]], a: int, b: int) -> set[int]:
    """The page numbers that lie between the page-number lines `a` and `b`, by their readings."""
    return {v for low in values[a] for high in values[b] if high - low <= MAX_HEADER_STEP for v in range(low + 1, high)}


def glued_pages(lines: list[str], chain: list[int]) -> dict[int, int]:
    """Page numbers glued to a page's last sentence ("… och digitalisering. 7"): between two page numbers with a page
    missing (N and N + 2), the last line that ends a sentence and then reads a missing page carries that page's
    number. Maps a 0-based line to the offset where its number starts."""
    values = {i: set(readings(m[1])) for i in chain if (m := PAGE_NUMBER.match(lines[i]))}
    glued = {}
    for a, b in pairwise(chain):
        missing = skipped_pages(values, a, b)
        for i in range(b - 1, a, -1):
            match = GLUED_PAGE.search(lines[i])
            if match and int(match[1]) in missing:
                glued[i] = match.start(1)
                break
    return glued


def readings(digits: str) -> list[int]:
    """A page number's value; a number printed twice by a two-column extraction may be either: the whole number
    twice ("1010") or each digit twice ("1100" for 10, "33" for 3)."""
    half = len(digits) // 2
    whole_twice, each_twice = digits[:half] == digits[half:], digits[::2] == digits[1::2]
    if len(digits) % 2 == 0 and (whole_twice or each_twice):
        return [int(digits), int(digits[:half] if whole_twice else digits[::2])]
    return [int(digits)] if len(digits) <= 3 else []


def shape(line: str) -> str:
    return " ".join(line.split()).casefold()


def running_header_lines(lines: list[str], pages: list[int]) -> list[int]:
    """Short lines of two or more words next to page numbers that repeat, on at least MIN_PAGES pages, verbatim or
    by a part of theirs: a header joins the document's title to its chapter's ("Politisk inriktning / Mål och budget
    2025–2027", "Mål och budget 2025–2027 / Ekonomi") and only the title repeats on every page."""
    near = {i for p in pages for i in range(p - HEADER_DISTANCE, p + HEADER_DISTANCE + 1) if 0 <= i < len(lines)}
    header_like = [i for i in near if is_header_like(lines[i]) and i not in pages]
    beside = Counter(part for i in header_like for part in header_parts(lines[i]))
    repeated = {part for part, n in beside.items() if n >= MIN_PAGES}
    return [i for i in header_like if repeated & header_parts(lines[i])]


def numbered_running_lines(lines: list[str]) -> list[int]:
    """Short lines printed page after page with only a page number changing ("Regionplan och budget | sida 5",
    "Sida 3 av 40"): runs of at least MIN_PAGES lines of one shape whose one varying number rises as pages do (by up
    to MAX_HEADER_STEP, with a page's lines per page between them). A running header or footer with its page's
    number."""
    shapes: dict[str, list[tuple[int, list[int]]]] = defaultdict(list)
    for i, line in enumerate(lines):
        numbers = [int(n) for n in NUMBER_IN_LINE.findall(line)]
        if numbers and is_header_like(line):
            shapes[NUMBER_IN_LINE.sub("#", shape(line))].append((i, numbers))
    return [i for found in shapes.values() for run in page_counting_runs(found) for i in run]


def page_counting_runs(found: list[tuple[int, list[int]]]) -> list[list[int]]:
    """The runs (of line indexes) in which one number column rises from line to line as pages do, the others
    staying; runs shorter than MIN_PAGES are dropped."""
    columns = list(zip(*(numbers for _, numbers in found), strict=True))
    varying = [column for column in columns if len(set(column)) > 1]
    if len(found) < MIN_PAGES or len(varying) != 1:
        return []
    runs = [[found[0][0]]]
    for (a, b), ((i, _), (j, _)) in zip(pairwise(varying[0]), pairwise(found), strict=True):
        if pages_apart(b - a, j - i):
            runs[-1].append(j)
        else:
            runs.append([j])
    return [run for run in runs if len(run) >= MIN_PAGES]


def header_parts(line: str) -> set[str]:
    """The line, and the parts of two or more words a header's separator (" / ", " | ") divides it into."""
    parts = {shape(part) for part in HEADER_SEPARATOR.split(line)}
    return {shape(line)} | {part for part in parts if len(part.split()) >= 2}


def is_header_like(line: str) -> bool:
    """Two to twelve words, mostly letters once a page number opening or ending the line is set aside ("16 Regionplan
    2026–2028"), not ending in a colon (a colon leads in)."""
    words, text = line.split(), EDGE_NUMBER.sub("", line.strip())
    letters = sum(c.isalpha() for c in text)
    prose_like = letters >= len(text.replace(" ", "")) / 2 and not line.rstrip().endswith(":")
    return 2 <= len(words) <= 12 and len(line) <= 100 and prose_like


def contents_lines(lines: list[str]) -> list[int]:
    """Table-of-contents entries: a title (of under MAX_CONTENTS_LINE characters) with a dot leader and a page number;
    runs of at least MIN_PAGES "title<TAB>page" lines whose pages never go down (a table's "label<TAB>amount" rows go
    up and down); and such runs with a space before the page ("Ägardirektiv 47", or a wide space after a numbered
    title: "2. Vision och mål   7") when they stand at the front of the document and a title of theirs is printed again
    later as a line's start."""
    found = [i for i, line in enumerate(lines) if (m := DOT_LEADER.search(line)) and m.start() < MAX_CONTENTS_LINE]
    found += wrapped_leader_lines(lines)
    found += [i for run in page_runs(lines, TAB_PAGE) for i, _ in run]
    front = len(lines) // FRONT_SHARE
    for run in [*page_runs(lines[:front], SPACE_PAGE), *page_runs(lines[:front], WIDE_PAGE)]:
        titles = tuple(match.group(1) for _, match in run)
        if len(run) > MIN_PAGES and any(line.startswith(titles) for line in lines[run[-1][0] + 1 :]):
            found += [i for i, _ in run]
    return found


def wrapped_leader_lines(lines: list[str]) -> list[int]:
    """A contents entry whose dot leader the conversion put on a line of its own ("Förord 3" over "……"): the
    entry, ending in its page number, and the line of dots under it."""
    found = []
    for i, line in enumerate(lines[1:], start=1):
        if LEADER_ONLY.match(line) and ENTRY_PAGE.search(lines[i - 1]) and len(lines[i - 1]) < MAX_CONTENTS_LINE:
            found += [i - 1, i]
    return found


def page_runs(lines: list[str], pattern: re.Pattern[str]) -> list[list[tuple[int, re.Match[str]]]]:
    """Runs of consecutive "title page" lines (line index, match; the page is its last group) whose pages never go
    down."""
    runs, run = [], []
    for i, line in enumerate([*lines, "end"]):
        match = pattern.match(line) if len(line) < MAX_CONTENTS_LINE else None
        if match:
            run.append((i, match))
        elif line.strip():
            pages = [int(m.groups()[-1]) for _, m in run]
            if len(run) >= MIN_PAGES and pages == sorted(pages):
                runs.append(run)
            run = []
    return runs


def mark_furniture(doc: Document) -> Document:
    """Record the 1-based lines that are page furniture, and page numbers glued to a line's end; later steps never
    read them as text."""
    pages = page_number_lines(doc.lines)
    found = [*pages, *running_header_lines(doc.lines, pages), *numbered_running_lines(doc.lines)]
    found += contents_lines(doc.lines)
    doc.furniture = {i + 1 for i in found}
    doc.page_tails = {i + 1: start for i, start in glued_pages(doc.lines, pages).items()}
    return doc
