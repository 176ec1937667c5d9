"""Raw lines → blocks: join PDF line wraps, undo hyphenation, split bullets and numbered items.

Each block keeps the 1-based line it starts on, so every later quote can point back to its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import dropwhile, pairwise

from loaders.lexicons import lexicon as load
from loaders.records import Block, Document

BULLETS = "".join(load("normalise")["bullets"])
BULLET = f"[{re.escape(BULLETS)}*]"
INLINE_BULLET = re.compile(rf"\s+(?:[{re.escape(''.join(load('normalise')['inline_bullets']))}]+)\s+")
ITEM_START = re.compile(
    rf"^\s*(?P<marker>(?:{BULLET})+|[-–](?=\s)|\d{{1,2}}(?:\.\d{{1,2}})*[.)](?=\s|[A-ZÅÄÖ])|"
    r"\d{1,2}(?:\.\d{1,2})+(?=\s)|\d{1,2}(?=[ \t]+[A-ZÅÄÖ][a-zåäö])|\d{1,2}(?=[ \t]+[A-ZÅÄÖ]{1,4}[, ])|"
    r"\d{1,2}(?=[ \t]+[A-ZÅÄÖ]{2}[A-ZÅÄÖ \t,–-]*$)|"  # "6 REGION VÄSTERBOTTEN SKA BLI": a capitals line after a number
    r"[a-h]\)(?=\s)|o(?=[ \t]+[A-ZÅÄÖ]))\s*(?P<text>.*)$"  # "o": a word processor's second-level bullet
)
SIGN = "[-−–+]"  # a figure's sign as printed: hyphen, minus, en dash, or a plus on a change ("+64")
MIN_LABELLED_YEARS = 3  # years each under its own word ("Prognos 2025 Budget 2026 Budget 2027") make a header
MIN_ROW_FIGURES = 3  # a line ending in this many figures is a row of cells, not a sentence with a number in it
DASHES = frozenset("-–—")  # an empty table cell is often printed as a dash
DASH_CELLS = re.compile(r"(?:\s[-–—])+\s*$")  # "… 5 000 5 000 -": empty cells after the figures
TRAILING_AMOUNT = re.compile(rf"(?<![\d,.]){SIGN}?\d{{1,3}}(?:[ \u00a0]\d{{3}})*(?:,\d+)?\s*$")
CELLS_ONLY = re.compile(r"[\s\d,.%−–+-]*\d[\s\d,.%−–+-]*")
SENTENCE_END = re.compile(r"[.!?:;]['”\")]*$")
YEAR_TOKEN = re.compile(r"(?:19|20)\d\d")
UNWRAPPED = 1.5  # a line this many times the typical width was never wrapped
UNWRAPPED_WIDTH = 10_000  # the typical width of text that never wraps
PARAGRAPH_LINE = 250  # a line longer than this was never wrapped to a page
DOUBLE_SPACED = 0.8  # share of lines followed by one blank line, and of lines near the typical width
JOIN_WORDS = {"och", "eller", "samt", "respektive", "till", "som"}


def segments(doc: Document) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) per physical line, splitting lines that hold several bullets. Page furniture yields
    an empty line: a page break ends a block as a blank line does, unless the text plainly goes on."""
    for number, raw in enumerate(doc.lines, start=1):
        if number in doc.furniture:
            yield number, ""
            continue
        line = raw[: doc.page_tails.get(number, len(raw))].replace("\u00ad", "").rstrip()
        parts = INLINE_BULLET.split(line)
        if len(parts) == 1:
            yield number, line
            continue
        head, *items = parts
        if head.strip():
            yield number, head
        for item in items:
            yield number, "• " + item


@cache
def dangling_words() -> frozenset[str]:
    return frozenset(load("normalise")["dangling_words"])


def ends_dangling(text: str) -> bool:
    last = text.rsplit(" ", 1)[-1].lower()
    return last in dangling_words()


def starts_lower(text: str) -> bool:
    first = text.lstrip()[:1]
    return first.islower() or first in "(,–"


def dehyphenate(previous: str, following: str) -> str:
    """Join a wrapped word: "sam-" + "arbetet" → "samarbetet", but keep "hälso- och sjukvård"."""
    word = following.lstrip().split(" ", 1)[0].lower()
    wrapped = previous.endswith("-") and previous[-2:-1].isalpha() and following.lstrip()[:1].islower()
    if wrapped and word not in JOIN_WORDS:
        return previous[:-1] + following.lstrip()
    return previous + " " + following.lstrip()


def dehyphenate_text(text: str) -> str:
    """Undo line-end hyphenation inside joined text: "sam- arbetet" → "samarbetet"."""

    def join(match: re.Match[str]) -> str:
        return match.group(0) if match.group(1).lower() in JOIN_WORDS else ""

    # the following word is looked at, not consumed, so "sam- sam- ska" joins in one pass (idempotent)
    return re.sub(r"(?<=\w)- (?=([a-zåäö]\w*))", join, text)


