"""Sections and goal statements → goals; every block learns the goal it sits under."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.measures import clean_item, is_proposal_lead_in, lead_ins, lexicon
from loaders.morphology import stems
from loaders.records import Block, Document, Goal, Section
from loaders.structure.blocks import dehyphenate_text, is_column_header
from loaders.structure.sentences import block_sentences
from ontology.reference import global_goals
from ontology.terms import entity_iri

COMPOUND_MIN = 8  # a goal word this long also ends a compound ("Invånarperspektivet", "Verksamhetsmålområde")
# a shorter one is a word of its own, perhaps inflected ("Målet", "Visionen"), not the start of another
# ("måluppfyllelse", "målgrupper")
SHORT_WORD_END = r"(?:en|et|er|erna|s)?(?![a-zåäö])"


def goal_level(text: str) -> str:
    lower = text.lower()
    for word, level in lexicon()["goal_levels"].items():
        short = len(word) < COMPOUND_MIN
        start, end = ("(?<![a-zåäö])", SHORT_WORD_END) if short else ("", "")
        if re.search(rf"{start}{re.escape(word)}{end}", lower):
            return level
    return ""


# "Inriktningsmålet är …", "Regionens målsättning ska vara att …": a sentence that states a goal
STATED = re.compile(
    r"(?i)^(?:[\wåäö]+s )?[\wåäö]*mål(?:et|en|sättning(?:en)?)? (?:är|ska vara) (?P<goal>.{8,200}?)[.]?$"
)
# "… har som övergripande mål att …": a goal stated as one clause of a longer paragraph
GOAL_CLAUSE = re.compile(r"(?i)\bhar som (?:[a-zåäö]+ )?mål att (?P<goal>[^.]{8,200})[.]")


def block_after(doc: Document, section_index: int) -> Block | None:
    """The first block after a section's heading."""
    line = doc.sections[section_index].line
    return next((b for b in doc.blocks if b.line > line), None)


def section_at(doc: Document, line: int) -> int | None:
    """The index of the section whose heading stands on `line`."""
    return next((i for i, s in enumerate(doc.sections) if s.line == line), None)


def statement(block: Block | None) -> tuple[str, int] | None:
    """A heading or paragraph that states a goal: all of it ("Inriktningsmålet är …") or one clause of it."""
    if block is None or block.kind not in ("para", "heading"):
        return None
    if match := STATED.match(block.text.strip()):
        return match.group("goal"), block.line
    if block.kind != "para":
        return None
    for sentence, _, line in block_sentences(block):  # one sentence of the opening paragraph states it
        if match := STATED.match(dehyphenate_text(sentence).strip()):
            return match.group("goal"), line
    match = GOAL_CLAUSE.search(block.text)
    return (match.group("goal"), block.line) if match else None


def opening(doc: Document, section_index: int) -> Block | None:
    """A section's opening text: the block after its heading, or, when its first sub-section's heading follows at
    once, that sub-section's opening (a chapter that starts with "3.1 Inledning" states its goal there)."""
    following = block_after(doc, section_index)
    child = section_at(doc, following.line) if following else None
    if child is not None and doc.sections[child].parent == section_index and doc.sections[child].number:
        return block_after(doc, child)
    return following


def stated_goal(doc: Document, section_index: int) -> tuple[str, int] | None:
    """A section's goal as its opening states it ("Inriktningsmålet är ekonomi i balans …")."""
    return statement(opening(doc, section_index))


def statement_after(doc: Document, section_index: int) -> tuple[str, int] | None:
    """For "Målområde 1:"-style headings the goal is the short statement that follows."""
    following = block_after(doc, section_index)
    if following and len(following.text) < 200:
        return following.text, following.line
    return None


def named_by_next_heading(doc: Document, section_index: int) -> int | None:
    """A goal-word heading with nothing under it but an unnumbered heading without goal words: that heading names
    the goal, and what stands under it serves the goal (flat outlines give the two no parent link)."""
    following = block_after(doc, section_index)
    if following is None or following.kind != "heading":
        return None
    index = section_at(doc, following.line)
    if index is None or doc.sections[index].number:
        return None
    title = doc.sections[index].title
    if goal_level(title) or is_proposal_lead_in(title) or is_column_header(title) or len(title.split()) < 3:
        return None  # its own goal, "Vi yrkar" over the proposals, or a table's "Tkr 2031 2032 2033"
    return index


def marked_chapters(doc: Document) -> set[int]:
    """Lines of the chapters a format marks (PDF type, DOCX styles, HTML h1–h6): the top heading level, or the one
    under it when the top one is only the document's title; they are goals as numbered chapters are in text."""
    levels = sorted(set(doc.headings.values()))
    top = [line for line, lv in doc.headings.items() if levels and lv == levels[0]]
    if len(levels) > 1 and top == [min(doc.headings)]:
        levels = levels[1:]
    return {line for line, lv in doc.headings.items() if levels and lv == levels[0]}


