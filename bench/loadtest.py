"""HTTP under load: N concurrent keep-alive clients against one loopback URL.

Closed loop (each client sends again as soon as it has an answer) finds the saturation throughput;
open loop (a fixed request rate) shows latency at a load the server can sustain. Both are bounded by
a time cap (closed loop also by a request cap), and only loopback URLs are accepted, so this cannot be
aimed at someone else's server by mistake.

The clients speak HTTP/1.1 over asyncio streams themselves (request line, Content-Length or chunked
bodies): the generator shares the machine's two cores with the server, and a full client library such as
httpx spends about as much CPU per request as the server does, which would measure the client instead.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from bench.queries import percentile

TIMEOUT_S = 60  # a request still unanswered after this counts as an error and ends its client


def check_loopback(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load generator only targets loopback servers, not {parts.hostname!r}")
    return parts.hostname, parts.port or 80


def request_bytes(request: dict, host: str) -> bytes:
    """A GET/POST in the shape the benchmark describes requests: method, url, params, headers, content."""
    target = request["url"] + ("?" + urlencode(request["params"]) if request.get("params") else "")
    body = request.get("content", b"")
    headers = {"Host": host, **request.get("headers", {})}
    if body:
        headers["Content-Length"] = str(len(body))
    head = f"{request['method']} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + "\r\n").encode() + body


class Connection:
    """One keep-alive connection; `send` returns the status after reading the whole body."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        return cls(*await asyncio.open_connection(host, port))

    async def send(self, raw: bytes) -> int:
        self.writer.write(raw)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        fields = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
        if fields.get("transfer-encoding", "").strip() == "chunked":
            await self.read_chunks()
        else:
            await self.reader.readexactly(int(fields.get("content-length", "0")))
        return status

    async def read_chunks(self) -> None:
        while size := int((await self.reader.readline()).split(b";")[0], 16):
            await self.reader.readexactly(size + 2)
        await self.reader.readline()

    def close(self) -> None:
        self.writer.close()


@dataclass
class Tally:
    latencies: list[float]
    errors: list

    async def attempt(self, conn: Connection, raw: bytes, since: float) -> bool:
        """Send once and record the outcome; False when the connection is no longer usable."""
        try:
            status = await asyncio.wait_for(conn.send(raw), TIMEOUT_S)
        except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as err:
            self.errors.append(type(err).__name__)
            return False
        if status == 200:
            self.latencies.append(time.perf_counter() - since)
        else:
            self.errors.append(status)
        return True


async def client_loop(conn: Connection, raw: bytes, stop_at: float, budget: list[int], tally: Tally) -> None:
    """One client: send, wait for the answer, repeat (no think time) until a cap is reached."""
    while budget[0] > 0 and time.perf_counter() < stop_at:
        budget[0] -= 1
        if not await tally.attempt(conn, raw, time.perf_counter()):
            return


async def connections(host: str, port: int, count: int, raw: bytes) -> list[Connection]:
    conns = [await Connection.open(host, port) for _ in range(count)]
    await conns[0].send(raw)  # warm caches
    return conns


async def hammer(base: str, request: dict, clients: int, max_requests: int, seconds: float) -> dict:
    host, port = check_loopback(base)
    raw = request_bytes(request, host)
    conns = await connections(host, port, clients, raw)
    tally, budget = Tally([], []), [max_requests]
    started = time.perf_counter()
    await asyncio.gather(*(client_loop(c, raw, started + seconds, budget, tally) for c in conns))
    elapsed = time.perf_counter() - started
    for conn in conns:
        conn.close()
    return summary(tally, elapsed, clients)


def summary(tally: Tally, elapsed: float, clients: int) -> dict:
    latencies = tally.latencies
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": len(tally.errors),
        "seconds": elapsed,
        "requests_per_s": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 99) * 1000 if latencies else None,
    }


async def paced_client(conn: Connection, raw: bytes, first: float, interval: float, stop_at: float, tally: Tally):
    """One client sending on a fixed schedule; latency counts from the scheduled time, so a slow server
    cannot hide its queue by delaying the next request (no coordinated omission)."""
    scheduled = first
    while scheduled < stop_at:
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        if not await tally.attempt(conn, raw, scheduled):
            return
        scheduled += interval


async def paced(base: str, request: dict, clients: int, rate: float, seconds: float) -> dict:
    """Open loop: `clients` clients together sending `rate` requests/s for `seconds`."""
    host, port = check_loopback(base)
    raw = request_bytes(request, host)
    conns = await connections(host, port, clients, raw)
    tally, interval = Tally([], []), clients / rate
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(paced_client(c, raw, started + i * interval / clients, interval, stop_at, tally) for i, c in enumerate(conns))
    )
    elapsed = time.perf_counter() - started
    for conn in conns:
        conn.close()
    return {**summary(tally, elapsed, clients), "offered_per_s": rate}


def run(base: str, request: dict, clients: int = 16, max_requests: int = 3000, seconds: float = 15) -> dict:
    """Closed loop: as fast as the server answers (its saturation throughput and queueing latency)."""
    return asyncio.run(hammer(base, request, clients, max_requests, seconds))


def run_paced(base: str, request: dict, clients: int, rate: float, seconds: float) -> dict:
    return asyncio.run(paced(base, request, clients, rate, seconds))
