"""Read a document's bytes (PDF, DOCX, HTML or UTF-8 text, recognised by content) into normalised text lines,
so line numbers match the text users are shown."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from loaders.formats import Text
from loaders.formats.characters import plain_lines
from loaders.formats.sniff import sniff
from loaders.records import Document


class DocumentError(ValueError):
    """A document that cannot be loaded; the message says what to fix."""


def slug_for(name: str) -> str:
    """A readable, stable slug: ASCII-folded, lower case, dashes."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "document"


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); anything else is refused with the failing position."""
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{name}: looks like a binary file; convert it to UTF-8 plain text first")
    try:
        text = data.decode("utf-8-sig").lstrip("\ufeff")  # a doubled BOM too (decoding twice changes nothing)
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"{name}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "re-save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    if not text.strip():
        raise DocumentError(f"{name}: the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def document_from_bytes(data: bytes, name: str, slug: str | None = None) -> Document:
    text = normalised_text(data, name)
    return Document(
        slug=slug or slug_for(Path(name).stem),
        source_file=name,
        content_hash=hashlib.sha256(data).hexdigest(),
        lines=text.lines,
        pages=text.pages,
        headings=text.headings,
        source_format=text.format,
    )


def normalised_text(data: bytes, name: str) -> Text:
    """The document's lines in the shape the structure layer reads, whatever format the bytes are, with their
    characters made plain (loaders/formats/characters.py)."""
    text = format_text(data, name)
    return replace(text, lines=plain_lines(text.lines))


def format_text(data: bytes, name: str) -> Text:
    """The lines the reader of the bytes' format gives."""
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    kind = sniff(data)
    if kind == "pdf":
        from loaders.formats.pdf import read_pdf

        text = read_pdf(data, name)
    elif kind == "docx":
        from loaders.formats.docx import read_docx

        text = read_docx(data, name)
    elif kind == "html":
        from loaders.formats.html import read_html

        text = read_html(data, name)
    elif kind == "zip":
        raise DocumentError(
            f"{name}: a zip archive that is no Word document (no word/document.xml); "
            "PolicyKG reads PDF, DOCX, HTML and UTF-8 text"
        )
    elif kind == "binary":
        raise DocumentError(f"{name}: a binary file of none of the formats PolicyKG reads (PDF, DOCX, HTML, text)")
    else:
        return Text(decode(data, name).split("\n"))
    if not any(line.strip() for line in text.lines):
        raise DocumentError(f"{name}: the {kind.upper()} file holds no text")
    return text
