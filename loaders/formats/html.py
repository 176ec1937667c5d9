"""HTML → normalised text lines (lxml): h1–h6 as headings, li as "• text" (or "N. text" in an ol), table rows as
tab-separated cells, p/div/blockquote/dd text as paragraphs; script, style, nav, header, footer and forms (a web
page's furniture) are skipped."""

from __future__ import annotations

from loaders.formats import Text
from loaders.formats.docx import emit

SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "form", "button", "select", "svg", "head"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {
    "p", "div", "section", "article", "main", "body", "html", "ul", "ol", "li", "table", "thead", "tbody", "tfoot",
    "tr", "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "caption", "aside", "address", "hr", "br",
}  # fmt: skip


def read_html(data: bytes, name: str) -> Text:
    from lxml import etree, html

    from loaders.read import DocumentError

    try:
        data.decode("utf-8")
        parser = html.HTMLParser(encoding="utf-8", remove_comments=True)
    except UnicodeDecodeError:
        parser = html.HTMLParser(remove_comments=True)  # lxml reads the page's own <meta charset>
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise DocumentError(f"{name}: the HTML cannot be parsed ({err})") from None
    blocks: list[tuple[str, str]] = []
    levels: dict[int, int] = {}
    walk(root, blocks, levels)
    return emit(blocks, "html", levels)


def tag_of(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def inline_text(element) -> str:
    """An element's text without its nested lists (an li's own words)."""
    parts = [element.text or ""]
    for child in element:
        tag = tag_of(child)
        if tag in ("ul", "ol", "table") or tag in SKIP:
            pass
        elif tag == "br":
            parts.append(" ")
        else:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def walk(element, blocks: list[tuple[str, str]], levels: dict[int, int]) -> None:
    """Append the element's blocks in document order; an h1–h6's level goes to `levels` by block index."""
    buffer: list[str] = [element.text or ""]

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        if text:
            blocks.append(("para", text))
        buffer.clear()

    for child in element:
        tag = tag_of(child)
        if tag in SKIP or not tag:
            buffer.append(child.tail or "")
            continue
        if tag not in BLOCKS:  # inline: its words belong to the running paragraph
            buffer.append(inline_text(child))
            buffer.append(child.tail or "")
            continue
        flush()
        if tag in HEADINGS:
            text = inline_text(child)
            if text:
                levels[len(blocks)] = int(tag[1])
                blocks.append(("heading", text))
        elif tag in ("ul", "ol"):
            for number, item in enumerate((li for li in child if tag_of(li) == "li"), start=1):
                text = inline_text(item)
                if text:
                    blocks.append(("item", f"{number}. {text}" if tag == "ol" else f"• {text}"))
                for nested in item:
                    if tag_of(nested) in ("ul", "ol", "table"):
                        walk_one(nested, blocks, levels)
        elif tag == "table":
            for row in child.iter("tr"):
                cells = [" ".join(c.text_content().split()) for c in row if tag_of(c) in ("td", "th")]
                if any(cells):
                    blocks.append(("row", "\t".join(cells)))
        elif tag in ("p", "dt", "dd", "blockquote", "pre", "figcaption", "caption", "address", "li"):
            if any(tag_of(c) in BLOCKS - {"br"} for c in child):
                walk(child, blocks, levels)
            else:
                text = inline_text(child)
                if text:
                    blocks.append(("para", text))
        elif tag not in ("br", "hr"):
            walk(child, blocks, levels)
        buffer.append(child.tail or "")
    flush()


def walk_one(element, blocks: list[tuple[str, str]], levels: dict[int, int]) -> None:
    """Read one nested block element as if it stood alone inside a container."""
    from lxml import html

    holder = html.Element("div")
    holder.append(_copy(element))
    walk(holder, blocks, levels)


def _copy(element):
    from copy import deepcopy

    copied = deepcopy(element)
    copied.tail = None
    return copied
