"""`python -m reports ...`: kept for one release as an alias of the one command line, `board ...` (cli/).

The subcommands it used to own (board-pack) take the same arguments there, with the exit codes of
README's table. Deprecated: scheduled jobs should call `board`.
"""

import sys
from collections.abc import Sequence

from cli.main import main as board


def main(argv: Sequence[str] | None = None) -> int:
    return board(argv, prog="python -m reports")


if __name__ == "__main__":
    sys.exit(main())
