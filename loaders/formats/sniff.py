"""Which format a document's bytes are, by content (magic bytes), never by file name."""

from __future__ import annotations

import io
import re
import zipfile

HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def sniff(data: bytes) -> str:
    """ "pdf", "docx", "zip" (a zip that is no Word document), "html", "binary" or "text"."""
    head = data[:1024]
    if head.lstrip(b"\r\n\t \x00")[:5] == b"%PDF-" or b"%PDF-" in head:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    body = head.removeprefix(b"\xef\xbb\xbf")
    if HTML_START.match(body):
        return "html"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"
