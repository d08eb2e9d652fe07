"""`board board-pack`: the progress report's tables and charts for two reporting periods, as Excel or PDF."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cli import database
from reports.board_pack import BoardPack, build

FORMATS: dict[str, str] = {".xlsx": "Excel", ".pdf": "PDF"}


def _month(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month written as YYYY-MM (for example 2017-02)")
    return date(int(match[1]), int(match[2]), 1)


def _out(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"--out must end in .xlsx or .pdf (got '{path.name}'); the extension chooses the format"
        )
    return path


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pack = commands.add_parser(
        "board-pack",
        help="the progress report's tables and charts for two reporting periods, as Excel or PDF",
        description="Write the board pack for PERIOD compared with COMPARE. The extension of --out "
        "chooses the format: .xlsx (Excel) or .pdf.",
    )
    pack.add_argument("--period", type=_month, required=True, help="the current reporting period, YYYY-MM")
    pack.add_argument("--compare", type=_month, required=True, help="the earlier period to compare with, YYYY-MM")
    pack.add_argument("--out", type=_out, required=True, help="the file to write: name.xlsx or name.pdf")
    database.add_arguments(pack)
    pack.set_defaults(run=write_pack)


def _writer(suffix: str) -> Callable[[BoardPack], bytes]:
    if suffix == ".xlsx":
        from reports.excel import to_xlsx

        return to_xlsx
    from reports.pdf import to_pdf

    return to_pdf


def write_pack(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    with database.opened(args) as conn:
        pack = build(conn, args.period, args.compare)
    content = _writer(suffix)(pack)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(f"wrote {FORMATS[suffix]} board pack to {args.out} ({pack.period_label} compared with {pack.compare_label})")
    return 0
