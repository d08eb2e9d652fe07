"""Board pack: the progress report's tables and charts for two periods, as Excel and PDF.

Officers with the uploader role edit the draft summary per priority and the commentary per KPI;
each save is a new version (store.commentary). Everyone who can view may download the pack.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from reports import board_pack
from reports.excel import to_xlsx
from reports.pdf import to_pdf
from store import commentary, rebase
from store.queries import reporting_periods
from ui import auth, flash
from ui.auth import User
from ui.data import cached, connection, data_version
from ui.display import plain
from ui.guard import guarded
from ui.pickers import period_pair

user = auth.require_viewer()
can_write = auth.can(user, "uploader")
st.title("Board pack", anchor=False)
st.caption(
    "The progress report's tables and charts for two reporting periods, ready for the Improvement Board: "
    "download them as Excel (a sheet per table) or PDF (tables, charts, page numbers and bookmarks)."
)
periods = cached(reporting_periods)()
if len(periods) < 2:
    st.info("The board pack compares two reporting periods; the store holds fewer than two so far.")
    st.stop()
compare, period = period_pair("board_pack", periods)
if compare == period:
    st.stop()


@st.cache_data(show_spinner="Gathering the pack…", max_entries=16)
def _pack(period: date, compare: date, data: int, words: int, rebases: int) -> board_pack.BoardPack:
    del data, words, rebases  # cache keys only: new uploads, saved words and SPC rebases rebuild the pack
    return board_pack.build(connection(), period, compare)


pack = _pack(
    period, compare, data_version(), commentary.commentary_version(connection()), rebase.rebase_version(connection())
)
pair = f"{period:%Y-%m}.{compare:%Y-%m}"
st.write(plain(pack.headline_text))

flash.show("board_pack")


def _narrative_key(priority: int) -> str:
    return f"board_pack.narrative.{pair}.{priority}"


def _edited() -> dict[int, str]:
    """The summaries as they stand in the text boxes (saved or not): what the downloads print."""
    return {p.priority: st.session_state.get(_narrative_key(p.priority), p.narrative) for p in pack.priorities}


@guarded("uploader", "narrative_save", page="board_pack", refused="Saving summaries needs the uploader role.")
def _save_narratives(writer: User) -> None:
    saved = []
    try:
        for part in pack.priorities:
            text = st.session_state.get(_narrative_key(part.priority), part.narrative)
            if text.strip() == part.narrative.strip():
                continue
            if commentary.save_narrative(connection(), part.priority, period, compare, text, writer.username):
                saved.append(part.priority)
                auth.log("narrative_save", f"priority {part.priority}, {period:%Y-%m} vs {compare:%Y-%m}")
    except commentary.CommentaryError as exc:
        flash.error("board_pack", str(exc))
        return
    message = f"Saved the summary for priority {', '.join(map(str, saved))}." if saved else "Nothing had changed."
    flash.ok("board_pack", message)


def _reset(priority: int, draft: str) -> None:
    st.session_state[_narrative_key(priority)] = draft


edits = _edited()
stamp = f"board-pack-{period:%Y-%m}-vs-{compare:%Y-%m}"
formats = [
    ("Excel", to_xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "table_view"),
    ("PDF", to_pdf, "pdf", "application/pdf", "picture_as_pdf"),
]
for column, (label, build, extension, mime, icon) in zip(st.columns(2), formats, strict=True):
    column.download_button(
        f"Download the pack ({label})",
        data=lambda build=build: build(board_pack.with_narratives(pack, edits)),
        file_name=f"{stamp}.{extension}",
        mime=mime,
        key=f"board_pack.{extension}",
        on_click="ignore",
        icon=f":material/{icon}:",
        type="primary",
    )

st.header(f"Table 1: RAG rating by priority, {pack.compare_label} and {pack.period_label}", anchor=False)
st.dataframe(pack.table1, hide_index=True, column_config={"Priority": st.column_config.TextColumn(width="medium")})

st.header("Summary per priority", anchor=False)
st.caption(
    "Drafted from the figures in the report's style; edit before you download. "
    + ("Save keeps your wording for this pair of periods (every version is kept)." if can_write else "")
)
if not can_write:
    st.info("Sign in with the uploader role to edit and save the summaries and KPI commentary.")
for part in pack.priorities:
    key = _narrative_key(part.priority)
    st.text_area(
        f"Priority {part.priority}: {part.title}",
        value=part.narrative,
        key=key,
        height=110,
        max_chars=commentary.MAX_CHARS,
        disabled=not can_write,
    )
    if can_write and st.session_state.get(key, part.narrative) != part.draft:
        st.button(
            "Back to the draft from the figures",
            key=f"board_pack.reset.{pair}.{part.priority}",
            on_click=_reset,
            args=(part.priority, part.draft),
            type="tertiary",
        )
if can_write:
    st.button("Save summaries", key="board_pack.save_narratives", on_click=_save_narratives)

st.header(f"KPI commentary for {pack.period_label}", anchor=False)
names = dict(zip(pack.kpis["kpi_code"], pack.kpis["name"], strict=True))
code = st.selectbox("KPI", list(names), format_func=names.__getitem__, key="board_pack.kpi")
if code is not None:
    row = pack.kpis[pack.kpis["kpi_code"] == code].iloc[0]
    latest = "no value yet" if row["status"] == "No data" else f"latest {row['latest_value']:g} {row['unit']}"
    st.write(plain(f"{row['name']}: {latest}; status: {row['status']}."))
    text_key = f"board_pack.commentary.{period:%Y-%m}.{code}"

    @guarded("uploader", "kpi_commentary_save", page="board_pack", refused="Saving commentary needs the uploader role.")
    def _save_commentary(writer: User) -> None:
        text = st.session_state.get(text_key, "")
        try:
            saved = commentary.save_kpi_commentary(connection(), str(code), period, text, writer.username)
        except commentary.CommentaryError as exc:
            flash.error("board_pack", str(exc))
            return
        if saved:
            auth.log("kpi_commentary_save", f"{code}, {period:%Y-%m}")
        flash.ok("board_pack", "Commentary saved." if saved else "Nothing had changed.")

    st.text_area(
        "Commentary",
        value=str(row["commentary"]),
        key=text_key,
        max_chars=commentary.MAX_CHARS,
        disabled=not can_write,
    )
    if can_write:
        st.button("Save commentary", key="board_pack.save_commentary", on_click=_save_commentary)
    history = commentary.kpi_commentary_history(connection(), str(code), period)
    if not history.empty:
        with st.expander(f"Earlier versions ({len(history)})"):
            st.dataframe(history[["saved_at", "saved_by", "text"]], hide_index=True)
