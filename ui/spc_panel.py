"""The SPC parts of the board pages: the Making Data Count summary and the rebase form.

The summary is a matrix of KPIs by variation and assurance (each name a link to its chart) with a
row-per-KPI table and CSV beside it. Rebasing writes, so it needs the uploader role, checked again
inside the callback (a role taken away between two clicks takes effect on the second).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pandas as pd
import streamlit as st

from domain import spc
from domain.dates import month_label
from reports.spc_tables import summary_cells, summary_table
from store import rebase
from ui import auth, flash
from ui.auth import User
from ui.data import connection
from ui.display import download, plain
from ui.figure_cache import memo
from ui.guard import guarded

PAGE = "kpi"


def matrix_markdown(summary: pd.DataFrame) -> str:
    """The summary matrix as a Markdown table: variation rows, assurance columns, linked KPI names."""
    rows, cols, cells = summary_cells(summary)

    def cell(v: str, a: str) -> str:
        entries = [
            f"[{plain(name)}](/kpi_trends?kpi={quote(code, safe='')}) {plain(figures)}"
            for code, name, figures in cells.get((v, a), [])
        ]
        return "; ".join(entries) or "–"

    lines = ["| Variation | " + " | ".join(plain(spc.ASSURANCE_SHORT[a]) for a in cols) + " |"]
    lines.append("|" + " --- |" * (len(cols) + 1))
    for v in rows:
        lines.append(f"| **{plain(spc.VARIATION_SHORT[v])}** | " + " | ".join(cell(v, a) for a in cols) + " |")
    return "\n".join(lines)


def show_summary(summary: pd.DataFrame, *, key: str, council: str, table: bool = True) -> None:
    """The Making Data Count summary for every KPI: words, matrix, (with `table`) a row per KPI, and CSV."""
    if summary.empty:
        st.info("No KPI has observations yet, so there is nothing to summarise.")
        return
    limited = summary[summary["variation"] != "too_few"]
    st.markdown(
        plain(
            f"Making Data Count summary for {council}: {len(limited)} of {len(summary)} KPIs have the "
            f"{spc.MIN_POINTS} points SPC needs. Rows say whether the latest point shows a real change "
            "(variation); columns whether the process can be relied on to meet its target (assurance)."
        )
    )
    st.markdown(memo(matrix_markdown, summary))
    rows = memo(summary_table, summary)
    if table:
        st.dataframe(
            rows,
            hide_index=True,
            column_config={"Chart": st.column_config.LinkColumn("Chart", display_text="Open chart")},
            key=f"{key}.table",
        )
    download(rows, "spc-summary.csv", key=key)


@guarded("uploader", "spc_rebase", page=PAGE, refused="Rebasing needs the uploader role.")
def _save(writer: User, code: str) -> None:
    month = st.session_state.get(f"kpi.rebase.{code}.month")
    reason = str(st.session_state.get(f"kpi.rebase.{code}.reason", ""))
    if month is None:
        flash.error(PAGE, "Choose the month the new limits start from.")
        return
    try:
        saved = rebase.save_rebase(connection(), code, month, reason, writer.username)
    except rebase.RebaseError as exc:
        flash.error(PAGE, str(exc))
        return
    if saved is None:
        flash.ok(PAGE, "That rebase was already saved with the same reason; nothing changed.")
        return
    auth.log("spc_rebase", f"{code} from {month:%Y-%m}", "ok", reason[:200])
    st.session_state[f"kpi.rebase.{code}.reason"] = ""
    flash.ok(PAGE, f"Limits are recalculated from {month_label(month)}.")


@guarded("uploader", "spc_rebase_removed", page=PAGE, refused="Taking a rebase away needs the uploader role.")
def _remove(writer: User, code: str) -> None:
    when = st.session_state.get(f"kpi.rebase.{code}.remove")
    reason = str(st.session_state.get(f"kpi.rebase.{code}.remove_reason", ""))
    if when is None:
        return
    try:
        rebase.remove_rebase(connection(), code, when, reason, writer.username)
    except rebase.RebaseError as exc:
        flash.error(PAGE, str(exc))
        return
    auth.log("spc_rebase_removed", f"{code} from {when:%Y-%m}", "ok", reason[:200])
    flash.ok(PAGE, f"The rebase from {month_label(when)} is taken away (kept in the history).")


def rebase_form(code: str, periods: list[date], current: pd.DataFrame, history: pd.DataFrame, can_write: bool) -> None:
    """Current rebases in words; for uploaders, a form to add one (month and reason) or take one away."""
    flash.show(PAGE)
    if current.empty:
        st.caption("No rebase: the limits are worked out from every point.")
    else:
        for _, row in current.iterrows():
            st.markdown(
                plain(
                    f"Limits recalculated from {month_label(row['rebase_from'])}: {row['reason']} "
                    f"({row['saved_by']}, {pd.Timestamp(row['saved_at']):%d %b %Y %H:%M} UTC)"
                )
            )
    if not can_write:
        st.caption("Officers with the uploader role can rebase the limits from a month, with a reason.")
        return
    with st.expander("Rebase the limits", expanded=False):
        st.selectbox(
            "Recalculate the limits from",
            periods[1:],
            index=None,
            format_func=month_label,
            key=f"kpi.rebase.{code}.month",
            placeholder="Choose a month",
        )
        st.text_area(
            "Why (e.g. the action that changed the process was completed)",
            key=f"kpi.rebase.{code}.reason",
            max_chars=rebase.MAX_REASON,
        )
        st.button("Save the rebase", key=f"kpi.rebase.{code}.save", on_click=_save, args=(code,))
        if not current.empty:
            st.selectbox(
                "Take a rebase away",
                [pd.Timestamp(d).date() for d in current["rebase_from"]],
                format_func=month_label,
                key=f"kpi.rebase.{code}.remove",
            )
            st.text_input("Why it is taken away", key=f"kpi.rebase.{code}.remove_reason")
            st.button("Take it away", key=f"kpi.rebase.{code}.take_away", on_click=_remove, args=(code,))
        if not history.empty:
            st.dataframe(history, hide_index=True, key=f"kpi.rebase.{code}.history")
