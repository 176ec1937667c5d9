"""Multipart uploads received straight into a temporary file, the size limit enforced while the body arrives.

Starlette's form parser reads the whole body before the endpoint runs, with no limit, and keeps each file's first
MB in memory. Here the body is counted chunk by chunk as the server hands it over, so a client sending more than
POLICYKG_MAX_UPLOAD gets 413 at the limit, and the file's bytes go to disk, where the parse worker reads them.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:  # declared for type checkers only
    from python_multipart.multipart import MultipartCallbacks

FIELD = "file"
PART_OVERHEAD = 65536  # boundaries and part headers a body may hold beyond the file (also observability.size_refusal)
NOT_MULTIPART = "invalid parameters: file: send the document as the multipart/form-data part `file`"
REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [FIELD],
                "properties": {
                    FIELD: {
                        "type": "string",
                        "contentMediaType": "application/octet-stream",
                        "description": "the document",
                    }
                },
            }
        }
    },
}


@dataclass(frozen=True)
class Received:
    """The uploaded file on disk and the name the client gave it (None when it gave none)."""

    path: Path
    filename: str | None


def too_large(limit: int) -> HTTPException:
    """413 that closes the connection: the rest of the body is never read, so the connection cannot be reused."""
    return HTTPException(
        413,
        f"the file is larger than the upload limit of {limit} bytes (POLICYKG_MAX_UPLOAD)",
        {"Connection": "close"},
    )


def decode_name(raw: bytes) -> str:
    """A part's file name: UTF-8 as browsers and httpx send it, else Latin-1 (as Starlette reads it)."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class FilePart:
    """python-multipart callbacks: the first `file` part's bytes go to `sink`, up to `limit`; other parts are
    dropped as they arrive, so nothing of the body collects in memory."""

    def __init__(self, sink: IO[bytes], limit: int):
        self.sink = sink
        self.limit = limit
        self.header: tuple[list[bytes], list[bytes]] = ([], [])
        self.headers: dict[bytes, bytes] = {}
        self.filename: str | None = None
        self.found = self.writing = self.ended = False
        self.size = 0

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.headers.clear,
            "on_header_field": lambda data, start, end: self.header[0].append(data[start:end]),
            "on_header_value": lambda data, start, end: self.header[1].append(data[start:end]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_end": self.end,
        }

    def header_end(self) -> None:
        name, value = (b"".join(pieces) for pieces in self.header)
        self.headers[name.strip().lower()] = value.strip(b" \t")
        for pieces in self.header:
            pieces.clear()

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition"))
        self.writing = options.get(b"name") == FIELD.encode() and not self.found
        if self.writing:
            self.found = True
            filename = options.get(b"filename")
            self.filename = None if filename is None else decode_name(filename)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.writing:
            self.size += end - start
            if self.size > self.limit:
                raise too_large(self.limit)
            self.sink.write(data[start:end])

    def part_end(self) -> None:
        self.writing = False

    def end(self) -> None:
        self.ended = True


def boundary(content_type: str) -> bytes:
    """The multipart boundary of the request's Content-Type; 422 when the body is not multipart/form-data."""
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise HTTPException(422, NOT_MULTIPART)
    return options[b"boundary"]


async def stream_into(request: Request, part: FilePart, limit: int) -> None:
    """Feed the body to the parser as it arrives; past `limit` bytes the rest is not read (413)."""
    separator = boundary(request.headers.get("content-type", ""))
    seen = 0
    try:
        parser = MultipartParser(separator, part.callbacks())
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit:
                raise too_large(part.limit)
            parser.write(chunk)
    except FormParserError as err:
        raise HTTPException(400, f"malformed multipart body: {err}") from None
    if not part.ended:
        raise HTTPException(400, "malformed multipart body: it ends before its closing boundary")


@asynccontextmanager
async def received_file(request: Request, limit: int) -> AsyncIterator[Received]:
    """The body's `file` part in a temporary file, removed on leaving whatever happens; 413 past `limit` bytes."""
    with tempfile.NamedTemporaryFile(prefix="policykg-upload-") as sink:
        part = FilePart(sink, limit)
        await stream_into(request, part, limit + PART_OVERHEAD)
        if not part.found:
            raise HTTPException(422, NOT_MULTIPART)
        sink.flush()
        yield Received(Path(sink.name), part.filename)
