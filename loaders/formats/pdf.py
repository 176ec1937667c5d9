"""PDF → normalised text lines, read with its layout (pdfplumber, on pdfminer.six).

Words come with their positions. Per page, a vertical strip in the middle third that (almost) no line crosses
makes the page two-column: the lines beside each other are read left column first, then right, and a line that
crosses the strip (a heading or table over the full width) ends that stretch. Lines printed at the top or bottom
of many pages (running headers, footers) and page numbers are dropped; a word hyphenated at a line end is joined
("sam-" + "arbetet"), a hyphen before "och"/"eller" ("hälso- och") is kept. Wrapped lines of a paragraph are
joined into one line; bullets become "• text"; a table drawn with ruling lines is read cell by cell, and a line
whose words stand in cells (wide gaps) is a table row of tab-separated cells. A line in a larger font than the
body, or bold, short and standing alone, is a heading; its level (by size, largest first) goes with the text.
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from loaders.formats import Text, max_pages
from loaders.lexicons import lexicon

BULLETS = "".join(lexicon("normalise")["bullets"]) + "–-*"  # a dash or star only when a wide space follows it
NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zA-Z][.)])$")
PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|s\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?\s*(?:\(\s*\d{1,4}\s*\)|/\s*\d{1,4})?$", re.I
)
KEEP_HYPHEN_BEFORE = {"och", "eller", "samt", "respektive", "resp.", "som", "till", "&"}
SENTENCE_END = re.compile(r"[.!?:;]$")
NUMBER = re.compile(r"^[-−–+]?\(?\d[\d\s,.]*\)?%?$")
EDGE_LINES = 2  # lines at the top and bottom of a page that may be furniture
MIN_GAP = 6.0  # points: the narrowest strip between two columns
RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}  # pdfplumber: cells from ruling lines


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Line:
    words: list[Word]
    page: int
    column: tuple[float, float] = (0.0, 0.0)  # the x-range of the column the line stands in
    right: float = 0.0  # where the column's text ends on the right (its widest line)
    text: str = ""
    cells: bool = False
    ruled: bool = False  # a row of a table drawn with ruling lines: text and cells come from the table

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def smallest(self) -> float:
        return min(w.size for w in self.words)


@dataclass
class Block:
    kind: str  # para | heading | item | row
    text: str
    page: int
    last: Line
    lines: list[Line] = field(default_factory=list)


def read_pdf(data: bytes, name: str) -> Text:
    from loaders.read import DocumentError

    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(f"{name}: the PDF is truncated or corrupt (no %%EOF end marker); download it again")
    limit = max_pages()
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
        with pdf:
            count = len(pdf.pages)
            if count == 0:
                raise DocumentError(f"{name}: the PDF has no pages")
            if count > limit:
                raise DocumentError(
                    f"{name}: the PDF has {count} pages, more than the limit of {limit} (POLICYKG_MAX_PAGES)"
                )
            pages = [page_content(page, number) for number, page in enumerate(pdf.pages, start=1)]
    except DocumentError:
        raise
    except Exception as err:  # pdfminer raises many types; name the cause
        raise DocumentError(f"{name}: {pdf_problem(err)}") from None
    if not any(words or rows for words, rows in pages):
        raise DocumentError(
            f"{name}: the PDF has no text layer (an image-only or scanned PDF); run OCR on it first, "
            "e.g. `ocrmypdf -l swe in.pdf out.pdf`"
        )
    return layout(pages)


def pdf_problem(err: Exception) -> str:
    names = " ".join(type(e).__name__ for e in (err, err.__cause__, err.__context__) if e is not None)
    text = f"{names} {err}"
    if "Password" in text or "Encrypt" in text or "encrypt" in text:
        return "the PDF is encrypted (password protected); save an unprotected copy first"
    return f"the PDF is corrupt or truncated and cannot be read ({type(err).__name__}: {err})"[:300]


def page_content(page, number: int) -> tuple[list[Word], list[Line]]:
    """The page's words outside ruled tables, and the ruled tables' rows (whose words are read as cells only)."""
    words = page_words(page)
    tables = [t for t in page.find_tables(RULED) if is_table(t)] if page.edges else []
    rows = [row for table in tables for row in ruled_rows(table, words, number)]
    boxes = [table.bbox for table in tables]
    return [w for w in words if not any(inside(w, box) for box in boxes)], rows


def page_words(page) -> list[Word]:
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=False)
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], round(w["size"], 1), "bold" in w["fontname"].lower())
        for w in words
        if w["text"].strip()
    ]


def is_table(table) -> bool:
    """Two rows or more with two filled cells or more: a lone box around text (a fact box) is no table."""
    rows = table.extract()
    return len(rows) >= 2 and max(sum(1 for cell in row if cell and cell.strip()) for row in rows) >= 2


def inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    """The word's centre lies in the box (a word touching a ruling line still belongs to its cell)."""
    x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def ruled_rows(table, words: list[Word], page: int) -> list[Line]:
    """Each row of a ruled table as one line of tab-separated cells; a cell's wrapped lines are joined."""
    out = []
    for row, texts in zip(table.rows, table.extract(), strict=True):
        cells = [(box, cell_text(text)) for box, text in zip(row.cells, texts, strict=True) if box is not None]
        if not any(text for _, text in cells):
            continue
        sizes = [w.size for w in words if inside(w, row.bbox)]
        size = statistics.median(sizes) if sizes else 10.0
        bold = all(w.bold for w in words if inside(w, row.bbox))
        spans = [Word(text, box[0], box[2], box[1], box[3], size, bold) for box, text in cells]
        text = "\t".join(text for _, text in cells)
        out.append(Line(spans, page, text=text, cells=True, ruled=True))
    return out


