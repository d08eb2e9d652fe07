"""The Upload page's state object (ui/upload_flow.py) on its own, with a plain dict as the session:
what it remembers, when it reads a file again, and the months it offers."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb

from store.queries import catalogue
from ui.upload_flow import MEMORY_KEY, File, Memory, Stored, UploadFlow, month_choices

GOOD = Path(__file__).parent / "data" / "good"


def test_month_choices_run_from_this_month_back_to_january_2010() -> None:
    months = month_choices(date(2017, 3, 15))
    assert months[0] == date(2017, 3, 1) and months[-1] == date(2010, 1, 1)
    assert len(months) == 7 * 12 + 3 and months == sorted(months, reverse=True)


def test_a_file_is_named_by_its_digest() -> None:
    file = File(b"abc", "x.csv")
    assert file.digest == hashlib.sha256(b"abc").hexdigest() and file.short == file.digest[:12]
    assert File(b"abc", "other name.csv").digest == file.digest


def test_one_record_holds_the_page_state_and_a_new_file_box_follows_a_confirm() -> None:
    session: dict[str, object] = {}
    flow = UploadFlow(session)
    assert flow.file_key == "upload.file.0" and flow.last_stored is None
    assert list(session) == [MEMORY_KEY] and isinstance(session[MEMORY_KEY], Memory)
    flow.memory.stored = Stored("Stored as submission 9.", [("CL_NEET", "Care leavers NEET", "394")])
    flow.memory.generation += 1
    again = UploadFlow(session)  # the next rerun
    assert again.file_key == "upload.file.1" and again.last_stored is not None
    again.file_chosen()
    assert again.last_stored is None and list(session) == [MEMORY_KEY]


def test_a_file_is_read_once_and_its_preview_worked_out_again_only_when_the_data_change(
    db: duckdb.DuckDBPyConnection,
) -> None:
    session: dict[str, object] = {}
    flow = UploadFlow(session)
    file = File((GOOD / "fictional_monthly_kpis.xlsx").read_bytes(), "fictional_monthly_kpis.xlsx")
    parsed = flow.checked(file, {}, catalogue(db), "394")
    assert parsed.ok and flow.checked(file, {}, catalogue(db), "394") is parsed  # not read again
    preview = flow.preview(db, parsed, version=1)
    assert preview.counts["observations"]["new"] == 4
    assert flow.preview(db, parsed, version=1) is preview
    assert flow.preview(db, parsed, version=2) is not preview  # another upload landed meanwhile
    flow.memory.forget_file()
    assert flow.memory.parsed is None and flow.memory.preview is None
