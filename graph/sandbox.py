"""Cut a query worker off from the network with a seccomp filter: no socket but AF_UNIX, no io_uring.

The query engine's SERVICE client is Rust code (Oxigraph's own HTTP client), out of reach of anything Python
could patch; the kernel refuses its `socket()` call instead (EACCES), and DNS look-ups fail the same way. The
filter is installed while the worker still has one thread, so every thread RocksDB or the engine starts later
inherits it, and it cannot be lifted (no_new_privs). Linux on x86-64 or arm64 only; elsewhere `block_network`
returns False and the SPARQL guard (graph/sparql_guard.py) is the one line of defence.
"""

from __future__ import annotations

import ctypes
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_EACCES = 0x00050000 | 13
AF_UNIX = 1
X32_SYSCALL_BIT = 0x40000000
# machine: (AUDIT_ARCH_*, socket, io_uring_setup)
ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
LOAD, JEQ, JGE, RET = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K


def _program(arch: int, sys_socket: int, sys_io_uring: int) -> list[tuple[int, int, int, int]]:
    """The filter: (code, jump if true, jump if false, k) over seccomp_data (nr at 0, arch at 4, args[0] at 16)."""
    return [
        (LOAD, 0, 0, 4),
        (JEQ, 0, 7, arch),  # another ABI: allow (the worker never uses one)
        (LOAD, 0, 0, 0),
        (JGE, 4, 0, X32_SYSCALL_BIT),  # x32 calls on x86-64: refuse
        (JEQ, 3, 0, sys_io_uring),
        (JEQ, 0, 3, sys_socket),
        (LOAD, 0, 0, 16),
        (JEQ, 1, 0, AF_UNIX),
        (RET, 0, 0, SECCOMP_RET_EACCES),
        (RET, 0, 0, SECCOMP_RET_ALLOW),
    ]


def block_network() -> bool:
    """Install the filter in this process (call it before any thread starts); True when it is in force."""
    arch = ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    code = b"".join(struct.pack("HBBI", *op) for op in _program(*arch))
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = struct.pack("HxxxxxxP", len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    prog_buffer = ctypes.create_string_buffer(prog, len(prog))
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog_buffer), 0, 0) == 0
