"""Where the server runs users' SPARQL: a few worker processes, killed and replaced at the time limit.

A thread cannot be stopped, so a query run in one goes on burning a core after its 503. A worker process can:
at the limit it gets SIGKILL and a fresh one takes its place (forked from a preloaded forkserver, ~0.2 s). Workers
hold read-only views of the on-disk store (graph/query_worker.py), cannot open network sockets
(graph/sandbox.py) and run at a lower priority than the server.

The `Gate` bounds what waits: each worker runs one query, a small queue waits for the next free one, and one
client holds at most `per_client` of all these; beyond that a query is answered 429 with Retry-After at once.
A store in memory or on a remote server cannot be shared with another process: `ThreadRunner` keeps the same
gate but runs queries in threads, which are answered 503 at the limit and then run to their end (each still
holding its slot, so abandoned queries cannot pile up).
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from graph import sparql
from graph.parsing import PRELOAD as PARSE_PRELOAD
from graph.sparql import Answer, QueryRefused, answer, failure, timed_out

RESTART_ALLOWANCE = 1.0  # s a queued query waits beyond the time limit: a killed worker's replacement starting
START_TIMEOUT = 60.0  # s for a new worker to report in
DIED = "the query needed more memory than a query worker has (POLICYKG_QUERY_MEMORY_MB); narrow it or add a LIMIT"
PRELOAD = ["graph.query_worker", "rdflib.plugins.sparql.parser"]  # imported once, in the forkserver


class Gate:
    """Admission: `slots` queries run, `queue` more wait, one client holds at most `per_client` (0: no cap)."""

    def __init__(self, slots: int, queue: int, per_client: int, timeout: float):
        self.slots, self.queue, self.per_client = slots, queue, per_client
        self.retry_after = str(math.ceil(timeout))
        self.free = asyncio.Semaphore(slots)
        self.waiting = 0
        self.clients: Counter[str] = Counter()

    def busy(self, message: str) -> QueryRefused:
        sparql.REJECTED[0] += 1
        return QueryRefused(f"{message}; retry after {self.retry_after} s", 429, {"Retry-After": self.retry_after})

    async def enter(self, client: str, wait: float) -> None:
        """Take a slot (waiting at most `wait` s in the queue) or raise QueryRefused(429)."""
        if self.per_client and self.clients[client] >= self.per_client:
            raise self.busy(f"this client already has {self.per_client} SPARQL queries running or waiting")
        if self.free.locked() and self.waiting >= self.queue:
            raise self.busy(f"all {self.slots} query workers are busy and {self.waiting} queries wait for one")
        self.clients[client] += 1
        self.waiting += 1
        try:
            await asyncio.wait_for(self.free.acquire(), wait)
        except TimeoutError:
            self.leave(client)
            raise self.busy(f"no query worker became free within {wait:g} s") from None
        except BaseException:
            self.leave(client)
            raise
        finally:
            self.waiting -= 1

    def leave(self, client: str) -> None:
        """The client's query is answered (its slot may stay taken until a worker is back)."""
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context, path: Path, open_files: int, generation: int, memory_mb: int):
        from graph import query_worker

        self.conn, child = context.Pipe()
        args = (child, str(path), open_files, generation, memory_mb)
        self.process = context.Process(target=query_worker.serve, args=args, name="policykg-query", daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT):
            self.stop()
            raise RuntimeError(f"a SPARQL query worker did not start within {START_TIMEOUT:g} s")
        self.sandboxed: bool = self.conn.recv()
        self.stopped = False

    def ask(self, task: tuple, timeout: float) -> Answer | None:
        """The worker's answer, or None when it ran past `timeout`; a worker that timed out or died is stopped."""
        try:
            self.conn.send(task)
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            return Answer(503, error=DIED)
        self.stop()
        return None

    def stop(self) -> None:
        self.stopped = True
        self.process.kill()
        self.process.join(10)
        self.conn.close()


