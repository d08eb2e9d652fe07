"""The Upload page's steps, and what it remembers between reruns, as one object the page calls.

A file goes: chosen -> months asked for (when a plan tracker heads its RAG columns without them)
-> read in the isolated reader -> problems shown -> preview of what it would change -> confirmed
and stored. Streamlit reruns the page script on every click, so what each step found must be kept
between runs; the page used to keep it in 23 loose session-state keys. Now it is one `Memory`
record (under `upload.flow`) that only this module reads and writes; the page lays out what it
is told. Widget keys stay on the page (they name what a person clicks).
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NoReturn

import duckdb
import streamlit as st

from loaders import isolated
from loaders.model import Catalogue, Parsed
from loaders.problems import LoaderError
from reports.safe_text import to_safe_csv
from store import history
from store.writes import Changes, changes
from ui import auth, flash, upload_preview
from ui.auth import User
from ui.data import connection
from ui.display import plain
from ui.guard import guarded

PAGE = "upload"  # the flash helper's name for this page
MEMORY_KEY = "upload.flow"
MAX_UPLOAD_MB = 50
FIRST_YEAR = 2010  # the earliest month a RAG column can be given
NOT_ALLOWED = "You are no longer allowed to upload; nothing was stored."
REFUSED_WRITE = (
    "The file could not be stored: the database refused the write, so nothing was stored. "
    "Try again; if it happens again, tell your admin (details are in the audit log)."
)


@dataclass(frozen=True)
class Stored:
    """What the last confirm stored: shown until the next file is chosen."""

    message: str
    kpis: list[tuple[str, str, str]]  # (code, name, council) of up to three KPIs it stored


@dataclass
class Memory:
    """Everything the page keeps between reruns."""

    generation: int = 0  # bumped after each confirm: a new key gives an empty file box
    stored: Stored | None = None
    months_needed: dict[str, list[str]] = field(default_factory=dict)  # file digest -> RAG headings
    checked_for: tuple[Any, ...] | None = None  # (digest, months chosen) the parse below is for
    parsed: Parsed | None = None
    preview_for: tuple[Any, ...] | None = None  # (checked_for, data version) the preview below is for
    preview: Changes | None = None

    def forget_file(self) -> None:
        self.checked_for = self.parsed = self.preview_for = self.preview = None


@dataclass(frozen=True)
class File:
    """The chosen file: its bytes, name and digest (the digest names it in keys and the audit log)."""

    raw: bytes
    name: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def short(self) -> str:
        """Twelve characters of the digest, for widget keys that belong to this file."""
        return self.digest[:12]

    @property
    def megabytes(self) -> float:
        return len(self.raw) / 1024**2


def month_choices(today: date) -> list[date]:
    """The months a RAG column can record, newest first: this month back to January 2010."""
    latest = date(today.year, today.month, 1)
    every = [date(y, m, 1) for y in range(today.year + 1, FIRST_YEAR - 1, -1) for m in range(12, 0, -1)]
    return [month for month in every if month <= latest]


class UploadFlow:
    """The Upload page's state and steps. `state` is the session (a plain dict in tests)."""

    def __init__(self, state: MutableMapping[str, Any] | None = None) -> None:
        self._state: MutableMapping[str, Any] = st.session_state if state is None else state

    @property
    def memory(self) -> Memory:
        memory = self._state.get(MEMORY_KEY)
        if not isinstance(memory, Memory):
            memory = self._state[MEMORY_KEY] = Memory()
        return memory

    # ------------------------------------------------------------ choosing a file

    @property
    def file_key(self) -> str:
        """The file box's key: a new one after each confirm, so the box starts empty."""
        return f"upload.file.{self.memory.generation}"

    @property
    def last_stored(self) -> Stored | None:
        return self.memory.stored

    def file_chosen(self) -> None:
        """A file is in the box: what the last confirm stored is no longer news."""
        self.memory.stored = None

    def refuse(self, file: File, title: str, message: str, detail: str = "") -> NoReturn:
        """Say why the file cannot be read, record it in the audit log, and end this run."""
        auth.log("upload_refused", file.name, "refused", f"{title}: {message} {detail}".strip())
        st.error(f"**{plain(title)}**: {plain(message)}")
        st.stop()

    def check_size(self, file: File) -> None:
        if file.megabytes > MAX_UPLOAD_MB:
            self.refuse(
                file, "File too large", f"the file is {file.megabytes:.0f} MB; the limit is {MAX_UPLOAD_MB} MB."
            )

    def months_needed(self, file: File) -> list[str]:
        """The RAG headings of this file that need a month chosen (none until a read says so)."""
        return self.memory.months_needed.get(file.digest, [])

    # ------------------------------------------------------------ reading and checking

    def checked(self, file: File, months: dict[str, date], catalogue: Catalogue, la_code: str) -> Parsed:
        """The file read and checked in the isolated reader: once per file and choice of months.

        A plan tracker whose RAG columns name no months is remembered as needing them and the page
        reruns to ask; a file that cannot be read at all is refused (this run ends)."""
        memory = self.memory
        key = (file.digest, tuple(sorted((k, v.isoformat()) for k, v in months.items())))
        if memory.checked_for != key or memory.parsed is None:
            with st.spinner("Checking the file…"):
                try:
                    parsed = isolated.parse(
                        file.raw, file.name, rag_months=months or None, catalogue=catalogue, default_la=la_code
                    )
                except LoaderError as exc:
                    memory.checked_for = memory.parsed = None
                    self.refuse(file, exc.title, exc.message, getattr(exc, "detail", ""))
            memory.checked_for, memory.parsed = key, parsed
            if not parsed.ok:
                auth.log(
                    "upload_checked", file.name, "rejected", f"{len(parsed.problems.errors)} errors; {file.digest}"
                )
            missing = [p.column for p in parsed.problems.errors if p.code == "plan.rag_month_needed"]
            if missing and not months:
                memory.months_needed[file.digest] = list(dict.fromkeys(missing))
                st.rerun()
        assert memory.parsed is not None
        return memory.parsed

    def preview(self, conn: duckdb.DuckDBPyConnection, parsed: Parsed, version: int) -> Changes:
        """What the checked file would change: worked out again only when the file or the data change."""
        memory = self.memory
        key = (memory.checked_for, version)
        if memory.preview_for != key or memory.preview is None:
            memory.preview, memory.preview_for = changes(conn, parsed), key
        return memory.preview

    @staticmethod
    def full_preview(parsed: Parsed, names: dict[str, str]) -> bytes:
        """Every value and rating the file holds beside what is stored (for the download, built on click)."""
        return to_safe_csv(upload_preview.every_row(changes(connection(), parsed, limit=None), names))

    # ------------------------------------------------------------ confirming

    def confirm(self, file: File, parsed: Parsed, names: dict[str, str], kpis: list[tuple[str, str]]) -> None:
        """Store the checked file (a button callback: it runs before the next rerun, so the guard
        checks the role again). Leaves a flash message or the stored summary, and empties the file box."""
        _store(self, file, parsed, names, kpis)

    def store_as(
        self, who: User, file: File, parsed: Parsed, names: dict[str, str], kpis: list[tuple[str, str]]
    ) -> None:
        """`confirm` once the guard has let `who` through."""
        note = str(self._state.get("upload.note", ""))
        try:
            outcome = history.store_upload(connection(), parsed, file.raw, history.Actor(who.username, who.role), note)
        except history.HistoryError as exc:
            auth.log("upload", file.name, "busy", exc.message)
            flash.error(PAGE, f"{exc.title}: {exc.message}")
            return
        except history.StoreError as exc:
            auth.log("upload", file.name, "error", f"{type(exc).__name__}: {exc}")
            flash.error(PAGE, REFUSED_WRITE)
            return
        memory = self.memory
        if outcome.status == "stored":
            stored = list({code: (code, names.get(code, code), council) for code, council in kpis}.values())
            memory.stored = Stored(outcome.message + " Every page now shows the new data.", stored[:3])
        else:  # a duplicate or no change after all (another upload landed first): said, and the file cleared
            flash.error(PAGE, outcome.message)
        memory.generation += 1
        memory.forget_file()


@guarded("uploader", "upload", page=PAGE, refused=NOT_ALLOWED)
def _store(
    who: User, flow: UploadFlow, file: File, parsed: Parsed, names: dict[str, str], kpis: list[tuple[str, str]]
) -> None:
    flow.store_as(who, file, parsed, names, kpis)