def cell_text(text: str | None) -> str:
    """A cell's lines as one, hyphenation undone like a paragraph's: the label the text version has."""
    parts = (text or "").split("\n")
    joined = parts[0].strip()
    for part in parts[1:]:
        joined = join(joined, part.strip()) if joined else part.strip()
    return " ".join(joined.split())


def group_lines(words: list[Word], page: int) -> list[Line]:
    """Words into lines by their vertical position, each line's words left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        tolerance = max(2.0, 0.4 * word.size)
        if lines and abs(lines[-1].words[0].top - word.top) <= tolerance:
            lines[-1].words.append(word)
        else:
            lines.append(Line([word], page))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def crosses(line: Line, x: float) -> bool:
    """The line's text runs over x: a word covers it, or x falls in an ordinary word space."""
    for a, b in zip(line.words, line.words[1:], strict=False):
        if a.x0 <= x <= a.x1:
            return True
        if a.x1 < x < b.x0:
            return b.x0 - a.x1 < 1.5 * a.size
    last = line.words[-1]
    return last.x0 <= x <= last.x1


def column_gap(lines: list[Line], left: float, right: float) -> float | None:
    """The x of a strip between two columns, if this page has one (decided from where the words stand)."""
    if len(lines) < 6:
        return None
    width = right - left
    runs: list[tuple[int, float, float]] = []  # (lines crossing, start, end) of each stretch of equal count
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        count = sum(crosses(line, x) for line in lines)
        if runs and runs[-1][0] == count and math.isclose(runs[-1][2], x - 1.0):
            runs[-1] = (count, runs[-1][1], x)
        else:
            runs.append((count, x, x))
        x += 1.0
    best = min(runs, key=lambda r: (r[0], -(r[2] - r[1])), default=None)
    if best is None or best[2] - best[1] < MIN_GAP or best[0] > 0.25 * len(lines):
        return None
    gap = (best[1] + best[2]) / 2
    lefts = [ln for ln in lines if not crosses(ln, gap) and any(w.x1 < gap for w in ln.words)]
    rights = [[w for w in ln.words if w.x0 > gap] for ln in lines if not crosses(ln, gap)]
    rights = [r for r in rights if r]
    if len(lefts) < 3 or len(rights) < 3:
        return None
    numeric = sum(all(NUMBER.match(w.text) for w in r) for r in rights)
    if numeric > 0.5 * len(rights):  # numbers beside labels: a table, not a second column
        return None
    return gap