class ProcessRunner:
    """Queries in worker processes over the on-disk store at `path`; `generation` counts the server's writes."""

    loop: asyncio.AbstractEventLoop  # the serving loop, known from the first query on: answers are handed back to it

    def __init__(self, path: Path, open_files: int, memory_mb: int, gate: Gate, generation: Callable[[], int]):
        self.path, self.open_files, self.memory_mb = path, open_files, memory_mb
        self.gate, self.generation = gate, generation
        self.context = multiprocessing.get_context("forkserver")
        # one fork server per process, preloaded by whoever starts it first: the upload parse workers fork from it too
        self.context.set_forkserver_preload(PRELOAD + main_module() + PARSE_PRELOAD)
        self.threads = ThreadPoolExecutor(max_workers=2 * gate.slots, thread_name_prefix="query-wait")
        self.idle = [self.start() for _ in range(gate.slots)]
        self.busy: set[Worker] = set()

    def start(self) -> Worker:
        return Worker(self.context, self.path, self.open_files, self.generation(), self.memory_mb)

    def describe(self) -> str:
        network = "blocked (seccomp)" if all(w.sandboxed for w in self.idle) else "NOT blocked on this platform"
        return f"{self.gate.slots} worker processes, killed at the time limit; their network access: {network}"

    async def run(self, query: str, accept: str, timeout: float, max_rows: int, client: str) -> tuple[bytes, str]:
        """The query's body and media type; QueryRefused for a refusal, 429 when busy, 503 at the time limit."""
        self.loop = asyncio.get_running_loop()
        await self.gate.enter(client, timeout + RESTART_ALLOWANCE)
        worker = self.idle.pop()
        self.busy.add(worker)
        task = (self.generation(), query, accept, max_rows)
        try:
            result = await asyncio.wrap_future(self.threads.submit(self.exchange, worker, task, timeout))
        finally:
            self.gate.leave(client)
        if result is None:
            raise QueryRefused(timed_out(timeout), 503)
        return unpack(result)

    def exchange(self, worker: Worker, task: tuple, timeout: float) -> Answer | None:
        """In a waiting thread: the worker's answer; past the limit the worker is killed and replaced."""
        result = worker.ask(task, timeout)
        if result is None:
            sparql.TIMED_OUT[0] += 1
        if worker.stopped:
            self.threads.submit(self.replace, worker)
        else:
            self.loop.call_soon_threadsafe(self.back, worker, worker)
        return result

    def replace(self, dead: Worker) -> None:
        try:
            fresh = self.start()
        except Exception:  # noqa: BLE001 - no replacement now: the slot stays taken rather than fail every query
            print("policykg: could not start a SPARQL query worker", file=sys.stderr)
            return
        self.loop.call_soon_threadsafe(self.back, dead, fresh)

    def back(self, done: Worker, ready: Worker) -> None:
        """On the event loop: a worker is free again (`ready` replaces `done` when that was killed)."""
        self.busy.discard(done)
        self.idle.append(ready)
        self.gate.free.release()

    def close(self) -> None:
        for worker in self.idle + list(self.busy):
            worker.stop()
        self.threads.shutdown(wait=False, cancel_futures=True)


class ThreadRunner:
    """Queries in threads over a store only this process can read (in memory, or a remote server's client)."""

    def __init__(self, store, gate: Gate):
        self.store, self.gate = store, gate
        self.threads = ThreadPoolExecutor(max_workers=gate.slots, thread_name_prefix="sparql")

    def describe(self) -> str:
        return f"{self.gate.slots} threads (this store cannot be opened by worker processes: no kill at the limit)"

    async def run(self, query: str, accept: str, timeout: float, max_rows: int, client: str) -> tuple[bytes, str]:
        """As ProcessRunner.run, but a query past the limit is only answered 503; its thread runs on."""
        loop = asyncio.get_running_loop()
        await self.gate.enter(client, timeout + RESTART_ALLOWANCE)
        future = self.threads.submit(self.work, query, accept, max_rows)
        future.add_done_callback(lambda _: loop.call_soon_threadsafe(self.gate.free.release))
        try:
            return unpack(await asyncio.wait_for(asyncio.wrap_future(future), timeout))
        except TimeoutError:
            sparql.TIMED_OUT[0] += 1
            raise QueryRefused(timed_out(timeout), 503) from None
        finally:
            self.gate.leave(client)

    def work(self, query: str, accept: str, max_rows: int) -> Answer:
        try:
            return answer(self.store, query, accept, max_rows)
        except OSError as err:
            return failure(err)

    def close(self) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)


def main_module() -> list[str]:
    """The `-m` module the server runs: each worker re-runs it as `__mp_main__`, cheap once its imports are loaded."""
    name = getattr(sys.modules["__main__"].__spec__, "name", None)
    return [name] if name else []


def unpack(result: Answer) -> tuple[bytes, str]:
    if result.status != 200:
        raise QueryRefused(result.error, result.status)
    return result.body, result.media


def query_runner(store, settings) -> ProcessRunner | ThreadRunner:
    """Worker processes for an on-disk embedded store (unless POLICYKG_QUERY_WORKERS=0), threads otherwise."""
    workers = settings.query_workers or 2
    gate = Gate(workers, settings.query_queue, settings.query_per_client, settings.query_timeout)
    if settings.query_workers and getattr(store, "path", None) is not None:
        return ProcessRunner(
            store.path, settings.store_open_files, settings.query_memory_mb, gate, lambda: store.generation
        )
    return ThreadRunner(store, gate)
