"""The child -> server reply is data only (loaders.wire) and gives back exactly what an in-process read gives."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import signal
import socket
import stat
import struct
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from loaders import isolated, wire
from loaders.ingest import read_bytes
from loaders.model import (
    ACTION_COLUMNS,
    KPI_COLUMNS,
    OBSERVATION_COLUMNS,
    PRIORITY_COLUMNS,
    RATING_COLUMNS,
    KpiData,
    Parsed,
    PlanData,
    empty,
)
from loaders.problems import Problems, RefusedFile, UnreadableFile
from loaders.seed import INITIAL_MONTH
from store import connect
from store.queries import catalogue
from store.writes import Changes, changes, submit
from tests.helpers import large_kpi_return

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "data" / "good"
SEED = ROOT / "data" / "seed"
MONTHS = {"Initial": date(2015, 9, 1), "Previous": date(2016, 11, 1), "Current": date(2017, 2, 1)}
CASES = [
    (GOOD / "fictional_monthly_kpis.xlsx", {"default_la": "999"}),
    (GOOD / "kpi_long_semicolon_bom.csv", {"default_la": "999"}),
    (GOOD / "kpi_wide_mixed_months.xlsx", {"default_la": "999"}),
    (GOOD / "plan_relative_headings.xlsx", {"rag_months": MONTHS}),
    (GOOD / "plan_relative_headings.xlsx", {}),  # RAG months missing: errors, nothing to store
    (SEED / "improvement_plan.xlsx", {"rag_months": {"Initial": INITIAL_MONTH}, "default_la": "394"}),
    (SEED / "kpis.xlsx", {"default_la": "394"}),
]


def frames(parsed: Parsed) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    if parsed.plan is not None:
        parts |= {k: getattr(parsed.plan, k) for k in ("priorities", "actions", "ratings", "period_labels")}
    if parsed.kpi is not None:
        parts |= {"kpis": parsed.kpi.kpis, "observations": parsed.kpi.observations}
    return parts


def assert_same(got: Parsed, expected: Parsed) -> None:
    """Equal frames, dtypes, index and column types, and the same Python type in every object cell."""
    assert (got.file_name, got.sha256, got.kind) == (expected.file_name, expected.sha256, expected.kind)
    assert got.problems == expected.problems
    assert (got.sheets_used, got.sheets_skipped) == (expected.sheets_used, expected.sheets_skipped)
    mine, theirs = frames(got), frames(expected)
    assert mine.keys() == theirs.keys()
    for name, value in theirs.items():
        if not isinstance(value, pd.DataFrame):
            assert mine[name] == value
            continue
        pd.testing.assert_frame_equal(
            mine[name], value, check_dtype=True, check_index_type=True, check_column_type=True, check_exact=True
        )
        for column in value.columns:
            if value[column].dtype == object:
                assert list(map(type, mine[name][column])) == list(map(type, value[column])), (name, column)


def store_copy(seed_db_file: Path, folder: Path, name: str) -> duckdb.DuckDBPyConnection:
    target = folder / f"{name}.duckdb"
    shutil.copy(seed_db_file, target)
    return connect(target)


def contents(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every base table, without the columns that record when something happened."""
    tables = [r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    out = {}
    for table in tables:
        columns = [r[0] for r in conn.execute(f'DESCRIBE "{table}"').fetchall() if "TIMESTAMP" not in r[1]]
        listed = ", ".join(f'"{c}"' for c in columns)
        out[table] = conn.execute(f'SELECT {listed} FROM "{table}" ORDER BY ALL').fetchall()
    return out


@pytest.mark.parametrize(("path", "options"), CASES, ids=lambda c: c.name if isinstance(c, Path) else str(c))
def test_isolated_read_equals_the_in_process_read_and_stores_the_same(
    path: Path, options: dict[str, Any], seed_db_file: Path, tmp_path: Path
) -> None:
    data = path.read_bytes()
    results = []
    for name, read in (("in_process", read_bytes), ("isolated", isolated.parse)):
        conn = store_copy(seed_db_file, tmp_path, name)
        try:
            parsed = read(data, path.name, catalogue=catalogue(conn), **options)
            preview = changes(conn, parsed)
            outcome = submit(conn, parsed, data, "test") if parsed.ok else None
            results.append((parsed, preview, outcome, contents(conn)))
        finally:
            conn.close()
    (local, preview, outcome, tables), (remote, remote_preview, remote_outcome, remote_tables) = results
    assert_same(remote, local)
    assert_same_changes(remote_preview, preview)
    assert remote_tables == tables
    if outcome is None or remote_outcome is None:
        assert outcome is remote_outcome is None and not local.ok
        return
    assert (remote_outcome.status, remote_outcome.message, remote_outcome.submission_id) == (
        outcome.status,
        outcome.message,
        outcome.submission_id,
    )
    assert_same_changes(remote_outcome.changes, outcome.changes)
    assert outcome.status == "stored" or path.parent == SEED


def assert_same_changes(got: Changes | None, expected: Changes | None) -> None:
    assert (got is None) == (expected is None)
    if got is None or expected is None:
        return
    assert got.counts == expected.counts
    pd.testing.assert_frame_equal(got.observations, expected.observations, check_exact=True)
    pd.testing.assert_frame_equal(got.ratings, expected.ratings, check_exact=True)


def test_a_100k_row_workbook_comes_back_exactly() -> None:
    data = large_kpi_return(100_000)
    local = read_bytes(data, "northmoor.xlsx", default_la="999")
    remote = isolated.parse(data, "northmoor.xlsx", default_la="999")
    assert local.kpi is not None and len(local.kpi.observations) == 100_000
    assert_same(remote, local)


def test_the_helpers_warm_up_samples_exercise_every_table_shape() -> None:
    shapes = set()
    for data, name in isolated.samples():
        parsed = read_bytes(data, name)
        assert parsed.ok, [p.describe() for p in parsed.problems.items]
        shapes |= {shape for _, shape in parsed.sheets_used}
        decoded = wire.decode(wire.encode(wire.Outcome("ok", parsed))).parsed
        assert decoded is not None
        assert_same(decoded, parsed)
    assert shapes == {"plan", "kpi_long", "kpi_wide"}


# --- the format itself ---------------------------------------------------------------------------


def awkward() -> Parsed:
    """Frames with every kind of column the format carries, including the awkward ones."""
    n = 9
    mixed = [date(2017, 2, 1), None, float("nan"), "text", 3, 2.5, True, datetime(2017, 2, 1, 9, 30), pd.NaT]
    actions = pd.DataFrame(
        {c: [f"{c}{i}" for i in range(n)] for c in ACTION_COLUMNS}, index=[5, 3, 1, 0, 2, 4, 6, 8, 7]
    )
    actions["priority"] = np.arange(n, dtype="int64")
    actions["timescale_month"] = pd.Series(mixed, index=actions.index, dtype=object)
    actions["itemised"] = [i % 2 == 0 for i in range(n)]
    actions["is_new"] = pd.Series([1, 2.5, True, "s", None, 1, 2, 3, 4], index=actions.index, dtype=object)
    actions["note"] = pd.Series(["a", None, "c", "", "e", "f", "g", "h", "i"], index=actions.index, dtype="str")
    actions["excel_row"] = pd.to_datetime(["2017-01-01", None, *["2017-02-03"] * 7]).astype("datetime64[us]")
    actions["lead"] = pd.Series(["x", None, *["y"] * 7], index=actions.index, dtype="string")
    kpis = pd.DataFrame({c: pd.Series([1.5, float("nan")], dtype="float64") for c in KPI_COLUMNS})
    kpis.columns = pd.Index(KPI_COLUMNS, dtype=object)
    problems = Problems("awkward.xlsx")
    problems.error("x.code", 'a message with ünïcode and a "quote"', sheet="S", row=3, column="C", col_index=2)
    problems.warning("y.code", "no row")
    return Parsed(
        "awkward.xlsx",
        "ab" * 32,
        problems,
        plan=PlanData(
            priorities=empty(PRIORITY_COLUMNS),
            actions=actions,
            ratings=empty(RATING_COLUMNS),
            period_labels={date(2016, 11, 1): "Previous", date(2017, 2, 1): "Current"},
        ),
        kpi=KpiData(kpis=kpis, observations=pd.DataFrame({c: [] for c in OBSERVATION_COLUMNS}, dtype="float64")),
        sheets_used=[("S", "plan")],
        sheets_skipped=["Notes"],
    )


def test_awkward_frames_round_trip_exactly() -> None:
    parsed = awkward()
    got = wire.decode(wire.encode(wire.Outcome("ok", parsed)))
    assert got.status == "ok" and got.parsed is not None
    assert_same(got.parsed, parsed)


def test_numpy_scalars_in_an_object_column_come_back_as_the_equal_python_scalars() -> None:
    parsed = awkward()
    assert parsed.plan is not None
    values = [np.int64(1), np.float64(2.5), np.bool_(True), np.str_("s"), np.float32("nan"), 1, 2, 3, 4]
    parsed.plan.actions["is_new"] = pd.Series(values, index=parsed.plan.actions.index, dtype=object)
    got = wire.decode(wire.encode(wire.Outcome("ok", parsed))).parsed
    assert got is not None and got.plan is not None
    column = got.plan.actions["is_new"].tolist()
    assert list(map(type, column[:5])) == [int, float, bool, str, float]
    assert column[:4] == [1, 2.5, True, "s"] and np.isnan(column[4])


@pytest.mark.parametrize(
    "outcome",
    [
        wire.Outcome("refused", None, "the file is a PNG.", "Not a spreadsheet"),
        wire.Outcome("unreadable", None, "no sheets.", "File unreadable"),
        wire.Outcome("memory"),
        wire.Outcome("crash", message="PanicException: boom"),
    ],
)
def test_failures_round_trip(outcome: wire.Outcome) -> None:
    assert wire.decode(wire.encode(outcome)) == outcome


@pytest.mark.parametrize(
    "value",
    [pd.Timestamp("2017-01-01"), datetime(2017, 1, 1, tzinfo=UTC), b"bytes", object(), 2**70],
    ids=["timestamp", "tz-datetime", "bytes", "object", "huge-int"],
)
def test_values_the_format_does_not_carry_are_refused_when_encoding(value: object) -> None:
    parsed = awkward()
    assert parsed.plan is not None
    parsed.plan.actions["timescale_month"] = pd.Series([value] * 9, index=parsed.plan.actions.index, dtype=object)
    with pytest.raises((wire.WireError, pa.ArrowException, OverflowError)):
        wire.encode(wire.Outcome("ok", parsed))


def test_a_category_column_is_refused_when_encoding() -> None:
    parsed = awkward()
    assert parsed.plan is not None
    parsed.plan.actions["sheet"] = parsed.plan.actions["sheet"].astype("category")
    with pytest.raises(wire.WireError):
        wire.encode(wire.Outcome("ok", parsed))


def split(reply: bytes) -> tuple[dict[str, Any], bytes]:
    size = struct.unpack_from("!I", reply, 4)[0]
    return json.loads(reply[8 : 8 + size]), reply[8 + size :]


def join(header: dict[str, Any], rest: bytes) -> bytes:
    text = json.dumps(header).encode()
    return wire.MAGIC + struct.pack("!I", len(text)) + text + rest


def tampered(change: Any) -> bytes:
    header, rest = split(wire.encode(wire.Outcome("ok", awkward())))
    change(header)
    return join(header, rest)


def retexted(reply: bytes, old: bytes, new: bytes) -> bytes:
    """The reply with its JSON header edited as text (for what json.dumps would never write)."""
    size = struct.unpack_from("!I", reply, 4)[0]
    text = reply[8 : 8 + size]
    assert old in text
    text = text.replace(old, new, 1)
    return wire.MAGIC + struct.pack("!I", len(text)) + text + reply[8 + size :]


def _set(path: str, value: object) -> Any:
    def change(header: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = header
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value

    return change


class Evil:
    """Unpickling this would create a file: proof that a reply was executed rather than read."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def bad_replies(marker: Path) -> dict[str, bytes]:
    good = wire.encode(wire.Outcome("ok", awkward()))
    header, rest = split(good)
    first = struct.unpack_from("!Q", rest)[0]
    kpi_only = wire.encode(wire.Outcome("ok", replace(awkward(), plan=None)))
    return {
        "empty": b"",
        "garbage": os.urandom(4096),
        "malicious pickle": pickle.dumps(Evil(marker)),
        "pickle of the old reply": pickle.dumps(("ok", awkward())),
        "magic only": wire.MAGIC,
        "header cut short": good[:20],
        "frame cut short": good[: len(good) - 7],
        "trailing bytes": good + b"\x00",
        "a frame too many": good + struct.pack("!Q", 3) + b"abc",
        "frames swapped": join(split(kpi_only)[0], rest),
        "frame blob is garbage": join(header, struct.pack("!Q", first) + os.urandom(first) + rest[8 + first :]),
        "unknown status": tampered(_set("status", "okay")),
        "status with no result": tampered(_set("parsed", None)),
        "failure carrying frames": tampered(_set("status", "memory")),
        "missing key": tampered(lambda h: h["parsed"].pop("sha256")),
        "extra key": tampered(_set("parsed.extra", 1)),
        "wrong type of text": tampered(_set("parsed.file_name", 3)),
        "row as text": tampered(_set("parsed.problems.items.0.row", "3")),
        "row as a boolean": tampered(_set("parsed.problems.items.0.row", True)),
        "unknown severity": tampered(_set("parsed.problems.items.0.severity", "fatal")),
        "sheets_used not pairs": tampered(_set("parsed.sheets_used", [["S"]])),
        "bad period label date": tampered(_set("parsed.plan.period_labels.0.0", "Nov 2016")),
        "unexpected column": tampered(_set("parsed.plan.frames.actions.columns.0", "evil")),
        "columns reordered": tampered(_set("parsed.kpi.frames.kpis.columns", [*KPI_COLUMNS[1:], KPI_COLUMNS[0]])),
        "dtype unknown": tampered(_set("parsed.plan.frames.actions.dtypes.1", "category")),
        "dtype lies (object as int64)": tampered(_set("parsed.plan.frames.actions.dtypes.7", "int64")),
        "dtype lies (str as float64)": tampered(_set("parsed.plan.frames.actions.dtypes.0", "float64")),
        "row count lies": tampered(_set("parsed.plan.frames.actions.rows", 3)),
        "index range lies": tampered(_set("parsed.plan.frames.priorities.index", [0, 5, 1])),
        "zero index step": tampered(_set("parsed.plan.frames.priorities.index", [0, 0, 0])),
        "NaN in JSON": retexted(good, b'"rows": 9', b'"rows": NaN'),
        "header not UTF-8": retexted(good, b'"awkward.xlsx"', b'"\xff\xfe"'),
        "deeply nested JSON": retexted(good, b'"Notes"', b"[" * 100_000 + b"]" * 100_000),
    }


BAD = list(bad_replies(Path("unused")))


@pytest.mark.parametrize("case", BAD)
def test_decode_refuses_a_bad_reply_and_runs_nothing(case: str, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    reply = bad_replies(marker)[case]
    with pytest.raises(wire.WireError):
        wire.decode(reply)
    assert not marker.exists()


def test_every_truncation_of_a_reply_is_refused() -> None:
    reply = wire.encode(wire.Outcome("ok", awkward()))
    for cut in range(0, len(reply), max(1, len(reply) // 300)):
        with pytest.raises(wire.WireError):
            wire.decode(reply[:cut])


# --- end to end: a child that writes its own bytes to the server ---------------------------------


def forging_reader(data: bytes, file_name: str, *, reply: bytes, announce: int | None = None, **options: Any) -> None:
    """Stands in for a reader a crafted file has taken over: it writes its own reply to the server and exits."""
    for fd in range(3, 1024):
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, struct.pack("!Q", len(reply) if announce is None else announce) + reply)
                os._exit(0)
    os._exit(3)


def wrong_type_reader(data: bytes, file_name: str, **options: Any) -> str:
    return "not a Parsed"


@pytest.mark.parametrize(
    ("case", "announce"),
    [("garbage", None), ("malicious pickle", None), ("frame cut short", None), ("unexpected column", None),
     ("malicious pickle", 1 << 62), ("garbage", 10**6)],
    ids=["garbage", "pickle", "truncated", "unexpected-column", "huge-length", "length-longer-than-sent"],
)  # fmt: skip
def test_a_forged_reply_from_the_child_is_refused_and_never_run(
    case: str, announce: int | None, tmp_path: Path
) -> None:
    marker = tmp_path / "executed"
    data = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    with pytest.raises(RefusedFile) as raised:
        isolated.parse(data, "x.xlsx", reader=forging_reader, reply=bad_replies(marker)[case], announce=announce)
    assert raised.value.title == "File could not be read safely"
    assert "without a usable result" in getattr(raised.value, "detail", "")
    assert not marker.exists()
    parsed = isolated.parse(data, "x.xlsx", default_la="999")
    assert parsed.ok and parsed.kpi is not None and len(parsed.kpi.observations) == 4


def test_a_result_the_wire_cannot_carry_is_reported_as_a_reader_failure() -> None:
    data = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    with pytest.raises(UnreadableFile) as raised:
        isolated.parse(data, "x.xlsx", reader=wrong_type_reader)
    assert raised.value.title == "File could not be read"
    assert "AttributeError" in getattr(raised.value, "detail", "")


# --- the child cannot forge, reach the network or act as root; parses are capped ---------------------


def forged_reader(data: bytes, file_name: str, *, forge: str, **options: Any) -> Parsed:
    """A reader a crafted file has taken over, claiming another hash, file name or period label."""
    parsed = read_bytes(data, file_name, **options)
    if forge == "sha256":
        return replace(parsed, sha256="../../../../tmp/escape")
    if forge == "file name":
        return replace(parsed, file_name="../../etc/cron.d/x")
    plan = parsed.plan
    assert plan is not None
    return replace(parsed, plan=replace(plan, period_labels={date(2017, 2, 1): "[click](https://evil.example)"}))


@pytest.mark.parametrize("forge", ["sha256", "file name", "period label"])
def test_a_reply_claiming_another_hash_name_or_label_is_refused(forge: str) -> None:
    data = (
        GOOD / ("plan_relative_headings.xlsx" if forge == "period label" else "fictional_monthly_kpis.xlsx")
    ).read_bytes()
    with pytest.raises(RefusedFile) as raised:
        isolated.parse(data, "x.xlsx", reader=forged_reader, forge=forge, default_la="999")
    assert raised.value.title == "File reader result refused"
    assert {"sha256": "SHA-256", "file name": "file name", "period label": "period labels"}[forge] in getattr(
        raised.value, "detail", ""
    )


def test_the_server_computes_the_hash_itself() -> None:
    data = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    parsed = isolated.parse(data, "x.xlsx", default_la="999")
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()


def probing_reader(data: bytes, file_name: str, *, port: int, folder: str, **options: Any) -> Parsed:
    """Reports, as a refusal message, what a compromised child could do: reach the network, write a
    file, and as whom it runs."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"leaked")
        network = "network reached"
    except OSError as exc:
        network = f"no network ({type(exc).__name__})"
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a refused write raises instead of killing the child
    try:
        Path(folder, "written").write_bytes(b"x" * 10)
        disk = "wrote a file"
    except OSError as exc:
        disk = f"no writes ({type(exc).__name__})"
    raise RefusedFile(f"{network}; {disk}; uid {os.getuid()}", "probe", file_name)


def test_the_child_has_no_network_writes_no_file_and_is_not_root() -> None:
    folder = Path(tempfile.mkdtemp(prefix="parse-probe-"))
    folder.chmod(0o777)  # writable even by nobody: only the file-size limit stops the write
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        with pytest.raises(RefusedFile) as raised:
            isolated.parse(b"anything", "x.csv", reader=probing_reader, port=port, folder=str(folder))
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing ever connected
    written = (folder / "written").exists() and (folder / "written").stat().st_size
    shutil.rmtree(folder)
    assert raised.value.message.startswith("no network")
    assert "no writes" in raised.value.message and not written
    if os.getuid() == 0:
        assert raised.value.message.endswith("uid 65534")  # root's child reads files as nobody


def waiting_reader(data: bytes, file_name: str, *, folder: str, **options: Any) -> Parsed:
    """Announces itself, then waits until the test says go (a file), so parses overlap for certain."""
    Path(folder, f"started-{os.getpid()}").touch()
    while not Path(folder, "go").exists():
        time.sleep(0.01)
    raise RefusedFile("done", "waited", file_name)


def test_at_most_n_parses_at_once_and_the_next_is_told_to_wait() -> None:
    folder = Path(tempfile.mkdtemp(prefix="parse-cap-"))  # outside pytest's 0700 folders: children run as nobody
    folder.chmod(0o777)
    with ThreadPoolExecutor(isolated.PARSE_CONCURRENT) as pool:
        running = [
            pool.submit(isolated.parse, b"x", f"{i}.csv", reader=waiting_reader, folder=str(folder))
            for i in range(isolated.PARSE_CONCURRENT)
        ]
        deadline = time.monotonic() + 60
        while len(list(folder.glob("started-*"))) < isolated.PARSE_CONCURRENT and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(list(folder.glob("started-*"))) == isolated.PARSE_CONCURRENT
        with pytest.raises(RefusedFile) as busy:
            isolated.parse(b"x", "late.csv", reader=waiting_reader, folder=str(folder))
        (folder / "go").touch()
        for future in running:
            with pytest.raises(RefusedFile, match="done"):
                future.result()
    started = len(list(folder.glob("started-*")))
    shutil.rmtree(folder)
    assert busy.value.title == "Server busy reading files" and "Wait a moment" in busy.value.message
    assert started == isolated.PARSE_CONCURRENT  # the late file never started
