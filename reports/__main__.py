"""Command line: `python -m reports board-pack --period 2017-02 --compare 2016-11 --out pack.pdf`.

The file's extension chooses the format (.xlsx or .pdf). Exit status: 0 written; 1 the pack
could not be built or written (no such database, a period without ratings, a write error);
2 the command line itself is wrong (unknown option, a month that is not YYYY-MM, an unknown
extension). Messages go to stderr and say what to do.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb

from reports.board_pack import BoardPack, PackError, build
from store import connect, default_db_path

FORMATS: dict[str, str] = {".xlsx": "Excel", ".pdf": "PDF"}


def _month(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month written as YYYY-MM (for example 2017-02)")
    return date(int(match[1]), int(match[2]), 1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reports", description="Exports built from the dashboard's store.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pack = commands.add_parser(
        "board-pack",
        help="the progress report's tables and charts for two reporting periods, as Excel or PDF",
        description="Write the board pack for PERIOD compared with COMPARE. The extension of --out "
        "chooses the format: .xlsx (Excel) or .pdf.",
    )
    pack.add_argument("--period", type=_month, required=True, help="the current reporting period, YYYY-MM")
    pack.add_argument("--compare", type=_month, required=True, help="the earlier period to compare with, YYYY-MM")
    pack.add_argument("--out", type=Path, required=True, help="the file to write: name.xlsx or name.pdf")
    pack.add_argument("--db", type=Path, help=f"the DuckDB file (default: DASHBOARD_DB or {default_db_path()})")
    return parser


def _writer(suffix: str) -> Callable[[BoardPack], bytes]:
    if suffix == ".xlsx":
        from reports.excel import to_xlsx

        return to_xlsx
    from reports.pdf import to_pdf

    return to_pdf


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    suffix = args.out.suffix.lower()
    if suffix not in FORMATS:
        parser.error(f"--out must end in .xlsx or .pdf (got '{args.out.name}'); the extension chooses the format")
    db_path = args.db or default_db_path()
    if not db_path.exists():
        print(f"error: no database at {db_path}; pass --db with the dashboard's DuckDB file", file=sys.stderr)
        return 1
    try:
        conn = connect(db_path)
    except duckdb.Error as exc:
        print(f"error: cannot open {db_path}: {exc}", file=sys.stderr)
        print("(if the dashboard is running it holds the file; stop it or use a copy)", file=sys.stderr)
        return 1
    try:
        pack = build(conn, args.period, args.compare)
        content = _writer(suffix)(pack)
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {FORMATS[suffix]} board pack to {args.out} ({pack.period_label} compared with {pack.compare_label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
