"""Read an upload in a child process with memory and time limits, so no file can harm the server.

A reader written in Rust can panic or abort, and a crafted file can make any reader eat memory
or spin; in the server process that would take every session down with it. So the server
starts one small helper process (`python -m loaders.isolated SOCKET`) that has the loaders
imported but never reads a file itself; for each upload it forks a child, which sets
RLIMIT_AS (address space), RLIMIT_CPU and no core dumps, reads the file and sends the result
back over a private Unix socket. The parent enforces a wall-clock deadline and kills that
child (by its process id) when it passes. A fork of the helper is cheap (no interpreter start,
no imports) and safe (no threads of the server are copied; the helper's own idle threads, from
OpenBLAS, the allocators and Arrow's pool, are restarted by their libraries' fork handlers).

Before serving, the helper reads a tiny workbook and CSV built here (never an upload), so the
lazy imports and first-use set-up of a read happen once in the helper, not again in every
child; `gc.freeze()` then keeps the children's collector off the inherited objects.

The result comes back as data only (`loaders.wire`: JSON and Arrow IPC), never pickle, so a
child that a crafted file has taken over cannot run code in the server: a reply that does not
decode is treated like a child that died. (Requests still go server -> child as pickle: the
server is trusted, and a custom `reader` travels by reference that way.)

The child cannot forge what the server stores: the server recomputes the SHA-256 of the bytes it
sent, and refuses a reply whose file name, hash or period labels differ from what the model allows
(a forged hash once named a folder "Back up now" wrote to). The child also loses the network (a
new, empty network namespace) and, when the server runs as root, becomes `nobody` before it reads
a byte; `PARSE_CONCURRENT` parses run at once, and a file arriving beyond that is told to wait.

The caller gets the `Parsed` back, or a RefusedFile / UnreadableFile with a plain message;
`detail` on the error says what happened, for the audit log.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import ctypes
import gc
import hashlib
import io
import os
import pickle
import resource
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import PatternFill

from loaders import wire
from loaders.ingest import read_bytes
from loaders.model import Parsed
from loaders.problems import LoaderError, RefusedFile, UnreadableFile

MEMORY_MB = int(os.environ.get("DASHBOARD_PARSE_MEMORY_MB", "2048"))
SECONDS = float(os.environ.get("DASHBOARD_PARSE_SECONDS", "60"))
PARSE_CONCURRENT = max(1, int(os.environ.get("DASHBOARD_PARSE_CONCURRENT", "2")))
_PERIOD_LABELS = {"initial", "baseline"}  # the only labels loaders.plan gives a reporting period
_NOBODY = 65534
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_NO_NEW_PRIVS = 38
Reader = Callable[..., Parsed]
_ROOT = Path(__file__).resolve().parent.parent
_HEADER = struct.Struct("!Q")
# Each child starts with no memory of its own, so a read pays a page fault per 4 KB it allocates; letting
# malloc use transparent huge pages (where the kernel allows them) cuts those faults about threefold.
_HUGE_PAGES = "glibc.malloc.hugetlb=1"
_lock = threading.Lock()
_parsing = threading.BoundedSemaphore(PARSE_CONCURRENT)
_helper: subprocess.Popen[bytes] | None = None
_socket_path = ""


# --- the server side ---------------------------------------------------------------------------


def _helper_path() -> str:
    """Start the helper if it is not running; the path of its socket."""
    global _helper, _socket_path
    with _lock:
        if _helper is not None and _helper.poll() is None:
            return _socket_path
        folder = tempfile.mkdtemp(prefix="dashboard-parse-")  # mode 0700: only this user can connect
        path = os.path.join(folder, "socket")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
            "GLIBC_TUNABLES": ":".join(filter(None, [os.environ.get("GLIBC_TUNABLES"), _HUGE_PAGES])),
        }
        helper = subprocess.Popen(
            [sys.executable, "-m", "loaders.isolated", path, str(os.getpid())],
            cwd=_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
        deadline = time.monotonic() + 60
        while not os.path.exists(path):
            if helper.poll() is not None or time.monotonic() > deadline:
                helper.kill()
                raise RuntimeError("the file-reading helper process did not start")
            time.sleep(0.02)
        _helper, _socket_path = helper, path
        return path


@atexit.register
def _stop_helper() -> None:
    if _helper is not None and _helper.poll() is None:
        _helper.terminate()


def warm_up() -> None:
    """Start the helper now (once per server process) rather than on the first upload."""
    _helper_path()


def warm_up_in_background() -> None:
    """Start the helper without waiting for it (its imports take a few tenths of a second): a file
    that arrives meanwhile waits for it to be ready."""
    if _helper is None or _helper.poll() is not None:
        threading.Thread(target=warm_up, name="parse-helper-start", daemon=True).start()


def _send(sock: socket.socket, *parts: wire.Buffer) -> None:
    """One length-prefixed message, sent part by part so a large reply is not copied into one buffer first."""
    sock.sendall(_HEADER.pack(sum(memoryview(part).nbytes for part in parts)))
    for part in parts:
        sock.sendall(part)


def _receive(sock: socket.socket, deadline: float | None, limit: int | None = None) -> bytes | None:
    """One length-prefixed message, or None if the other side went away first or announced more than `limit`."""

    def exactly(size: int) -> bytes | None:
        chunks, got = [], 0
        while got < size:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                sock.settimeout(remaining)
            chunk = sock.recv(min(size - got, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    header = exactly(_HEADER.size)
    if header is None:
        return None
    size = _HEADER.unpack(header)[0]
    if limit is not None and size > limit:
        return None
    return exactly(size)


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
    """`reader(data, file_name, **options)` run in a limited child process: the same result or error.

    At most PARSE_CONCURRENT at once in this server; a file beyond that is refused with "try again"."""
    if not _parsing.acquire(blocking=False):
        raise _refused(
            f"the server is already reading {PARSE_CONCURRENT} files. Wait a moment and upload this one again.",
            "Server busy reading files",
            file_name,
            f"{PARSE_CONCURRENT} parses running (DASHBOARD_PARSE_CONCURRENT)",
        )
    try:
        parsed = _parse(data, file_name, reader, memory_mb, seconds, options)
    finally:
        _parsing.release()
    return checked(parsed, data, file_name)


def checked(parsed: Parsed, data: bytes, file_name: str) -> Parsed:
    """The child's `Parsed`, only if it says what the server itself knows: the file name it sent and
    the SHA-256 of the bytes (computed here, never taken from the child), and period labels the
    model allows. Anything else means a compromised or broken child: the file is refused."""
    sha = hashlib.sha256(data).hexdigest()
    labels = parsed.plan.period_labels if parsed.plan is not None else {}
    wrong = [
        what
        for what, bad in (
            ("file name", parsed.file_name != file_name or parsed.problems.file != file_name),
            ("SHA-256", parsed.sha256 != sha),
            (
                "period labels",
                any(day.day != 1 or label.lower() not in _PERIOD_LABELS for day, label in labels.items()),
            ),
        )
        if bad
    ]
    if wrong:
        raise _refused(
            "the file reader returned a result that does not match the file, so nothing was stored. "
            "Tell your admin: the audit log has the details.",
            "File reader result refused",
            file_name,
            f"child reply forged or broken: {', '.join(wrong)} differ from what the server sent",
        )
    return parsed


def _parse(
    data: bytes, file_name: str, reader: Reader, memory_mb: int | None, seconds: float | None, options: dict[str, Any]
) -> Parsed:
    memory_mb = memory_mb or MEMORY_MB
    seconds = seconds or SECONDS
    deadline = time.monotonic() + seconds
    child = 0
    result: wire.Outcome | None = None
    timed_out = False
    failure = "crash, abort or killed by a limit"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(_helper_path())
        try:
            pid_message = _receive(sock, deadline)
            child = int(pid_message or b"0")
            _send(sock, pickle.dumps((reader, data, file_name, options, memory_mb, seconds), protocol=5))
            # The child cannot have built a reply larger than its own address-space limit.
            payload = _receive(sock, deadline, limit=memory_mb * 1024**2)
            result = None if payload is None else wire.decode(payload)
        except TimeoutError:
            timed_out = True
        except wire.WireError as exc:
            failure = f"malformed reply ({exc})"
        except (ConnectionError, OSError):
            result = None
        finally:
            if child and (timed_out or result is None):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
    if result is not None and result.parsed is not None:
        return result.parsed
    if timed_out:
        raise _refused(
            f"reading the file took longer than {seconds:.0f} seconds, so it was stopped. "
            "Check the file is a plan tracker or KPI return; split very large files.",
            "File took too long to read",
            file_name,
            f"wall-clock limit {seconds} s; child {child} killed",
        )
    if result is None:
        raise _refused(
            "the spreadsheet reader stopped unexpectedly on this file. Open it in Excel and save it again "
            "as .xlsx, or save it as CSV (UTF-8).",
            "File could not be read safely",
            file_name,
            f"child process {child} ended without a usable result: {failure}",
        )
    if result.status == "memory":
        raise _refused(
            f"reading the file needed more than {memory_mb:,} MB of memory, so it was stopped. "
            "Split it into smaller files.",
            "File too large to read safely",
            file_name,
            f"memory limit {memory_mb} MB",
        )
    if result.status in ("refused", "unreadable"):
        cls = RefusedFile if result.status == "refused" else UnreadableFile
        raise cls(result.message, result.title, file_name)
    error = UnreadableFile(
        "the spreadsheet reader failed on this file. Open it in Excel and save it again as .xlsx, "
        "or save it as CSV (UTF-8).",
        "File could not be read",
        file_name,
    )
    error.detail = result.message  # type: ignore[attr-defined]
    raise error


# --- the helper side ---------------------------------------------------------------------------


def _limit(memory_mb: int, seconds: float) -> None:
    memory = memory_mb * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # a reader never needs to write a file; a taken-over one may not


def confine() -> list[str]:
    """In a forked child, before it touches a file: no network, no new privileges, and not root.

    A new network namespace holds only a loopback that is down, so nothing can be reached (unshare
    needs root, or an unprivileged user namespace). Then, when running as root, the child becomes
    `nobody`. Returns what could not be done, for the reply's detail; the read goes on regardless,
    still under the memory and time limits."""
    missing: list[str] = []
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if libc.unshare(_CLONE_NEWNET) != 0 and libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        missing.append("network namespace")
        sys.addaudithook(_no_sockets)
    if os.getuid() == 0:
        try:
            os.setgroups([])
            os.setgid(_NOBODY)
            os.setuid(_NOBODY)
        except OSError:
            missing.append("unprivileged user")
    return missing


def _no_sockets(event: str, args: tuple[Any, ...]) -> None:
    """Fallback where no namespace can be made: Python code in the child may not open connections."""
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"):
        raise PermissionError("the file-reading child has no network")


def _handle(conn: socket.socket) -> None:
    """In a forked child: read one request, confine itself, run it under limits, send the outcome.

    The request comes from the server (trusted) and is unpickled before confinement, so a reader
    named by reference is imported with the server's rights; not one byte of the file is read before."""
    _send(conn, str(os.getpid()).encode())
    request = _receive(conn, None)
    if request is None:
        return
    result: wire.Outcome
    try:
        reader, data, file_name, options, memory_mb, seconds = pickle.loads(request)
        del request
        confine()
        _limit(memory_mb, seconds)
        result = wire.Outcome("ok", reader(data, file_name, **options))
    except LoaderError as exc:
        result = wire.Outcome("refused" if isinstance(exc, RefusedFile) else "unreadable", None, exc.message, exc.title)
    except MemoryError:
        result = wire.Outcome("memory")
    except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException; every failure is reported
        result = _crash(exc)
    _send(conn, *_encode(result))


