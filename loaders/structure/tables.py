"""Table rows → tables: the run of rows, its unit (from caption, header or the sentence before), its numeric
columns (years from the header, a change column), each row's cells split by the column count, and each row's role.

A row's role is decided by structure, not by the section it stands in: a labelled subtotal, a row that sums the rows
above it, the opening balance such a sum starts from, a part ("varav …") of the row above, a row without a label, or
a figure the document already stated in an earlier table; any other row is a budget line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from loaders.frames import committee_named
from loaders.lexicons import lexicon
from loaders.parties import parties_in
from loaders.records import Block, Document
from loaders.structure.blocks import DASHES, SIGN, cell_texts, has_cells, is_caption, is_column_header

TARGET_VALUE = re.compile(r"[≥≤]\s*\d")  # "≥70 %": an indicator's target value, not money
NUMBER_TOKEN = re.compile(rf"^{SIGN}?\d+(?:,\d+)?$")
YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
ENDS_IN_NUMBER = re.compile(rf"{SIGN}?\d+(?:,\d+)?\s*(?:mkr|mnkr|tkr|msek)?\s*$", re.I)
MAX_BETWEEN = 2  # sub-headings ("Kostnadsreduceringar") a table may hold between two rows
SHORT = 90  # a sub-heading, caption or level line inside a table is at most this long
LEADING_ZERO = re.compile(r"^[-−–+]?0\d")
SPARSE_ROWS, SPARSE_SHARE = 4, 1 / 3  # a sparse table: this many rows, this share of them leaving columns empty
PREAMBLE = 3  # blocks before the first row that may hold the caption, the unit and the header
MISSED_ROW = re.compile(r"(?:\b\d{1,3}(?: \d{3})+\b.*){2}")  # two thousands-grouped figures: a row's cells
MIN_SUMMANDS = 3  # a row that equals the sum of fewer rows above it may be a coincidence
MAX_TOKENS = 12  # longer numeric tails are read greedily (their groupings are too many to try)
SUM_TOLERANCE = 0.011  # sums are checked to the cent of the figures as printed


@dataclass
class Table:
    first: int  # block index of the first row
    last: int
    unit: float = 1.0  # MSEK per cell unit
    columns: list[str] = field(default_factory=list)  # the numeric columns' names: years, then a change column
    change: bool = False  # the last column is the difference of the two before it
    kind: str = "budget"  # budget | statement (outcomes, forecasts, a time series) | comparison (of proposals)
    sparse: bool = False  # rows may leave year columns empty ("RS FVIS 15 000" under five years)
    typical: float = 0.0  # a sparse table's typical cell length in digits, by which its rows are read


def to_number(cell: str) -> float:
    if cell.strip() in DASHES:
        return 0.0  # an empty cell
    return float(cell.replace(" ", "").replace(",", ".").replace("−", "-").replace("–", "-"))


def row_text(doc: Document, block: Block) -> str:
    """A row as text; a row printed on one tab-separated line keeps each cell whole ("6 599" → "6599"), since its tabs,
    not its spaces, divide the numbers."""
    source = doc.lines[block.line - 1] if 0 < block.line <= len(doc.lines) else ""
    if not has_cells(source) or " ".join(source.split()) != " ".join(block.text.split()):
        return block.text
    cells = cell_texts(source)
    return " ".join(c.replace(" ", "") if re.fullmatch(rf"{SIGN}?[\d ]+(?:,\d+)?", c) else c for c in cells if c)


def number_tokens(text: str) -> tuple[str, list[str]]:
    """A row's label and its trailing numeric tokens (thousands groups still apart: "1 146 823" is three)."""
    tokens = text.split()
    tail = []
    while tokens and (NUMBER_TOKEN.match(tokens[-1]) or tokens[-1] in DASHES):
        tail.append(tokens.pop())
    tail.reverse()
    if tokens and tokens[-1].endswith("§"):  # "Regionfullmäktige 2021-12-01, § 150": a paragraph of a minute
        return text.strip(), []
    if len(tail) > 1 and YEAR.fullmatch(tail[0]):  # "… ökade kostnader 2025 4 000": the year is the label's
        tokens.append(tail.pop(0))
    return " ".join(tokens), tail


