"""`board`, the one command line: every subcommand against a real DuckDB file, and its exit codes."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

from cli.exit_codes import Exit
from cli.main import main
from store.backend import open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
BOARD = Path(sys.executable).parent / "board"
PACK = ["board-pack", "--period", "2017-02", "--compare", "2016-11"]


def _run(argv: list[str]) -> int:
    """main() as a shell sees it: argparse's own exits (usage errors) become their code."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


def _submissions(target: str | Path) -> int:
    """The latest submission id, read as the dashboard reads it, on either backend."""
    store = open_store(target)
    try:
        row = store.execute("SELECT max(submission_id) FROM submissions").fetchone()
    finally:
        store.close()
    assert row is not None
    return int(row[0])


def test_check_prints_every_problem_and_exits_1(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "bad" / "text_in_value.xlsx"), "--db", str(db_path)]) == Exit.REFUSED
    out = capsys.readouterr().out
    assert "row 5, column 'Value', cell C5: text where a number belongs (found 'abc'" in out


@pytest.mark.parametrize(
    ("name", "says"), [("macro.xlsx", "Macro file refused"), ("png_named.xlsx", "Not a spreadsheet")]
)
def test_a_refused_file_exits_4_and_says_why(
    db_path: Path, name: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(DATA / "bad" / name), "--db", str(db_path)]) == Exit.UNREADABLE
    assert says in capsys.readouterr().err


def test_a_missing_file_exits_4(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(tmp_path / "nowhere.xlsx"), "--db", str(db_path)]) == Exit.UNREADABLE
    assert "cannot read the file" in capsys.readouterr().err


def test_check_a_good_file_exits_0_and_stores_nothing(store_target: str | Path) -> None:
    before = _submissions(store_target)
    assert main(["check", str(DATA / "good" / "kpi_long_semicolon_bom.csv"), "--db", str(store_target)]) == Exit.OK
    assert _submissions(store_target) == before


