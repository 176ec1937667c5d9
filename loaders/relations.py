"""Measure text → relation (funds, cuts, reopens …) and kind, from the cue lexicon."""

from __future__ import annotations

import re
from functools import cache

from loaders.lexicons import lexicon as load
from loaders.lexicons import lowered
from loaders.structure.sentences import split


@cache
def lexicon() -> dict:
    return load("relations")


@cache
def cue_pattern(relation: str, table: str = "cues") -> re.Pattern[str]:
    """Cues match at a word start; a cue written "~satsning" may also end a compound ("lönesatsning"), and one
    written "investering-" is not the first part of a compound ("investeringsprocessen" is a process)."""
    cues = sorted(lexicon()[table][relation], key=len, reverse=True)
    return re.compile(r"(?<![\wåäö])(?:" + "|".join(map(cue_regex, cues)) + ")")  # searched in lowered text


@cache
def any_cue() -> re.Pattern[str]:
    """Every cue of every relation, strong or weak: where some action is named."""
    cues = sorted(cue_words(), key=len, reverse=True)
    return re.compile(r"(?<![\wåäö])(?:" + "|".join(map(cue_regex, cues)) + ")", re.I)


def cue_regex(cue: str) -> str:
    if cue.startswith("~"):
        return r"\w*" + re.escape(cue[1:])
    if cue.endswith("-"):
        return re.escape(cue[:-1]) + r"(?!s[a-zåäö])"
    return re.escape(cue)


def words_matching(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\wåäö])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\wåäö])", re.I)


EXCLUDED = words_matching(lexicon()["not_cues"])
ROW_NEUTRAL = words_matching(lexicon()["row_neutral"])
ADVOCACY = words_matching(lexicon()["advocacy_modals"])
# capitalised words running together after a lower-case one are a name ("… i nätverken Northern Sparsely
# Populated Areas"): their letters are no verb or noun cue
NAME = re.compile(r"(?<=[a-zåäö,] )[A-ZÅÄÖ][\wåäöÅÄÖ-]*(?: [A-ZÅÄÖ][\wåäöÅÄÖ-]*)+")
# agent nouns name who does something ("utredare", "samordnarna"), not that it is done
AGENT_NOUN = re.compile(r"(?<![\wåäö])[\wåäö]{3,}are(?:n|na|s)?(?![\wåäö])", re.I)


@cache
def cue_words() -> frozenset[str]:
    return frozenset(c for table in ("cues", "weak_cues") for cues in lexicon()[table].values() for c in cues)


def without_non_cues(text: str, nominal: bool = False) -> str:
    """Blank out words that begin like a cue but do not act: descriptive participles and agent nouns.
    With `nominal`, a participle that opens the text is its verb ("Förbättrad samverkan med …")."""
    opening = EXCLUDED.match(text) if nominal else None
    text = text[: opening.end()] + EXCLUDED.sub(blank, text[opening.end() :]) if opening else EXCLUDED.sub(blank, text)
    return AGENT_NOUN.sub(lambda m: m.group() if m.group().lower() in cue_words() else blank(m), text)


def blank(match: re.Match) -> str:
    """Spaces of the same length, so offsets into the text stay valid."""
    return " " * len(match.group())


def first_sentence(text: str) -> str:
    found = split(text)
    return found[0][0] if found else ""


def purpose_start(text: str) -> int:
    """Where the first sentence's purpose clause begins ("… för att öka …" says why, not what)."""
    first = first_sentence(text)
    match = re.search(lexicon()["purpose_markers"], first)
    return match.start() if match else len(first)


LEADING_PURPOSE = re.compile(r"(?i)^\W*(?:att\s+)?(?:för|i syfte) att\s")


