"""Measures → what they affect: hospitals, committees, services and places from reference data."""

from __future__ import annotations

import re
from functools import cache

from loaders.gazetteer import Mention, gazetteer
from loaders.measures import lexicon
from loaders.morphology import stem, stems, tokens
from loaders.read import slug_for
from loaders.records import Document, Measure, Target
from loaders.relations import any_cue, first_sentence, main_cue, without_non_cues
from ontology.terms import entity_iri

TARGET_KINDS = ("Hospital", "Committee", "Concept")
PLACE_KINDS = ("Municipality",)
ACTOR_KINDS = ("Party", "Coalition")
NAMED_KINDS = (*TARGET_KINDS, *PLACE_KINDS, "Region", *ACTOR_KINDS)  # never minted as a service


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
    """The block holding the measure's line (a part of a list item may start on one of its later lines)."""
    return max(i for i, b in enumerate(doc.blocks) if b.line <= measure.line)


TOKEN = re.compile(r"[\wÅÄÖåäö/-]+|[,;!?]|[.:](?!\w)")  # "EU:s" and "t.ex" go on; "län: södra" stops


def phrase_span(text: str) -> tuple[list[str], int]:
    """Content words from the start of text, and where they end: determiners skipped, stopped at the first
    function word or comma."""
    rules = lexicon()["phrases"]
    words: list[str] = []
    end = 0
    for position, match in enumerate(TOKEN.finditer(text)):
        word = match.group()
        lower = word.lower()
        if word in ",.;:!?":  # a phrase ends at a comma or a sentence's end
            if words:
                break
            continue
        function = lower in rules["stops"] or is_verb(lower) or re.fullmatch(r"[\d,.-]+", word)
        if not words and position < 6 and (function or lower in rules["determiners"]):
            continue
        if function and not (words and lower in rules["joiners"]):
            break
        words.append(word)
        end = match.end()
        if len(words) >= rules["max_words"]:
            break
    while words and words[-1].lower() in rules["joiners"]:
        words.pop()
    return words, end


def phrase_words(text: str) -> list[str]:
    return phrase_span(text)[0]


def enumeration(text: str) -> list[str]:
    """The phrase at the start of text and those listed after it with commas ("BVC, BUP, öppen förskola")."""
    phrases: list[str] = []
    while len(phrases) < lexicon()["phrases"]["max_phrases"]:
        words, end = phrase_span(text)
        if not words:
            break
        phrases.append(" ".join(words))
        text = text[end:]
        if not text.lstrip().startswith(","):
            break
        text = text.lstrip()[1:]
    return phrases


@cache
def is_verb(word: str) -> bool:
    """A lexicon verb stem with a verb ending ("bidrar", not the noun "bidrag"), a passive form ("öppnas") or a
    relation cue ("utökas", "inrätta")."""
    rules = lexicon()["phrases"]
    if not without_non_cues(word).strip() or word in rules["not_verbs"]:
        return False
    endings = set(rules["verb_endings"])
    if any(word.startswith(stem) and word[len(stem) :] in endings for stem in rules["verbs"]):
        return True
    return is_passive(word) or bool(any_cue().match(word))


def is_passive(word: str) -> bool:
    """Shaped like a passive verb ("öppnas", "flyttades", "minskats"), and not a noun ending so ("vårdplats",
    "medarbetarnas")."""
    rules = lexicon()["phrases"]
    return (
        len(word) >= rules["passive_min_letters"]
        and word.endswith(tuple(rules["passive_endings"]))
        and not word.endswith(tuple(rules["not_passive"]))
    )


def noun_phrases(text: str) -> list[str]:
    """What a measure acts on: the subject before its main verb cue and the object after it, the roles and
    prepositional phrases of its first sentence, and the objects of its other verbs there."""
    rest = without_openers(text)
    cue, first = main_cue(rest), first_sentence(rest)
    found = [" ".join(phrase_words(rest[: cue.start()])), *objects(rest, cue)] if cue else enumeration(rest)
    found += roles(first) + prepositional_phrases(first)
    found += [phrase for other in cue_matches_in(first) for phrase in objects(first, other)]
    phrases = [p.strip(" ,.;:()") for p in found if len(p.strip(" ,.;:()")) >= 4 and not generic(p)]
    return list(dict.fromkeys(phrases))[: lexicon()["phrases"]["max_phrases"]]


