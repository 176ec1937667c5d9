"""Blocks → measures: list items under proposal lead-ins, "Att …" items and budget-table rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache

from loaders.amounts import PART_OPENING, cells, main_amount, period_near, sign_hint, sum_clauses, to_float
from loaders.imperative import opens_imperative
from loaders.lexicons import lexicon as load
from loaders.morphology import stems
from loaders.records import Block, Document, Measure
from loaders.relations import kind_of
from loaders.structure.blocks import BULLETS, dehyphenate_text, line_at
from loaders.structure.tables import TARGET_VALUE, Table, number_tokens
from ontology.terms import entity_iri

ATT_OPENING = re.compile(r"Att [A-ZÅÄÖa-zåäö]")


@cache
def lexicon() -> dict:
    return load("measures")


MAX_LONE_FIGURES = 2  # figures a row outside any table may hold and still be one budget line
HEADING_LEVELS = 2  # a list right under a heading is led in by that heading or the one above it


def lead_ins(doc: Document, index: int) -> list[str]:
    """The texts that introduce the list holding block `index` (skipping earlier items): the paragraph before it, or,
    for a list right under a heading, that heading and its parent ("Uppdrag …" above "Regionstyrelsen (RS)")."""
    for at in range(index - 1, -1, -1):
        block = doc.blocks[at]
        if block.kind == "heading":
            return section_titles(doc, block.section).split(" / ")[:HEADING_LEVELS] + colon_lead_in(doc, at)
        if block.kind != "item" and not (block.kind == "para" and ATT_OPENING.match(block.text)):
            return [block.text]
    return []


def colon_lead_in(doc: Document, index: int) -> list[str]:
    """A lead-in ending in a colon over a run of sub-headed lists ("Följande förändringar har gjorts i
    Regionstyrelsens budgetram:" over "Regionstaben" • … "Regiongemensamt" • …) leads in every one of them."""
    for block in reversed(doc.blocks[:index]):
        if block.kind == "para":
            return [block.text] if block.text.rstrip().endswith(":") else []
    return []


def is_proposal_lead_in(text: str) -> bool:
    """A short line or one ending in a colon that names proposals; long prose never introduces a list."""
    if len(text) > 200 and not text.rstrip().endswith(":"):
        return False
    lower = text.lower()
    if any(word in lower for word in lexicon()["not_lead_ins"]):
        return False
    return any(word in lower for word in lexicon()["lead_ins"])


def clean_item(text: str) -> str:
    return re.sub(rf"^[\s{re.escape(BULLETS)}\-–]+", "", text).strip()


def item_measure(doc: Document, index: int) -> Measure | None:
    block = doc.blocks[index]
    intros = lead_ins(doc, index)
    intro = " ".join(intros)
    parent = parent_item(doc, index)
    led = is_led(doc, index, intros) or (
        parent is not None and doc.blocks[parent].text.rstrip().endswith(":") and is_led(doc, parent)
    )
    if not led or len(block.text) < 8:
        return None
    default = "yrkande" if "yrka" in intro.lower() or has_opener(block) else "åtgärd"
    kind = kind_of(block.text, intro + " " + section_titles(doc, block.section)) or default
    source = "decision" if kind == "beslutsförslag" else "list"
    measure = new_measure(doc, block, clean_item(block.text), kind, source)
    return attach_amount(measure, block.text)


def is_led(doc: Document, index: int, intros: list[str] | None = None) -> bool:
    """Whether a list item proposes: by its opener ("Att …"), a proposal lead-in, or a list of its level that mostly
    says what to do or what money goes where."""
    intros = lead_ins(doc, index) if intros is None else intros
    listed = in_list_mostly(doc, index, opens_with_imperative) or in_list_mostly(doc, index, names_money)
    return has_opener(doc.blocks[index]) or any(map(is_proposal_lead_in, intros)) or listed


def has_opener(block: Block) -> bool:
    """Opens as a proposal does ("Att …": `item_openers` in loaders/lexicon/measures.toml)."""
    return block.text.lower().startswith(tuple(lexicon()["item_openers"]))


def parent_item(doc: Document, index: int) -> int | None:
    """The item a sub-item hangs under: the nearest earlier item of its run's first level, when its own marker is of
    another ("o Accelererad digitalisering." under "• Implementera … genom:")."""
    run = item_run(doc, index)
    top = marker_kind(doc.blocks[run.start].marker)
    if marker_kind(doc.blocks[index].marker) == top:
        return None
    return next(i for i in range(index - 1, run.start - 1, -1) if marker_kind(doc.blocks[i].marker) == top)


def item_run(doc: Document, index: int) -> range:
    """The unbroken run of list items around block `index`."""
    start = stop = index
    while start > 0 and doc.blocks[start - 1].kind == "item":
        start -= 1
    while stop + 1 < len(doc.blocks) and doc.blocks[stop + 1].kind == "item":
        stop += 1
    return range(start, stop + 1)


def list_around(doc: Document, index: int) -> list[Block]:
    """The items of block `index`'s level in the run of list items it belongs to: those with its kind of marker
    ("•" items over "o" sub-items, "1." over "a)"), so sub-items do not outvote their parents."""
    level = marker_kind(doc.blocks[index].marker)
    return [b for b in (doc.blocks[i] for i in item_run(doc, index)) if marker_kind(b.marker) == level]


def marker_kind(marker: str) -> str:
    """A list marker with its number or letter generalised: "3." and "12." are one level, "b)" and "a)" another."""
    return re.sub(r"\d+", "9", re.sub(r"^[a-h]\)$", "a)", marker))


def in_list_mostly(doc: Document, index: int, test: Callable[[Block], bool]) -> bool:
    """Item `index` passes `test`, in a list of at least two items that mostly pass it."""
    if not test(doc.blocks[index]):
        return False
    items = list_around(doc, index)
    passing = sum(map(test, items))
    return passing >= 2 and passing >= lexicon()["list_share"] * len(items)


def opens_with_imperative(block: Block) -> bool:
    """Says what to do even without a lead-in, in a list of such ("Övergripande åtgärder …" over a paragraph, then
    "• Accelerera …", "• Genomföra …")."""
    return opens_imperative(clean_item(block.text))


def names_money(block: Block) -> bool:
    """A budget line even without a lead-in, in a list of such ("Förändring budgetramar" … "• Omdisponering 3,3 mkr
    från RUN till RS", "• Cancersjukvård med 12 mkr")."""
    return main_amount(block.text) is not None


def attach_amount(measure: Measure, text: str) -> Measure:
    """The measure's money, signed by its own words when they say saving or spending."""
    amount = main_amount(text)
    if amount:
        measure.amount = amount.msek
        measure.amount_sign = sign_hint(text, amount)
        measure.amount_period = period_near(text, amount.start + len(amount.text))
    return measure


def section_titles(doc: Document, section: int) -> str:
    """The titles of a block's section and its ancestors, lower case, for context rules."""
    titles = []
    while section >= 0:
        titles.append(doc.sections[section].title.lower())
        section = doc.sections[section].parent
    return " / ".join(titles)


def row_measure(doc: Document, index: int) -> Measure | None:
    """A table row that structure does not set aside (total, level, part …) is a budget line; a lone row outside
    any table counts when its label is descriptive (three words or more) and it is no subtotal."""
    block = doc.blocks[index]
    if block.table < 0:
        return lone_row_measure(doc, block)
    label = number_tokens(block.text)[0].strip(" .:")
    if block.role or block.amount is None or not re.search(r"[A-Za-zÅÄÖåäö]{3}", label):
        return None
    measure = new_measure(doc, block, label + ".", "budgetpost", "table")
    measure.amount = block.amount
    measure.amount_period = table_period(doc, doc.tables[block.table])
    measure.yearly = yearly_cells(doc.tables[block.table], block.cells)
    return measure


def yearly_cells(table: Table, cells: list[float]) -> list[tuple[int, float]]:
    """A row's figure under each year column ("Budget 2026 Plan 2027 Plan 2028"), when its cells fill the columns."""
    years = [c for c in table.columns if c.isdigit()]
    if len(years) < 2 or len(cells) != len(table.columns):
        return []
    return [(int(c), value) for c, value in zip(table.columns, cells, strict=True) if c.isdigit()]


def table_period(doc: Document, table: Table) -> str:
    """A change column's two years ("2026 vs 2025"), else the first year column, else the plan's first year."""
    years = [c for c in table.columns if c != "change"]
    if table.change and len(years) >= 2:
        return f"{years[-1]} vs {years[-2]}"
    return years[0] if years else str(doc.period[0]) if doc.period else ""


def lone_row_measure(doc: Document, block: Block) -> Measure | None:
    """A row outside any table is a budget line when it names one figure or two (a sum, a before and after); three
    or more without a table's header are a series (results per year, a population forecast), not a proposal."""
    label, amounts = cells(block.text)
    label = label.strip(" .:")
    words = re.findall(r"[A-Za-zÅÄÖåäö]{2,}", label)
    if not amounts or len(amounts) > MAX_LONE_FIGURES or any(c.endswith("%") for c in amounts):
        return None
    if len(words) < 3 or TARGET_VALUE.search(label):
        return None
    if len(words) <= 6 and label.lower().startswith(tuple(lexicon()["subtotal_words"])):
        return None
    measure = new_measure(doc, block, label + ".", "budgetpost", "table")
    measure.amount = to_float(amounts[0])
    measure.amount_period = str(doc.period[0]) if doc.period else ""
    return measure


def amountless_row(doc: Document, index: int) -> Measure | None:
    """A short line between amount rows of one table is a budget line whose amount cell is empty; a heading
    between it and the rows on either side starts another table."""
    block = doc.blocks[index]
    if len(block.text) > 120 or not block.text.endswith("."):
        return None
    before = reversed(doc.blocks[max(0, index - 4) : index])
    after = doc.blocks[index + 1 : index + 5]
    if next_row_within(before) and next_row_within(after):
        return new_measure(doc, block, block.text, "budgetpost", "table")
    return None


def next_row_within(blocks: Iterable[Block]) -> bool:
    """A table row comes first among these blocks, with only short paragraphs before it."""
    for block in blocks:
        if block.kind == "row":
            return True
        if block.kind != "para" or len(block.text) > 120:
            return False
    return False


def para_measure(doc: Document, index: int) -> Measure | None:
    """An unbulleted paragraph that opens like a proposal ("Att regionen …") is a list item too."""
    block = doc.blocks[index]
    if ATT_OPENING.match(block.text) and in_list_context(doc, index):
        return item_measure(doc, index)
    return amountless_row(doc, index)


def in_list_context(doc: Document, index: int) -> bool:
    """ "Att …" paragraphs form a list when a heading or proposal lead-in (not prose) introduces them."""
    intro = next((b for b in reversed(doc.blocks[:index]) if not ATT_OPENING.match(b.text)), None)
    return intro is None or intro.kind in ("heading", "item") or is_proposal_lead_in(intro.text)


def confidence_of(source: str) -> float:
    """How far to trust a measure of this source (list, table, decision, running_text), from the lexicon."""
    return lexicon()["confidence"][source]


def new_measure(doc: Document, block: Block, text: str, kind: str, source: str) -> Measure:
    serial = sum(1 for m in doc.measures if m.line == block.line) + 1
    iri = entity_iri("measure", f"{doc.slug}-l{block.line}-{serial}")
    return Measure(iri, text, block.line, kind, source, block.section, quote=block.raw)


def extract_measures(doc: Document) -> Document:
    """List items, table rows and "Att …" paragraphs that propose something become measures (an item with two sums
    of its own, two); a row whose figure a list item states in words is then set aside as restated."""
    rows = []
    for index, block in enumerate(doc.blocks):
        maker = {"item": item_measure, "row": row_measure, "para": para_measure}.get(block.kind)
        measure = maker(doc, index) if maker else None
        if measure:
            doc.measures.extend(by_sum(block, measure) if block.kind == "item" else [measure])
            rows += [(block, measure)] * (block.kind == "row")
    items = [m for m in doc.measures if m.source == "list" and m.amount]
    for block, measure in rows:
        if restated_by_item(measure, items):
            block.role = "restated"
            doc.measures.remove(measure)
    return doc


def by_sum(block: Block, measure: Measure) -> list[Measure]:
    """A list item that states two sums in clauses of their own is two measures, each quoting its clause ("… 55
    miljoner kronor. I tillägg satsas 5 miljoner kronor på …"), so each sum keeps its own words and targets. A
    clause about the sum before it ("… 64 miljoner kronor vilket bland annat inkluderar … 20 miljoner kronor") is
    part of that measure (pkg:partOf), so totals count its money once."""
    spans = sum_clauses(block.raw)
    if len(spans) < 2:
        return [measure]
    parts: list[Measure] = []
    for start, end in spans:
        quote = block.raw[start:end].strip()
        part = replace(measure, text=clean_item(dehyphenate_text(quote)), quote=quote, line=line_at(block, start))
        part.iri = f"{measure.iri}-s{start}"
        part.part_of = parts[-1].iri if parts and PART_OPENING.match(quote) else ""
        parts.append(attach_amount(part, quote))
    return parts


def restated_by_item(row: Measure, items: list[Measure]) -> bool:
    """A table row whose figure a list item states with its words ("Vårdplatser 55" beside "• … antalet vårdplatser
    … genom en satsning motsvarande 55 miljoner kronor") sums that item up: the item is the measure."""
    if not row.amount:
        return False
    words, amount = set(stems(row.text)), row.amount
    return any(m.amount is not None and abs(m.amount - amount) < 0.01 and words & set(stems(m.text)) for m in items)
