"""Stance patterns compiled from loaders/lexicon/stances.toml: negation, harm, actors, mood, binding, cues."""

from __future__ import annotations

import re
from functools import cache

from loaders.collective import lexicon

FLIP = {"supports": "opposes", "opposes": "supports", "mixed": "mixed"}
HARD_BOUNDARY = re.compile(r"[;:!?()\[\]•–—]|\.(?=\s|$)")


# --- patterns -------------------------------------------------------------------------------------------


def words(patterns: list[str]) -> str:
    return r"\b(?:" + "|".join(patterns) + r")\b"


@cache
def compiled() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    flags = re.IGNORECASE
    out = {
        "negation": re.compile(words(lex["negation"]["words"]), flags),
        "negation_exception": re.compile(words(lex["negation"]["exceptions"]), flags),
        "harm": re.compile(words(lex["harm"]["words"]), flags),
        "rejection": re.compile(words(lex["harm"]["rejection"]), flags),
        "majority": re.compile(lex["actors"]["majority"], flags),
        "past": re.compile(words(lex["actors"]["past_markers"]), flags),
        "report_verb": re.compile(
            r"^\W*(?:\w+\W+){0,N}?".replace("N", str(lex["actors"]["report_window"]))
            + words(lex["actors"]["report_verbs"]),
            flags,
        ),
        "proposal_after": re.compile(lex["actors"]["proposal_after"], flags),
        "proposal_before": re.compile(lex["actors"]["proposal_before"], flags),
        "first_person": re.compile(words(lex["actors"]["first_person"]) + r"\W*$", flags),
        "clause": re.compile(
            r",\s*" + words(lex["binding"]["clause_words"]) + "|" + words(lex["binding"]["clause_openers"]), flags
        ),
    }
    mood = lex["mood"]
    out["weak"] = re.compile(r"^(?:" + "|".join(mood["weak_cues"]) + r")\b", flags)
    out["exclude_mention"] = re.compile(r"^(?:" + "|".join(lex["mentions"]["exclude"]) + ")", flags)
    out["normative"] = re.compile(words(mood["normative_words"]) + r"|^\W*" + words(mood["normative_openers"]), flags)
    out["non_assertive"] = re.compile(r"^\W*" + words(mood["non_assertive_openers"]) + r"|\?\s*$", flags)
    out["unbinding"] = re.compile(words(lex["binding"]["unbinding_words"]), flags)
    out["chain_gap"] = re.compile(r"^[\s,/&-]*(?:" + words(lex["binding"]["chain_words"]) + r"[\s,/&-]*)*$", flags)
    for polarity in ("supports", "opposes"):
        for form in ("object", "nominal", "passive", "attributive"):
            patterns = lex["cues"][polarity].get(form, [])
            if patterns:
                out[f"{polarity}.{form}"] = re.compile(words(patterns))  # searched in lowered text
    return out


def is_problem(mention: str) -> bool:
    """ "överbeläggningar", "köerna": a mention that names the lack of what its concept stands for."""
    word = mention.split()[-1].lower() if mention.split() else ""
    return any(word.startswith(term) for term in lexicon()["problems"]["terms"])
