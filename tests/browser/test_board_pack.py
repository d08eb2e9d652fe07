"""The Board pack page in a real browser: both downloads arrive and open."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _download(page, label: str):  # type: ignore[no-untyped-def]
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    return info.value


def test_board_pack_downloads_open(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{dashboard}/board_pack")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Download the pack (PDF)")).to_be_visible()
    expect(page.get_by_text("Eight actions moved from Light Green to Dark Green", exact=False).first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "board_pack")

    excel = _download(page, "Download the pack (Excel)")
    assert excel.suggested_filename == "board-pack-2017-02-vs-2016-11.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(excel.path()).read_bytes()))
    table = book["Table 1"]
    totals = next(row for row in table.iter_rows(values_only=True) if row[0] == "Totals")
    assert list(totals[1:11]) == [0, 0, 13, 8, 29, 8, 6, 26, 11, 17]

    pdf = _download(page, "Download the pack (PDF)")
    assert pdf.suggested_filename == "board-pack-2017-02-vs-2016-11.pdf"
    reader = pypdf.PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    assert len(reader.pages) > 10
    assert "Sunderland Improvement Plan: board pack" in reader.pages[0].extract_text()