def groupings(tokens: list[str], count: int) -> list[list[str]]:
    """Every way to read the tokens as `count` numbers, a number being 1–3 digits followed by 3-digit groups."""
    out = []
    for cuts in combinations(range(1, len(tokens)), count - 1):
        parts = [tokens[a:b] for a, b in zip((0, *cuts), (*cuts, len(tokens)), strict=True)]
        if all(valid_number(p) for p in parts):
            out.append([" ".join(p) for p in parts])
    return out


def valid_number(tokens: list[str]) -> bool:
    head, rest = tokens[0], tokens[1:]
    if not rest:
        return not LEADING_ZERO.match(head)  # "000" stands for no cell: it is a thousands group
    if head in DASHES:
        return False  # an empty cell ("-") stands alone
    groups = all(re.fullmatch(r"\d{3}", t) for t in rest[:-1]) and re.fullmatch(r"\d{3}(?:,\d+)?", rest[-1])
    return bool(re.fullmatch(rf"{SIGN}?\d{{1,3}}", head) and groups)


def split_cells(tokens: list[str], count: int, change: bool) -> list[float]:
    """The row's numbers. With a known column count the tokens are grouped to fit it, preferring a reading whose
    change column is the difference of the two before it; otherwise thousands groups join as written."""
    if count and len(tokens) >= count:
        found = readings(tokens, count)
        if found:
            consistent = [r for r in found if change and len(r) >= 3 and abs(r[-2] - r[-3] - r[-1]) < 1.01]
            return min(consistent or found, key=digit_spread)  # "603 483 587 298 660 433": three of six digits
    return [to_number(g) for g in greedy_groups(tokens)]


def digits(number: float) -> int:
    """The length of the number's whole part in digits."""
    return len(str(int(abs(number))))


def digit_spread(numbers: list[float]) -> int:
    """How far apart the numbers' lengths in digits are: a row's cells of one table are of a size (the first
    reading wins a tie)."""
    lengths = [digits(n) for n in numbers]
    return max(lengths) - min(lengths)


def greedy_groups(tokens: list[str]) -> list[str]:
    """Right to left, a 3-digit token after a short one is its thousands group ("3 770" is one number)."""
    out: list[str] = []
    for token in reversed(tokens):
        if out and re.fullmatch(r"\d{3}(?:,\d+)?", out[-1].split()[0]) and re.fullmatch(rf"{SIGN}?\d{{1,3}}", token):
            out[-1] = f"{token} {out[-1]}"
        else:
            out.append(token)
    return out[::-1]


def is_row_like(block: Block) -> bool:
    """A row, or a short line ending in a number (a level such as "Ram 2025 9 045"), inside or before a table."""
    if block.kind == "row":
        return True
    if is_column_header(block.text):
        return False
    return block.kind == "para" and len(block.text) <= SHORT and bool(ENDS_IN_NUMBER.search(block.text))


def is_subheading(block: Block) -> bool:
    return block.kind in ("para", "heading") and len(block.text) <= SHORT and not block.text.rstrip().endswith(".")


