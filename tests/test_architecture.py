"""Data flows one way: loaders -> store -> queries -> charts -> pages. Checked, not hoped for."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_STREAMLIT = ["loaders", "store", "charts", "reports"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", NO_STREAMLIT)
def test_core_packages_never_import_streamlit(package: str) -> None:
    offenders = [p.name for p in (ROOT / package).rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_hold_no_sql_and_build_no_figures() -> None:
    sql = re.compile(r"\bSELECT\b[^\n]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b")
    for page in [ROOT / "dashboard.py", *(ROOT / "views").glob("*.py")]:
        text = page.read_text()
        assert not sql.search(text), f"{page.name} holds SQL"
        assert "plotly" not in _imports(page), f"{page.name} builds figures itself"
        assert "duckdb" not in _imports(page), f"{page.name} talks to the database itself"
