"""axe-core (the npm package, installed by scripts/setup.sh into tests/js) run inside the page.

The tags are WCAG 2.0, 2.1 and 2.2 at levels A and AA (`wcag22aa` brings in `target-size`). A
violation is reported with its rule, impact, how many elements and the first few of them, so a
failing test says what to fix and where.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 160),
                              summary: (n.failureSummary || "").slice(0, 240)}))
  }));
}"""


def axe_version() -> str:
    import json

    return str(json.loads((AXE.parent / "package.json").read_text())["version"])


def violations(page: Any) -> list[dict[str, Any]]:
    """Every axe violation on the page as it is now (axe is injected once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    return list(page.evaluate(_RUN, TAGS))


def describe(found: dict[str, list[dict[str, Any]]]) -> str:
    """`{where: violations}` as lines a person can act on."""
    lines = []
    for where, items in found.items():
        for v in items:
            lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}")
            lines.extend(f"    {n['target']}  {n['summary']}" for n in v["nodes"][:3])
    return "\n".join(lines)
