"""Read an upload in a child process with memory and time limits, so no file can harm the server.

A reader written in Rust can panic or abort, and a crafted file can make any reader eat
memory or spin; in the server process that would take every session down with it. Here the
file is parsed in a process forked from a small forkserver (loaders already imported, so a
parse costs milliseconds, not a fresh interpreter), under RLIMIT_AS (address space) and
RLIMIT_CPU, with a wall-clock deadline enforced by the parent. The caller gets the `Parsed`
back, or a RefusedFile / UnreadableFile with a plain message; `detail` on the error says
what happened for the audit log.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

from loaders.ingest import read_bytes
from loaders.model import Parsed
from loaders.problems import LoaderError, RefusedFile, UnreadableFile

MEMORY_MB = int(os.environ.get("DASHBOARD_PARSE_MEMORY_MB", "2048"))
SECONDS = float(os.environ.get("DASHBOARD_PARSE_SECONDS", "60"))
Reader = Callable[..., Parsed]

_context: BaseContext | None = None


def _ctx() -> BaseContext:
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "loaders.isolated"])
        _context = context
    return _context


def warm_up() -> None:
    """Start the forkserver now (about a second, once per server process) rather than on the first upload."""
    from multiprocessing import forkserver

    _ctx()
    forkserver.ensure_running()


def _limit(memory_mb: int, seconds: float) -> None:
    memory = memory_mb * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(
    send: Connection,
    reader: Reader,
    data: bytes,
    file_name: str,
    options: dict[str, Any],
    memory_mb: int,
    seconds: float,
) -> None:
    result: tuple[Any, ...]
    try:
        _limit(memory_mb, seconds)
        result = ("ok", reader(data, file_name, **options))
    except LoaderError as exc:
        result = ("refused" if isinstance(exc, RefusedFile) else "unreadable", exc.message, exc.title)
    except MemoryError:
        result = ("memory",)
    except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException; every failure is reported
        result = ("crash", f"{type(exc).__name__}: {exc}"[:2000])
    try:
        send.send(result)
    except MemoryError:
        send.send(("memory",))
    finally:
        send.close()


def _refused(message: str, title: str, file_name: str, detail: str) -> RefusedFile:
    error = RefusedFile(message, title, file_name)
    error.detail = detail  # type: ignore[attr-defined]
    return error


def parse(
    data: bytes,
    file_name: str,
    *,
    reader: Reader = read_bytes,
    memory_mb: int | None = None,
    seconds: float | None = None,
    **options: Any,
) -> Parsed:
    """`reader(data, file_name, **options)` run in a limited child process; the same result or error."""
    memory_mb = memory_mb or MEMORY_MB
    seconds = seconds or SECONDS
    context = _ctx()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=_child,
        args=(send, reader, data, file_name, options, memory_mb, seconds),
        daemon=True,
    )
    process.start()
    send.close()
    result: tuple[Any, ...] | None = None
    timed_out = False
    try:
        if receive.poll(seconds):
            try:
                result = receive.recv()
            except (EOFError, OSError):
                result = None
        else:
            timed_out = True
    finally:
        receive.close()
        process.join(2)
        if process.is_alive():
            process.kill()
            process.join()
    if result is not None and result[0] == "ok":
        parsed: Parsed = result[1]
        return parsed
    if timed_out:
        raise _refused(
            f"reading the file took longer than {seconds:.0f} seconds, so it was stopped. "
            "Check the file is a plan tracker or KPI return; split very large files.",
            "File took too long to read",
            file_name,
            f"wall-clock limit {seconds} s",
        )
    if result is None:
        raise _refused(
            "the spreadsheet reader stopped unexpectedly on this file. Open it in Excel and save it again "
            "as .xlsx, or save it as CSV (UTF-8).",
            "File could not be read safely",
            file_name,
            f"child process ended with exit code {process.exitcode}",
        )
    if result[0] == "memory":
        raise _refused(
            f"reading the file needed more than {memory_mb:,} MB of memory, so it was stopped. "
            "Split it into smaller files.",
            "File too large to read safely",
            file_name,
            f"memory limit {memory_mb} MB",
        )
    if result[0] in ("refused", "unreadable"):
        cls = RefusedFile if result[0] == "refused" else UnreadableFile
        raise cls(result[1], result[2], file_name)
    error = UnreadableFile(
        "the spreadsheet reader failed on this file. Open it in Excel and save it again as .xlsx, "
        "or save it as CSV (UTF-8).",
        "File could not be read",
        file_name,
    )
    error.detail = result[1]  # type: ignore[attr-defined]
    raise error
