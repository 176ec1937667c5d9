"""Read and extract documents in worker processes under a time and a memory limit, so one pathological file
(a PDF that takes an hour, a document that needs gigabytes) fails on its own and the load goes on.

Workers fork from a clean fork server that has the extractor imported: no process holding the open store is
forked. A worker caps its own address space (RLIMIT_AS) at what it had when it started plus the memory limit;
the parent kills a worker whose document runs past the time limit and starts a fresh one.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import socket
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from loaders.read import DocumentError

if TYPE_CHECKING:
    from graph.extracted import Extracted

PRELOAD = ["__main__", "loaders.formats.pdf", "loaders.formats.docx", "loaders.formats.html", "graph.parse_warmup"]
MB = 2**20
QUEUED = 2  # path tasks a worker holds: the one it reads and the next (bytes: one, see Pool)
STARTUP_SECONDS = 120  # a worker forks from the preloaded server in well under a second; this is a stuck machine


class OverLimit(DocumentError):
    """A document whose reading took longer or needed more memory than the parse limits allow."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 120.0  # per document, from the moment a worker takes it (POLICYKG_PARSE_TIMEOUT)
    memory_mb: int = 2048  # address space a worker may add while reading a document; 0: none (POLICYKG_PARSE_MEMORY_MB)

    @classmethod
    def from_environment(cls) -> Limits:
        """POLICYKG_PARSE_TIMEOUT (seconds) and POLICYKG_PARSE_MEMORY_MB; a bad value is named in the ValueError."""
        return cls(
            setting("POLICYKG_PARSE_TIMEOUT", cls.seconds, float, minimum=0.001),
            int(setting("POLICYKG_PARSE_MEMORY_MB", cls.memory_mb, int, minimum=0)),
        )