def without_openers(text: str) -> str:
    """The item without the words that open it before its subject or verb ("Att", "Vi", "Därför") and without the
    party or coalition that speaks ("Sjukvårdspartiet vill …"): the actor, not what is acted on."""
    openers = lexicon()["phrases"]["openers"]
    while True:
        first = text.split(maxsplit=1)
        if first and first[0].lower().strip(",") in openers:
            text = first[1] if len(first) > 1 else ""
            continue
        speaker = gazetteer(ACTOR_KINDS).find(text[:80])
        if not (speaker and speaker[0].start == 0):
            return text
        text = text[speaker[0].end :].lstrip(" ,")


def objects(text: str, cue: re.Match) -> list[str]:
    """The phrases after a cue's word ("inrätta en tjänst …", "ta bort generösa fallskärmsavtal")."""
    rest = re.match(r"[\wåäö]*", text[cue.end() :])  # the rest of the cue's word
    end = cue.end() + (rest.end() if rest else 0)
    return enumeration(text[end:].lstrip(" -"))


def cue_matches_in(text: str) -> list[re.Match]:
    return list(any_cue().finditer(without_non_cues(text)))


def generic(phrase: str) -> bool:
    """A phrase of nothing but general words ("hela länet", "möjligheterna": nouns in any inflection) names no
    service."""
    return all(general(word) for word, _, _ in tokens(phrase))


def general(word: str) -> bool:
    """A function word or determiner as written, or a general noun by its stem (stemming the adjective "samordnad"
    would also catch "samordnare")."""
    rules = lexicon()["phrases"]
    lower = word.lower()
    return lower in rules["determiners"] or lower in rules["stops"] or stem(lower) in general_noun_stems()


@cache
def general_noun_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon()["phrases"]["generic_nouns"])


def names_known_entity(phrase: str) -> bool:
    """A reference name alone or among general words ("Region Västernorrland", "Sundsvalls kommun") is that entity,
    found or deliberately left out (another region's hospital), not a new service."""
    mentions = gazetteer(NAMED_KINDS).find(phrase)
    named = {word for m in mentions for word, _, _ in tokens(m.text.lower())} | set(lexicon()["phrases"]["name_parts"])
    return bool(mentions) and all(word in named or general(word) for word, _, _ in tokens(phrase.lower()))


def prepositional_phrases(clause: str) -> list[str]:
    """Places and beneficiaries: the phrases after "vid", "på", "inom", "till" … in the main clause."""
    pattern = r"(?<![\wåäö])(?:" + "|".join(lexicon()["phrases"]["prepositions"]) + r")\s+"
    return [phrase for m in re.finditer(pattern, clause, re.I) for phrase in enumeration(clause[m.end() :])]


def roles(text: str) -> list[str]:
    """The roles a post is for: "en tjänst som allergolog", "tjänster som samordnare, strateg …"."""
    heads = "|".join(lexicon()["phrases"]["role_heads"])
    pattern = r"(?<![\wåäö])(?:" + heads + r")[a-zåäö]*\s+som\s+"
    return [phrase for m in re.finditer(pattern, text, re.I) for phrase in enumeration(text[m.end() :])]


def minted(phrase: str) -> Target:
    """A service for a noun phrase that reference data lacks, keyed by its stems."""
    return Target(entity_iri("service", slug_for(" ".join(stems(phrase)))), phrase, "Service", phrase)


def find_targets(doc: Document) -> Document:
    region = doc.region.iri.rsplit("/", 1)[-1] if doc.region else ""
    for measure in doc.measures:
        # a sentence that points back ("Dessa behöver ses över") acts on what the sentence before it named
        measure.targets = targets_in(measure.text, region) or targets_in(measure.antecedent, region)
        places = [m for m in gazetteer(PLACE_KINDS).find(measure.text) if in_region(m, region)]
        measure.places = unique([as_target(m) for m in places])
        named = [t for t in measure.targets if t.kind == "Committee"]
        if named and measure.text.lower().startswith(named[0].mention.lower()[:6]):
            measure.committee = named[0]
        elif measure.source in ("table", "list"):
            measure.committee = section_committee(doc, measure) or (named[0] if named else None)
    return doc


def targets_in(text: str, region: str) -> list[Target]:
    """Reference entities named in the text, then services minted from its noun phrases."""
    mentions = [m for m in gazetteer(TARGET_KINDS).find(text) if in_region(m, region)]
    targets = unique([as_target(m) for m in mentions])
    targets += [minted(p) for p in noun_phrases(text) if not names_known_entity(p)]
    phrase = " ".join(phrase_words(text))
    if not targets and phrase and not generic(phrase) and not names_known_entity(phrase):
        targets.append(minted(phrase))  # every measure names what it acts on, when it can be told
    return targets
