"""The board's Making Data Count summary as tables: the matrix of KPIs by variation and assurance,
and a row per KPI, for the KPI trends page, the Overview and the board pack (Excel and PDF)."""

from __future__ import annotations

import pandas as pd

from domain import spc
from domain.dates import month_label
from domain.numbers import format_value

Cell = tuple[str, str, str]  # (kpi_code, name, "(latest value, target)")


def summary_cells(summary: pd.DataFrame) -> tuple[list[str], list[str], dict[tuple[str, str], list[Cell]]]:
    """(variation rows, assurance columns, KPIs per cell) of the matrix, in the icons' order."""
    rows = [v for v in spc.VARIATION_ORDER if v in set(summary["variation"])]
    cols = [a for a in spc.ASSURANCE_ORDER if a in set(summary["assurance"])]
    cells: dict[tuple[str, str], list[Cell]] = {}
    columns = ("kpi_code", "name", "unit", "latest_value", "target", "variation", "assurance")
    for code, name, unit, value, target, variation, assurance in zip(*(summary[c] for c in columns), strict=True):
        wanted = "no target" if pd.isna(target) else f"target {format_value(target, unit)}"
        cells.setdefault((variation, assurance), []).append(
            (str(code), str(name), f"({format_value(value, unit)}, {wanted})")
        )
    return rows, cols, cells


def summary_matrix(summary: pd.DataFrame) -> pd.DataFrame:
    """The Making Data Count summary: variation (rows) by assurance (columns); each cell lists its KPIs
    with latest value and target ('; '-separated)."""
    rows, cols, cells = summary_cells(summary)
    return pd.DataFrame(
        [["; ".join(f"{name} {figures}" for _, name, figures in cells.get((v, a), [])) or "–" for a in cols]
         for v in rows],
        index=pd.Index([spc.VARIATION_SHORT[v] for v in rows], name="Variation"),
        columns=[spc.ASSURANCE_SHORT[a] for a in cols],
    )  # fmt: skip


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """`spc_summary` as a board reads it, a row per KPI (also the CSV)."""
    return pd.DataFrame(
        {
            "KPI": summary["name"],
            "Variation": [spc.VARIATION_WORDS[v] for v in summary["variation"]],
            "Assurance": [spc.ASSURANCE_WORDS[a] for a in summary["assurance"]],
            "Latest": [
                f"{format_value(v, u)} ({month_label(p)})"
                for v, u, p in zip(summary["latest_value"], summary["unit"], summary["latest_period"], strict=True)
            ],
            "Target": [
                "None set" if pd.isna(t) else format_value(t, u)
                for t, u in zip(summary["target"], summary["unit"], strict=True)
            ],
            "Points": summary["points"],
            "Limits from": ["" if pd.isna(r) else month_label(r) for r in summary["rebased_from"]],
            "Chart": [f"/kpi_trends?kpi={c}" for c in summary["kpi_code"]],
        }
    )


def trajectory_sentences(paths: pd.DataFrame, ratings: dict[str, str | None]) -> list[str]:
    """For delivery beside impact: each action rated Dark Green or Completed whose linked KPI will not
    reach its target by the action's timescale at the recent rate, in a sentence (not Markdown-escaped).

    `paths`: `store.trajectories.kpi_trajectories`; `ratings`: action_ref -> rating code at the period."""
    out = []
    for ref, name, will, said in zip(
        paths["action_ref"], paths["name"], paths["will_reach"], paths["sentence"], strict=True
    ):
        rating = ratings.get(str(ref))
        if rating not in ("DG", "C") or will is None or bool(will):
            continue
        done = "Completed" if rating == "C" else "Dark Green"
        out.append(f"Action {ref} is {done}, but {name} is not on course to meet its target: {said}")
    return out
