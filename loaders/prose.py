"""Paragraph sentences → running-text measures ("Vi vill bygga ut länets hälsocentraler.")."""

from __future__ import annotations

import re
from functools import cache

from loaders.attribution import WE_LIST
from loaders.lexicons import lowered
from loaders.measures import attach_amount, lexicon, new_measure
from loaders.records import Block, Document, Measure
from loaders.relations import cue_pattern, words_matching
from loaders.relations import lexicon as relation_lexicon
from loaders.structure.blocks import dehyphenate_text, line_at
from loaders.structure.sentences import block_sentences
from loaders.targets import is_verb

ACTION_RELATIONS = [
    "reopens",
    "closes",
    "changes_fee",
    "investigates",
    "cuts",
    "establishes",
    "funds",
    "reorganizes",
    "transfers",
]


@cache
def word_patterns() -> dict[str, re.Pattern[str]]:
    """The prose word lists compiled once (is_proposal runs for every sentence)."""
    rules = lexicon()["prose"]
    patterns = {key: words_matching(rules[key]) for key in ("not_proposing", "proposing", "modals")}
    modals = "|".join(map(re.escape, rules["modals"]))
    # the word after the modal, and the one after that when an adverb stands between ("ska aktivt verka")
    patterns["modal_verb"] = re.compile(rf"(?<![\wåäö])(?:{modals})\s+(\w+)(?:\s+(\w+))?", re.I)
    return patterns


def is_proposal(sentence: str) -> bool:
    """A proposing cue ("vi vill", "yrkar"); a modal with an action cue; or a modal before a verb ("Regionen ska aktivt
    verka för …", "Samarbetet behöver utvecklas"): the normative sentences an opposition plan proposes in."""
    patterns = word_patterns()
    if len(sentence) > lexicon()["prose"]["max_sentence"] or patterns["not_proposing"].search(sentence):
        return False
    if sentence.rstrip().endswith(":"):  # a lead-in: what it introduces proposes, not the sentence itself
        return False
    if patterns["proposing"].search(WE_LIST.sub("vi", sentence)):  # "Vi (C, SJVP, KD) vill" proposes as "Vi vill"
        return True
    actions = [r for r in ACTION_RELATIONS if r in relation_lexicon()["cues"]]
    if patterns["modals"].search(sentence):
        low = lowered(sentence)
        if any(cue_pattern(r).search(low) for r in actions):
            return True
    return any(is_verb(word.lower()) for m in patterns["modal_verb"].finditer(sentence) for word in m.groups("")[:2])


def prose_measures(doc: Document, block: Block) -> list[Measure]:
    taken = {m.line for m in doc.measures}
    out = []
    previous: int | None = None  # offset of the sentence before, unless it became a measure itself
    for sentence, offset, line in block_sentences(block):
        if is_proposal(sentence) and line not in taken:
            measure = new_measure(doc, block, dehyphenate_text(sentence), "åtgärd", "running_text")
            measure.line, measure.quote = line, sentence
            attach_amount(measure, measure.text)
            start = offset
            if previous is not None and points_back(sentence):
                antecedent = block.raw[previous:offset]  # quoted too, so the evidence says what "Dessa" is
                measure.antecedent, measure.quote = dehyphenate_text(antecedent.strip()), antecedent + sentence
                measure.line, start = line_at(block, previous), previous
            measure.iri = measure.iri.rsplit("-l", 1)[0] + f"-l{measure.line}-s{start}"
            out.append(measure)
            previous = None
        else:
            previous = offset
    return out


def points_back(sentence: str) -> bool:
    """Opens with a demonstrative pronoun before its verb ("Dessa behöver ses över"), not with a determiner
    ("Dessa uppgifter ska …")."""
    words = sentence.lower().split(maxsplit=2)
    return len(words) > 1 and words[0] in lexicon()["prose"]["anaphors"] and is_verb(words[1].strip(",."))


def extract_prose(doc: Document) -> Document:
    """Only paragraphs (sub-headings inside a table are part of it); list items and table rows are handled before."""
    inside = {i for t in doc.tables for i in range(t.first, t.last + 1)}
    said: set[str] = set()
    for index, block in enumerate(doc.blocks):
        if block.kind == "para" and index not in inside:
            doc.measures.extend(m for m in prose_measures(doc, block) if not repeated(m, said))
    doc.measures.sort(key=lambda m: m.line)
    return doc


def repeated(measure: Measure, said: set[str]) -> bool:
    """A sentence the document printed before (a summary restating a chapter) proposes nothing new."""
    key = " ".join(re.findall(r"\w+", measure.text.lower()))
    if key in said:
        return True
    said.add(key)
    return False
