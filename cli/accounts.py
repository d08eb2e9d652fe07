"""`board users ...`: local accounts, each change written to the audit log as the Users page does."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

import duckdb

from cli import database
from store import accounts, audit

# (command, help, the role argument: "option" | "positional" | "", reads a password)
_CHANGES = (
    ("add", "add an account with a role and a password (prompted, or --password-stdin)", "option", True),
    ("set-role", "give an account another role", "positional", False),
    ("disable", "stop an account signing in (takes effect on its next click)", "", False),
    ("enable", "let a disabled account sign in again", "", False),
    ("reset-password", "set a new password", "", True),
)


def who() -> str:
    """The audit log's name for whoever runs the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = commands.add_parser("users", help="local accounts: list, add, set-role, disable, enable, reset-password")
    sub = users.add_subparsers(dest="users_command", required=True, metavar="USERS_COMMAND")
    listing = sub.add_parser("list", help="every account and its role")
    database.add_arguments(listing)
    listing.set_defaults(run=list_users)
    for name, text, role, password in _CHANGES:
        command = sub.add_parser(name, help=text, description=text)
        command.add_argument("name")
        if role == "option":
            command.add_argument("--role", choices=accounts.ROLES, required=True)
        elif role == "positional":
            command.add_argument("role", choices=accounts.ROLES)
        if password:
            command.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        database.add_arguments(command)
        command.set_defaults(run=change_user)


def list_users(args: argparse.Namespace) -> int:
    with database.opened(args) as conn:
        print(accounts.listing(conn).to_string(index=False))
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Same password again: "):
        raise accounts.AccountError("the two passwords differ.", "Passwords differ")
    return first


def _change(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> tuple[str, Callable[[], object], str]:
    """(audit action, the change, what to print when done) for one users subcommand."""
    by, role = who(), getattr(args, "role", "")
    return {
        "add": (
            "account_add",
            lambda: accounts.add(conn, args.name, args.role, _password(args.password_stdin), by=by),
            f"Added {args.name} as {role}.",
        ),
        "set-role": (
            "role_change",
            lambda: accounts.set_role(conn, args.name, args.role, by=by),
            f"{args.name} is now {role}.",
        ),
        "disable": ("disable", lambda: accounts.disable(conn, args.name, by=by), f"{args.name} disabled."),
        "enable": ("enable", lambda: accounts.enable(conn, args.name, by=by), f"{args.name} enabled."),
        "reset-password": (
            "password_reset",
            lambda: accounts.reset_password(conn, args.name, _password(args.password_stdin), by=by),
            f"Password of {args.name} reset.",
        ),
    }[args.users_command]


def change_user(args: argparse.Namespace) -> int:
    with database.opened(args) as conn:
        action, run, done = _change(args, conn)
        target = f"{args.name} as {args.role}" if args.users_command in ("add", "set-role") else args.name
        try:
            run()
        except accounts.AccountError as exc:
            audit.record(conn, who(), "admin-cli", action, target, "refused", exc.message)
            raise
        audit.record(conn, who(), "admin-cli", action, target, "ok")
    print(done)
    return 0