def continues(block: Block, text: str, blank_before: bool, typical: int, last_len: int) -> bool:
    """Does `text` continue `block` (a wrapped line) rather than start a new block?"""
    current = block.text.rstrip()
    if not current or tabbed(current) or tabbed(text):  # a line of tab-separated cells is a table row of its own
        return False
    if CELLS_ONLY.fullmatch(current) or is_column_header(current):  # bare figures or years head no labelled row
        return False
    if names_columns(text) or names_columns(current):  # "Bokslut Budget Plan Plan Plan" heads a table
        return False
    if block.kind == "row":  # a wrapped label ("vårdval") or unit goes on; a row of its own ("mini-maria 6 700") not
        own_row = ends_in_amount(text) and figures_at_end(current) >= MIN_ROW_FIGURES
        return (starts_lower(text) and not own_row) or (current[-1:].isdigit() and unit_wrapped(text))
    if is_column_header(current) or is_caption(current):  # the rows under a header are rows of their own
        return False
    if is_caps(current) and is_caps(text):
        return True
    if (current.endswith("-") and not ends_in_amount(current)) or current.endswith(",") or ends_dangling(current):
        return True
    if starts_lower(text) and not SENTENCE_END.search(current):
        return True
    if current[-1:].isdigit() and unit_wrapped(text):
        return True  # "… ges ett tillskott om 15" / "MSEK till Första Linjen": the number's unit wrapped
    if blank_before:
        return False
    if ends_in_amount(current) and re.search(r"[a-zåäö]", current, re.I):
        return False
    if starts_lower(text) or is_row_tail(text):
        return True
    # a full-width line is most often wrapped prose, not a paragraph end or a heading; inside a
    # paragraph "full width" is the paragraph's own widest line (table text columns are narrower)
    width = block.width if block.width > last_len else typical
    if SENTENCE_END.search(current) and last_len > UNWRAPPED * typical:
        return False  # a sentence ending a line far wider than the text's wrap width: a paragraph never wrapped
    wide = 0.8 if SENTENCE_END.search(current) else 0.92
    return last_len >= wide * width


def is_column_header(text: str) -> bool:
    """A table's column header: years after a few words ("Mnkr 2026 2027 2028", "Ramar per nämnd, mnkr 2031 2032
    2033"), one year after a word or two ("Tkr 2026"), or years each under its word ("Balanskravsutredning (mnkr)
    Prognos 2025 Budget 2026 Budget 2027")."""
    tokens = text.split()
    years = len(tokens) - len(list(dropwhile(YEAR_TOKEN.fullmatch, reversed(tokens))))
    label = tokens[: len(tokens) - years]
    if not years:
        return False
    if not any(ch.isdigit() for word in label for ch in word):
        return len(label) <= (6 if years >= 2 else 2)
    return labelled_years(tokens)


def names_columns(text: str) -> bool:
    """A line of two or more column names and nothing else ("Budget Budget Plan Plan")."""
    words = text.lower().split()
    return len(words) >= 2 and all(word in column_words() for word in words)


@cache
def column_words() -> frozenset[str]:
    return frozenset(load("tables")["column_words"])


def labelled_years(tokens: list[str]) -> bool:
    """Three or more years, each after a column word or two, and no other figure."""
    words = [t for t in tokens if not YEAR_TOKEN.fullmatch(t)]
    years = len(tokens) - len(words)
    no_figures = not any(ch.isdigit() for word in words for ch in word)
    return years >= MIN_LABELLED_YEARS and no_figures and len(words) <= 2 * years + 2


@cache
def unit_words() -> re.Pattern[str]:
    units = sorted(load("tables")["units"], key=len, reverse=True)
    return re.compile(r"(?:^|[\s,(])(?:" + "|".join(map(re.escape, units)) + r")\)?:?$", re.I)


def is_caption(text: str) -> bool:
    """A short line that ends in a unit ("Justering av rambudgetar, mnkr", "Belopp i tkr") names a table's unit."""
    return len(text) <= 80 and bool(unit_words().search(text.strip()))


CELL_GAP = re.compile(r"\t| {3,}")  # a tab, or the run of spaces a layout-keeping conversion writes in its place


def cell_texts(line: str) -> list[str]:
    """A line's cells: the texts between its tabs or wide gaps (one cell when it has none); a leading tab leaves an
    empty first cell (a header's corner), leading spaces are indentation."""
    return [cell.strip() for cell in CELL_GAP.split(line.rstrip().lstrip(" "))]


