"""`python -m loaders`: check, load, init and their exit codes."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def _submissions(db_path: Path) -> int:
    conn = duckdb.connect(str(db_path))
    try:
        row = conn.execute("SELECT max(submission_id) FROM submission_log").fetchone()
    finally:
        conn.close()
    assert row is not None
    return int(row[0])


def test_check_prints_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "bad" / "text_in_value.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "row 5, column 'Value', cell C5: text where a number belongs (found 'abc'" in out


def test_check_exits_2_for_a_refused_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "bad" / "macro.xlsx")]) == 2
    assert "Macro file refused" in capsys.readouterr().err


def test_check_a_good_file_exits_0_and_stores_nothing(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = DATA / "good" / "kpi_long_semicolon_bom.csv"
    before = _submissions(db_path)
    assert main(["check", str(good), "--db", str(db_path)]) == 0
    assert _submissions(db_path) == before


def test_load_stores_then_says_nothing_changed(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = DATA / "good" / "kpi_wide_mixed_months.xlsx"
    new_id = _submissions(db_path) + 1
    assert main(["load", str(good), "--db", str(db_path), "--user", "scheduler"]) == 0
    assert f"Stored as submission {new_id}" in capsys.readouterr().out
    assert main(["load", str(good), "--db", str(db_path)]) == 0
    assert f"already loaded as submission {new_id}" in capsys.readouterr().out
    assert _submissions(db_path) == new_id


def test_load_with_rag_months(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = DATA / "good" / "plan_relative_headings.xlsx"
    assert main(["load", str(plan), "--db", str(db_path)]) == 1
    assert "give it, e.g. Initial=2017-02" in capsys.readouterr().out
    months = ["--rag-month", "Initial=2015-09", "--rag-month", "Previous=2016-11", "--rag-month", "Current=Feb 2017"]
    assert main(["load", str(plan), "--db", str(db_path), *months]) == 0


def test_init_refuses_to_overwrite_unless_forced(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", str(db_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["init", "--db", str(db_path), "--force"]) == 0
    assert list(db_path.parent.glob("dashboard.duckdb.replaced-*"))  # the old file is kept


def test_module_runs_as_a_command(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "loaders", "init", "--db", str(db)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()
