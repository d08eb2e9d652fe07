"""Docs that cannot go stale: the README names every analyst view, every subcommand, every exit code and the
two commands."""

import re
from pathlib import Path

import duckdb

from cli.exit_codes import MEANING, Exit
from cli.main import commands as subcommands

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_analyst_view_is_documented(db: duckdb.DuckDBPyConnection) -> None:
    views = {r[0] for r in db.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    public = {v for v in views if not v.startswith("_")}
    assert public, "no views found"
    undocumented = sorted(v for v in public if f"| `{v}` |" not in README)
    assert undocumented == []


def test_every_subcommand_is_documented() -> None:
    """Each subcommand, nested ones too ("users add"), appears in README as `board NAME`."""
    names = subcommands()
    assert {"check", "load", "init", "lait", "users list", "users add", "backup", "restore", "board-pack"} <= set(names)
    undocumented = sorted(name for name in names if not re.search(rf"board {re.escape(name)}\b", README))
    assert undocumented == []


def test_the_exit_code_table_is_the_one_the_command_line_uses() -> None:
    """README's one table of exit codes has a row per code, in order, with the meaning cli/exit_codes.py gives."""
    section = README.split("\n## Command line\n")[1].split("\n## ")[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)
    assert [(int(code), meaning) for code, meaning in rows] == [(int(code), MEANING[code]) for code in Exit]


def test_readme_has_exactly_the_two_commands_and_ci_runs_the_test_one() -> None:
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", README, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["bash scripts/run.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
