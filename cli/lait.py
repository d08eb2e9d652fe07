"""`board lait`: a DfE LAIT extract (every council's published figures) and the KPI mapping, as submissions."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import database
from cli.exit_codes import Exit
from store.benchmark import LAIT_DIR, MAP_FILE, load_directory


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lait = commands.add_parser(
        "lait",
        help="load a DfE LAIT extract (every council's published figures) as a new submission",
        description="Load the LAIT extract in DIRECTORY (default data/lait) and the KPI mapping CSV, each as a "
        "new submission; an extract identical to the current one changes nothing.",
    )
    lait.add_argument("directory", nargs="?", type=Path, default=LAIT_DIR, help="folder holding the LAIT files")
    lait.add_argument(
        "--map", type=Path, default=MAP_FILE, help="the KPI mapping CSV (default data/kpi_benchmark_map.csv)"
    )
    lait.add_argument("--user", default="scheduled job", help="name recorded with the submissions")
    database.add_arguments(lait)
    lait.set_defaults(run=load_lait)


def load_lait(args: argparse.Namespace) -> int:
    with database.opened(args) as conn:
        outcomes = load_directory(conn, args.directory, args.user, args.map)
    for outcome in outcomes:
        print(f"{outcome.status}: {outcome.message}")
    return Exit.REFUSED if any(o.status == "rejected" for o in outcomes) else Exit.OK
