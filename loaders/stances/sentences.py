"""A document's sentences for stances, with the line each starts on (split by loaders/structure/sentences.py)."""

from __future__ import annotations

from collections.abc import Iterator

from loaders.collective import lexicon
from loaders.records import Document
from loaders.structure.sentences import block_sentences


def sentence_units(doc: Document) -> Iterator[tuple[str, int, bool, int]]:
    """(verbatim sentence, 1-based start line, from a list item, section) for every paragraph, item, heading, row."""
    limit = lexicon()["sentences"]["max_words"]
    for block in doc.blocks:
        for sentence, _, line in block_sentences(block):
            if len(sentence.split()) <= limit:
                yield sentence, line, block.kind == "item", block.section
