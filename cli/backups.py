"""`board backup` and `board restore`: every table to Parquet plus the original files, and back."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import database
from cli.accounts import who
from store import backup


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    take = commands.add_parser("backup", help="export every table to Parquet plus the original files")
    take.add_argument("folder", type=Path, help="the folder to write backup-<UTC time>/ into")
    database.add_arguments(take)
    take.set_defaults(run=take_backup)
    back = commands.add_parser(
        "restore", help="build a NEW database (a file, or an empty PostgreSQL database) from a backup folder"
    )
    back.add_argument("folder", type=Path, help="a backup-<UTC time> folder")
    back.add_argument(
        "--db", required=True, metavar="PATH|URL", help="the new database: a file that must not exist, or a URL"
    )
    back.set_defaults(run=restore_backup)


def take_backup(args: argparse.Namespace) -> int:
    # A backup writes one audit entry, so it opens the store for writing too.
    with database.opened(args) as conn:
        written = backup.backup(conn, args.folder, by=who(), role="admin-cli")
    print(f"Backup written to {written}")
    return 0


def restore_backup(args: argparse.Namespace) -> int:
    backup.restore(args.folder, args.db, by=who())
    print(f"Restored {args.folder} into {args.db}. Point DASHBOARD_DB at it to use it.")
    return 0
