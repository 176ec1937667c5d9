"""Sections and goal statements → goals; every block learns the goal it sits under."""

from __future__ import annotations

import re
from collections import Counter

from loaders.measures import lexicon
from loaders.records import Block, Document, Goal
from ontology.terms import entity_iri

COMPOUND_MIN = 8  # a goal word this long also ends a compound ("Invånarperspektivet", "Verksamhetsmålområde")


def goal_level(text: str) -> str:
    lower = text.lower()
    for word, level in lexicon()["goal_levels"].items():
        start = "" if len(word) >= COMPOUND_MIN else "(?<![a-zåäö])"
        if re.search(rf"{start}{re.escape(word)}", lower):
            return level
    return ""


STATED = re.compile(r"(?i)^[\wåäö]*mål(?:et|en)? (?:är|ska vara) (?P<goal>.{8,200}?)[.]?$")


def block_after(doc: Document, section_index: int) -> Block | None:
    """The first block after a section's heading."""
    line = doc.sections[section_index].line
    return next((b for b in doc.blocks if b.line > line), None)


def stated_goal(doc: Document, section_index: int) -> tuple[str, int] | None:
    """A goal heading's first paragraph that states its goal ("Inriktningsmålet är ekonomi i balans …")."""
    following = block_after(doc, section_index)
    match = STATED.match(following.text.strip()) if following and following.kind == "para" else None
    return (match.group("goal"), following.line) if match else None


def statement_after(doc: Document, section_index: int) -> tuple[str, int] | None:
    """For "Målområde 1:"-style headings the goal is the short statement that follows."""
    following = block_after(doc, section_index)
    if following and len(following.text) < 200:
        return following.text, following.line
    return None


def normal_title(title: str) -> str:
    return " ".join(title.lower().split())


def repeated_titles(doc: Document) -> set[str]:
    """Headings printed again and again ("Bidrar till de globala målen i Agenda 2030", a table's column heads) tag
    or frame sections; they are not goals of this plan."""
    counts = Counter(normal_title(s.title) for s in doc.sections)
    return {title for title, n in counts.items() if n > 1}


def extract_goals(doc: Document) -> Document:
    """Numbered chapters are section-level goals; headings with goal words get their level."""
    by_section: dict[int, Goal] = {}
    repeated = repeated_titles(doc)
    for index, section in enumerate(doc.sections):
        level = goal_level(section.title)
        if (not level and not section.number) or (level and normal_title(section.title) in repeated):
            continue
        label, line = section.title, section.line
        if re.fullmatch(r"(?i)(målområde|mål|perspektiv)\s*\d*", section.title.strip()):
            label, line = statement_after(doc, index) or (label, line)
        elif level:
            label, line = stated_goal(doc, index) or (label, line)
        parent = by_section.get(section.parent)
        goal = Goal(
            entity_iri("goal", f"{doc.slug}-l{line}"),
            label.rstrip(":"),
            level or "section",
            line,
            index,
            parent.iri if parent else "",
        )
        doc.goals.append(goal)
        by_section[index] = goal
    doc.goals.sort(key=lambda g: g.line)
    return doc


def goal_for_section(doc: Document, section: int) -> str:
    """The goal of the nearest enclosing section that states one (a perspective's "Inriktningsmålet är …" over its
    numbered sub-sections); else the nearest enclosing section that has a goal."""
    goals = {g.section: g for g in doc.goals}
    chain = []
    while section >= 0:
        if section in goals:
            chain.append(goals[section])
        section = doc.sections[section].parent
    if not chain:
        return ""
    stated = [g for g in chain if g.level != "section" and g.line != doc.sections[g.section].line]
    return (stated or chain)[0].iri