def runs(blocks: list[Block]) -> list[tuple[int, int]]:
    """Maximal runs of rows, allowing a few sub-headings between two rows; at least two rows each."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    last = gap = 0
    for i, block in enumerate(blocks):
        if start is not None and (is_column_header(block.text) or is_caption(block.text)):  # heads the next table
            out.append((start, last))
            start, gap = None, 0
        elif block.kind == "row" or (start is not None and is_row_like(block)):
            start, last, gap = i if start is None else start, i, 0
        elif start is not None and is_subheading(block) and gap < MAX_BETWEEN:
            gap += 1
        elif start is not None:
            out.append((start, last))
            start, gap = None, 0
    if start is not None:
        out.append((start, last))
    return [(back_to_levels(blocks, a), b) for a, b in out if sum(is_row_like(x) for x in blocks[a : b + 1]) >= 2]


def back_to_levels(blocks: list[Block], first: int) -> int:
    """A short line ending in a number just before the first row ("Ram 2025 9 045") opens the table."""
    while first > 0 and is_row_like(blocks[first - 1]):
        first -= 1
    return first


def has_word(lower: str, word: str) -> bool:
    """The lower-case text holds the word (or phrase) whole, not inside a longer word."""
    return bool(re.search(rf"(?<![a-zåäö]){re.escape(word)}(?![a-zåäö])", lower))


def unit_in(text: str) -> float | None:
    """The MSEK factor of the longest unit phrase in the text, if any."""
    lower = text.lower()
    found = [(len(word), factor) for word, factor in lexicon("tables")["units"].items() if has_word(lower, word)]
    return max(found)[1] if found else None


def names_percent(text: str) -> bool:
    """A caption or sub-caption (no figures but years) whose rows are percentages, not money."""
    lower = text.lower()
    return not re.search(r"\d", YEAR.sub("", lower)) and any(
        has_word(lower, w) for w in lexicon("tables")["percent_words"]
    )


def header_columns(texts: list[str]) -> tuple[list[str], bool]:
    """Year columns of the nearest header holding years, and whether a change column follows the last year."""
    for text in reversed(texts):
        years = YEAR.findall(text)
        if years:
            after = text.lower().rsplit(years[-1], 1)[-1].split()
            change = any(w.startswith(tuple(lexicon("tables")["change_columns"])) for w in after)
            return years + (["change"] if change else []), change
    return [], False


def describe(doc: Document, first: int, last: int) -> Table:
    """The table's unit and columns, read from its preamble and its sub-headings."""
    before = preamble(doc, first)
    inside = [b.text for b in doc.blocks[first : last + 1] if b.kind != "row" and not is_row_like(b)]
    labels = [number_tokens(b.text)[0] for b in doc.blocks[first : last + 1] if is_row_like(b)]
    stated = [*reversed(before), *inside, *labels]  # the caption, a sub-heading, or a row ("Summa investeringar, tkr")
    unit = next((u for u in map(unit_in, stated) if u is not None), 1.0)
    headers = [t for t in before if len(t) <= SHORT]
    columns, change = header_columns(headers)
    rows = row_tokens(doc, first, last)
    fitting = fits(rows, len(columns))
    sparse = not fitting and sparse_fits(rows, len(columns))
    if not fitting and not sparse:  # no header, or one broken over lines ("Plan" / "2027")
        width, change = inferred_width(rows)
        columns = stacked_years(doc, first, width - change) + (["change"] if change else [])
    width = len(columns)
    kind = table_kind(" ".join(headers), 0 if sparse else width, change)  # a sparse plan is no series of outcomes
    typical = typical_digits(rows, width) if sparse else 0.0
    return Table(first, last, unit, columns, change, kind, sparse, typical)


def sparse_fits(rows: list[list[str]], width: int) -> bool:
    """A header of two or more years over rows that each fill at most that many columns, a good share of them fewer:
    an investment plan that names only the years a project runs."""
    widths = [readable_widths(t) or {width + 1} for t in rows if t]  # a row no reading fits fits nothing
    short = sum(max(w) < width for w in widths)
    fill = all(min(w) <= width for w in widths)
    return width >= 2 and fill and len(widths) >= SPARSE_ROWS and short >= SPARSE_SHARE * len(widths)