def reading_order(words: list[Word], rows: list[Line], page: int) -> list[Line]:
    lines = sorted(group_lines(words, page) + rows, key=lambda line: line.top)
    if not lines:
        return []
    spans = [w for line in lines for w in line.words]
    left, right = min(w.x0 for w in spans), max(w.x1 for w in spans)
    gap = column_gap(lines, left, right)
    if gap is None:
        for line in lines:
            line.column = (left, right)
        return lines
    ordered: list[Line] = []
    left_col: list[Line] = []
    right_col: list[Line] = []

    def flush() -> None:
        ordered.extend(left_col)
        ordered.extend(right_col)
        left_col.clear()
        right_col.clear()

    for line in lines:
        if crosses(line, gap):
            flush()
            line.column = (left, right)
            ordered.append(line)
            continue
        if line.ruled:  # a ruled table's row stays whole, in the column it stands in
            line.column = (left, gap) if line.x1 <= gap else (gap, right)
            (left_col if line.x1 <= gap else right_col).append(line)
            continue
        a = [w for w in line.words if w.x1 <= gap]
        b = [w for w in line.words if w.x1 > gap]
        if a:
            left_col.append(Line(a, page, (left, gap)))
        if b:
            right_col.append(Line(b, page, (gap, right)))
    flush()
    return ordered


def line_text(line: Line) -> tuple[str, bool]:
    """The line's text; words apart by more than a wide space become tab-separated cells."""
    words = line.words
    first = words[0].text
    marker = ""
    dash_gap = len(words) > 1 and words[1].x0 - words[0].x1 > 0.6 * words[0].size
    if len(words) > 1 and (first == "•" or (first in BULLETS and dash_gap) or NUMBERED.match(first)):
        marker = "• " if first in BULLETS else first + " "
        words = words[1:]
    parts = [words[0].text]
    cells = False
    for a, b in zip(words, words[1:], strict=False):
        wide = b.x0 - a.x1 > max(1.5 * a.size, 8.0)
        cells |= wide
        parts.append("\t" if wide else " ")
        parts.append(b.text)
    return marker + "".join(parts), cells


