"""Two columns flattened line by line: where a plain text shows two streams of lines taking turns, read one stream and
then the other.

A naive PDF-to-text conversion writes the lines of two columns in turn where their baselines differ. The text shows
it by its hyphenated line ends: a word broken at the end of a line ("pa-") that the line after next completes
("tienten", to a word the document uses elsewhere) while the next line does not. Two or more such crossed breaks a few
lines apart, with no break between them that the next line completes, make a run of prose lines; the run is rewritten
as its two streams, one after the other. Lines merged from both columns cannot be told apart and stay.
Only plain text is repaired: a PDF is read by word position (loaders/formats/pdf.py) and markup has no columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from statistics import median

from loaders.records import Document

BROKEN = re.compile(r"(\w+)-$")  # a word hyphenated at the end of a line
FIRST_WORD = re.compile(r"\w+")
GAP = 8  # most lines between two crossed breaks of one run
MIN_BREAKS = 2
SENTENCE_END = (".", "!", "?", ":")
MERGED = 1.3  # a line this many times a run's median length holds text of both columns
MIN_LETTERS = 0.8  # of a run line's non-space characters: table rows and figure lines take no turns


def completes(fragment: str, line: str, vocabulary: set[str]) -> bool:
    """Whether the line's first word ends the fragment as a word the document uses elsewhere."""
    word = FIRST_WORD.match(line.lstrip())
    return word is not None and (fragment + word.group()).lower() in vocabulary


def is_prose(line: str) -> bool:
    chars = [c for c in line if not c.isspace()]
    return bool(chars) and sum(c.isalpha() for c in chars) >= MIN_LETTERS * len(chars)


def breaks(lines: list[str], vocabulary: set[str]) -> tuple[list[int], set[int]]:
    """Line indexes whose broken word the line after next completes (crossed), and those the next line completes."""
    crossed, straight = [], set()
    for i, line in enumerate(lines[:-1]):
        broken = BROKEN.search(line.rstrip()) if line.rstrip().endswith("-") else None
        if not broken or not lines[i + 1].strip():
            continue
        if completes(broken.group(1), lines[i + 1], vocabulary):
            straight.add(i)
        elif i + 2 < len(lines) and completes(broken.group(1), lines[i + 2], vocabulary):
            crossed.append(i)
    return crossed, straight


def continues(previous: str, line: str, vocabulary: set[str]) -> int:
    """How well a line reads on from another: a broken word it completes (2); the case of its first letter after a
    sentence's end (uppercase 1, lowercase -1) or inside a sentence (lowercase 1); else 0."""
    previous, first = previous.rstrip(), line.lstrip()[:1]
    broken = BROKEN.search(previous)
    if broken:
        return 2 * completes(broken.group(1), line, vocabulary)
    if not first.isalpha():
        return 0
    if previous.endswith(SENTENCE_END):
        return 1 if first.isupper() else -1
    return int(first.islower())


def column_lines(lines: list[str], run: range) -> Callable[[int], bool]:
    """Whether a line can be one column's: prose no wider than the run's lines (one holding both columns' text belongs
    to neither stream)."""
    width = MERGED * median(len(lines[i]) for i in run)
    return lambda i: is_prose(lines[i]) and len(lines[i]) <= width


def widened(lines: list[str], run: range, vocabulary: set[str], column_line: Callable[[int], bool]) -> range:
    """The run with the column lines on either side that read on from two lines away better than from the next."""

    def score(previous: int, line: int) -> int:
        return continues(lines[previous], lines[line], vocabulary)

    start, stop = run.start, run.stop
    while stop < len(lines) and column_line(stop) and score(stop - 2, stop) > score(stop - 1, stop):
        stop += 1
    while start > 0 and column_line(start - 1) and score(start - 1, start + 1) > score(start - 1, start):
        start -= 1
    return range(start, stop)


def runs(lines: list[str], vocabulary: set[str]) -> list[range]:
    """Runs of alternating prose lines, none overlapping: around crossed breaks a few lines apart, widened."""
    crossed, straight = breaks(lines, vocabulary)
    groups: list[list[int]] = []
    for i in crossed:
        if groups and i - groups[-1][-1] <= GAP and not straight & set(range(groups[-1][-1], i)):
            groups[-1].append(i)
        else:
            groups.append([i])
    found: list[range] = []
    for group in (g for g in groups if len(g) >= MIN_BREAKS):
        run = range(group[0], group[-1] + 3)
        column_line = column_lines(lines, run)
        if all(column_line(i) for i in run):
            run = widened(lines, run, vocabulary, column_line)
            if not found or run.start >= found[-1].stop:
                found.append(run)
    return found


def streams(run: list[str]) -> list[str]:
    """The run's two streams one after the other; the one holding its last line goes last, as the text after the run
    continues it (a break the next line completes ends a run)."""
    last, other = run[len(run) - 1 :: -2][::-1], run[len(run) - 2 :: -2][::-1]
    return other + last


def repair_columns(doc: Document) -> Document:
    """Put each alternating run of a plain text back as its two streams, one after the other."""
    if doc.source_format != "text":
        return doc
    vocabulary = {w.lower() for line in doc.lines for w in FIRST_WORD.findall(line) if len(w) >= 4}
    lines = list(doc.lines)
    for run in runs(lines, vocabulary):
        lines[run.start : run.stop] = streams(lines[run.start : run.stop])
    doc.lines = lines
    return doc
