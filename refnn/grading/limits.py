"""The limits a submission is judged under, and how a judging process puts them on itself.

:class:`Limits` holds the wall clock (seconds per submission), the memory (MB of address space,
``RLIMIT_AS``) and whether the network is blocked. :func:`confine` is what a freshly forked judging
process calls on itself *before* the submission is loaded:

* ``RLIMIT_AS`` = the memory limit (the whole process: the pre-imported judge counts too, as in a
  Gradescope container), ``RLIMIT_CORE`` = 0 (a segfault leaves no core file), ``RLIMIT_CPU`` = the
  wall clock plus a margin (a backstop: the parent's wall clock normally ends it first);
* the network: a seccomp filter (Linux x86-64 and aarch64, unprivileged through
  ``PR_SET_NO_NEW_PRIVS``) makes ``socket()`` fail with ``EACCES`` for every address family but
  ``AF_UNIX``, and ``io_uring_setup`` fail too (io_uring can open sockets without ``socket()``).
  Where seccomp is not available, only Python's ``socket.socket`` (and ``_socket.socket``,
  ``socket.create_connection``) are replaced by a class that refuses — code that calls the C library
  directly through ``ctypes`` could still open a socket there. :func:`confine` says which held.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import resource
import struct
from dataclasses import dataclass
from typing import Any, Final, NoReturn

DEFAULT_TIMEOUT: Final = 120.0
"""Seconds of wall clock per submission (``refnn grade --timeout``)."""

DEFAULT_MEMORY_MB: Final = 768
"""MB of address space per judging process (``refnn grade --memory``; Gradescope's default)."""


@dataclass(frozen=True)
class Limits:
    """What one submission's judging process may use.

    Attributes:
        timeout: seconds of wall clock, from the fork to the last record (> 0).
        memory_mb: MB of address space of the whole judging process (``RLIMIT_AS``); 0: no limit.
        network: allow network sockets (default: blocked).
    """

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    network: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.timeout, (int, float)) or not self.timeout > 0:
            raise ValueError(f"timeout: expected a number of seconds > 0, got {self.timeout!r}")
        if not isinstance(self.memory_mb, int) or self.memory_mb < 0:
            raise ValueError(f"memory_mb: expected a whole number of MB >= 0, got "
                             f"{self.memory_mb!r}")


# ------------------------------------------------------------------------------------- seccomp

_BPF_LD_W_ABS: Final = 0x20
_BPF_JEQ_K: Final = 0x15
_BPF_JGE_K: Final = 0x35
_BPF_RET_K: Final = 0x06
_RET_ALLOW: Final = 0x7FFF0000
_RET_EACCES: Final = 0x00050000 | errno.EACCES
_AF_UNIX: Final = 1
_ARCHES: Final[dict[str, tuple[int, int, int]]] = {
    # machine: (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}


def _filter_program(arch: int, nr_socket: int, nr_uring: int) -> bytes:
    """The classic-BPF seccomp program: deny non-``AF_UNIX`` ``socket()``, ``io_uring_setup`` and
    the x32 syscall range; allow everything else (and everything on another architecture)."""

    def ins(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    # index: 0 ld arch; 1 arch?; 2 ld nr; 3 x32?; 4 socket?; 5 uring?; 6 ld domain; 7 unix?;
    #        8 ALLOW; 9 DENY        (jt/jf count the instructions skipped)
    return b"".join([
        ins(_BPF_LD_W_ABS, 0, 0, 4),
        ins(_BPF_JEQ_K, 0, 6, arch),             # another architecture → ALLOW
        ins(_BPF_LD_W_ABS, 0, 0, 0),
        ins(_BPF_JGE_K, 5, 0, 0x40000000),       # x32 ABI → DENY
        ins(_BPF_JEQ_K, 1, 0, nr_socket),        # socket → check the domain
        ins(_BPF_JEQ_K, 3, 2, nr_uring),         # io_uring_setup → DENY, else ALLOW
        ins(_BPF_LD_W_ABS, 0, 0, 16),            # args[0], low 32 bits (little-endian)
        ins(_BPF_JEQ_K, 0, 1, _AF_UNIX),
        ins(_BPF_RET_K, 0, 0, _RET_ALLOW),
        ins(_BPF_RET_K, 0, 0, _RET_EACCES),
    ])


def _seccomp_no_network() -> str:
    """Install the filter; ``""`` on success, else why not."""
    arch = _ARCHES.get(platform.machine())
    if arch is None or platform.system() != "Linux":
        return f"no seccomp filter for {platform.system()} {platform.machine()}"
    if struct.pack("=I", 1)[0] != 1:
        return "big-endian machine"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"no C library: {exc}"
    code = _filter_program(*arch)
    n = len(code) // 8
    buffer = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(n, ctypes.cast(buffer, ctypes.c_void_p))
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}"
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(prog), 0, 0) != 0:
        return f"prctl(PR_SET_SECCOMP) failed: errno {ctypes.get_errno()}"
    return ""


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise PermissionError(errno.EACCES, "network access is blocked while a submission is judged")


class _NoSocket:
    """Stands in for ``socket.socket``: refuses to be created."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _refuse()


def _python_no_network() -> None:
    import _socket
    import socket

    setattr(socket, "socket", _NoSocket)
    setattr(_socket, "socket", _NoSocket)
    setattr(socket, "SocketType", _NoSocket)
    setattr(socket, "create_connection", _refuse)
    setattr(socket, "create_server", _refuse)


def block_network() -> str:
    """Block network sockets in this process for good; returns how (``"seccomp+python"`` or
    ``"python only (<why no seccomp>)"``)."""
    why = _seccomp_no_network()
    _python_no_network()
    return "seccomp+python" if not why else f"python only ({why})"


def _set(kind: int, soft: int, hard: int | None = None) -> None:
    """Lower limit ``kind`` to ``soft`` (and its hard limit to ``hard``, default ``soft``, so the
    submission cannot raise it again); never above the hard limit already in force."""
    _, current = resource.getrlimit(kind)
    top = hard if hard is not None else soft
    if current != resource.RLIM_INFINITY:
        soft, top = min(soft, current), min(top, current)
    resource.setrlimit(kind, (soft, top))


def confine(limits: Limits) -> dict[str, str]:
    """Put ``limits`` on this process (a judging child, before the submission loads).

    Returns:
        What was applied, for the record (``{"memory": "768 MB (RLIMIT_AS)", "network": …}``).
    """
    applied: dict[str, str] = {}
    _set(resource.RLIMIT_CORE, 0)
    _set(resource.RLIMIT_CPU, int(limits.timeout) + 10, int(limits.timeout) + 15)
    applied["cpu"] = f"{int(limits.timeout) + 10} s (RLIMIT_CPU backstop)"
    if limits.memory_mb:
        try:
            _set(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
            applied["memory"] = f"{limits.memory_mb} MB (RLIMIT_AS)"
        except (ValueError, OSError) as exc:
            applied["memory"] = f"not limited ({exc})"
    else:
        applied["memory"] = "not limited"
    applied["network"] = "allowed" if limits.network else block_network()
    return applied


def address_space_mb() -> float:
    """This process's address space now (``VmSize``), in MB (0 where ``/proc`` is missing)."""
    return _status_mb("VmSize")


_PAGE = resource.getpagesize()


def resident_mb() -> float:
    """This process's resident memory now (``VmRSS``), in MB (from ``/proc/self/statm``: one
    short line, read after every property)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / (1024.0 * 1024.0)
    except (OSError, ValueError, IndexError):
        return _status_mb("VmRSS")


def _status_mb(key: str) -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0