FIGURE_CAPTION = re.compile(r"(?i)^\s*(?:tabell|figur|diagram|bild|graf)\s+\d+[.:]?\s")  # "Tabell 13 Styrdokument …"
GLOBAL_GOAL = re.compile(r"(?i)^\s*(?:globalt\s+)?mål\s*(?P<number>\d{1,2})\s*[:.–-]?\s*(?P<name>.+)$")


def names_global_goal(title: str) -> bool:
    """A heading naming one of the UN's global goals ("Mål 3: God hälsa och välbefinnande") tags the section with
    Agenda 2030; the plan's own goals bear other names ("Mål 3: Ekonomi i balans")."""
    match = GLOBAL_GOAL.match(title)
    names = global_goals().get(int(match["number"]), ()) if match else ()
    words = set(stems(match["name"])) if match else set()
    return any(len(words & set(stems(name))) * 2 >= len(set(stems(name))) for name in names)


def normal_title(title: str) -> str:
    return " ".join(title.lower().split())


def repeated_titles(doc: Document) -> set[str]:
    """Headings printed again and again ("Bidrar till de globala målen i Agenda 2030", "Mål 3: God hälsa", a table's
    column heads) tag or frame sections; they are not goals of this plan. A goal area named once more (in an
    appendix: "Målområde för kultur") is no tag: only its first heading is its goal."""
    return {title for title, n in title_counts(doc).items() if n > 2 or (n == 2 and goal_level(title) in ("", "mål"))}


def title_counts(doc: Document) -> Counter[str]:
    """How often each heading's title is printed."""
    return Counter(normal_title(s.title) for s in doc.sections)


@dataclass
class GoalScan:
    """What the scan over the headings has seen: titles printed as slots, chapter lines, titles already made a goal
    (a goal named again is the same goal), statement lines an enclosing section took, and the goals by section."""

    repeated: set[str]
    chapters: set[int]
    titles: set[str] = field(default_factory=set)
    stated: set[int] = field(default_factory=set)
    by_section: dict[int, Goal] = field(default_factory=dict)


def extract_goals(doc: Document) -> Document:
    """Numbered chapters are section-level goals; headings with goal words get their level; a heading that repeats a
    goal area the plan lists heads that area."""
    scan = GoalScan(repeated_titles(doc), marked_chapters(doc))
    for index in range(len(doc.sections)):
        goal = section_goal(doc, index, scan)
        if goal:
            doc.goals.append(goal)
            scan.by_section[goal.section] = goal
    names = listed_names(doc)
    doc.goals += listed_goals(doc, names, {g.section for g in doc.goals})
    for goal in doc.goals:
        goal.listed = normal_title(doc.sections[goal.section].title) in names
    doc.goals.sort(key=lambda g: g.line)
    return doc


def heads_goal(doc: Document, section: Section, level: str, scan: GoalScan) -> bool:
    """A heading with goal words (printed once, not yet a goal) or a chapter of the plan, unless it tags a global goal,
    names table columns or a figure, or is the document's unnumbered title ("Mål och budget 2025–2027")."""
    title = normal_title(section.title)
    chapter = section.number or section.line in scan.chapters
    if (not level and not chapter) or (level and (title in scan.repeated or title in scan.titles)):
        return False
    if names_global_goal(section.title) or is_column_header(section.title) or FIGURE_CAPTION.match(section.title):
        return False
    return bool(section.number) or section.line != doc.title_line


def section_goal(doc: Document, index: int, scan: GoalScan) -> Goal | None:
    """The goal a section heads, worded by its statement or the heading it names ("Målområde för Kultur" over
    "Tillgängligt kulturutbud i hela länet"); None where the heading is no goal or an enclosing goal took it."""
    section = doc.sections[index]
    level = goal_level(section.title)
    if not heads_goal(doc, section, level, scan):
        return None
    scan.titles.add(normal_title(section.title))
    if section.line in scan.stated:
        return None
    label, line, level = goal_wording(doc, index, level, scan.stated)
    named = named_by_next_heading(doc, index) if level not in ("", "mål") and line == section.line else None
    if named is not None:
        index, label, line = named, doc.sections[named].title, doc.sections[named].line
        scan.stated.add(line)
    parent = scan.by_section.get(section.parent)
    iri = entity_iri("goal", f"{doc.slug}-l{line}")
    return Goal(iri, label.rstrip(":"), level or "section", line, index, parent.iri if parent else "")