def furniture_keys(pages: list[list[Line]]) -> set[str]:
    """Lines at the top or bottom of at least half the pages (two or more), digits ignored."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edge = {furniture_key(ln.text) for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        seen.update(edge)
    needed = max(2, math.ceil(0.5 * len(pages)))
    return {key for key, n in seen.items() if n >= needed}


def furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold())


def layout(pages_content: list[tuple[list[Word], list[Line]]]) -> Text:
    pages: list[list[Line]] = []
    for number, (words, rows) in enumerate(pages_content, start=1):
        lines = reading_order(words, rows, number)
        for line in lines:
            if not line.ruled:
                line.text, line.cells = line_text(line)
        edges: dict[tuple[float, float], float] = {}
        for line in lines:
            edges[line.column] = max(edges.get(line.column, 0.0), line.x1)
        for line in lines:
            line.right = edges[line.column]
        pages.append(lines)
    repeated = furniture_keys(pages)
    kept: list[Line] = []
    for lines in pages:
        edge = set(range(EDGE_LINES)) | set(range(len(lines) - EDGE_LINES, len(lines)))
        for i, line in enumerate(lines):
            at_edge = i in edge
            furniture = PAGE_NUMBER.match(line.text.strip()) or furniture_key(line.text) in repeated
            if at_edge and furniture and not line.ruled:  # a ruled table's header repeated on each page stays
                continue
            kept.append(line)
    body = body_size(kept)
    found = blocks(kept, body)
    confirm_headings(found, body)
    return emit(found, heading_levels(found))


@cache
def settings() -> dict[str, float]:
    return lexicon("normalise")["pdf_headings"]


def body_size(lines: list[Line]) -> float:
    """The size most characters of the document have: what is larger than it stands out."""
    sizes: Counter[float] = Counter()
    for line in lines:
        for w in line.words:
            sizes[w.size] += len(w.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def kind_of(line: Line, body: float) -> str:
    if line.cells:
        return "row"
    marked = line.text.startswith("• ") or (NUMBERED.match(line.words[0].text) and len(line.words) > 1)
    if marked and line.size <= body * settings()["item_size_ratio"]:
        return "item"  # a bold numbered item is still an item
    larger = line.smallest > body * settings()["heading_size_ratio"]
    if larger or (line.bold and len(line.text) <= settings()["bold_max_chars"] and not line.text.endswith(".")):
        return "heading"
    return "para"


def confirm_headings(found: list[Block], body: float) -> None:
    """A heading's joined lines are short and end no sentence; a bold one stands alone (body text neither
    before nor after it on its line). Anything else set in large or bold type is a paragraph."""
    for block in found:
        if block.kind != "heading":
            continue
        larger = min(line.smallest for line in block.lines) > body * settings()["heading_size_ratio"]
        limit = settings()["max_chars"] if larger else settings()["bold_max_chars"]
        if len(block.text) > limit or block.text.endswith("."):
            block.kind = "para"


def heading_levels(found: list[Block]) -> dict[int, int]:
    """Each heading's level, 1 for the largest type: sizes within size_step are one level, bold ranks above
    regular at the same size."""
    step = settings()["size_step"]

    def style(block: Block) -> tuple[float, bool]:
        size = min(line.smallest for line in block.lines)
        return (round(size / step) * step, all(line.bold for line in block.lines))

    styles = sorted({style(b) for b in found if b.kind == "heading"}, reverse=True)
    return {i: styles.index(style(b)) + 1 for i, b in enumerate(found) if b.kind == "heading"}


def blocks(lines: list[Line], body: float) -> list[Block]:
    out: list[Block] = []
    pitch = typical_pitch(lines)
    for line in lines:
        kind = kind_of(line, body)
        prev = out[-1] if out else None
        if prev and continues(prev, line, kind, pitch):
            prev.text = join(prev.text, line.text)
            prev.last = line
            prev.lines.append(line)
            continue
        out.append(Block(kind, line.text, line.page, line, [line]))
    return out


def typical_pitch(lines: list[Line]) -> float:
    steps = [
        round(b.top - a.top, 1)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.column == b.column and 0 < b.top - a.top < 4 * a.size
    ]
    return Counter(steps).most_common(1)[0][0] if steps else 14.0


def continues(prev: Block, line: Line, kind: str, pitch: float) -> bool:
    last = prev.last
    if kind in ("row", "item") or prev.kind == "row":
        return False
    if prev.kind == "heading":
        return (
            kind == "heading"
            and same_place(last, line)
            and line.top - last.top <= 1.6 * pitch
            and abs(line.size - last.size) < 0.5
            and line.bold == last.bold
        )
    if kind == "heading":
        return False
    if prev.kind == "item" and same_place(last, line) and line.x0 < prev_x0(prev) + 1:
        return False  # an item's wrapped lines are indented past its marker
    if same_place(last, line):
        if line.top - last.bottom > 0.9 * pitch - (last.bottom - last.top) + 0.5 * last.size:
            return False  # a blank line's worth of space
        # a line that ends a sentence with room left for the next line's first word ends its paragraph
        room = last.right - last.x1
        return not (SENTENCE_END.search(prev.text) and room > (line.words[0].x1 - line.words[0].x0) + last.size)
    # a new page or column: a sentence that has not ended goes on
    return not SENTENCE_END.search(prev.text)


def prev_x0(block: Block) -> float:
    return block.lines[0].x0


def same_place(a: Line, b: Line) -> bool:
    return a.page == b.page and a.column == b.column and b.top > a.top


def join(text: str, more: str) -> str:
    if re.search(r"[A-Za-zÅÄÖåäöÉéÜü]-$", text) and more[:1].islower():
        first = more.split(" ", 1)[0]
        if first.strip(",.") not in KEEP_HYPHEN_BEFORE:
            return text[:-1] + more
    return f"{text} {more}"


def emit(found: list[Block], levels: dict[int, int]) -> Text:
    """Blocks as lines, a blank line between them (not between a table's rows); `levels` maps a block's index
    to its heading level, which the text carries by line."""
    lines: list[str] = []
    pages: list[int] = []
    headings: dict[int, int] = {}
    for i, block in enumerate(found):
        if i and not (block.kind == "row" and found[i - 1].kind == "row"):
            lines.append("")
            pages.append(found[i - 1].page)
        lines.append(block.text)
        pages.append(block.page)
        if i in levels:
            headings[len(lines)] = levels[i]
    return Text(lines, pages, "pdf", headings)
