"""HTTP under load: N concurrent clients (asyncio + httpx) against one loopback URL.

Closed loop (each client sends again as soon as it has an answer) finds the saturation throughput;
open loop (a fixed request rate) shows latency at a load the server can sustain. Both are bounded by
a time cap (closed loop also by a request cap), and only loopback URLs are accepted, so this cannot be
aimed at someone else's server by mistake.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import httpx

from bench.queries import percentile


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load generator only targets loopback servers, not {host!r}")


async def client_loop(
    http: httpx.AsyncClient, request: dict, stop_at: float, budget: list[int], latencies: list[float], errors: list
) -> None:
    """One client: send, wait for the answer, repeat (no think time) until a cap is reached."""
    while budget[0] > 0 and time.perf_counter() < stop_at:
        budget[0] -= 1
        started = time.perf_counter()
        try:
            response = await http.request(**request)
            if response.status_code != 200:
                errors.append(response.status_code)
                continue
        except httpx.HTTPError as err:
            errors.append(type(err).__name__)
            continue
        latencies.append(time.perf_counter() - started)


async def hammer(base: str, request: dict, clients: int, max_requests: int, seconds: float) -> dict:
    check_loopback(base)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    errors: list = []
    budget = [max_requests]
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        await http.request(**request)  # warm caches and the connection pool
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(*(client_loop(http, request, stop_at, budget, latencies, errors) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return summary(latencies, errors, elapsed, clients)


def summary(latencies: list[float], errors: list, elapsed: float, clients: int) -> dict:
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": len(errors),
        "seconds": elapsed,
        "requests_per_s": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 99) * 1000 if latencies else None,
    }


async def paced_client(
    http: httpx.AsyncClient, request: dict, first: float, interval: float, stop_at: float, latencies: list, errors: list
) -> None:
    """One client sending on a fixed schedule; latency counts from the scheduled time, so a slow server
    cannot hide its queue by delaying the next request (no coordinated omission)."""
    scheduled = first
    while scheduled < stop_at:
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        try:
            response = await http.request(**request)
            if response.status_code != 200:
                errors.append(response.status_code)
            else:
                latencies.append(time.perf_counter() - scheduled)
        except httpx.HTTPError as err:
            errors.append(type(err).__name__)
        scheduled += interval


async def paced(base: str, request: dict, clients: int, rate: float, seconds: float) -> dict:
    """Open loop: `clients` clients together sending `rate` requests/s for `seconds`."""
    check_loopback(base)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    errors: list = []
    interval = clients / rate
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        await http.request(**request)
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(
            *(
                paced_client(http, request, started + i * interval / clients, interval, stop_at, latencies, errors)
                for i in range(clients)
            )
        )
        elapsed = time.perf_counter() - started
    return {**summary(latencies, errors, elapsed, clients), "offered_per_s": rate}


def run(base: str, request: dict, clients: int = 16, max_requests: int = 3000, seconds: float = 15) -> dict:
    """Closed loop: as fast as the server answers (its saturation throughput and queueing latency)."""
    return asyncio.run(hammer(base, request, clients, max_requests, seconds))


def run_paced(base: str, request: dict, clients: int, rate: float, seconds: float) -> dict:
    return asyncio.run(paced(base, request, clients, rate, seconds))
