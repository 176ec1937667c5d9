"""Writers for the format tests: a text document rendered as a real PDF (reportlab), DOCX (python-docx) or HTML.

The PDF has a running header and a page number on every page, hyphenates long words at line ends, sets headings
bold in a larger size, draws bullets with hanging indents and table rows in aligned cells; one or two columns.
`render_styled_pdf` sets an outline whose headings only type marks (size, bold; no numbers) and a table drawn with
ruling lines (reportlab platypus).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

BODY, HEADING = 10.0, 13.0
LEADING = 1.3


def font_files() -> tuple[str, str]:
    """A TrueType font with å, ä, ö: Bitstream Vera ships with reportlab, so every machine has it."""
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    return str(fonts / "Vera.ttf"), str(fonts / "VeraBd.ttf")


def kinds(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) per non-blank line: heading | item | row | para, as a writer would set it."""
    out = []
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        if "\t" in raw:
            out.append(("row", raw.strip("\n")))
        elif text.startswith("•"):
            out.append(("item", text.lstrip("• ").strip()))
        elif len(text) < 70 and not re.search(r"[.!?:,;]$", text) and (i + 1 >= len(lines) or not lines[i + 1].strip()):
            out.append(("heading", text))
        else:
            out.append(("para", text))
    return out


def wrap(text: str, font: str, size: float, width: float, hyphenate: bool = True) -> list[str]:
    """Greedy line breaking; a long word that does not fit is hyphenated when its first part does."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if hyphenate and len(word) >= 10 and word.isalpha() and word[:1].islower():
            for cut in range(len(word) - 4, 3, -1):
                head = f"{current} {word[:cut]}-".strip()
                if stringWidth(head, font, size) <= width:
                    lines.append(head)
                    current = word[cut:]
                    break
            else:
                lines.append(current)
                current = word
            continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def render_pdf(lines: list[str], columns: int = 1, header: str = "Budgetförslag 2025 – Sjukvårdspartiet") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont("Vera", regular))
    pdfmetrics.registerFont(TTFont("VeraBd", bold))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    page_w, page_h = A4
    margin, gutter = 56.0, 24.0
    col_w = (page_w - 2 * margin - (columns - 1) * gutter) / columns
    top, bottom = page_h - margin - 20, margin + 20
    state = {"page": 1, "col": 0, "y": top}
    nonlocal_width = [col_w]  # a table's width: its column's, or the page's in a multi-column layout

    def start_page() -> None:
        pdf.setFont("Vera", 8)
        pdf.drawString(margin, page_h - margin + 6, header)
        pdf.drawCentredString(page_w / 2, margin - 10, str(state["page"]))

    def advance(height: float) -> None:
        if state["y"] - height < bottom:
            if state["col"] + 1 < columns:
                state["col"] += 1
            else:
                pdf.showPage()
                state["page"] += 1
                state["col"] = 0
                start_page()
            state["y"] = top
        state["y"] -= height

    def x() -> float:
        return margin + state["col"] * (col_w + gutter)

    start_page()
    for kind, text in kinds(lines):
        if kind == "heading":
            advance(BODY * 0.8)
            for part in wrap(text, "VeraBd", HEADING, col_w, hyphenate=False):
                advance(HEADING * LEADING)
                pdf.setFont("VeraBd", HEADING)
                pdf.drawString(x(), state["y"], part)
            advance(BODY * 0.5)
        elif kind == "item":
            for n, part in enumerate(wrap(text, "Vera", BODY, col_w - 14)):
                advance(BODY * LEADING)
                pdf.setFont("Vera", BODY)
                if n == 0:
                    pdf.drawString(x() + 2, state["y"], "•")
                pdf.drawString(x() + 14, state["y"], part)
            advance(BODY * 0.4)
        elif kind == "row":
            if columns > 1 and not state.get("spanning"):  # a table spans the page: a new page in one column
                pdf.showPage()
                state.update(page=state["page"] + 1, col=0, y=top, spanning=True)
                start_page()
                nonlocal_width[0] = page_w - 2 * margin
            cells = [c.strip() for c in text.split("\t")]
            advance(BODY * LEADING)
            pdf.setFont("Vera", BODY)
            width = nonlocal_width[0]
            label_w = width * 0.55
            pdf.drawString(x(), state["y"], cells[0])
            numbers = cells[1:]
            step = (width - label_w) / max(1, len(numbers))
            for k, cell in enumerate(numbers):
                pdf.drawRightString(x() + label_w + step * (k + 1), state["y"], cell)
        else:
            for part in wrap(text, "Vera", BODY, col_w):
                advance(BODY * LEADING)
                pdf.setFont("Vera", BODY)
                pdf.drawString(x(), state["y"], part)
            advance(BODY * 0.8)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


STYLES = {  # style → (font, size): the title and three heading levels, body text, bullets and a bold numbered list
    "title": ("Vera", 20.0),
    "h1": ("Vera", 16.0),
    "h2": ("VeraBd", 13.0),
    "h3": ("VeraBd", BODY),
    "p": ("Vera", BODY),
    "li": ("Vera", BODY),
    "ol": ("VeraBd", BODY),
}


def render_styled_pdf(blocks: list[tuple[str, object]], repeat_header: bool = False) -> bytes:
    """(style, text) blocks, or ("table", rows of cells) drawn as a grid with ruled lines; one column, A4. A table
    longer than a page goes on on the next, its header row printed again there when `repeat_header`."""
    from html import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont("Vera", regular))
    pdfmetrics.registerFont(TTFont("VeraBd", bold))
    buffer = io.BytesIO()
    flow, number = [], 0
    cell = ParagraphStyle("cell", fontName="Vera", fontSize=BODY, leading=BODY * LEADING)
    for style, content in blocks:
        if style == "table":
            rows = [[Paragraph(escape(text), cell) if len(text) > 30 else text for text in row] for row in content]
            table = Table(rows, colWidths=[180, 70, 70, 70], repeatRows=1 if repeat_header else 0)
            table.setStyle(
                TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "Vera")])
            )
            flow.append(table)
            continue
        font, size = STYLES[style]
        number = number + 1 if style == "ol" else 0
        look = ParagraphStyle(
            style,
            fontName=font,
            fontSize=size,
            leading=size * LEADING,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.4,
            leftIndent=14 if style in ("li", "ol") else 0,
            bulletFontName=font,
        )
        bullet = {"li": "•", "ol": f"{number}."}.get(style)
        flow.append(Paragraph(escape(str(content)), look, bulletText=bullet))
    SimpleDocTemplate(buffer, pagesize=A4).build(flow)
    return buffer.getvalue()


def render_docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    table = None
    for kind, text in kinds(lines):
        if kind != "row":
            table = None
        if kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "item":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "row":
            cells = [c.strip() for c in text.split("\t")]
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            for cell, value in zip(table.add_row().cells, cells, strict=True):
                cell.text = value
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_html(lines: list[str]) -> bytes:
    from html import escape

    parts = ["<!DOCTYPE html>", '<html lang="sv"><head><meta charset="utf-8"><title>Budget</title></head><body>']
    open_list = open_table = False
    for kind, text in kinds(lines):
        if open_list and kind != "item":
            parts.append("</ul>")
            open_list = False
        if open_table and kind != "row":
            parts.append("</table>")
            open_table = False
        if kind == "heading":
            parts.append(f"<h2>{escape(text)}</h2>")
        elif kind == "item":
            if not open_list:
                parts.append("<ul>")
                open_list = True
            parts.append(f"<li>{escape(text)}</li>")
        elif kind == "row":
            if not open_table:
                parts.append("<table>")
                open_table = True
            cells = "".join(f"<td>{escape(c.strip())}</td>" for c in text.split("\t"))
            parts.append(f"<tr>{cells}</tr>")
        else:
            parts.append(f"<p>{escape(text)}</p>")
    parts.append("</ul>" if open_list else "")
    parts.append("</table>" if open_table else "")
    parts.append("</body></html>")
    return "\n".join(parts).encode()
