"""Several uvicorn workers on one port, each with its own listening socket (SO_REUSEPORT), bound as TCP.

`uvicorn --workers N` binds its socket with proto 0; asyncio then never sets TCP_NODELAY on accepted
connections, and every keep-alive request waits ~40 ms for the client's delayed ACK (Linux; uvicorn
issue Kludex/uvicorn#3149). Its workers also share one accept queue, so long-lived connections can all
land on whichever worker happened to be waiting: in one run all 16 clients' connections went to one of
two workers (789 req/s, no more than one worker's 825). Here every worker binds its own socket with
SO_REUSEPORT and IPPROTO_TCP, and the kernel spreads connections over them by address hash. The sockets are
all bound and listening before any worker starts: the kernel spreads connections only over listening sockets,
and a worker still starting when the first one answered was left out — in one run every connection went to
the first (2 workers: 532 req/s, one worker's 542; the bench now notes each worker's CPU seconds).

    python -m bench.workers HOST PORT WORKERS
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys

import uvicorn


def serve(sock: socket.socket) -> None:
    """One worker: the app factory reads its settings (store, read-only) from POLICYKG_* variables."""
    config = uvicorn.Config("api.app:create_app", factory=True, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)  # the kernel spreads connections only over listening sockets
    return sock


def main(argv: list[str]) -> None:
    host, port, count = argv[0], int(argv[1]), int(argv[2])
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=serve, args=(bind(host, port),)) for _ in range(count)]
    for worker in workers:
        worker.start()

    def stop(*_: object) -> None:
        for worker in workers:
            worker.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for worker in workers:
        worker.join()


if __name__ == "__main__":
    main(sys.argv[1:])