def setting(name: str, default: float, cast: type, minimum: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = cast(raw) if raw else default
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ValueError(f"{name} must be a number of at least {minimum:g}, not {raw!r}")
    return value


class Task(NamedTuple):
    """A document to read: its bytes or file, its name, and the slug to mint its IRIs from (None: from metadata)."""

    source: Path | bytes
    name: str
    slug: str | None = None


@dataclass(frozen=True)
class Parsed:
    """What a worker made of one task: the document's graph, or why there is none."""

    index: int
    name: str
    document: Extracted | None = None
    error: DocumentError | None = None

    def result(self) -> Extracted:
        """The document's graph, or the error that stopped it raised."""
        if self.document is None:
            raise self.error or DocumentError(f"{self.name}: the worker returned nothing")
        return self.document


def context():
    """A fork server with the extractor preloaded (spawn where there is none)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def address_space() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def cap_memory(memory_mb: int) -> None:
    if memory_mb:
        limit = address_space() + memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def read(task: Task) -> Extracted:
    from graph.extracted import extracted

    return extracted(task.source.read_bytes() if isinstance(task.source, Path) else task.source, task.name, task.slug)


def serve(conn: Connection, memory_mb: int) -> None:
    """A worker's loop: (index, Task) in, Parsed out; it exits after running out of memory."""
    cap_memory(memory_mb)
    conn.send(None)  # ready: a document's clock starts when it reaches a running worker
    while (given := conn.recv()) is not None:
        index, task = given
        name = task.name
        try:
            outcome = Parsed(index, name, document=read(task))
            conn.send(outcome)
            continue
        except DocumentError as err:
            outcome = Parsed(index, name, error=err)
        except MemoryError:
            outcome = Parsed(index, name, error=over_memory(name, memory_mb))
        except Exception as err:  # a reader's bug on this file must not stop the load: report it as the cause
            where = traceback.extract_tb(err.__traceback__)[-1]
            cause = f"{type(err).__name__}: {err} ({Path(where.filename).name}:{where.lineno})"
            outcome = Parsed(index, name, error=DocumentError(f"{name}: the reader failed on this file: {cause}"))
        conn.send(outcome)
        if isinstance(outcome.error, OverLimit):
            return  # a fresh worker, not one whose heap is full of fragments


def over_memory(name: str, memory_mb: int) -> OverLimit:
    return OverLimit(
        f"{name}: reading it needed more than the memory limit of {memory_mb} MB (POLICYKG_PARSE_MEMORY_MB)"
    )


def over_time(name: str, seconds: float) -> OverLimit:
    return OverLimit(f"{name}: reading it took longer than the time limit of {seconds:g} s (POLICYKG_PARSE_TIMEOUT)")


def widen(conn: Connection) -> None:
    """Room in the socket for a whole document's answer (its graph's N-Triples, ~1 MB per 100 kB of text), so a
    worker that has finished one goes on to the next instead of handing it over 200 kB at a time as the writer
    takes it (finding 37 in docs/benchmarks.md); where the system refuses, the default stays."""
    with suppress(OSError), socket.fromfd(conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MB)


class Worker:
    """One worker process, its end of the pipe and the tasks sent to it: [index, Task, started or None]."""

    def __init__(self, ctx, limits: Limits):
        self.conn, child = ctx.Pipe()
        widen(child)
        self.process = ctx.Process(target=serve, args=(child, limits.memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[list] = deque()
        self.spent = False
        self.started = False

    def give(self, index: int, task: Task) -> None:
        if not self.started and self.conn.poll(STARTUP_SECONDS):
            with suppress(EOFError):  # it died starting: said below
                self.started = self.conn.recv() is None
        if not self.started:
            raise RuntimeError(f"a parse worker did not start within {STARTUP_SECONDS} s")
        self.conn.send((index, task))
        self.tasks.append([index, task, None if self.tasks else time.monotonic()])

    def take(self, limits: Limits) -> Parsed:
        """The answer to the task it reads, or why the process ended without one; `spent` says to replace it."""
        index, task, _ = self.tasks.popleft()
        name = task.name
        if self.tasks:
            self.tasks[0][2] = time.monotonic()  # the next one's clock starts now (at the latest)
        try:
            parsed = self.conn.recv()
        except (EOFError, OSError):
            self.spent = True
            self.process.join(5)
            code = self.process.exitcode
            if code == -9:  # SIGKILL without our asking: the kernel's OOM killer
                return Parsed(index, name, error=over_memory(name, limits.memory_mb))
            return Parsed(index, name, error=DocumentError(f"{name}: the reader crashed (exit code {code})"))
        self.spent = isinstance(parsed.error, OverLimit)  # the worker leaves after running out of memory
        return parsed

    def abandon(self, limits: Limits) -> Parsed:
        """Kill the worker over its time limit; the task it reads fails (the others go to its replacement)."""
        index, task, _ = self.tasks.popleft()
        self.spent = True
        self.process.kill()
        return Parsed(index, task.name, error=over_time(task.name, limits.seconds))

    def deadline(self, limits: Limits) -> float:
        return self.tasks[0][2] + limits.seconds

    def stop(self) -> None:
        if self.process.is_alive() and not self.tasks and not self.spent:
            self.conn.send(None)
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class Pool:
    """`jobs` workers under `limits`; `parse` yields each task's Parsed in task order. Each worker holds up to
    `queued` tasks; more than one only for path tasks: a worker sending back a large answer while the parent sends it
    a large document would wait on each other."""

    def __init__(self, jobs: int, limits: Limits, queued: int = 1):
        self.ctx = context()
        self.limits = limits
        self.queued = queued
        self.workers = [Worker(self.ctx, limits) for _ in range(jobs)]

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        for worker in self.workers:
            worker.stop()

    def parse(self, tasks: Iterable[Task]) -> Iterator[Parsed]:
        """Results in task order; at most a few tasks run ahead of the oldest unfinished one (bounded memory)."""
        todo = enumerate(tasks)
        window = 2 * len(self.workers) + 2
        done: dict[int, Parsed] = {}
        given = following = 0
        while True:
            given += self.hand_out(todo, following + window - given)
            while following in done:
                yield done.pop(following)
                following += 1
            if following == given and not any(w.tasks for w in self.workers):
                return
            for parsed in self.collect():
                done[parsed.index] = parsed

    def hand_out(self, todo: Iterator, room: int) -> int:
        """Give each worker up to `queued` tasks (first one each, then a second), so none waits for the writer."""
        count = 0
        for depth in range(self.queued):
            for worker in self.workers:
                if len(worker.tasks) == depth and count < room and (task := next(todo, None)):
                    worker.give(*task)
                    count += 1
        return count

    def collect(self) -> list[Parsed]:
        """Wait for answers (or the next deadline); a worker past its deadline is killed and replaced."""
        busy = [w for w in self.workers if w.tasks]
        deadline = min(w.deadline(self.limits) for w in busy)
        ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
        out = []
        for worker in busy:
            if worker.conn in ready:
                out.append(worker.take(self.limits))
            elif time.monotonic() >= worker.deadline(self.limits):
                out.append(worker.abandon(self.limits))
            if worker.spent:
                self.replace(worker)
        return out

    def replace(self, worker: Worker) -> None:
        """A fresh worker in the spent one's place, given the tasks the spent one had not begun."""
        worker.stop()
        fresh = Worker(self.ctx, self.limits)
        self.workers[self.workers.index(worker)] = fresh
        for index, task, _ in worker.tasks:
            fresh.give(index, task)


def extract_limited(source: Path, name: str, limits: Limits) -> Extracted:
    """One document (an upload, a path to its temporary file) read in a worker under the limits; DocumentError
    (OverLimit) if it fails."""
    with Pool(1, limits) as pool:
        parsed = next(pool.parse([Task(source, name)]))
    return parsed.result()