def goal_wording(doc: Document, index: int, level: str, stated: set[int]) -> tuple[str, int, str]:
    """Label, line and level of a section's goal: the statement after a bare "Målområde 2", else the statement the
    section opens with (each taken once; it makes the goal a "mål"), else the heading."""
    section = doc.sections[index]
    if re.fullmatch(r"(?i)(målområde|mål|perspektiv)\s*\d*", section.title.strip()):
        label, line = statement_after(doc, index) or (section.title, section.line)
        return label, line, level
    found = stated_goal(doc, index)
    if found and found[1] not in stated:
        stated.add(found[1])
        return found[0], found[1], level or "mål"
    return section.title, section.line, level


def listed_title(text: str) -> str:
    """A listed goal's name without its gloss: "God och nära vård i hela länet (Målområde för hälso- och sjukvård)"."""
    return normal_title(re.sub(r"\s*\([^)]*\)\s*$", "", clean_item(text)).rstrip(".:;"))


def listed_names(doc: Document) -> dict[str, tuple[str, int]]:
    """The goals a list led in by goal words names ("Den årliga styrningen utgår från utvecklingsområden …:"): each
    name with its level and the line of its item."""
    levels: dict[str, tuple[str, int]] = {}
    for index, block in enumerate(doc.blocks):
        if block.kind == "item":
            level = next((lv for lv in map(goal_level, lead_ins(doc, index)) if lv), "")
            title = listed_title(block.text)
            if level and len(title) >= 8:
                levels.setdefault(title, (level, block.line))
    return levels


def listed_goals(doc: Document, names: dict[str, tuple[str, int]], taken: set[int]) -> list[Goal]:
    """A later heading that repeats a listed goal's name heads that goal's section."""
    levels = dict(names)
    found = []
    for index, section in enumerate(doc.sections):
        title = normal_title(section.title)
        listed = levels.get(title)
        if listed and index not in taken and section.line > listed[1]:
            del levels[title]  # the first heading after the list; later ones only repeat it
            iri = entity_iri("goal", f"{doc.slug}-l{section.line}")
            found.append(Goal(iri, section.title, listed[0], section.line, index))
    return found


def slot_titles(doc: Document) -> set[str]:
    """Headings printed more than once: slots a template repeats under every goal or chapter."""
    return {title for title, n in title_counts(doc).items() if n > 1}


def template_heading_goal(doc: Document, section: int, goals: dict[int, Goal], slots: set[str]) -> Goal | None:
    """A heading printed under every goal alike ("Beskrivning", "Indikatorer") is a slot of the heading before it:
    in plain text the two stand side by side, so the slot's measures serve that heading's goal
    ("Resultatmål: Låg miljöpåverkan"). A section that has a goal of its own is no slot."""
    if section in goals:
        return None
    parent = doc.sections[section].parent
    while section not in goals and normal_title(doc.sections[section].title) in slots:
        section -= 1
        if section < 0 or doc.sections[section].parent != parent:
            return None
    goal = goals.get(section)
    return goal if goal and goal.level != "section" else None


def goal_for_section(doc: Document, section: int, slots: set[str], chapters: bool = True) -> str:
    """The goal of the nearest enclosing section that states one (a perspective's "Inriktningsmålet är …" over its
    numbered sub-sections); else, for a repeated slot heading, the goal of the heading it follows; else the nearest
    enclosing section that has a goal. A plain chapter is a goal area only where `chapters` are: a party's or a
    region's plan makes its chapters its goal areas, a committee's annual plan serves the goals its headings state."""
    goals = {g.section: g for g in doc.goals if chapters or g.level != "section"}
    if section >= 0 and (slot := template_heading_goal(doc, section, goals, slots)):
        return slot.iri
    chain, at = [], section
    while at >= 0:
        if at in goals:
            chain.append(goals[at])
        at = doc.sections[at].parent
    if not chain:
        between = goal_between(doc, section, goals)
        return between.iri if between else ""
    stated = [g for g in chain if g.level != "section" and g.line != doc.sections[g.section].line]
    return (stated or chain)[0].iri


def goal_between(doc: Document, section: int, goals: dict[int, Goal]) -> Goal | None:
    """In a flat outline, a heading between the headings of two goals the plan lists serves the goal heading nearest
    above it: the text from one listed goal area's heading to the next is that area's, whatever sub-headings it holds
    (a document's own appendices and lists after its last goal area are not)."""
    if section < 0:
        return None
    parent = doc.sections[section].parent
    siblings = [g for s, g in sorted(goals.items()) if g.level != "section" and doc.sections[s].parent == parent]
    listed = [g.section for g in siblings if g.listed]
    before = next((g for g in reversed(siblings) if g.section < section), None)
    inside = any(s < section for s in listed) and any(s > section for s in listed)
    return before if before and inside else None
