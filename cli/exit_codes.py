"""The command line's exit codes: one table, each code with one meaning, for scheduled jobs to branch on.

README's table is checked against this one (tests/test_docs.py).
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    REFUSED = 1
    USAGE = 2
    BUSY = 3
    UNREADABLE = 4
    UNREACHABLE = 5
    FAILED = 6


MEANING = {
    Exit.OK: "done, or nothing needed doing (a file already loaded, values that all match)",
    Exit.REFUSED: "not done: the file has problems, or the request cannot be met by what the store holds "
    "(a period without ratings, an account that does not exist, a database that already exists); "
    "nothing was stored or written",
    Exit.USAGE: "the command line is wrong (an unknown option, a month that is not YYYY-MM, an unknown extension)",
    Exit.BUSY: "the store stayed busy (another process writing) for longer than `--wait`; nothing changed, try again",
    Exit.UNREADABLE: "a file was refused before its cells were read, or could not be read or written "
    "(not a spreadsheet, encrypted, macros, too large, missing, a folder that cannot be written)",
    Exit.UNREACHABLE: "the store cannot be opened (not a database, a server that does not answer, a wrong password)",
    Exit.FAILED: "an unexpected error, a bug to report (the traceback is printed); a write in progress was rolled "
    "back whole, as every write is all-or-nothing",
}
