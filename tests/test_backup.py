"""Backup and restore drill, and the command line for backups and local accounts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.ingest import read_bytes
from store import accounts, backup, connect, history
from store.__main__ import main
from store.queries import catalogue
from tests.data.good.make_fictional import BASELINE, workbook

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "data" / "good"
ACTOR = history.Actor("ann", "uploader")
VIEWS = ("submissions", "settings", "actions", "rag_history", "kpis", "kpi_observations", "accounts")


def fill_history(conn: duckdb.DuckDBPyConnection) -> bytes:
    """A history worth backing up: an account, two uploads (fictional figures), the last rolled back.
    Returns the second upload's file, to find among the backup's originals."""
    accounts.add(conn, "ann", "uploader", "correct horse battery", by="test")
    monthly = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    for data, name in ((workbook(BASELINE), "baseline.xlsx"), (monthly, "monthly.xlsx")):
        parsed = read_bytes(data, name, catalogue=catalogue(conn), default_la="999")
        history.store_upload(conn, parsed, data, ACTOR)
    history.rollback(conn, int(history.listing(conn)["submission_id"].max()), history.Actor("root", "admin"))
    return monthly


def snapshot(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Every analyst view's rows, sorted: what a user of the restored database would see."""
    return {view: sorted(map(tuple, conn.execute(f"SELECT * FROM {view}").fetchall()), key=repr) for view in VIEWS}


def test_restore_drill(db_path: Path, tmp_path: Path) -> None:
    conn = connect(db_path)
    monthly = fill_history(conn)
    before = snapshot(conn)
    folder = backup.backup(conn, tmp_path / "backups", by="test")
    conn.close()

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["observation_entry"]["rows"] > 0
    originals = {o["file_name"]: (folder / o["path"]).read_bytes() for o in manifest["originals"]}
    assert originals["monthly.xlsx"] == monthly

    restored = backup.restore(folder, tmp_path / "restored.duckdb", by="test")
    again = connect(restored)
    try:
        assert snapshot(again) == before
        assert history.original_file(again, manifest["originals"][0]["sha256"]) is not None
        # New rows continue the old numbering: sequences were restored, not restarted.
        data = workbook({"CL_NEET": {"2017-04": 40}})
        parsed = read_bytes(data, "april.xlsx", catalogue=catalogue(again), default_la="999")
        outcome = history.store_upload(again, parsed, data, ACTOR)
        assert outcome.submission_id == max(r[0] for r in before["submissions"]) + 1  # type: ignore[type-var]
        assert accounts.verify(again, "ann", "correct horse battery") is not None
    finally:
        again.close()


def test_restore_never_overwrites_and_checks_the_files(db_path: Path, tmp_path: Path) -> None:
    conn = connect(db_path)
    folder = backup.backup(conn, tmp_path / "b", by="test")
    conn.close()
    with pytest.raises(backup.BackupError) as exists:
        backup.restore(folder, db_path)
    assert exists.value.title == "Database exists"
    damaged = folder / "tables" / "observation_entry.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    with pytest.raises(backup.BackupError) as broken:
        backup.restore(folder, tmp_path / "new.duckdb")
    assert broken.value.title == "Damaged backup"
    assert not (tmp_path / "new.duckdb").exists()


def test_cli_users_and_backup(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["users", "add", "Chief", "--role", "admin", "--password-stdin", "--db", str(db_path)]) == 0
    assert main(["users", "add", "bob", "--role", "viewer", "--db", str(db_path), "--password-stdin"]) == 1
    assert "Password too short" in capsys.readouterr().err  # stdin is used up: an empty password
    assert main(["users", "set-role", "chief", "viewer", "--db", str(db_path)]) == 1
    assert "Last admin" in capsys.readouterr().err
    assert main(["users", "list", "--db", str(db_path)]) == 0
    assert "chief" in capsys.readouterr().out
    assert main(["backup", str(tmp_path / "b"), "--db", str(db_path)]) == 0
    assert "Backup written to" in capsys.readouterr().out
    conn = connect(db_path)
    try:
        logged = conn.execute("SELECT action, outcome FROM audit_log ORDER BY audit_id").fetchall()
        chief = accounts.verify(conn, "chief", "a long enough password")
    finally:
        conn.close()
    assert chief is not None and chief.role == "admin"
    assert logged[:3] == [("account_add", "ok"), ("account_add", "refused"), ("role_change", "refused")]
    assert logged[-1] == ("backup", "ok")


def test_cli_on_a_new_path_builds_the_seed_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    path = tmp_path / "fresh.duckdb"
    assert main(["users", "add", "chief", "--role", "admin", "--password-stdin", "--db", str(path)]) == 0
    conn = connect(path)
    try:
        row = conn.execute("SELECT count(*) FROM actions").fetchone()
    finally:
        conn.close()
    assert row is not None and row[0] > 0


def test_cli_says_clearly_when_the_dashboard_holds_the_database(db_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(60)", str(db_path)],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ok"
        result = subprocess.run(
            [sys.executable, "-m", "store", "users", "disable", "ann", "--db", str(db_path), "--wait", "1"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    assert "in use by another process" in result.stderr and "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr


def test_admin_backs_up_from_the_users_page(app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_BACKUP_DIR", str(tmp_path / "from-app"))
    conn = connect(app_db)
    root = accounts.add(conn, "root", "admin", "correct horse battery", by="test")
    conn.close()
    at = AppTest.from_file(str(ROOT / "views" / "users.py"), default_timeout=60)
    at.session_state["auth.user"], at.session_state["auth.stamp"] = "root", root.password_version
    at.run()
    at.button(key="users.backup").click()
    at.run()
    assert not at.exception
    assert any("Backup written to" in s.value for s in at.success)
    (written,) = (tmp_path / "from-app").iterdir()
    assert backup.check(written)["tables"]["account_version"]["rows"] == 1
