"""The Upload history page through the real dashboard script (AppTest), on DuckDB and on PostgreSQL.

Rolling back and re-applying from this page is tested with the upload that it undoes, in
tests/test_pages_upload.py."""

from __future__ import annotations

from store import history
from tests.helpers import Pages


def test_history_lists_every_submission_as_the_store_holds_it(pages: Pages) -> None:
    stored = pages.call(history.listing)
    at = pages.open("views/history.py", "uploader")
    assert at.title[0].value == "Upload history"
    table = at.dataframe[0].value  # every submission, newest first
    assert len(table) == len(stored) >= 2  # the seed plan and the seed KPIs
    assert table["File"].tolist() == stored["file_name"].tolist()
    assert table["SHA-256"].tolist() == stored["sha256"].tolist()
    assert set(table["Status"]) == {"active"}
    assert not [b for b in at.button if b.key == "history.rollback"]  # an uploader may not roll back
