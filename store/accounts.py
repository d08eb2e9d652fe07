"""Local accounts: usernames, roles and argon2 password hashes, kept as append-only versions.

Every change (created, role, disabled, enabled, password) is a new row in `account_version`;
the current state of an account is its latest row. Nothing is updated or deleted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain import identity
from store.db import now_utc, transaction

Role = Literal["viewer", "uploader", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "uploader", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}
MIN_PASSWORD = identity.PASSWORD_MIN
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    """A change to accounts that cannot be made; `message` says why in plain words."""

    def __init__(self, message: str, title: str = "Account not changed") -> None:
        super().__init__(message)
        self.title = title
        self.message = message


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: Role
    disabled: bool
    password_version: int | None
    version_id: int


def normalise_username(username: str) -> str:
    return identity.normalise_username(username)


def check_username(username: str) -> str:
    """A local username: bounded and plain (never ':', so never an identity-provider identity)."""
    checked = identity.check_username(username)
    if checked.problem:
        raise AccountError(checked.problem, "Username not valid")
    return checked.name


def check_display_name(name: str) -> str:
    try:
        return identity.check_display_name(name)
    except identity.InputTooLong as exc:
        raise AccountError(exc.message, "Name not valid") from None


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}.", "Role not valid")
    return role


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters.", "Password too short")
    if len(password) > identity.PASSWORD_MAX:
        raise AccountError(f"a password can have at most {identity.PASSWORD_MAX} characters.", "Password too long")


def get(conn: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    """The account as it stands now, or None if it never existed."""
    cur = conn.cursor()
    try:
        row = cur.execute(
            """SELECT username, display_name, role, disabled, password_version, version_id
               FROM _account_current WHERE username = ?""",
            [normalise_username(username)],
        ).fetchone()
    finally:
        cur.close()
    if row is None:
        return None
    return Account(row[0], row[1], row[2], bool(row[3]), row[4], int(row[5]))


def listing(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    cur = conn.cursor()
    try:
        return cur.execute("SELECT * FROM accounts ORDER BY username").df()
    finally:
        cur.close()


def count(conn: duckdb.DuckDBPyConnection) -> int:
    cur = conn.cursor()
    try:
        row = cur.execute("SELECT count(*) FROM _account_current").fetchone()
    finally:
        cur.close()
    return int(row[0]) if row else 0


def verify(conn: duckdb.DuckDBPyConnection, username: str, password: str) -> Account | None:
    """The account if the password is right and the account is enabled; None otherwise.

    An impossible username or an over-long password is refused before any hash is computed."""
    if identity.check_username(username).problem or len(password) > identity.PASSWORD_MAX:
        return None
    cur = conn.cursor()
    try:
        row = cur.execute(
            "SELECT password_hash FROM _account_current WHERE username = ?",
            [normalise_username(username)],
        ).fetchone()
    finally:
        cur.close()
    stored = row[0] if row and row[0] else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if stored is _DUMMY_HASH:
        return None
    account = get(conn, username)
    return account if account is not None and not account.disabled else None


def add(
    conn: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    password: str | None,
    by: str,
    display_name: str = "",
) -> Account:
    """A new account. `password` None means the person signs in through the council's identity provider."""
    name = check_username(username)
    display = check_display_name(display_name)
    checked_role = check_role(role)
    if password is not None:
        check_password(password)
    hashed = _HASHER.hash(password) if password is not None else None
    return _write(conn, name, by, "created", new=True, role=checked_role, hashed=hashed, display=display)


def set_role(conn: duckdb.DuckDBPyConnection, username: str, role: str, by: str) -> Account:
    return _write(conn, username, by, "role", role=check_role(role))


def disable(conn: duckdb.DuckDBPyConnection, username: str, by: str) -> Account:
    return _write(conn, username, by, "disabled", disabled=True)


def enable(conn: duckdb.DuckDBPyConnection, username: str, by: str) -> Account:
    return _write(conn, username, by, "enabled", disabled=False)


def reset_password(conn: duckdb.DuckDBPyConnection, username: str, password: str, by: str) -> Account:
    """A new password; sessions signed in with the old one are signed out on their next click."""
    check_password(password)
    return _write(conn, username, by, "password", hashed=_HASHER.hash(password))


def _write(
    conn: duckdb.DuckDBPyConnection,
    username: str,
    by: str,
    change: str,
    *,
    new: bool = False,
    role: Role | None = None,
    disabled: bool | None = None,
    hashed: str | None = None,
    display: str = "",
) -> Account:
    name = normalise_username(username)
    with transaction(conn) as tx:
        cur = tx.cursor
        current = cur.execute(
            """SELECT display_name, role, password_hash, password_version, disabled
               FROM _account_current WHERE username = ?""",
            [name],
        ).fetchone()
        if new and current is not None:
            raise AccountError(f"an account called '{name}' already exists.", "Account exists")
        if not new and current is None:
            raise AccountError(f"there is no account called '{name}'.", "No such account")
        row = cur.execute("SELECT nextval('account_version_seq')").fetchone()
        assert row is not None
        version = int(row[0])
        old_display, old_role, old_hash, old_pw_version, old_disabled = current or (
            display,
            role,
            None,
            None,
            False,
        )
        new_role = role or old_role
        new_disabled = old_disabled if disabled is None else disabled
        if old_role == "admin" and not old_disabled and (new_role != "admin" or new_disabled):
            others = cur.execute(
                "SELECT count(*) FROM _account_current WHERE role = 'admin' AND NOT disabled AND username <> ?",
                [name],
            ).fetchone()
            if others is not None and others[0] == 0:
                raise AccountError(
                    "this is the only active admin; make someone else an admin first.",
                    "Last admin",
                )
        password_hash = hashed if hashed is not None else old_hash
        password_version = version if hashed is not None else old_pw_version
        cur.execute(
            "INSERT INTO account_version VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                version,
                name,
                display or old_display or name,
                new_role,
                password_hash,
                password_version,
                new_disabled,
                change,
                now_utc(),
                by,
            ],
        )
    account = get(conn, name)
    assert account is not None
    return account


def new_setup_code() -> tuple[str, str]:
    """A one-time code for creating the first admin, and its argon2 hash (only the hash is kept)."""
    code = "-".join(secrets.token_hex(3).upper() for _ in range(3))
    return code, _HASHER.hash(code)


def check_setup_code(hashed: str, code: str) -> bool:
    try:
        return bool(_HASHER.verify(hashed, code.strip().upper()))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