def leading_purpose_end(text: str) -> int:
    """Where the main clause starts after an opening purpose clause ("För att förstärka ledarskapet bör regionen
    inrätta en platschef"): after its first comma, else at its first governing modal; 0 without one."""
    if not LEADING_PURPOSE.match(text):
        return 0
    comma = text.find(",")
    modal = modal_verb().search(text)
    ends = ([comma + 1] if comma >= 0 else []) + ([modal.start()] if modal else [])
    return min(ends, default=0)


def cue_matches(text: str, before: int | None = None, table: str = "cues") -> list[tuple[re.Match, str]]:
    """(first match, relation) for relations whose cues start before `before`, earliest first (lexicon order
    breaks ties, a longer cue wins at the same place)."""
    order = lexicon()["order"]
    limit = len(text) if before is None else before
    low = lowered(NAME.sub(lambda m: " " * len(m.group()), text))
    found = [
        (m.start(), -m.end(), order.index(r), m, r)
        for r in order
        if r in lexicon()[table] and (m := cue_pattern(r, table).search(low)) and m.start() < limit
    ]
    return [(m, r) for *_, m, r in sorted(found, key=lambda f: f[:3])]


def cue_hits(text: str, before: int | None = None, table: str = "cues") -> list[str]:
    return [r for _, r in cue_matches(text, before, table)]


@cache
def modal_verb() -> re.Pattern[str]:
    """A modal and the adverbs that may stand between it and the verb it governs ("behöver också ses över")."""
    rules = lexicon()["governing_modals"]
    modals, adverbs = "|".join(rules["modals"]), "|".join(rules["adverbs"])
    return re.compile(rf"(?<![\wåäö])(?:{modals})\s+(?:(?:{adverbs})\s+)?", re.I)


def modal_verb_cue(text: str, before: int) -> list[str]:
    """The relation of the verb a modal governs ("… bidragen till dessa behöver också ses över"): the main verb
    says what is done, whatever nouns with cues of their own ("bidrag", "investeringar") stand before it."""
    modal = modal_verb().search(text, 0, before)
    found = cue_matches(text[modal.end() :]) if modal else []
    return [found[0][1]] if found and found[0][0].start() == 0 else []


def main_cue(text: str) -> re.Match | None:
    """The cue that carries the main clause: its earliest strong cue, else its earliest weak one."""
    start = purpose_start(text)
    found = cue_matches(text, start) or cue_matches(text, start, "weak_cues")
    return found[0][0] if found else None


def classify(text: str, amount: float | None = None, advocating: bool = True) -> str:
    """The relation of the main clause's earliest strong cue (weak cues only when there is none); for budget rows
    the amount's sign decides between funds and cuts unless a fee or reorganisation cue says otherwise. A body that
    decides (a committee writing its own plan) is not `advocating`: its "ska utvecklas" commits, argues for nothing."""
    rules = lexicon()
    text = without_non_cues(text, nominal=amount is None)
    if amount is not None:
        text = ROW_NEUTRAL.sub(blank, text)
    text = text[leading_purpose_end(text) :]
    start = purpose_start(text)
    main = cue_hits(text, start)
    topical = [r for r in main if r in rules["topical"]]
    weak = [r for r in cue_hits(text, start, "weak_cues") if advocating or r != "advocates"]
    hits = topical + (modal_verb_cue(text, start) or main or cue_hits(text)) + weak
    if amount is not None:
        specific = [r for r in hits[:1] if r in rules["row_overrides"]]
        if specific or not amount:  # a row that moves no money ("HS Folktandvården 201 201 0") funds and cuts nothing
            return specific[0] if specific else "other"
        return "funds" if amount > 0 else "cuts"
    if hits:
        return hits[0]
    return "advocates" if advocating and ADVOCACY.search(text) else "other"


def kind_of(text: str, lead_in: str) -> str | None:
    """A kind named by the item or its lead-in, or None to keep the caller's default."""
    for kind, cues in lexicon()["kinds"].items():
        if any(cue in (lead_in + " " + text[:60]).lower() for cue in cues):
            return kind
    return None
