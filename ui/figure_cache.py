"""Pure work a page repeats on every rerun, done once: plotly figures, display tables, CSV bytes.

A rerun of a cached page must stay under 50 ms; building plotly figures, CSV bytes and display
tables from the same frames again is most of that. These remember the result per input frame,
and a frozen figure keeps the dict form `st.plotly_chart` asks it for on every rerun.
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

T = TypeVar("T")


def _fingerprint(frame: pd.DataFrame) -> str:
    """A frame's cache key: hashing its pickle is ten times faster than Streamlit's default for these frames."""
    return hashlib.md5(pickle.dumps(frame, protocol=5), usedforsecurity=False).hexdigest()


_FAST = {pd.DataFrame: _fingerprint}


class _FrozenFigure(go.Figure):
    """A shared, never-mutated figure whose dict form is worked out once.

    `st.plotly_chart` calls `to_dict()` (a deep copy plus array encoding) on every rerun; for a
    figure that cannot change that work is the same each time, so it is kept.
    """

    def to_dict(self) -> dict[str, Any]:
        frozen: dict[str, Any] | None = self.__dict__.get("_frozen_dict")
        if frozen is None:
            frozen = super().to_dict()
            self.__dict__["_frozen_dict"] = frozen
        return frozen


def frozen(fig: go.Figure) -> go.Figure:
    """`fig`, from now on shared and never changed: its dict form is worked out once."""
    fig.__class__ = _FrozenFigure
    return fig


@st.cache_resource(max_entries=512, show_spinner=False, hash_funcs=_FAST)
def _figure(module: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> go.Figure:
    return frozen(getattr(importlib.import_module(module), name)(*args, **dict(kwargs)))


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """`builder(*args, **kwargs)`, built once per distinct input and shared read-only (never mutate it)."""
    return _figure(builder.__module__, builder.__qualname__, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=1024, show_spinner=False, hash_funcs=_FAST)
def _result(module: str, name: str, args: tuple[Any, ...]) -> Any:
    return getattr(importlib.import_module(module), name)(*args)


def clear_memos() -> None:
    """Forget every remembered figure and result (tests, and benchmarks of a page's first run)."""
    _figure.clear()
    _result.clear()


def memo(function: Callable[..., T], *args: Any) -> T:
    """A pure function's result (a frame, text, bytes), computed once per distinct input."""
    result: T = _result(function.__module__, function.__qualname__, args)
    return result
