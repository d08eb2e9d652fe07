"""Command line for the store: backups, restores and local accounts.

    python -m store backup DIR [--db PATH]
    python -m store restore DIR --db NEW_PATH
    python -m store users list [--db PATH]
    python -m store users add NAME --role viewer|uploader|admin [--password-stdin] [--db PATH]
    python -m store users set-role NAME ROLE [--db PATH]
    python -m store users disable NAME [--db PATH]
    python -m store users enable NAME [--db PATH]
    python -m store users reset-password NAME [--password-stdin] [--db PATH]

DuckDB lets one process write a database file. While the dashboard runs it holds the file,
and these commands say so and stop: stop the dashboard first, or use the Users page.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from store import accounts, audit, backup
from store.db import connect, default_db_path

EXIT_LOCKED = 3
EXIT_REFUSED = 2


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _open(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The database; built from the seed data first if missing, as the dashboard would on first start."""
    if read_only and not path.exists():
        raise FileNotFoundError(path)
    if not path.exists():
        from loaders.seed import ensure_default

        ensure_default(path)
    return connect(path, read_only=read_only)


def _locked_message(path: Path) -> str:
    return (
        f"The database {path} is in use by another process, most likely the running dashboard "
        "(DuckDB lets only one process write to a database file). Nothing was changed. Stop the "
        "dashboard and run this again, or do it in the dashboard: an admin can manage accounts and "
        "take a backup on the Users page."
    )


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Same password again: "):
        raise accounts.AccountError("the two passwords differ.", "Passwords differ")
    return first


def _users(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> str:
    who = _who()
    actions: dict[str, tuple[str, Callable[[], object], str]] = {
        "add": (
            "account_add",
            lambda: accounts.add(conn, args.name, args.role, _password(args.password_stdin), by=who),
            f"Added {args.name} as {getattr(args, 'role', '')}.",
        ),
        "set-role": (
            "role_change",
            lambda: accounts.set_role(conn, args.name, args.role, by=who),
            f"{args.name} is now {getattr(args, 'role', '')}.",
        ),
        "disable": ("disable", lambda: accounts.disable(conn, args.name, by=who), f"{args.name} disabled."),
        "enable": ("enable", lambda: accounts.enable(conn, args.name, by=who), f"{args.name} enabled."),
        "reset-password": (
            "password_reset",
            lambda: accounts.reset_password(conn, args.name, _password(args.password_stdin), by=who),
            f"Password of {args.name} reset.",
        ),
    }
    action, run, done = actions[args.users_command]
    target = f"{args.name} as {args.role}" if args.users_command in ("add", "set-role") else args.name
    try:
        run()
    except accounts.AccountError as exc:
        audit.record(conn, who, "admin-cli", action, target, "refused", exc.message)
        raise
    audit.record(conn, who, "admin-cli", action, target, "ok")
    return done


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description="Backups, restores and local accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = "the database file (default: DASHBOARD_DB or data/dashboard.duckdb)"
    take = sub.add_parser("backup", help="export every table to Parquet plus the original files")
    take.add_argument("folder", type=Path)
    take.add_argument("--db", type=Path, help=db_help)
    back = sub.add_parser("restore", help="build a NEW database file from a backup folder")
    back.add_argument("folder", type=Path)
    back.add_argument("--db", type=Path, required=True, help="the new database file (must not exist)")
    users = sub.add_parser("users", help="local accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    listing = users_sub.add_parser("list", help="every account and its role")
    listing.add_argument("--db", type=Path, help=db_help)
    for name, needs_role, needs_password in (
        ("add", "option", True),
        ("set-role", "positional", False),
        ("disable", "", False),
        ("enable", "", False),
        ("reset-password", "", True),
    ):
        command = users_sub.add_parser(name)
        command.add_argument("name")
        if needs_role == "option":
            command.add_argument("--role", choices=accounts.ROLES, required=True)
        elif needs_role == "positional":
            command.add_argument("role", choices=accounts.ROLES)
        if needs_password:
            command.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        command.add_argument("--db", type=Path, help=db_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = Path(getattr(args, "db", None) or default_db_path())
    try:
        if args.command == "restore":
            backup.restore(args.folder, path, by=_who())
            print(f"Restored {args.folder} into {path}. Point DASHBOARD_DB at it to use it.")
            return 0
        # A backup writes one audit entry, so it opens the file for writing too.
        conn = _open(path, read_only=getattr(args, "users_command", "") == "list")
        try:
            if args.command == "backup":
                print(f"Backup written to {backup.backup(conn, args.folder, by=_who(), role='admin-cli')}")
            elif args.users_command == "list":
                print(accounts.listing(conn).to_string(index=False))
            else:
                print(_users(args, conn))
        finally:
            conn.close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            print(_locked_message(path), file=sys.stderr)
            return EXIT_LOCKED
        raise
    except FileNotFoundError:
        print(f"There is no database at {path}.", file=sys.stderr)
        return EXIT_REFUSED
    except (accounts.AccountError, backup.BackupError) as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
