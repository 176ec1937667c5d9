"""Gold annotations as the scorer sees them: measures reduced to what is scored, files paired with texts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PROSE = "running_text"


@dataclass
class GoldMeasure:
    """A gold measure reduced to what is scored; the gold goal id is resolved to its label."""

    id: str
    line: int
    text: str
    source: str  # list | table | running_text (the gold's source_class)
    actors: frozenset[str]
    relations: frozenset[str]  # the gold relation and its defensible alternatives
    targets: tuple[str, ...]
    amount: float | None  # signed MSEK
    goal: str | None

    @classmethod
    def from_json(cls, m: dict, goal_labels: dict[str, str]) -> GoldMeasure:
        amount = m.get("amount_msek")
        if amount is not None and m.get("amount_sign") == "-":
            amount = -amount
        return cls(
            m["id"],
            m["line"],
            m["text"],
            source_class(m),
            frozenset(m.get("actors", [])),
            frozenset([m["relation"], *m.get("relation_alt", [])]),
            tuple(m.get("targets", [])),
            amount,
            goal_labels.get(m.get("goal") or ""),
        )


def source_class(m: dict) -> str:
    """`source_class` when the annotation has it; older files only say `source` (running_text or a list kind)."""
    if m.get("source_class"):
        return m["source_class"]
    source = m.get("source") or ""
    return PROSE if source == PROSE else "table" if "table" in source else "list"


def gold_measures(gold: dict) -> list[GoldMeasure]:
    labels = {g["id"]: g["label"] for g in gold.get("goals", [])}
    return [GoldMeasure.from_json(m, labels) for m in gold["measures"]]


def author_names(document: dict) -> list[str]:
    """Each author by its abbreviation (a party) or its name (a committee, "body")."""
    return sorted({a.get("abbr") or a.get("party") or a.get("body") or "" for a in document.get("authors", [])})


def gold_files(gold_dir: Path) -> list[Path]:
    found = sorted(gold_dir.glob("*.json"))
    if not found:
        raise FileNotFoundError(f"no gold *.json in {gold_dir}; pass --gold DIR")
    return found


def corpus_file(corpus_dir: Path, gold_file: Path, gold: dict) -> Path:
    """The text a gold file annotates: its `file` key, else the corpus file with the same number prefix."""
    named = corpus_dir / gold.get("file", "")
    if gold.get("file") and named.is_file():
        return named
    found = sorted(corpus_dir.glob(f"{gold_file.stem}_*.txt"))
    if not found:
        raise FileNotFoundError(f"no text for {gold_file.name} in {corpus_dir}; pass --corpus DIR")
    return found[0]


def read_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
