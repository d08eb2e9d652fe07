"""Docs that cannot go stale: the README names every analyst view, command and the two commands."""

import re
from pathlib import Path

import duckdb

from loaders.__main__ import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_analyst_view_is_documented(db: duckdb.DuckDBPyConnection) -> None:
    views = {r[0] for r in db.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    public = {v for v in views if not v.startswith("_")}
    assert public, "no views found"
    undocumented = sorted(v for v in public if f"| `{v}` |" not in README)
    assert undocumented == []


def test_every_loader_command_is_documented() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"python -m loaders {name}" in README


def test_readme_has_exactly_the_two_commands_and_ci_runs_the_test_one() -> None:
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", README, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["bash scripts/run.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
