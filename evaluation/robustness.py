"""Robustness on every bundled document, gold or not: what its list items and table rows became, and warning signs.

Gold scores say how right the extraction is where someone annotated; this report says how much of any document's
structure it used and where it looks wrong (measures without an actor, implausible amounts, missing metadata).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from loaders.amounts import cells
from loaders.goals import goal_level
from loaders.measures import MAX_LONE_FIGURES, clean_item, lead_ins
from loaders.pipeline import extract_file
from loaders.records import Block, Document

IMPLAUSIBLE_MSEK = 50_000  # no Swedish region's whole budget is larger; a bigger amount is a misread number


def fate(doc: Document, index: int, measures: set[int], goals: set[int], frames: set[int]) -> str:
    """What a list item or table row became: a measure, a goal, a budget frame, or set aside (with the row's role,
    or why an item proposes nothing)."""
    block = doc.blocks[index]
    if block.line in measures:
        return "measure"
    if block.line in goals:
        return "goal"
    if block.line in frames:
        return "frame"
    reason = block.role or (item_reason(doc, index) if block.kind == "item" else row_reason(block))
    return f"set aside ({reason})" if reason else "set aside"


def row_reason(block: Block) -> str:
    """A row outside any table that is no budget line: a series of figures (results per year, a forecast), or too
    few words to name one (a chart label, a lone result)."""
    if block.table >= 0:
        return ""
    return "lone series" if len(cells(block.text)[1]) > MAX_LONE_FIGURES else "lone row"


def item_reason(doc: Document, index: int) -> str:
    """Why a list item is no measure: too short to say anything, listed under goal words, or led in by no proposal
    (a description: responsibilities, indicators, background)."""
    text = clean_item(doc.blocks[index].text)
    if len(text) < 8 or len(text.split()) < 2:
        return "fragment"
    if any(goal_level(intro) for intro in lead_ins(doc, index)):
        return "under goal words"
    return "no proposal lead-in"


def numbered(block: Block) -> bool:
    return block.marker[:1].isdigit() or block.marker.endswith(")")  # "3.", "1.2", "a)"; not the bullet "o"


def structure_counts(doc: Document) -> dict[str, dict[str, int]]:
    measures = {m.line for m in doc.measures}
    goals = {g.line for g in doc.goals}
    frames = {f.line for f in doc.frames}
    out: dict[str, Counter[str]] = {"list items": Counter(), "numbered items": Counter(), "table rows": Counter()}
    for index, block in enumerate(doc.blocks):
        kinds = ["list items"] * (block.kind == "item") + ["numbered items"] * (
            block.kind == "item" and numbered(block)
        )
        kinds += ["table rows"] * (block.kind == "row")
        for kind in kinds:
            out[kind][fate(doc, index, measures, goals, frames)] += 1
    return {kind: dict(counter.most_common()) for kind, counter in out.items()}


def warnings(doc: Document) -> dict[str, int | list[str]]:
    """Signs of a thin or wrong graph a user would notice first."""
    missing = [name for name, value in (("region", doc.region), ("period", doc.period)) if not value]
    party_authors = [a for a in doc.authors if a.kind in ("Party", "Coalition", "Committee")]
    missing += [] if party_authors else ["authors (the region stands in)" if doc.authors else "authors"]
    return {
        "measures": len(doc.measures),
        "without actor": sum(not m.actors for m in doc.measures),
        "without target": sum(not m.targets for m in doc.measures),
        "relation unclassified": sum(m.relation in ("affects", "other") for m in doc.measures),
        "without goal": sum(not m.goal for m in doc.measures),
        "amounts beyond 50,000 MSEK": sum(abs(m.amount or 0) > IMPLAUSIBLE_MSEK for m in doc.measures),
        "goals": len(doc.goals),
        "frames": len(doc.frames),
        "metadata missing": missing,
    }


def robustness(corpus_dir: Path) -> list[dict]:
    """One entry per text in the corpus folder, in name order."""
    out = []
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = extract_file(path)
        out.append(
            {
                "file": path.name,
                "proposal": doc.slug,
                "authors": [a.notation or a.label for a in doc.authors],
                "structure": structure_counts(doc),
                "warnings": warnings(doc),
            }
        )
    return out


def share(counts: dict[str, int], fates: tuple[str, ...]) -> str:
    total = sum(counts.values())
    used = sum(n for name, n in counts.items() if name in fates)
    return f"{used}/{total} ({100 * used / total:.0f} %)" if total else "–"


def robustness_table(entries: list[dict]) -> list[str]:
    """One row per document: how much of its structure was used, and its warning counts."""
    head = (
        "| Document | Authors | List items used | Numbered items used | Table rows used | Measures | No actor | "
        "Unclassified relation | No goal | Amount > 50,000 MSEK | Goals | Frames | Metadata missing |"
    )
    lines = [head, "|" + "---|" * 13]
    used = ("measure", "goal", "frame")
    for entry in entries:
        s, w = entry["structure"], entry["warnings"]
        cells = [
            entry["file"].removesuffix(".txt")[:32],
            ", ".join(entry["authors"]),
            share(s["list items"], used),
            share(s["numbered items"], used),
            share(s["table rows"], used),
            str(w["measures"]),
            str(w["without actor"]),
            str(w["relation unclassified"]),
            str(w["without goal"]),
            str(w["amounts beyond 50,000 MSEK"]),
            str(w["goals"]),
            str(w["frames"]),
            ", ".join(w["metadata missing"]) or "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def set_aside_table(entries: list[dict]) -> list[str]:
    """Why list items and table rows were set aside, per document: what kept each from being a measure."""
    lines = ["| Document | List items set aside, by reason | Table rows set aside, by role |", "|---|---|---|"]
    for entry in entries:
        cells = [reasons(entry["structure"][kind]) for kind in ("list items", "table rows")]
        lines.append(f"| {entry['file'].removesuffix('.txt')[:32]} | {' | '.join(cells)} |")
    return lines


def reasons(fates: dict[str, int]) -> str:
    found = [
        f"{name.removeprefix('set aside').strip(' ()') or 'no role'} {n}"
        for name, n in fates.items()
        if name.startswith("set aside")
    ]
    return ", ".join(found) or "–"


def render(entries: list[dict]) -> list[str]:
    return [
        "## Robustness on every bundled document",
        "",
        "Every text in the bundled corpus, gold or not. *Used* = the list items, numbered items and table rows that",
        "became a measure, a goal or a budget frame; the rest were set aside (a table row by its structural role:",
        "total, level, part, indicator, statement, statistic …; a list item as a fragment, under goal words, or led in",
        "by no proposal). *No actor*, *amount > 50,000 MSEK* and *metadata",
        "missing* should be zero or empty; *unclassified relation* counts measures left at `pkg:affects`.",
        "",
        *robustness_table(entries),
        "",
        *set_aside_table(entries),
        "",
    ]
