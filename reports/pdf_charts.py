"""The board pack's charts for the PDF, drawn offline by matplotlib's Agg renderer (no browser).

Plotly's static export needs kaleido and Chromium; a council's server may have neither, so the PDF's
charts are matplotlib figures in the print colours of domain.rag, with the same numbers as the pages.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from domain.rag import PRINT_COLOURS as RAG_COLOURS
from domain.rag import RAG_NAMES, RAG_ORDER
from reports.board_pack import BoardPack

_MOVE_COLOURS = {"improved": "#00703C", "completed": "#8EA9DB", "slipped": "#C00000", "held": "#BFBFBF"}


def rating_chart(pack: BoardPack) -> Figure:
    """Actions per rating for each priority, the comparison period's bar beside the current one."""
    fig = Figure(figsize=(10, 3.7), layout="constrained")
    ax = fig.add_subplot()
    counts = pack.counts.assign(period=pd.to_datetime(pack.counts["period"]).dt.date)
    numbers = sorted(counts["priority"].unique())
    for offset, (month, label) in enumerate(((pack.compare, pack.compare_label), (pack.period, pack.period_label))):
        left = [0.0] * len(numbers)
        ys = [n + (0.2 if offset == 0 else -0.2) for n in numbers]
        for code in RAG_ORDER:
            part = counts[(counts["period"] == month) & (counts["rating"] == code)].set_index("priority")["actions"]
            widths = [float(part.get(n, 0)) for n in numbers]
            ax.barh(ys, widths, left=left, height=0.38, color="#" + RAG_COLOURS[code][0], edgecolor="white",
                    label=RAG_NAMES[code] if offset == 0 else None)  # fmt: skip
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for y, total in zip(ys, left, strict=True):
            ax.text(total + 0.2, y, f"{label}: {int(total)}", va="center", fontsize=8)
    ax.set_yticks(numbers, [f"Priority {n}" for n in numbers])
    ax.invert_yaxis()
    ax.set_xlabel("Actions")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def movement_chart(pack: BoardPack) -> Figure:
    """How many actions improved, completed, held or slipped in each priority."""
    fig = Figure(figsize=(10, 2.5), layout="constrained")
    ax = fig.add_subplot()
    moves = pack.moves
    numbers = sorted(moves["priority"].unique())
    left = [0.0] * len(numbers)
    for kind, colour in _MOVE_COLOURS.items():
        widths = [float(((moves["priority"] == n) & (moves["movement"] == kind)).sum()) for n in numbers]
        ax.barh(numbers, widths, left=left, color=colour, edgecolor="white", label=kind.capitalize())
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(numbers, [f"Priority {n}" for n in numbers])
    ax.invert_yaxis()
    ax.set_xlabel(f"Actions rated in both {pack.compare_label} and {pack.period_label}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def kpi_chart(series: pd.DataFrame, unit: str, target: float | None) -> Figure:
    """One KPI's values over time with its target as a dashed line (the heading above names it)."""
    fig = Figure(figsize=(5.2, 2.5), layout="constrained")
    ax = fig.add_subplot()
    months = [float(date2num(m)) for m in pd.to_datetime(series["period"])]
    ax.plot(months, series["value"], marker="o", color="#1F4E79", linewidth=2)
    suffix = "%" if unit == "%" else ""
    for month, value in zip(months, series["value"], strict=True):
        ax.annotate(f"{value:g}{suffix}", (month, value), textcoords="offset points", xytext=(0, 7), ha="center")
    if target is not None and not pd.isna(target):
        ax.axhline(target, color="#C00000", linestyle="--", linewidth=1.2, label=f"Target {target:g}{suffix}")
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    top = max([*series["value"], target or 0]) * 1.2
    ax.set_ylim(0, max(100.0, top) if unit == "%" else max(top, 1))
    ax.set_xlim(min(months) - 45, max(months) + 45)
    ax.set_xticks(months, [f"{m:%b %Y}" for m in pd.to_datetime(series["period"])])
    if unit != "%":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return fig
