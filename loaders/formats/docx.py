"""DOCX → normalised text lines (python-docx): headings from their style, list paragraphs as "• text" (or their
number), tables as tab-separated rows, in document order. The zip directory is checked first: a document whose
parts unpack to more than POLICYKG_MAX_UNPACKED bytes, or compress beyond any real document, is a zip bomb."""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

from loaders.formats import Text, max_unpacked

if TYPE_CHECKING:  # python-docx loads only when a DOCX is read
    from docx.text.paragraph import Paragraph

MAX_RATIO = 200  # a part whose uncompressed size is this many times its compressed size (XML compresses ~10x)
MAX_PARTS = 10_000
HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$|^(?:title|rubrik|subtitle|underrubrik)$", re.I)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, name: str) -> None:
    from loaders.read import DocumentError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as err:
        raise DocumentError(f"{name}: the DOCX is corrupt or truncated ({err})") from None
    if len(infos) > MAX_PARTS:
        raise DocumentError(f"{name}: the DOCX holds {len(infos)} parts; refused as a zip bomb")
    total = sum(i.file_size for i in infos)
    limit = max_unpacked()
    if total > limit:
        raise DocumentError(
            f"{name}: the DOCX unpacks to {total:,} bytes, more than the limit of {limit:,} (POLICYKG_MAX_UNPACKED); "
            "refused as a zip bomb"
        )
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise DocumentError(
                f"{name}: the DOCX part {info.filename} unpacks {info.file_size // max(1, info.compress_size)}x "
                "its compressed size; refused as a zip bomb"
            )


def read_docx(data: bytes, name: str) -> Text:
    from loaders.read import DocumentError

    check_zip(data, name)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        blocks: list[tuple[str, str]] = []
        levels: dict[int, int] = {}
        counters: dict[tuple[str, int], int] = {}
        for child in document.element.body.iterchildren():
            if child.tag == W + "p":
                paragraph = Paragraph(child, document)
                block = paragraph_block(paragraph, counters)
                if block:
                    if block[0] == "heading":
                        levels[len(blocks)] = heading_level(style_name(paragraph))
                    blocks.append(block)
            elif child.tag == W + "tbl":
                blocks += [("row", row) for row in table_rows(Table(child, document))]
    except DocumentError:
        raise
    except Exception as err:  # python-docx and lxml raise many types for a broken part
        raise DocumentError(f"{name}: the DOCX is corrupt and cannot be read ({type(err).__name__}: {err})") from None
    return emit(blocks, "docx", levels)


def paragraph_block(paragraph, counters: dict[tuple[str, int], int]) -> tuple[str, str] | None:
    text = " ".join(paragraph.text.split())
    if not text:
        return None
    style = style_name(paragraph)
    if HEADING_STYLE.match(style):
        return ("heading", text)
    numbering = paragraph._p.find(f"{W}pPr/{W}numPr")
    if numbering is not None or style.lower().startswith(("list", "liststycke")):
        if "number" in style.lower() or "numrer" in style.lower():
            key = (style, 0)
            counters[key] = counters.get(key, 0) + 1
            return ("item", f"{counters[key]}. {text}")
        return ("item", f"• {text}")
    counters.clear()
    return ("para", text)


def style_name(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def heading_level(style: str) -> int:
    """A heading style's level: "Heading 2" / "Rubrik 2" is 2, the title 0 (above every heading), a subtitle 1."""
    match = HEADING_STYLE.match(style)
    if match and match.group(1):
        return int(match.group(1))
    return 0 if style.lower() in ("title", "rubrik") else 1


def table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated for every grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def emit(blocks: list[tuple[str, str]], fmt: str, levels: dict[int, int]) -> Text:
    """Blocks separated by blank lines, as in the bundled text files; a table's rows and a list's items stand
    together. `levels` (block index → heading level) becomes the text's marked headings, by line."""
    lines: list[str] = []
    headings: dict[int, int] = {}
    previous = ""
    for i, (kind, text) in enumerate(blocks):
        if lines and not (kind == previous and kind in ("row", "item")):
            lines.append("")
        lines.append(text)
        if i in levels:
            headings[len(lines)] = levels[i]
        previous = kind
    return Text(lines, [], fmt, headings)
