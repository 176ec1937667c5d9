"""Read a document's bytes and insist on UTF-8 text, so line numbers match what users see."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

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
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"{name}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "re-save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    if not text.strip():
        raise DocumentError(f"{name}: the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path, slug: str | None = None) -> Document:
    """Read one file into a Document with its lines, slug and content hash."""
    return document_from_bytes(path.read_bytes(), path.name, slug)


def document_from_bytes(data: bytes, name: str, slug: str | None = None) -> Document:
    text = decode(data, name)
    return Document(
        slug=slug or slug_for(Path(name).stem),
        source_file=name,
        content_hash=hashlib.sha256(data).hexdigest(),
        lines=text.split("\n"),
    )