def has_cells(line: str, gaps: int = 1) -> bool:
    """The line holds at least `gaps` tabs or wide gaps between its texts."""
    return len(CELL_GAP.findall(line.strip())) >= gaps


def tabbed(text: str) -> bool:
    return has_cells(text, 2)


@cache
def unit_opening() -> re.Pattern[str]:
    units = sorted(load("tables")["units"], key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(map(re.escape, units)) + r")(?![a-zåäö])", re.I)


def unit_wrapped(text: str) -> bool:
    """The line opens with a money unit in any case ("MSEK. -60", "Mkr till …") and goes on: the unit of a number
    the line before ends in. A unit alone, or one heading year columns ("Mnkr 2026 2027"), captions a table."""
    line = text.strip()
    opening = unit_opening().match(line)
    return opening is not None and len(line) > opening.end() and not is_column_header(text)


def is_row_tail(text: str) -> bool:
    """A short fragment ending in an amount ("FHS -7") finishes the table row above it."""
    return len(text.strip()) <= 30 and bool(TRAILING_AMOUNT.search(text)) and not ITEM_START.match(text)


def is_caps(text: str) -> bool:
    if not text.isupper():  # no upper-case letter, or a lower-case one: the answer for nearly every line, cheaply
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def typical_width(doc: Document) -> int:
    """The common line length of a hard-wrapped document; UNWRAPPED_WIDTH (no line reaches it) where too few lines
    tell it."""
    lengths = sorted(len(line) for line in doc.lines if 30 <= len(line.strip()) <= 200)
    if len(lengths) < 20:
        return UNWRAPPED_WIDTH
    return lengths[int(len(lengths) * 0.6)]


def unwrapped(doc: Document) -> bool:
    """Most of the text stands in lines far longer than any page is wide: one line per paragraph."""
    total = sum(len(line) for line in doc.lines)
    return total > 0 and sum(len(line) for line in doc.lines if len(line) > PARAGRAPH_LINE) >= total / 2


def double_spaced(doc: Document, typical: int) -> bool:
    """Hard-wrapped text with a blank line after nearly every line (a double-spaced export): there one blank line
    only breaks a line, and a paragraph ends where the width and the sentence say (or at two blank lines)."""
    lines = [line.strip() for line in doc.lines]
    filled = [i for i, line in enumerate(lines) if line]
    if len(filled) < 50:
        return False
    single = sum(1 for i in filled if i + 2 < len(lines) and not lines[i + 1] and lines[i + 2]) / len(filled)
    widths = [len(line) for line in lines if 30 <= len(line) <= 200]
    wrapped = sum(1 for w in widths if 0.8 * typical <= w <= 1.1 * typical) / max(len(widths), 1)
    return single >= DOUBLE_SPACED and wrapped >= DOUBLE_SPACED


def blocks(doc: Document) -> list[Block]:
    """Group segments into blocks; mark items and rows that end in an amount."""
    one_line_paragraphs = unwrapped(doc)  # then a line's width says nothing about wrapping
    typical = UNWRAPPED_WIDTH if one_line_paragraphs else typical_width(doc)
    breaking = 2 if double_spaced(doc, typical) else 1  # blank lines that end a paragraph
    out: list[Block] = []
    blank_before = True
    blanks = breaking
    last_len = 0
    for number, text in segments(doc):
        if not text.strip():
            blanks += 1
            blank_before = blanks >= breaking
            continue
        item = ITEM_START.match(text)
        if item and item.group("text").strip():
            body = item.group("text").strip()
            out.append(Block(body, number, "item", item.group("marker"), raw=body))
        elif (
            out and not marked_apart(doc, out[-1], number) and continues(out[-1], text, blank_before, typical, last_len)
        ):
            out[-1].text = dehyphenate(out[-1].text.rstrip(), text.strip())
            out[-1].raw = f"{out[-1].raw.rstrip()} "
            out[-1].starts.append((len(out[-1].raw), number))
            out[-1].raw += text.strip()
            out[-1].width = max(out[-1].width, last_len)
        else:
            out.append(Block(text.strip(), number, raw=text.strip()))
        last_len = len(text)
        blank_before, blanks = False, 0
        if out[-1].kind == "row":
            out[-1].kind = "para"
        mark_row(out[-1])
    found = [with_label_unwrapped(tidy(b)) for b in out]
    return unmarked_lists(found) if one_line_paragraphs else found


def unmarked_lists(found: list[Block]) -> list[Block]:
    """In text that writes each paragraph on one line, two or more lines that follow each other with no blank line
    between, after a lead-in or a title (or after such a list), are the items of a list whose bullets the conversion
    lost ("Förslag" / "En bättre introduktion för nya medarbetare" / "Skapa fler kliniska karriärvägar i vården")."""
    listing = False  # the block before is an item of such a list
    for before, block, after in zip([None, *found[:-1]], found, [*found[1:], None], strict=True):
        run_starts = is_list_line(after) and adjacent(block, after) and (leads_in(before) or listing)
        if is_list_line(block) and (listing and adjacent(before, block) or run_starts):
            block.kind, block.marker, listing = "item", "", True
        else:
            listing = False
    return found