def _crash(exc: BaseException) -> wire.Outcome:
    return wire.Outcome("crash", message=f"{type(exc).__name__}: {exc}"[:2000])


def _encode(result: wire.Outcome) -> list[wire.Buffer]:
    try:
        return wire.encode_parts(result)
    except MemoryError:
        return wire.encode_parts(wire.Outcome("memory"))
    except Exception as exc:  # noqa: BLE001 - a result the wire cannot carry is reported, not lost
        return wire.encode_parts(_crash(exc))


def samples() -> list[tuple[bytes, str]]:
    """A tiny plan + long + wide KPI workbook (a filled blank RAG cell, a percent cell) and a CSV with a BOM."""
    book = openpyxl.Workbook()
    plan = book.active or book.create_sheet()
    plan.title = "Plan"
    plan.append(["Priority", "Ref", "Action", "Lead", "Timescale", "RAG Nov 2016", "RAG Feb 2017"])
    plan.append([1, "1.1", "Warm-up action", "Lead", "March 2017", "Red", "Amber"])
    plan.append([1, "1.2", "Warm-up action", "Lead", "03/17", "Dark Green", None])
    plan["G3"].fill = PatternFill("solid", fgColor="FF00B050")
    long = book.create_sheet("KPIs")
    long.append(["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is", "Target"])
    long.append(["WARM", "Warm-up KPI", "999", "2017-01", 0.5, "%", "High", 80])
    long["E2"].number_format = "0%"
    wide = book.create_sheet("Wide")
    wide.append(["KPI", "Jan 2017", "Feb 2017"])
    wide.append(["Warm-up KPI", 1, 2])
    out = io.BytesIO()
    book.save(out)
    csv = "\ufeffCode;KPI;Month;Value;Good is\nWARM;Warm-up KPI;2017-01;1;High\n".encode()
    return [(out.getvalue(), "warm-up.xlsx"), (csv, "warm-up.csv")]


def _warm() -> None:
    """Read and encode the built-in samples once, then freeze every object so far out of the collector's way."""
    for data, name in samples():
        with contextlib.suppress(Exception):  # a warm-up is an optimisation: it must never stop the helper
            _encode(wire.Outcome("ok", read_bytes(data, name)))
    for encoding in ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "ascii", "idna"):
        codecs.lookup(encoding)  # codecs load lazily; a child running as nobody may not be able to read them
    gc.collect()
    gc.freeze()


def serve(path: str, parent: int) -> None:
    """The helper's loop: fork a child per connection; exit when the server process is gone."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path + ".tmp")
        listener.listen(64)
        os.rename(path + ".tmp", path)
        _warm()  # the server may connect already: it waits in the backlog until the warm-up is done
        listener.settimeout(2)
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                if os.getppid() != parent:
                    return
                continue
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    listener.close()
                    conn.settimeout(None)
                    _handle(conn)
                except BaseException:  # noqa: BLE001 - a child must never return into the loop
                    code = 1
                finally:
                    os._exit(code)
            conn.close()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
