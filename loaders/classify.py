"""Measures → relation and signed amount; goal links from the enclosing section."""

from __future__ import annotations

from loaders.goals import goal_for_section
from loaders.records import Document
from loaders.relations import classify

NEGATIVE = {"cuts", "closes"}
MONEY_MAKES_FUNDING = {"establishes", "advocates", "other"}  # a proposal with a sum attached funds it


def relate(doc: Document) -> Document:
    for measure in doc.measures:
        measure.relation = classify(measure.text, measure.amount if measure.source == "table" else None)
        if measure.amount and measure.source != "table" and measure.relation in MONEY_MAKES_FUNDING:
            measure.relation = "funds" if measure.amount_sign >= 0 else "cuts"
        if measure.amount is not None and measure.source != "table":
            negative = measure.amount_sign < 0 or (measure.amount_sign == 0 and measure.relation in NEGATIVE)
            measure.amount = -abs(measure.amount) if negative else abs(measure.amount)
    return doc


def link_goals(doc: Document) -> Document:
    for measure in doc.measures:
        measure.goal = goal_for_section(doc, measure.section)
        measure.goal_method = "section" if measure.goal else ""
    return doc
