"""Blocks → sentences: the one splitter every step that reads sentences uses (running-text proposals, stances).
Each sentence keeps its offset in the block's verbatim text, so its line comes from the block's own line starts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from loaders.lexicons import lexicon
from loaders.records import Block
from loaders.structure.blocks import line_at

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')]*\s+(?=[\"”(]?[A-ZÅÄÖÉ0-9•])")


@cache
def abbreviations() -> frozenset[str]:
    """Words whose final period does not end a sentence ("t.ex.", "ca."), lower case, without that period."""
    return frozenset(a.rstrip(".").lower() for a in lexicon("normalise")["abbreviations"])


def split(text: str) -> list[tuple[str, int]]:
    """(sentence, offset in `text`) for each sentence; a period after an abbreviation ("t.ex.", "ca.") or an
    initial ("S. Andersson") does not end one."""
    out: list[tuple[str, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        head = text[start : match.start()].rstrip("\"”')").rstrip(".!?").rsplit(maxsplit=1)
        last = head[-1].lower() if head else ""
        if last in abbreviations() or (len(last) == 1 and (last.isalnum() or last == "_")):
            continue
        out.append((text[start : match.start()], start))
        start = match.end()
    out.append((text[start:], start))
    return [(s.strip(), at + len(s) - len(s.lstrip())) for s, at in out if s.strip()]


def block_sentences(block: Block) -> Iterator[tuple[str, int, int]]:
    """(sentence as written, its offset in block.raw, the line it starts on) for every sentence of a block."""
    for sentence, offset in split(block.raw or block.text):
        yield sentence, offset, line_at(block, offset)
