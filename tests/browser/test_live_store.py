"""With the dashboard running on its DuckDB file, a command-line load from another process is stored
and an analyst's query from a third sees it, and the running dashboard shows it on its next run.

The load is a fictional council's (Northmoor, LA 999) made-up KPI: invented figures, said so in the file.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from store.live import read_copy_path
from tests.browser.conftest import ROOT, screenshot, start_dashboard, wait_for_app

pytestmark = pytest.mark.browser
NAME = "Fictional live-store KPI"


def fictional_return() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["FICTIONAL DEMONSTRATION DATA: Northmoor (LA 999) does not exist."])
    sheet.append(["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is", "Target"])
    for month in range(1, 7):
        sheet.append(["LIVE_TEST", NAME, "999", f"2017-{month:02d}", 40 + month, "%", "High", 50])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def running(seed_db_file: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db_file = tmp_path / "dashboard.duckdb"
    shutil.copy(seed_db_file, db_file)
    process, url = start_dashboard(db_file)
    yield url, db_file
    process.terminate()
    process.wait(timeout=20)


def test_a_job_loads_and_an_analyst_reads_while_the_dashboard_runs(
    running: tuple[str, Path], page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, db_file = running
    page.goto(f"{url}/kpi_trends?kpi=LIVE_TEST")
    wait_for_app(page)  # the dashboard has opened its store and drawn a page
    expect(page.get_by_role("heading", name="KPI trends")).to_be_visible()
    assert page.get_by_text(NAME).count() == 0

    source = tmp_path / "northmoor-return.xlsx"
    source.write_bytes(fictional_return())
    job = subprocess.run(
        [sys.executable, "-m", "cli", "load", str(source), "--db", str(db_file), "--wait", "30", "--user", "nightly"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert job.returncode == 0, job.stderr

    page.goto(f"{url}/kpi_trends?kpi=LIVE_TEST")  # the same dashboard process, its next run
    wait_for_app(page)
    expect(page.get_by_text(NAME).first).to_be_visible()
    screenshot(page, "live-store-after-cli-load")

    analyst = duckdb.connect(str(read_copy_path(db_file)), read_only=True)
    try:
        row = analyst.execute(
            "SELECT count(*), max(value) FROM kpi_observations WHERE kpi_code = 'LIVE_TEST' AND la_code = '999'"
        ).fetchone()
    finally:
        analyst.close()
    assert row == (6, 46.0)
    assert page.locator("[data-testid='stException']").count() == 0
