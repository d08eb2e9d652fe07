"""Local accounts and the audit log: append-only versions, argon2, bounded input (the limiter: test_limiter)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from pathlib import Path

import duckdb
import pytest

from store import accounts, audit, backup, connect

PASSWORD = "correct horse battery"


def _versions(db: duckdb.DuckDBPyConnection) -> int:
    row = db.execute("SELECT count(*) FROM account_version").fetchone()
    assert row is not None
    return int(row[0])


def test_accounts_are_versions_never_updated(db: duckdb.DuckDBPyConnection) -> None:
    accounts.add(db, "Ann@Council.example", "uploader", PASSWORD, by="test")
    accounts.set_role(db, "ann@council.example", "admin", by="test")
    accounts.add(db, "bob", "viewer", PASSWORD, by="test")
    accounts.disable(db, "bob", by="ann@council.example")
    assert _versions(db) == 4
    ann = accounts.get(db, "ANN@council.example")
    assert ann is not None and ann.role == "admin" and not ann.disabled
    bob = accounts.get(db, "bob")
    assert bob is not None and bob.disabled and bob.role == "viewer"
    listing = accounts.listing(db)
    assert list(listing["username"]) == ["ann@council.example", "bob"]
    assert "password_hash" not in listing.columns


def test_password_is_argon2_and_verifies(db: duckdb.DuckDBPyConnection) -> None:
    accounts.add(db, "ann", "uploader", PASSWORD, by="test")
    row = db.execute("SELECT password_hash FROM account_version").fetchone()
    assert row is not None and row[0].startswith("$argon2id$") and PASSWORD not in row[0]
    assert accounts.verify(db, "ann", PASSWORD) is not None
    assert accounts.verify(db, "ann", PASSWORD + "x") is None
    assert accounts.verify(db, "nobody", PASSWORD) is None


def test_disabled_account_and_reset_password(db: duckdb.DuckDBPyConnection) -> None:
    first = accounts.add(db, "ann", "uploader", PASSWORD, by="test")
    accounts.disable(db, "ann", by="test")
    assert accounts.verify(db, "ann", PASSWORD) is None
    accounts.enable(db, "ann", by="test")
    reset = accounts.reset_password(db, "ann", "another long password", by="test")
    assert reset.password_version != first.password_version
    assert accounts.verify(db, "ann", PASSWORD) is None
    assert accounts.verify(db, "ann", "another long password") is not None


@pytest.mark.parametrize(
    ("call", "title"),
    [
        (lambda db: accounts.add(db, "ann", "uploader", "short", by="t"), "Password too short"),
        (lambda db: accounts.add(db, "ann", "superuser", PASSWORD, by="t"), "Role not valid"),
        (lambda db: accounts.add(db, "a b", "viewer", PASSWORD, by="t"), "Username not valid"),
        (lambda db: accounts.set_role(db, "ghost", "viewer", by="t"), "No such account"),
        (lambda db: accounts.add(db, "root", "viewer", PASSWORD, by="t"), "Account exists"),
        (lambda db: accounts.disable(db, "root", by="t"), "Last admin"),
        (lambda db: accounts.set_role(db, "root", "uploader", by="t"), "Last admin"),
    ],
)
def test_refused_changes_say_why_and_write_nothing(db: duckdb.DuckDBPyConnection, call, title: str) -> None:  # type: ignore[no-untyped-def]
    accounts.add(db, "root", "admin", PASSWORD, by="test")
    with pytest.raises(accounts.AccountError) as raised:
        call(db)
    assert raised.value.title == title
    assert _versions(db) == 1


def test_no_default_account_exists(db: duckdb.DuckDBPyConnection) -> None:
    assert accounts.count(db) == 0


def test_setup_code_is_one_time_and_hashed() -> None:
    code, hashed = accounts.new_setup_code()
    assert code not in hashed
    assert accounts.check_setup_code(hashed, code.lower())
    assert not accounts.check_setup_code(hashed, "000000-000000-000000")


def test_bounded_input_is_refused_before_anything_is_written(db: duckdb.DuckDBPyConnection) -> None:
    for name in ("x" * 200_000, "a" * 101):
        with pytest.raises(accounts.AccountError) as raised:
            accounts.add(db, name, "viewer", PASSWORD, by="t")
        assert raised.value.title == "Username not valid" and "at most 100" in raised.value.message
    with pytest.raises(accounts.AccountError) as named:
        accounts.add(db, "ann", "viewer", PASSWORD, by="t", display_name="n" * 101)
    assert named.value.title == "Name not valid"
    assert _versions(db) == 0
    assert accounts.verify(db, "x" * 200_000, PASSWORD) is None


def test_audit_fields_are_bounded_and_carry_the_client(db: duckdb.DuckDBPyConnection) -> None:
    for _ in range(100):  # 100 anonymous attempts with 200 kB names: a few kB, not 50 MB
        audit.record(db, "x" * 200_000, "", "sign_in", "x" * 200_000, "failed", "y" * 200_000, "10.1.2.3 Firefox")
    row = db.execute(
        "SELECT sum(length(username) + length(target) + length(detail) + length(client)), max(client) FROM audit_log"
    ).fetchone()
    assert row is not None and row[0] <= 100 * 2700 and row[1] == "10.1.2.3 Firefox"
    assert audit.entries(db).iloc[0]["client"] == "10.1.2.3 Firefox"


def test_audit_log_is_append_only_and_filterable(db: duckdb.DuckDBPyConnection) -> None:
    audit.record(db, "ann", "admin", "rollback", "submission 3", "ok", "x" * 10_000)
    audit.record(db, "bob", "uploader", "upload", "kpis.xlsx", "refused", "Macro file refused")
    log = audit.entries(db)
    assert list(log["action"]) == ["upload", "rollback"]
    assert len(log.iloc[1]["detail"]) == 2000 and log.iloc[1]["detail"].endswith("(10,000 characters)")
    assert list(audit.entries(db, action="upload")["username"]) == ["bob"]
    assert audit.actions(db) == ["rollback", "upload"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_and_backups_are_private(tmp_path: Path) -> None:
    os.umask(0o022)  # as a fresh server process starts
    db_file = tmp_path / "new" / "dashboard.duckdb"
    conn = connect(db_file)
    try:
        accounts.add(conn, "ann", "admin", PASSWORD, by="test")  # a password hash: the reason it matters
        wal = Path(f"{db_file}.wal")
        assert _mode(db_file) == 0o600
        assert not wal.exists() or _mode(wal) == 0o600
        conn.execute("CREATE TABLE big AS SELECT range AS x FROM range(100000)")
        assert wal.exists() and _mode(wal) == 0o600  # written before any checkpoint
        content = b"Code,Value\nA,1\n"
        conn.execute(  # a forged hash in the store must not name a folder outside the backup
            "INSERT INTO original_file VALUES ('../../../escaped', 'kpis.csv', ?)", [content]
        )
        folder = backup.backup(conn, tmp_path / "backups", by="test")
    finally:
        conn.close()
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "backups" / "escaped").exists()
    assert (folder / "originals" / hashlib.sha256(content).hexdigest() / "kpis.csv").read_bytes() == content
    for path in [folder, *folder.rglob("*")]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_secrets_toml_is_never_committed() -> None:
    root = Path(__file__).resolve().parent.parent
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", ".streamlit/secrets.toml"], cwd=root, check=False
    )
    assert checked.returncode == 0  # git ignores it, even where no such file exists yet
