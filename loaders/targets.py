"""Measures → what they affect: hospitals, committees, services and places from reference data."""

from __future__ import annotations

import re

from loaders.gazetteer import Mention, gazetteer
from loaders.measures import lexicon
from loaders.morphology import stems
from loaders.read import slug_for
from loaders.records import Document, Measure, Target
from loaders.relations import cue_hits, cue_pattern, purpose_start
from ontology.terms import entity_iri

TARGET_KINDS = ("Hospital", "Committee", "Concept")
PLACE_KINDS = ("Municipality",)


def as_target(mention: Mention) -> Target:
    kind = "Place" if mention.entry.kind == "Municipality" else mention.entry.kind
    return Target(mention.entry.iri, mention.entry.label, kind, mention.text)


def unique(targets: list[Target]) -> list[Target]:
    return list({t.iri: t for t in targets}.values())


def in_region(mention: Mention, region: str) -> bool:
    """Hospitals and places of another region are only kept when the region is unknown."""
    return not region or not mention.entry.region or mention.entry.region == region


def section_committee(doc: Document, measure: Measure) -> Target | None:
    """The committee named by the nearest heading or short line above a table row or list."""
    finder = gazetteer(("Committee",))
    for block in reversed(doc.blocks[: block_index(doc, measure)]):
        if block.kind in ("heading", "para") and len(block.text) < 120:
            mentions = finder.find(block.text)
            if mentions:
                return as_target(mentions[0])
        if block.kind == "heading" and block.marker:
            return None
    return None


def block_index(doc: Document, measure: Measure) -> int:
    return next(i for i, b in enumerate(doc.blocks) if b.line == measure.line)


def phrase_words(text: str) -> list[str]:
    """Content words from the start of text: determiners skipped, stopped at the first function word."""
    rules = lexicon()["phrases"]
    words: list[str] = []
    for position, word in enumerate(re.findall(r"[\wÅÄÖåäö/-]+", text)):
        lower = word.lower()
        function = lower in rules["stops"] or is_verb(lower) or re.fullmatch(r"[\d,.-]+", word)
        if not words and position < 6 and (function or lower in rules["determiners"]):
            continue
        if function and not (words and lower in rules["joiners"]):
            break
        words.append(word)
        if len(words) >= rules["max_words"]:
            break
    while words and words[-1].lower() in rules["joiners"]:
        words.pop()
    return words


def is_verb(word: str) -> bool:
    """Verb stems from the lexicon, or a relation cue ("utökas", "inrätta"), start the word."""
    padded = word + " "
    if any(padded.startswith(v) for v in lexicon()["phrases"]["verbs"]):
        return True
    return any(m.start() == 0 for r in lexicon_relations() if (m := cue_pattern(r).match(word)))


def lexicon_relations() -> list[str]:
    from loaders.relations import lexicon as relation_lexicon

    return list(relation_lexicon()["cues"])


def noun_phrases(text: str) -> list[str]:
    """What a measure acts on: the subject before its verb cue and the object after it."""
    rules = lexicon()["phrases"]
    words = text.split()
    while words and words[0].lower().strip(",") in rules["openers"]:
        words.pop(0)
    rest = " ".join(words)
    hits = cue_hits(rest, purpose_start(rest))
    cue = cue_pattern(hits[0]).search(rest) if hits else None
    if not cue:
        return [phrase for phrase in [" ".join(phrase_words(rest))] if len(phrase) >= 4 and not generic(phrase)]
    end = cue.end() + len(re.match(r"[\wåäö]*", rest[cue.end() :]).group())
    found = [" ".join(phrase_words(rest[: cue.start()])), " ".join(phrase_words(rest[end:].lstrip(" -")))]
    found += prepositional_phrases(rest[end : purpose_start(rest)])
    phrases = [p.strip(" ,.;:()") for p in found if len(p.strip(" ,.;:()")) >= 4 and not generic(p)]
    return list(dict.fromkeys(phrases))[: lexicon()["phrases"]["max_phrases"]]


def generic(phrase: str) -> bool:
    """A phrase of nothing but general words ("hela länet", "möjligheten") names no service."""
    words = re.findall(r"[\wåäö-]+", phrase.lower())
    return all(w in lexicon()["phrases"]["generic_nouns"] or w in lexicon()["phrases"]["determiners"] for w in words)


def prepositional_phrases(clause: str) -> list[str]:
    """Places and beneficiaries: the phrases after "vid", "på", "inom", "till" … in the main clause."""
    pattern = r"(?<![\wåäö])(?:" + "|".join(lexicon()["phrases"]["prepositions"]) + r")\s+"
    return [" ".join(phrase_words(clause[m.end() :])) for m in re.finditer(pattern, clause, re.I)]


def minted(phrase: str) -> Target:
    """A service for a noun phrase that reference data lacks, keyed by its stems."""
    return Target(entity_iri("service", slug_for(" ".join(stems(phrase)))), phrase, "Service", phrase)


def find_targets(doc: Document) -> Document:
    region = doc.region.iri.rsplit("/", 1)[-1] if doc.region else ""
    for measure in doc.measures:
        mentions = [m for m in gazetteer(TARGET_KINDS).find(measure.text) if in_region(m, region)]
        places = [m for m in gazetteer(PLACE_KINDS).find(measure.text) if in_region(m, region)]
        measure.targets = unique([as_target(m) for m in mentions])
        known = {stems(t.mention) for t in measure.targets + measure.places}
        measure.targets += [minted(p) for p in noun_phrases(measure.text) if stems(p) not in known]
        if not measure.targets and (phrase := " ".join(phrase_words(measure.text))):
            measure.targets.append(minted(phrase))  # every measure names what it acts on
        measure.places = unique([as_target(m) for m in places])
        named = [t for t in measure.targets if t.kind == "Committee"]
        if named and measure.text.lower().startswith(named[0].mention.lower()[:6]):
            measure.committee = named[0]
        elif measure.source in ("table", "list"):
            measure.committee = section_committee(doc, measure) or (named[0] if named else None)
    return doc
