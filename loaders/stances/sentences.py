"""A document's sentences with the line each starts on: paragraphs split, list items whole."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.collective import lexicon
from loaders.records import Document
from loaders.stances.patterns import compiled

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')]*\s+(?=[\"”(]?[A-ZÅÄÖÉ0-9•])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; a period after an abbreviation ("t.ex.", "ca.") does not end one."""
    out: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        head = text[start : match.start()].rstrip("\"”')").rstrip(".!?")
        if compiled()["abbreviation"].search(head) or re.search(r"(?:^|\s)\w$", head):
            continue
        out.append(text[start : match.start()].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def locate(lines: list[str], first: int, sentence: str) -> int:
    """The 1-based physical line a sentence starts on, searching from line `first` onward (a sentence may start at
    the end of a line and go on after a line break, or after blank lines)."""
    prefix = squash(sentence)[:30]
    for j in range(first - 1, min(len(lines), first + 400)):
        if prefix in lines[j]:
            return j + 1
        following = next((lines[k] for k in range(j + 1, min(len(lines), j + 4)) if lines[k]), "")
        joined = lines[j] + " " + following
        at = joined.find(prefix)
        if 0 <= at < len(lines[j]):
            return j + 1
    return first


def sentence_units(doc: Document) -> Iterator[tuple[str, int, bool, int]]:
    """(verbatim sentence, 1-based start line, from a list item, section) for every paragraph, item, heading, row."""
    lines = [squash(line) for line in doc.lines]
    limit = lexicon()["sentences"]["max_words"]
    for block in doc.blocks:
        raw = block.raw or block.text
        line = block.line
        for sentence in split_sentences(raw):
            if len(sentence.split()) > limit:
                continue
            line = locate(lines, line, sentence)
            yield sentence, line, block.kind == "item", block.section
