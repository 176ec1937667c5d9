"""One SPARQL query worker process: network blocked, lower priority, a read-only view of the on-disk store.

The server (graph/query_pool.py) sends (generation, query, accept, max_rows) and gets an `Answer` back: the query is
guarded, run and serialised here, so a worker killed at the time limit takes all of that work with it.
"""

from __future__ import annotations

import os
import time
import warnings
from multiprocessing.connection import Connection
from pathlib import Path

from graph.parsing import cap_memory
from graph.sandbox import block_network
from graph.sparql import Answer, answer, failure
from graph.sparql_guard import verdict
from graph.store import EmbeddedStore

RETRY_PAUSES = (0.0, 0.05, 0.2)  # s before each fresh view after a read error
PRIORITY = 10  # nice increment: the API's own lookups in the server process come before heavy queries
WARM_UP = ("SELECT ?s WHERE { ?s ?p ?o FILTER(?o > 1) } LIMIT 1", "ASK { ?s a ?o }")


class View:
    """The store as RocksDB's read-only mode shows it: a snapshot, reopened when the server has written since."""

    def __init__(self, path: Path, open_files: int):
        self.path, self.open_files = path, open_files
        self.store: EmbeddedStore | None = None
        self.generation: int | None = None

    def at(self, generation: int, fresh: bool = False) -> EmbeddedStore:
        """A view that holds every write the server finished before `generation`."""
        if fresh or generation != self.generation or self.store is None:
            self.store = None  # close the old snapshot before opening the next
            self.store = EmbeddedStore(self.path, read_only=True, open_files=self.open_files)
            self.generation = generation
        return self.store


def reply(view: View, generation: int, query: str, accept: str, max_rows: int) -> Answer:
    """The query's answer; a read error is retried on fresh views, a moment apart. RocksDB raises one (OSError, or
    RuntimeError "Corruption … No such file") when the writer compacts away a table file an old view or a view
    being opened still names; under load a compaction can outlast one retry."""
    try:
        return answer(view.at(generation), query, accept, max_rows)
    except (OSError, RuntimeError) as err:
        failed = err
    for pause in RETRY_PAUSES:
        time.sleep(pause)
        try:
            return answer(view.at(generation, fresh=True), query, accept, max_rows)
        except (OSError, RuntimeError) as err:
            failed = err
    return failure(failed)


def serve(conn: Connection, path: str, open_files: int, generation: int, memory_mb: int) -> None:
    """A worker's life: refuse the network before any thread starts, open the store, cap its memory (RLIMIT_AS
    over what it has then), answer until hung up on. A query that needs more memory ends the worker."""
    sandboxed = block_network()
    os.nice(PRIORITY)
    view = View(Path(path), open_files)
    view.at(generation)  # opened before reporting in: the first query does not wait for it
    cap_memory(memory_mb)
    conn.send(sandboxed)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        conn.send(reply(view, *task))


def warm_up() -> None:
    """The guard's parser spends ~0.1 s on its first query; run at import in the forkserver, once for all workers."""
    for query in WARM_UP:
        verdict(query)


warm_up()
# each new worker re-runs the server's `-m` module as __mp_main__ although the forkserver preloaded it: runpy's
# warning about that would go to the server's stderr once per worker started
warnings.filterwarnings("ignore", "'.*' found in sys.modules after import of package", RuntimeWarning)
