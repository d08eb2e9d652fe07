"""Period pickers: which reviews a page compares, remembered for the session under explicit keys."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from domain.dates import period_label


def period_labels(periods: pd.DataFrame) -> dict[date, str]:
    """{date: 'Nov 2016' or 'Initial (Sep 2015)'} for `reporting_periods` rows, oldest first."""
    return {_as_date(p): period_label(p, lab) for p, lab in zip(periods["period"], periods["label"], strict=True)}


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def period_pair(prefix: str, periods: pd.DataFrame) -> tuple[date, date]:
    """Two period pickers, defaulting to the one before the latest and the latest; earlier first."""
    labels = period_labels(periods)
    options = sorted(labels)
    left, right = st.columns(2)
    previous = left.selectbox(
        "Compare",
        options,
        index=max(len(options) - 2, 0),
        format_func=labels.__getitem__,
        key=f"{prefix}.previous",
        persist_state="session",
    )
    current = right.selectbox(
        "with",
        options,
        index=len(options) - 1,
        format_func=labels.__getitem__,
        key=f"{prefix}.current",
        persist_state="session",
    )
    assert previous is not None and current is not None
    if previous == current:
        st.warning("Both pickers show the same period: choose two different ones to see any movement.")
    if previous > current:
        previous, current = current, previous
        st.info(f"Shown as {labels[previous]} against {labels[current]}: earlier period first.")
    return previous, current


def single_period(prefix: str, periods: pd.DataFrame, label: str = "Ratings as at") -> date:
    """One period picker defaulting to the latest."""
    labels = period_labels(periods)
    options = sorted(labels)
    chosen = st.selectbox(
        label,
        options,
        index=len(options) - 1,
        format_func=labels.__getitem__,
        key=f"{prefix}.period",
        persist_state="session",
    )
    assert chosen is not None
    return chosen