def typical_digits(rows: list[list[str]], width: int) -> float:
    """The median length in digits of the cells of rows that can be read one way only within `width` columns."""
    lengths = sorted(
        digits(n)
        for tokens in rows
        if len(fitting := [w for w in readable_widths(tokens) if 1 <= w <= width]) == 1
        for n in readings(tokens, fitting[0])[0]
    )
    return lengths[len(lengths) // 2] if lengths else 0.0


def row_cells(table: Table, tokens: list[str]) -> list[float]:
    width = len(table.columns)
    return sparse_cells(tokens, width, table.typical) if table.sparse else split_cells(tokens, width, table.change)


def sparse_cells(tokens: list[str], width: int, typical: float) -> list[float]:
    """A sparse row's cells: of the readings in at most `width` numbers, the one whose cells are nearest the table's
    typical length (more cells on a tie: "500 200" is two)."""
    found = [r for w in sorted(readable_widths(tokens), reverse=True) if 1 <= w <= width for r in readings(tokens, w)]
    if not found or not typical:
        return [to_number(g) for g in greedy_groups(tokens)]
    return min(found, key=lambda r: sum(abs(digits(n) - typical) for n in r))


def preamble(doc: Document, first: int) -> list[str]:
    """The PREAMBLE texts before the first row, skipping rows the structure missed (a label wrapped under its figures:
    "Regionstyrelsens förvaltning, 2 156 975 2 224 365" / "vårdval"), so they do not push the caption out of reach."""
    texts: list[str] = []
    for block in reversed(doc.blocks[max(0, first - 3 * PREAMBLE) : first]):
        if len(texts) == PREAMBLE or block.kind == "row":
            break  # a row here ends another table: its caption is not this one's
        if not MISSED_ROW.search(block.text):
            texts.append(block.text)
    return texts[::-1]


def fits(rows: list[list[str]], width: int) -> bool:
    """Most rows can be read as `width` numbers, and none that can be read only one way says otherwise."""
    readable = [readable_widths(t) for t in rows]
    contradicted = any(len(r) == 1 and width not in r for r in readable)
    return bool(width) and not contradicted and sum(width in r for r in readable) >= 0.5 * len(rows)


def stacked_years(doc: Document, first: int, width: int) -> list[str]:
    """The last `width` years of the short lines just above the table, a header printed one cell per line."""
    above = [b.text for b in doc.blocks[max(0, first - 3 * width) : first] if len(b.text) <= SHORT]
    years = YEAR.findall(" ".join(above))
    return years[-width:] if width and len(years) >= width else [""] * width


def table_kind(headers: str, width: int, change: bool) -> str:
    """A header (a short line before the rows) with outcome columns or a financial statement's name, or many numeric
    columns, reports; one naming counts is a statistic; one whose columns are parties compares proposals."""
    words = lexicon("tables")
    lower = headers.lower()
    statement = any(w in lower for w in [*words["outcome_columns"], *words["statement_titles"]])
    if statement or (width >= words["series_columns"] and not change):
        return "statement"
    if any(has_word(lower, w) for w in words["count_columns"]):
        return "statistic"
    return "comparison" if len({e.iri for e in parties_in(headers)}) >= 2 else "budget"


def row_tokens(doc: Document, first: int, last: int) -> list[list[str]]:
    return [number_tokens(row_text(doc, b))[1] for b in doc.blocks[first : last + 1] if is_row_like(b)]


def inferred_width(rows: list[list[str]]) -> tuple[int, bool]:
    """Without a header, the column count most rows can be read as (the fewest on a tie), and whether a third column
    is the difference of the two before it in most rows ("757 836 79": 757, 836 and the change, 79)."""
    widths = Counter(w for tokens in rows if len(tokens) > 1 for w in readable_widths(tokens))
    consistent = sum(any(abs(b - a - c) < 1.01 for a, b, c in readings(tokens, 3)) for tokens in rows)
    if rows and consistent >= 0.6 * len(rows) and len(rows) >= 3:
        return 3, True
    return (min(widths, key=lambda w: (-widths[w], w)), False) if widths else (0, False)


def readable_widths(tokens: list[str]) -> set[int]:
    """Every count of numbers the tokens can be read as (1–3 digits, then 3-digit groups), by dynamic programming."""
    ends: list[set[int]] = [{0}] + [set() for _ in tokens]  # ends[i]: the counts that read tokens[:i] exactly
    for stop in range(1, len(tokens) + 1):
        for start in range(stop):
            if ends[start] and valid_number(tokens[start:stop]):
                ends[stop] |= {n + 1 for n in ends[start]}
    return ends[-1]


def readings(tokens: list[str], count: int) -> list[list[float]]:
    if not count <= len(tokens) <= MAX_TOKENS:
        return []
    return [list(map(to_number, g)) for g in groupings(tokens, count)]


def starts_with(label: str, key: str) -> bool:
    words = lexicon("tables")[key]
    lower = label.lower().strip(" .:")
    return any(lower == w or lower.startswith(w + " ") for w in words)


def ends_with(label: str, key: str) -> bool:
    words = label.lower().strip(" .:").replace(",", " ").split()
    return len(words) > 1 and words[-1] in lexicon("tables")[key]


def assign_roles(doc: Document, table: Table, index: int, seen: set[tuple[str, float]]) -> None:
    """Cells and a role for every row of the table; sums are checked on each row's chosen value."""
    group: list[Block] = []
    base: float | None = None
    percent = False  # under a sub-caption naming percentages ("Procentuell förändring av:") until one names money
    for block in doc.blocks[table.first : table.last + 1]:
        if not is_row_like(block):
            percent = names_percent(block.text) or (percent and unit_in(block.text) is None)
            continue
        label, tokens = number_tokens(row_text(doc, block))
        percent = percent or (":" in label and names_percent(label.split(":")[0]))  # a caption the row's line took
        block.kind, block.table = "row", index
        block.cells = row_cells(table, tokens)
        value = block.amount = chosen(table, block.cells)
        block.role = "indicator" if percent else "" if table.kind == "budget" else table.kind
        block.role = block.role or fixed_role(label, tokens, value, seen)
        if not block.role and is_sum(group, base, value):
            block.role = "total"
        if block.role == "total":
            mark_level(group, value)
            group, base = [], value
        elif not block.role:
            group.append(block)
        seen.add((" ".join(label.lower().split()), value))


def fixed_role(label: str, tokens: list[str], value: float, seen: set[tuple[str, float]]) -> str:
    """The roles a row tells by itself: unlabelled, indicator (a percentage cell), frame (a committee's row of
    several figures), total, part, or restated (the same label and figure earlier)."""
    if not re.search(r"[A-Za-zÅÄÖåäö]{3}", label):
        return "unlabelled"
    if tokens and all(YEAR.fullmatch(t) for t in tokens) and YEAR.search(label):
        return "header"  # "Resultatbudget Bokslut 2019 Budget 2020 … Plan 2024": column names, not figures
    if not tokens or re.search(r"\d%$", label) or TARGET_VALUE.search(label):  # a percentage or target: indicator
        return "indicator"
    if committee_named(label) and len(tokens) >= 2:
        return "frame"
    if starts_with(label, "total_words") or ends_with(label, "total_endings"):
        return "total"
    if starts_with(label, "part_words"):
        return "part"
    return "restated" if (" ".join(label.lower().split()), value) in seen else ""


def is_sum(group: list[Block], base: float | None, value: float) -> bool:
    """The row equals the sum of the rows since the last total (or the last total plus them), within rounding."""
    values = [chosen_of(b) for b in group]
    if len(values) >= MIN_SUMMANDS and abs(abs(sum(values)) - abs(value)) <= SUM_TOLERANCE:
        return True
    return base is not None and bool(values) and abs(base + sum(values) - value) <= SUM_TOLERANCE


def mark_level(group: list[Block], total: float) -> None:
    """A sum whose first row is most of it starts from a balance ("Ram 2025 9 045" + changes = "Ram 2026")."""
    rest = sum(abs(chosen_of(b)) for b in group[1:])
    if len(group) >= 2 and abs(chosen_of(group[0])) > max(abs(total) / 2, 2 * rest):
        group[0].role = "level"


def chosen(table: Table, cells: list[float]) -> float:
    """The value a row is about: the change column when there is one, else the first cell."""
    if not cells:
        return 0.0
    return cells[-1] if table.change else cells[0]


def chosen_of(block: Block) -> float:
    return block.amount if block.amount is not None else 0.0


CHANGE_SHARE = 5  # a change moves at most a fifth of the level it changes


def find_tables(doc: Document) -> Document:
    """Group rows into tables and give every row its cells (in MSEK), its chosen amount and its role."""
    seen: set[tuple[str, float]] = set()
    for first, last in runs(doc.blocks):
        table = describe(doc, first, last)
        doc.tables.append(table)
        assign_roles(doc, table, len(doc.tables) - 1, seen)
        for block in doc.blocks[first : last + 1]:
            if block.table == len(doc.tables) - 1:
                block.cells = [round(c * table.unit, 6) for c in block.cells]
                block.amount = round((block.amount or 0.0) * table.unit, 6)
    changes_not_levels(doc)
    return doc


def changes_not_levels(doc: Document) -> None:
    """A committee's row that moves a small part of the frame the document gives that committee elsewhere
    ("Patientnämnd -0,50" beside "Patientnämnd … 6,0 7 7 7") changes the frame: a budget line, not a level."""
    rows = [(b, committee_named(number_tokens(b.text)[0].strip(" .:"))) for b in doc.blocks if b.kind == "row"]
    named = [(block, committee.iri) for block, committee in rows if committee]
    for block, committee in named:
        level = max((abs(c) for other, same in named if same == committee and other is not block for c in other.cells),
                    default=0.0)  # fmt: skip
        if block.role == "frame" and block.amount and abs(block.amount) * CHANGE_SHARE <= level:
            block.role = ""
