"""KPI tiles: latest value, change since the previous observation, target and status.

`tile_text` works out what a tile says (pure, so a page can keep it); `show_tile` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st

from domain.dates import long_month_label, month_label
from domain.kpi_status import NO_TARGET, OFF_TARGET, ON_TARGET
from domain.numbers import format_change, format_value
from ui.display import plain

BadgeColour = Literal["gray", "blue", "orange"]


@dataclass(frozen=True)
class Tile:
    name: str  # Markdown-escaped
    value: str
    delta: str | None
    delta_colour: Literal["normal", "inverse"]
    help: str
    badge: str
    badge_colour: BadgeColour
    badge_icon: str | None


def tile_text(row: pd.Series) -> Tile:
    """What the tile for one `kpi_status` row says; the change is coloured by the KPI's polarity."""
    unit = str(row["unit"])
    delta = None
    if pd.notna(row["change"]):
        delta = f"{format_change(row['change'], unit)} since {month_label(row['previous_period'])}"
    lower = row["polarity"] == "lower"
    when = (
        f"Latest observation {long_month_label(row['latest_period'])}"
        if pd.notna(row["latest_period"])
        else "No observation yet"
    )
    target = format_value(row["target"], unit) if pd.notna(row["target"]) else None
    badge: tuple[str, BadgeColour, str | None]
    if pd.isna(row["latest_value"]):
        badge = ("No data yet" + (f" (target {target})" if target else ""), "gray", None)
    elif pd.isna(row["on_target"]) or target is None:
        badge = (NO_TARGET, "gray", None)
    elif bool(row["on_target"]):
        badge = (f"{ON_TARGET} ({target})", "blue", ":material/check:")
    else:
        badge = (f"{OFF_TARGET} ({target})", "orange", ":material/close:")
    return Tile(
        name=plain(row["name"]),
        value=format_value(row["latest_value"], unit),
        delta=delta,
        delta_colour="inverse" if lower else "normal",
        help=f"{when}; {'lower' if lower else 'higher'} is better.",
        badge=badge[0],
        badge_colour=badge[1],
        badge_icon=badge[2],
    )


def show_tile(tile: Tile) -> None:
    with st.container(border=True):
        st.markdown(f"**{tile.name}**")
        st.metric(
            tile.name,
            tile.value,
            label_visibility="collapsed",
            delta=tile.delta,
            delta_color=tile.delta_colour,
            help=tile.help,
        )
        st.badge(tile.badge, color=tile.badge_colour, icon=tile.badge_icon)


def kpi_tile(row: pd.Series) -> None:
    """The tile for one `kpi_status` row."""
    show_tile(tile_text(row))
