"""`board`: the one command line. Each subcommand lives in its own module; this one maps failures to exit codes.

Every command that needs the store builds the default database first when there is none, as the
dashboard does on first start; `board COMMAND --help` says what each takes.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from cli import accounts, backups, board_pack, build, demo, files, lait
from cli.exit_codes import MEANING, Exit
from loaders.problems import LoaderError
from reports.board_pack import PackError
from store import accounts as store_accounts
from store import backup
from store.backend import StoreUnreachable
from store.submission import Busy

PROG = "board"
# In the order `board --help` lists them.
COMMAND_MODULES = (files, build, demo, lait, accounts, backups, board_pack)


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    codes = "\n".join(f"  {int(code)}  {MEANING[code]}" for code in Exit)
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Improvement Board dashboard: load files, build the database, manage accounts, back up "
        "and restore, write the board pack.",
        epilog=f"exit codes:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_parsers(commands)
    return parser


def commands(parser: argparse.ArgumentParser | None = None) -> dict[str, argparse.ArgumentParser]:
    """Every subcommand by its full name ("load", "users add", ...), for the docs test and --help."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(p: argparse.ArgumentParser, prefix: str) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    full = f"{prefix} {name}".strip()
                    found[full] = sub
                    walk(sub, full)

    walk(parser or build_parser(), "")
    return found


def _fail(code: Exit, message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    args = build_parser(prog).parse_args(argv)  # exits 2 (Exit.USAGE) on a wrong command line
    try:
        return int(args.run(args))
    except Busy as exc:  # store.live.StoreBusy is one: another process held the file past --wait
        return _fail(Exit.BUSY, f"{exc.message} (waited {getattr(args, 'wait', 0):g} s: pass a longer --wait)")
    except StoreUnreachable as exc:
        return _fail(Exit.UNREACHABLE, str(exc))
    except LoaderError as exc:
        return _fail(Exit.UNREADABLE, str(exc))
    except (store_accounts.AccountError, backup.BackupError) as exc:
        return _fail(Exit.REFUSED, f"{exc.title}: {exc.message}")
    except PackError as exc:
        return _fail(Exit.REFUSED, str(exc))
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(Exit.UNREADABLE, f"cannot read or write{where}: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a bug: say so with its own code, not Python's 1 (= refused)
        traceback.print_exc()
        return _fail(Exit.FAILED, f"unexpected {type(exc).__name__} in `{args.command}`; please report it")


def run() -> None:
    """The console script's entry point (pyproject.toml's [project.scripts])."""
    sys.exit(main())
