"""Measures → relation and signed amount; goal links from the enclosing section."""

from __future__ import annotations

from collections import Counter

from loaders.goals import goal_for_section, slot_titles
from loaders.morphology import stems
from loaders.records import Document, Goal
from loaders.relations import classify

NEGATIVE = {"cuts", "closes"}
PARTIES = {"Party", "Coalition", "Person"}  # authors who argue for what others decide
SIMILARITY_THRESHOLD = 0.34  # at least a third of a goal's content words recur in the measure
MONEY_MAKES_FUNDING = {"establishes", "advocates", "other"}  # a proposal with a sum attached funds it


def relate(doc: Document) -> Document:
    advocating = any(actor.kind in PARTIES for actor in doc.authors)
    for measure in doc.measures:
        measure.relation = classify(measure.text, measure.amount if measure.source == "table" else None, advocating)
        if measure.amount and measure.source != "table" and measure.relation in MONEY_MAKES_FUNDING:
            measure.relation = "funds" if measure.amount_sign >= 0 else "cuts"
        if measure.amount is not None and measure.source != "table":
            negative = measure.amount_sign < 0 or (measure.amount_sign == 0 and measure.relation in NEGATIVE)
            measure.amount = -abs(measure.amount) if negative else abs(measure.amount)
    return doc


def link_goals(doc: Document) -> Document:
    """The goal of the enclosing section; failing that, the stated goal whose words it shares most."""
    stated = distinctive([(g, set(stems(g.label))) for g in doc.goals if g.level != "section"])
    slots = slot_titles(doc)
    chapters = not doc.authors or any(actor.kind != "Committee" for actor in doc.authors)  # see goal_for_section
    for measure in doc.measures:
        measure.goal = goal_for_section(doc, measure.section, slots, chapters)
        measure.goal_method = "section" if measure.goal else ""
        if not measure.goal and stated:
            words = set(stems(measure.text))
            score, goal = max(((overlap(words, g_words), g) for g, g_words in stated), key=lambda p: p[0])
            if score >= SIMILARITY_THRESHOLD:
                measure.goal, measure.goal_method = goal.iri, "similarity"
    return doc


def distinctive(goals: list[tuple[Goal, set[str]]]) -> list[tuple[Goal, set[str]]]:
    """Each goal's words without those other goals' labels share ("vård" in four goals tells none of them apart)."""
    seen = Counter(word for _, words in goals for word in words)
    return [(goal, {w for w in words if seen[w] == 1}) for goal, words in goals]


def overlap(a: set[str], b: set[str]) -> float:
    """Shared content stems over the goal's stems (short words carry no meaning here)."""
    a, b = {w for w in a if len(w) > 3}, {w for w in b if len(w) > 3}
    return len(a & b) / len(b) if b else 0.0
