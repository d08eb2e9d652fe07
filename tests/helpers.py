"""Test helpers: builders for test workbooks (fictional council, code 999) and the pages under AppTest."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from store import accounts
from store.backend import Store, is_url, open_store
from ui import auth

ROOT = Path(__file__).resolve().parent.parent
R = TypeVar("R")


def xlsx(rows: Sequence[Sequence[object]], sheet: str = "Data") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def long_kpi(rows: Sequence[tuple[str, str, object]], target: object = None) -> bytes:
    """A long KPI workbook: a heading row then (KPI, month, value) rows."""
    return xlsx([["KPI", "Month", "Value", "Target"], *[[k, m, v, target] for k, m, v in rows]])


def large_kpi_return(rows: int, months: int = 250) -> bytes:
    """`rows` observations for the fictional council: a KPI per `months` rows (long shape)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("KPI return")
    sheet.append(["FICTIONAL DEMONSTRATION DATA: Northmoor Borough Council (LA 999) does not exist."])
    sheet.append(["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is", "Target"])
    for index in range(rows):
        kpi, month = divmod(index, months)
        year, month = divmod(month, 12)
        sheet.append([f"BENCH_{kpi:04d}", f"Bench KPI {kpi:04d}", "999", f"{1995 + year}-{month + 1:02d}",
                      10 + (index * 7) % 90, "%", "High", 80])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- pages under AppTest

PASSWORD = "correct horse battery"
PEOPLE = {"viewer": "viewer-person", "uploader": "uploader-person", "admin": "root"}


class Pages:
    """The dashboard's pages under AppTest, on one test's store, as someone with a role.

    The store is a DuckDB file or a PostgreSQL database (`target`: a path or a postgresql:// URL), so
    the same page test runs on both backends; tests reach it only through `store()`, which opens it as
    the dashboard and the command line do (store.backend.open_store).

    One way to be signed in: an account in the store (made if missing) and the session naming it, as
    `ui.auth` leaves it after a successful sign-in. The sign-in form itself is tested on its own
    (tests/test_auth_pages.py); every other page test starts signed in this way, or signed out."""

    def __init__(self, target: str | Path) -> None:
        self.target = target

    @property
    def backend(self) -> str:
        """ "postgresql" or "duckdb": for the odd assertion that names a backend's own wording."""
        return "postgresql" if is_url(self.target) else "duckdb"

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The test's store, opened beside the running app as another process would, closed after."""
        opened = open_store(self.target)
        try:
            yield opened
        finally:
            opened.close()

    def call(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """`fn(store, *args, **kwargs)` on a store opened for this one call: `pages.call(history.listing)`."""
        with self.store() as opened:
            return fn(opened, *args, **kwargs)

    def account(self, role: str, name: str | None = None) -> accounts.Account:
        """The account `name` (default: PEOPLE[role]), made with `role` if it does not exist."""
        with self.store() as opened:
            if accounts.get(opened, "root") is None:  # first start is over: an admin exists
                accounts.add(opened, "root", "admin", PASSWORD, by="test")
            username = name or PEOPLE[role]
            return accounts.get(opened, username) or accounts.add(opened, username, role, PASSWORD, by="test")

    def app(self, role: str | None = None, *, script: str = "dashboard.py", name: str | None = None) -> AppTest:
        """`script` under AppTest, not yet run, signed in with `role` (None: signed out)."""
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        if role is None:
            self.account("admin")
        else:
            person = self.account(role, name)
            at.session_state[auth.USER_KEY] = person.username
            at.session_state[auth.STAMP_KEY] = person.password_version
        return at

    def open(self, page: str = "views/overview.py", role: str | None = None, *, name: str | None = None) -> AppTest:
        """The dashboard run and then `page` opened through its navigation, as a person clicks to it."""
        at = self.app(role, name=name).run()
        if page != "views/overview.py":  # the default page
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at


def in_navigation(at: AppTest, page: str) -> bool:
    """Whether the run dashboard `at` offers `page` in its navigation (AppTest refuses to open others)."""
    try:
        at.switch_page(page)
    except ValueError:
        return False
    return True


def shown(element: object) -> str:
    """Text as a reader sees it: the pages Markdown-escape data text, so drop the escapes."""
    text = element if isinstance(element, str) else getattr(element, "value", "")
    return str(text).replace("\\", "")


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table shown with a column called `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
