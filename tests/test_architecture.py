"""Data flows one way (views > ui > reports | charts > store > loaders > domain). Checked, not hoped for."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_pages_hold_no_sql_and_build_no_figures() -> None:
    sql = re.compile(r"\bSELECT\b[^\n]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b")
    for page in [ROOT / "dashboard.py", *(ROOT / "views").glob("*.py")]:
        text = page.read_text()
        assert not sql.search(text), f"{page.name} holds SQL"
        assert "plotly" not in _imports(page), f"{page.name} builds figures itself"
        assert "duckdb" not in _imports(page), f"{page.name} talks to the database itself"


def test_layers_contract_holds() -> None:
    """pyproject.toml's import-linter contracts: views > ui > reports | charts > store > loaders > domain,
    Streamlit only in views and ui, and a domain package that does no I/O."""
    from importlinter.cli import lint_imports

    assert lint_imports(no_cache=True) == 0