def test_load_stores_then_says_nothing_changed(store_target: str | Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On the DuckDB file and on PostgreSQL alike (`--db postgresql://...`)."""
    good, db = DATA / "good" / "kpi_wide_mixed_months.xlsx", ["--db", str(store_target)]
    new_id = _submissions(store_target) + 1
    assert main(["load", str(good), *db, "--user", "scheduler"]) == Exit.OK
    assert f"Stored as submission {new_id}" in capsys.readouterr().out
    assert main(["load", str(good), *db]) == Exit.OK
    assert f"already loaded as submission {new_id}" in capsys.readouterr().out
    assert _submissions(store_target) == new_id


def test_users_on_either_backend(
    store_target: str | Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    db = ["--db", str(store_target)]
    assert main(["users", "add", "chief", "--role", "admin", "--password-stdin", *db]) == Exit.OK
    assert main(["users", "set-role", "chief", "viewer", *db]) == Exit.REFUSED
    assert "Last admin" in capsys.readouterr().err
    assert main(["users", "list", *db]) == Exit.OK
    assert "chief" in capsys.readouterr().out


def test_init_fills_an_empty_postgresql_database_once(pg_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    """IT makes the database; `board init --db URL` fills it with the seed data, and never touches it again."""
    import psycopg

    from tests.postgres import database_url

    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute("CREATE DATABASE cli_init_target")
    url = database_url(pg_server, "cli_init_target")
    assert main(["init", "--db", url]) == Exit.OK
    assert "filled" in capsys.readouterr().out
    stored = _submissions(url)
    store = open_store(url)
    try:
        row = store.execute("SELECT count(*) FROM benchmark_values").fetchone()
    finally:
        store.close()
    assert row is not None and row[0] == 641_070
    assert main(["init", "--db", url, "--force"]) == Exit.REFUSED
    assert "never replaced" in capsys.readouterr().err
    assert _submissions(url) == stored


def test_load_with_rag_months(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = DATA / "good" / "plan_relative_headings.xlsx"
    assert main(["load", str(plan), "--db", str(db_path)]) == Exit.REFUSED
    assert "give it, e.g. Initial=2017-02" in capsys.readouterr().out
    months = ["--rag-month", "Initial=2015-09", "--rag-month", "Previous=2016-11", "--rag-month", "Current=Feb 2017"]
    assert main(["load", str(plan), "--db", str(db_path), *months]) == Exit.OK


def test_init_refuses_to_overwrite_unless_forced(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", str(db_path)]) == Exit.REFUSED
    assert "already exists" in capsys.readouterr().err
    assert main(["init", "--db", str(db_path), "--force"]) == Exit.OK
    assert list(db_path.parent.glob("dashboard.duckdb.replaced-*"))  # the old file is kept
    assert not list(db_path.parent.glob("*.building-*"))


def test_demo_builds_the_fictional_council_in_its_own_file_and_never_replaces_another(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / "demo.duckdb"
    assert main(["demo", "--db", str(demo)]) == Exit.OK
    assert "FICTIONAL" in capsys.readouterr().out
    conn = duckdb.connect(str(demo), read_only=True)
    try:
        settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        months = conn.execute("SELECT count(DISTINCT period) FROM kpi_observations").fetchone()
    finally:
        conn.close()
    assert settings["council_code"] == "999" and "fictional" in settings["council_name"]
    assert months is not None and months[0] >= 36
    assert main(["demo", "--db", str(demo)]) == Exit.REFUSED  # exists: --force needed
    before = db_path.read_bytes()
    assert main(["demo", "--db", str(db_path), "--force"]) == Exit.REFUSED  # the seed council's store
    assert "never replaces it" in capsys.readouterr().err
    assert db_path.read_bytes() == before


def test_backup_then_restore_into_a_new_file(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", str(tmp_path / "b"), "--db", str(db_path)]) == Exit.OK
    folder = next((tmp_path / "b").glob("backup-*"))
    restored = tmp_path / "restored.duckdb"
    assert main(["restore", str(folder), "--db", str(restored)]) == Exit.OK
    assert main(["restore", str(folder), "--db", str(restored)]) == Exit.REFUSED  # never overwrites
    assert "already exists" in capsys.readouterr().err
    assert _submissions(restored) == _submissions(db_path)


@pytest.mark.parametrize("argv", [["frobnicate"], ["load"], ["check", "x.csv", "--rag-month", "Feb"], []])
def test_a_wrong_command_line_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(argv) == Exit.USAGE
    assert "usage: board" in capsys.readouterr().err


def test_board_pack_on_a_fresh_checkout_builds_the_database_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first thing a new user tries: no database yet. The command builds it, as the dashboard does."""
    fresh, out = tmp_path / "fresh.duckdb", tmp_path / "pack.xlsx"
    assert main([*PACK, "--out", str(out), "--db", str(fresh)]) == Exit.OK
    assert "building it from the seed council's data first" in capsys.readouterr().err
    assert openpyxl.load_workbook(out)["Table 1"]["A1"].value.startswith("Sunderland")
    assert main(["users", "list", "--db", str(fresh)]) == Exit.OK  # and the next command just uses it
    assert "building" not in capsys.readouterr().err


def test_a_board_pack_that_cannot_be_written_exits_4(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    out = tmp_path / "a_file" / "pack.xlsx"
    assert main([*PACK, "--out", str(out), "--db", str(db_path)]) == Exit.UNREADABLE
    assert "cannot read or write" in capsys.readouterr().err


def test_a_bug_exits_6_with_its_traceback_not_pythons_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's own exit code for a crash, 1, means "refused" here; a bug gets a code of its own."""
    from cli import files

    def broken(args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(files, "check", broken)
    assert main(["check", "any.csv"]) == Exit.FAILED
    err = capsys.readouterr().err
    assert "Traceback" in err and "unexpected ZeroDivisionError in `check`" in err


@pytest.fixture
def held(db_path: Path) -> Iterator[Path]:
    """Another process holding the database file open for writing, as a running dashboard on DuckDB does."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "sys.stdin.read()", str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"ok"
    yield db_path
    holder.kill()
    holder.wait()


def test_a_store_held_past_the_wait_exits_3_and_changes_nothing(held: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = DATA / "good" / "kpi_wide_mixed_months.xlsx"
    assert main(["load", str(good), "--db", str(held), "--wait", "0.5"]) == Exit.BUSY
    err = capsys.readouterr().err
    assert "in use by another process" in err and "Nothing was changed" in err and "--wait" in err


_DASHBOARD_LIKE = """
import sys
from store.backend import open_store
store = open_store(sys.argv[1])
def latest():
    return store.execute("SELECT max(submission_id) FROM submissions").fetchone()[0]
print(latest(), flush=True)
for _ in sys.stdin:
    print(latest(), flush=True)
"""


def test_load_while_a_dashboard_process_has_the_store_open(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11: the dashboard keeps its store open; a scheduled `board load` still stores, and the
    other process sees the new submission on its next read."""
    dashboard = subprocess.Popen(
        [sys.executable, "-c", _DASHBOARD_LIKE, str(db_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert dashboard.stdin is not None and dashboard.stdout is not None
        before = int(dashboard.stdout.readline())
        good = DATA / "good" / "kpi_wide_mixed_months.xlsx"
        assert main(["load", str(good), "--db", str(db_path), "--wait", "10"]) == Exit.OK
        assert f"Stored as submission {before + 1}" in capsys.readouterr().out
        dashboard.stdin.write("again\n")
        dashboard.stdin.flush()
        assert int(dashboard.stdout.readline()) == before + 1
    finally:
        dashboard.kill()
        dashboard.wait()


def test_a_file_that_is_not_a_database_exits_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("not a database\n" * 100)
    assert main(["users", "list", "--db", str(bogus)]) == Exit.UNREACHABLE
    assert f"the data store at {bogus} is not reachable" in capsys.readouterr().err
    assert bogus.read_text().startswith("not a database")


def test_the_console_script_is_installed_and_runs(tmp_path: Path) -> None:
    """pyproject.toml's [project.scripts] entry, installed by scripts/setup.sh, run from another folder."""
    assert BOARD.exists(), "run `bash scripts/setup.sh` (it installs the project with `pip install -e .`)"
    done = subprocess.run([str(BOARD), "--help"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "exit codes:" in done.stdout and "board-pack" in done.stdout


@pytest.mark.parametrize(
    ("module", "argv"),
    [
        ("loaders", ["check", str(DATA / "good" / "kpi_long_semicolon_bom.csv")]),
        ("store", ["users", "list"]),
        ("reports", ["board-pack", "--period", "2017-02", "--compare", "2016-11", "--out", "OUT"]),
        ("cli", ["users", "list"]),
    ],
)
def test_the_old_python_dash_m_forms_are_aliases(db_path: Path, tmp_path: Path, module: str, argv: list[str]) -> None:
    argv = [str(tmp_path / "pack.xlsx") if a == "OUT" else a for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", module, *argv, "--db", str(db_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    usage = subprocess.run([sys.executable, "-m", module, "nonsense"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == Exit.USAGE and f"usage: python -m {module}" in usage.stderr
