"""`board check` and `board load`: plan and KPI files, checked and stored as the Upload page does."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

import duckdb

from cli import database
from cli.exit_codes import Exit
from loaders.ingest import read_bytes
from loaders.model import Catalogue, Parsed
from loaders.problems import LoaderError
from loaders.values import parse_month
from store.queries import catalogue, setting
from store.writes import submit


def _rag_month(text: str) -> tuple[str, date]:
    label, _, month_text = text.partition("=")
    month = parse_month(month_text)
    if not label or month is None:
        raise argparse.ArgumentTypeError(f"expected LABEL=YYYY-MM, e.g. Current=2017-02; got '{text}'")
    return label.strip(), month


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, text, run in (
        ("check", "print every problem in the files; store nothing", check),
        ("load", "check the files and store each valid one as a new submission", load),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("files", nargs="+", type=Path, metavar="FILE")
        sub.add_argument(
            "--rag-month",
            action="append",
            type=_rag_month,
            default=[],
            metavar="LABEL=YYYY-MM",
            help="month of a RAG column headed Initial/Previous/Current, e.g. Current=2017-02 (repeatable)",
        )
        database.add_arguments(sub)
        if name == "load":
            sub.add_argument("--user", default=None, help="name recorded with the submission (default: login)")
        sub.set_defaults(run=run)


def _read(path: Path, rag_months: dict[str, date], known: Catalogue, council: str) -> Parsed | None:
    try:
        return read_bytes(path.read_bytes(), path.name, rag_months=rag_months, catalogue=known, default_la=council)
    except LoaderError as exc:
        print(f"{path}: {exc.title}: {exc.message}", file=sys.stderr)
    except OSError as exc:
        print(f"{path}: cannot read the file: {exc.strerror}", file=sys.stderr)
    return None


def _report(parsed: Parsed) -> None:
    for problem in parsed.problems.items:
        print(f"{problem.severity.upper()}: {problem.describe()}")
    used = ", ".join(f"'{sheet}' ({shape})" for sheet, shape in parsed.sheets_used) or "none"
    errors, warnings = len(parsed.problems.errors), len(parsed.problems.warnings)
    print(f"{parsed.file_name}: sheets read: {used}; {errors} error(s), {warnings} warning(s)")


def _user(args: argparse.Namespace) -> str:
    if args.user:
        return str(args.user)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"


def _each_file(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection, store_them: bool) -> Exit:
    """Every file is read and reported; the worst outcome decides the exit code."""
    known, council = catalogue(conn), setting(conn, "council_code")
    status = Exit.OK
    for path in args.files:
        parsed = _read(path, dict(args.rag_month), known, council)
        if parsed is None:
            status = max(status, Exit.UNREADABLE)
            continue
        _report(parsed)
        if not parsed.ok:
            status = max(status, Exit.REFUSED)
            print(f"{path.name}: nothing stored" if store_them else f"{path.name}: not valid")
        elif store_them:
            outcome = submit(conn, parsed, path.read_bytes(), _user(args), note="command line", wait=args.wait)
            print(f"{path.name}: {outcome.message}")
            known = catalogue(conn)
    return status


def check(args: argparse.Namespace) -> int:
    with database.opened(args) as conn:
        return _each_file(args, conn, store_them=False)


def load(args: argparse.Namespace) -> int:
    with database.opened(args) as conn:
        return _each_file(args, conn, store_them=True)
