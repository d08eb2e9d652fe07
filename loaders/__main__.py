"""Command line for scheduled jobs and analysts.

    python -m loaders check FILE... [--rag-month LABEL=YYYY-MM] [--db PATH]
    python -m loaders load FILE... [--rag-month LABEL=YYYY-MM] [--db PATH] [--user NAME]
    python -m loaders init [--db PATH] [--force]
    python -m loaders lait [DIRECTORY] [--db PATH] [--map CSV] [--user NAME]

Exit status: 0 all well; 1 problems found and nothing stored; 2 a file was refused or unreadable
(or the database could not be opened).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

import duckdb

from loaders.ingest import read_bytes
from loaders.model import Catalogue, Parsed
from loaders.problems import LoaderError
from loaders.seed import build_default
from loaders.values import parse_month
from store import connect, default_db_path
from store.benchmark import main as load_lait
from store.queries import catalogue, setting
from store.writes import submit

EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED = 0, 1, 2


def _rag_month(text: str) -> tuple[str, date]:
    label, _, month_text = text.partition("=")
    month = parse_month(month_text)
    if not label or month is None:
        raise argparse.ArgumentTypeError(f"expected LABEL=YYYY-MM, e.g. Current=2017-02; got '{text}'")
    return label.strip(), month


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Check and load plan and KPI files.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("check", "print every problem in the files; store nothing"),
        ("load", "check the files and store each valid one as a new submission"),
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
        sub.add_argument("--db", type=Path, default=None, help="database file (default: $DASHBOARD_DB or data/)")
        if name == "load":
            sub.add_argument("--user", default=None, help="name recorded with the submission (default: login)")
    init = commands.add_parser("init", help="build the database from the seed council's files")
    init.add_argument("--db", type=Path, default=None)
    init.add_argument("--force", action="store_true", help="replace an existing database")
    lait = commands.add_parser(
        "lait",
        help="load a DfE LAIT extract (every council's published figures) as a new submission",
        description="Same as python -m store.benchmark: [DIRECTORY] [--db PATH] [--map CSV] [--user NAME]",
    )
    lait.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


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


def _open(db: Path | None, must_exist: bool) -> duckdb.DuckDBPyConnection | None:
    path = db or default_db_path()
    if not path.exists() and not must_exist:
        return None
    try:
        return connect(path)
    except duckdb.IOException as exc:
        raise SystemExit(
            f"cannot open {path}: {exc}. If the dashboard is running it holds the database; "
            "stop it or upload through the dashboard."
        ) from None


def _run_files(args: argparse.Namespace, store_them: bool) -> int:
    conn = _open(args.db, must_exist=store_them)
    if conn is None and store_them:
        print("no database: run `python -m loaders init` first", file=sys.stderr)
        return EXIT_REFUSED
    known = catalogue(conn) if conn is not None else Catalogue()
    council = setting(conn, "council_code") if conn is not None else ""
    status = EXIT_OK
    user = getattr(args, "user", None) or getpass.getuser()
    for path in args.files:
        parsed = _read(path, dict(args.rag_month), known, council)
        if parsed is None:
            status = EXIT_REFUSED
            continue
        _report(parsed)
        if not parsed.ok:
            status = max(status, EXIT_PROBLEMS)
            print(f"{path.name}: nothing stored" if store_them else f"{path.name}: not valid")
        elif store_them and conn is not None:
            outcome = submit(conn, parsed, path.read_bytes(), user, note="command line")
            print(f"{path.name}: {outcome.message}")
            known = catalogue(conn)
    if conn is not None:
        conn.close()
    return status


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "lait":
        return load_lait(args.rest)
    if args.command == "init":
        path = args.db or default_db_path()
        existed = path.exists()
        try:
            build_default(path, overwrite=args.force)
        except FileExistsError:
            print(f"{path} already exists; nothing changed (use --force to rebuild it)", file=sys.stderr)
            return EXIT_REFUSED
        kept = " (the old file was kept beside it as .replaced-<time>)" if existed else ""
        print(f"built {path} from the seed council's plan and KPI workbooks{kept}")
        return EXIT_OK
    return _run_files(args, store_them=args.command == "load")


if __name__ == "__main__":
    sys.exit(main())
