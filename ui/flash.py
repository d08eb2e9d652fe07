"""One-shot messages a callback leaves for the page's next run ("Saved.", "Only an admin can do that.").

A button callback runs before the page reruns, so anything it writes to the screen is wiped by the
rerun. It leaves its outcome here instead, and the page shows it once, at the place it chooses, then
forgets it. Every page uses this one helper, so messages look alike and data in them (a file name,
a database error) is always Markdown-escaped.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.display import plain

Kind = Literal["ok", "error"]


def _key(page: str) -> str:
    return f"{page}.flash"


def leave(page: str, kind: Kind, text: str) -> None:
    """Replace `page`'s waiting message with `text`: success ('ok') or an error."""
    st.session_state[_key(page)] = [(kind, text)]


def ok(page: str, text: str) -> None:
    leave(page, "ok", text)


def error(page: str, text: str) -> None:
    leave(page, "error", text)


def show(page: str, where: DeltaGenerator | None = None) -> None:
    """Show `page`'s waiting messages once (in `where`, or at this point of the page) and forget them."""
    target = st if where is None else where
    for kind, text in st.session_state.pop(_key(page), []):
        (target.success if kind == "ok" else target.error)(plain(text))