def adjacent(first: Block | None, second: Block | None) -> bool:
    """The second block starts on the line right after the first one ends."""
    if first is None or second is None:
        return False
    last = first.starts[-1][1] if first.starts else first.line
    return second.line == last + 1


def is_list_line(block: Block | None) -> bool:
    """A one-line paragraph that can be a list item: two words or more, a capital first, no column header."""
    if block is None or block.kind != "para" or block.starts:
        return False
    text = block.text
    return 8 <= len(text) <= 200 and len(text.split()) >= 2 and text[:1].isupper() and not is_column_header(text)


def leads_in(block: Block | None) -> bool:
    """A lead-in ("… följande:") or a title-like line (short, no full stop) that a list may follow."""
    if block is None or block.kind not in ("para", "item"):
        return False
    text = block.text.rstrip()
    return text.endswith(":") or (len(text) <= 120 and not SENTENCE_END.search(text))


def with_label_unwrapped(block: Block) -> Block:
    """A table row whose label cell wraps around its figures ("Hälso- och sjukvårdsnämn-" / "520,0 -3787,1" / "den"):
    the label is read whole before the figures, so the block is the row it is."""
    if block.kind != "para" or len(block.starts) != 2:
        return block
    head, cells, tail = (block.raw[a:b].strip() for a, b in pairwise(line_bounds(block)))
    if FIGURES.fullmatch(cells) and LABEL_TAIL.fullmatch(tail) and not ends_in_amount(head):
        block.text = f"{dehyphenate(head, tail)} {cells}"
        mark_row(block)
    return block


def marked_apart(doc: Document, block: Block, number: int) -> bool:
    """A heading the format marks (DOCX style, HTML h1–h6, PDF type) is a block of its own: it neither continues
    the block before it nor is continued."""
    return number in doc.headings or block.line in doc.headings


FIGURES = re.compile(r"[-−–+]?\d[\d ,.%−–-]*")  # a line of figures only
LABEL_TAIL = re.compile(r"[a-zåäö][a-zåäö)]*(?: [a-zåäö)]+)?\*?")  # the end of a wrapped label: a word or two


def ends_in_amount(text: str) -> bool:
    """The text ends in a bare number ("… -10", "… 1 146,5"), perhaps followed by empty cells printed as dashes
    ("… 6 700 - -"); the digit test first spares the regex most lines."""
    text = without_dash_cells(text)
    return text.rstrip()[-1:].isdigit() and bool(TRAILING_AMOUNT.search(text))


def figures_at_end(text: str) -> int:
    """How many numeric tokens (thousands groups and dash cells counted apart) end the text."""
    count = 0
    for token in reversed(text.split()):
        if not (token in DASHES or token.lstrip("-−–+").replace(",", "").isdigit()):
            break
        count += 1
    return count


def without_dash_cells(text: str) -> str:
    return DASH_CELLS.sub("", text) if text.rstrip()[-1:] in DASHES else text  # [-1:] of "" is no dash


def mark_row(block: Block) -> None:
    """A paragraph ending in a bare number (e.g. "Generell minskning … -10") is a table row."""
    if block.kind == "para" and ends_in_amount(block.text):
        text = without_dash_cells(block.text)
        label = TRAILING_AMOUNT.sub("", text).strip()
        if len(re.findall(r"[A-Za-zÅÄÖåäö]", label)) >= 4 and not re.search(r"\b(19|20)\d\d$", text):
            block.kind = "row"


def fold(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def line_bounds(block: Block) -> list[int]:
    """Where each joined source line begins in `raw`, and its end."""
    return [0] + [offset for offset, _ in block.starts] + [len(block.raw)]


def tidy(block: Block) -> Block:
    """Fold white space; the offsets of joined lines inside `raw` are recomputed to match."""
    block.text = fold(block.text)
    lines = [block.line] + [line for _, line in block.starts]
    raw, starts = "", []
    for (a, b), line in zip(pairwise(line_bounds(block)), lines, strict=False):
        raw += " " if raw else ""
        starts.append((len(raw), line))
        raw += fold(block.raw[a:b])
    block.raw, block.starts = raw, starts[1:]
    return block


def line_at(block: Block, offset: int) -> int:
    """The source line of a character offset in `block.raw`."""
    line = block.line
    for start, number in block.starts:
        if start > offset:
            break
        line = number
    return line


def normalise(doc: Document) -> Document:
    doc.blocks = blocks(doc)
    return doc
