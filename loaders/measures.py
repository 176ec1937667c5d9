"""Blocks → measures: list items under proposal lead-ins, "Att …" items and budget-table rows."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from loaders.amounts import money, period_near, trailing_amount
from loaders.records import Block, Document, Measure
from loaders.relations import kind_of
from ontology.terms import entity_iri


@cache
def lexicon() -> dict:
    return tomllib.loads((Path(__file__).parent / "lexicon" / "measures.toml").read_text("utf-8"))


def lead_in(doc: Document, index: int) -> str:
    """The text that introduces the list holding block `index` (skipping earlier items)."""
    for block in reversed(doc.blocks[:index]):
        if block.kind not in ("item",):
            return block.text
    return ""


def is_proposal_lead_in(text: str) -> bool:
    lower = text.lower()
    if any(word in lower for word in lexicon()["not_lead_ins"]):
        return False
    return any(word in lower for word in lexicon()["lead_ins"])


def clean_item(text: str) -> str:
    return re.sub(r"^[\s•●▪◦■\-–]+", "", text).strip()


def item_measure(doc: Document, index: int) -> Measure | None:
    block = doc.blocks[index]
    intro = lead_in(doc, index)
    opener = block.text.lower().startswith(tuple(lexicon()["item_openers"]))
    if not (opener or is_proposal_lead_in(intro)) or len(block.text) < 8:
        return None
    default = "yrkande" if "yrka" in intro.lower() or opener else "åtgärd"
    kind = kind_of(block.text, intro) or default
    source = "decision" if kind == "beslutsförslag" else "list"
    measure = new_measure(doc, block, clean_item(block.text), kind, source)
    amounts = money(block.text)
    if amounts:
        measure.amount = amounts[0].msek
        measure.amount_period = period_near(block.text, amounts[0].start + len(amounts[0].text))
    return measure


def row_measure(doc: Document, index: int) -> Measure | None:
    """A table row with one trailing amount and a descriptive label is a budget line."""
    block = doc.blocks[index]
    amount = trailing_amount(block.text)
    label = block.text[: amount.start].strip(" .:") if amount else ""
    words = re.findall(r"[A-Za-zÅÄÖåäö]{2,}", label)
    if not amount or len(words) < 3 or trailing_amount(label):
        return None
    if label.lower().startswith(tuple(lexicon()["subtotal_words"])):
        return None
    measure = new_measure(doc, block, label + ".", "budgetpost", "table")
    measure.amount = amount.msek
    measure.amount_period = str(doc.period[0]) if doc.period else ""
    return measure


def new_measure(doc: Document, block: Block, text: str, kind: str, source: str) -> Measure:
    serial = sum(1 for m in doc.measures if m.line == block.line) + 1
    iri = entity_iri("measure", f"{doc.slug}-l{block.line}-{serial}")
    return Measure(iri, text, block.line, kind, source, block.section, quote=block.raw)


def extract_measures(doc: Document) -> Document:
    for index, block in enumerate(doc.blocks):
        maker = {"item": item_measure, "row": row_measure}.get(block.kind)
        measure = maker(doc, index) if maker else None
        if measure:
            doc.measures.append(measure)
    return doc
