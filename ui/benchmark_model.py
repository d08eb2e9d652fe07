"""Everything the Benchmarking page shows for one measure and council, built once per view.

The page only renders what `benchmark_page` returns (views/benchmarking.py caches it as an object
per data version), so a rerun does no plotly or pandas work. Never mutate the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.benchmark import all_councils_chart, comparison_chart, rank_chart
from charts.benchmark_text import (
    all_councils_caption,
    all_councils_table,
    comparison_caption,
    comparison_table,
    mapping_sentence,
    measure_caption,
    position_sentence,
    rank_caption,
    rank_sentence,
    rank_table,
    source_caption,
)


@dataclass
class Section:
    """One part of the page: a heading, a note, and a chart with its caption, table and file name."""

    heading: str = ""
    note: str = ""
    figure: go.Figure | None = None
    caption: str = ""
    table: pd.DataFrame | None = None
    file_name: str = ""
    key: str = ""


@dataclass
class PageContent:
    title: str
    intro: list[str]
    sections: list[Section]
    notes: list[str]
    source: str
    methodology: str = ""


def benchmark_page(
    view: dict[str, Any],
    *,
    measure: str,
    la_code: str,
    council: str,
    region: str,
    grouping_label: str,
    extract: dict[str, Any],
) -> PageContent:
    """Everything the Benchmarking page shows for one measure and council, from `measure_view`'s frames."""
    info, comparison, series, rankings = view["info"], view["comparison"], view["series"], view["rankings"]
    polarity, dps, no_quartile = info.get("polarity"), info.get("dps"), info.get("no_quartile")
    y_title = str(info.get("y_axis_name") or "Value")
    neighbour_codes = list(series.loc[series["role"] == "neighbour", "la_code"].unique())
    sections = [
        Section(
            note=""
            if neighbour_codes
            else f"The {grouping_label} groups list no statistical neighbours for {council}.",
            figure=comparison_chart(comparison, series, council, region, y_title, dps),
            caption=comparison_caption(council, len(neighbour_codes), grouping_label, region),
            table=comparison_table(comparison, series, council, region, grouping_label),
            file_name=f"benchmark-{measure}-{la_code}.csv",
            key="benchmarking.comparison",
        )
    ]
    if rankings["rank"].notna().any():
        sections.append(
            Section("Rank among all councils", figure=rank_chart(rankings, council),
                    caption=rank_caption(council, polarity), table=rank_table(rankings),
                    file_name=f"benchmark-{measure}-{la_code}-rank.csv", key="benchmarking.rank")
        )  # fmt: skip
    else:
        sections.append(
            Section("Rank among all councils", note="No rank to show. " + rank_sentence(council, rankings, polarity,
                    no_quartile))
        )  # fmt: skip
    everyone = view["everyone"]
    if len(everyone):
        period = str(everyone["period"].iloc[0])
        england = comparison.loc[comparison["period"] == period, "england"]
        sections.append(
            Section(
                f"Every council, {period}",
                figure=all_councils_chart(everyone, la_code, neighbour_codes, y_title,
                                          england.iloc[0] if len(england) else None, dps),
                caption=all_councils_caption(everyone, council, polarity),
                table=all_councils_table(everyone),
                file_name=f"benchmark-{measure}-all-councils-{period}.csv",
                key="benchmarking.all",
            )
        )  # fmt: skip
    notes = [
        mapping_sentence(str(row.kpi_code), str(row.transform), str(row.note)) for row in view["mapping"].itertuples()
    ]
    return PageContent(
        title=str(info.get("chart_title") or info.get("name") or measure),
        intro=[
            measure_caption(info, measure),
            position_sentence(council, comparison, polarity, dps),
            rank_sentence(council, rankings, polarity, no_quartile),
        ],
        sections=sections,
        notes=notes,
        source=source_caption(info, extract),
        methodology=str(info.get("methodology") or ""),
    )
