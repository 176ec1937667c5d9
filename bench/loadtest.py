"""HTTP under load: N concurrent keep-alive clients against one loopback server.

The clients take their requests in turn from one rotation (e.g. the neighbours of 200 different measures), so
a server that memoises answers is measured on a realistic spread of requests, not on one cached answer.

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
import itertools
import time
from collections.abc import Iterator
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


async def client_loop(
    conn: Connection, turns: Iterator[bytes], stop_at: float, budget: list[int], tally: Tally
) -> None:
    """One client: send the rotation's next request, wait for the answer, repeat (no think time) until a cap."""
    while budget[0] > 0 and time.perf_counter() < stop_at:
        budget[0] -= 1
        if not await tally.attempt(conn, next(turns), time.perf_counter()):
            return


async def connections(base: str, count: int, requests: list[dict]) -> tuple[list[Connection], Iterator[bytes]]:
    """Open the clients' connections, and the rotation of raw requests they share (the first one warms caches)."""
    host, port = check_loopback(base)
    raws = [request_bytes(request, host) for request in requests]
    conns = [await Connection.open(host, port) for _ in range(count)]
    await conns[0].send(raws[0])
    return conns, itertools.cycle(raws)


async def hammer(base: str, requests: list[dict], clients: int, max_requests: int, seconds: float) -> dict:
    conns, turns = await connections(base, clients, requests)
    tally, budget = Tally([], []), [max_requests]
    started = time.perf_counter()
    await asyncio.gather(*(client_loop(c, turns, started + seconds, budget, tally) for c in conns))
    elapsed = time.perf_counter() - started
    for conn in conns:
        conn.close()
    return {**summary(tally, elapsed, clients), "distinct_requests": len(requests)}


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


async def paced_client(
    conn: Connection, turns: Iterator[bytes], first: float, interval: float, stop_at: float, tally: Tally
) -> None:
    """One client sending on a fixed schedule; latency counts from the scheduled time, so a slow server
    cannot hide its queue by delaying the next request (no coordinated omission)."""
    scheduled = first
    while scheduled < stop_at:
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        if not await tally.attempt(conn, next(turns), scheduled):
            return
        scheduled += interval


async def paced(base: str, requests: list[dict], clients: int, rate: float, seconds: float) -> dict:
    """Open loop: `clients` clients together sending `rate` requests/s for `seconds`."""
    conns, turns = await connections(base, clients, requests)
    tally, interval = Tally([], []), clients / rate
    started = time.perf_counter()
    stop_at = started + seconds
    offset = interval / clients
    await asyncio.gather(
        *(paced_client(c, turns, started + i * offset, interval, stop_at, tally) for i, c in enumerate(conns))
    )
    elapsed = time.perf_counter() - started
    for conn in conns:
        conn.close()
    return {**summary(tally, elapsed, clients), "distinct_requests": len(requests), "offered_per_s": rate}


def run(base: str, requests: list[dict], clients: int = 16, max_requests: int = 3000, seconds: float = 15) -> dict:
    """Closed loop: as fast as the server answers (its saturation throughput and queueing latency)."""
    return asyncio.run(hammer(base, requests, clients, max_requests, seconds))


def run_paced(base: str, requests: list[dict], clients: int, rate: float, seconds: float) -> dict:
    return asyncio.run(paced(base, requests, clients, rate, seconds))
