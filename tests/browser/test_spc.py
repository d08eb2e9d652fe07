"""SPC in a real browser: the XmR chart and the Making Data Count summary on the FICTIONAL demo
council, and the KPI trend chart's title clear of its legend and comparators, at 1280 and 1920 px."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, violations
from tests.browser.conftest import ROOT, draw_charts, rerun, screenshot, start_dashboard, wait_for_app

pytestmark = pytest.mark.browser
WIDTHS = (1280, 1920)


@pytest.fixture(scope="module")
def demo_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a dashboard serving the fictional demonstration council (data/demo)."""
    spec = importlib.util.spec_from_file_location("demo_build", ROOT / "data" / "demo" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db_file = Path(module.build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb"))
    process, url = start_dashboard(db_file)
    yield url
    process.terminate()
    process.wait(timeout=20)


def _boxes_apart(page, chart, first: str, second: str) -> None:  # type: ignore[no-untyped-def]
    """The boxes of `first` and `second` (selectors inside the chart) do not overlap."""
    a = chart.locator(first).first.bounding_box()
    b = chart.locator(second).first.bounding_box()
    assert a is not None and b is not None
    overlap = (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    )
    assert not overlap, (first, a, second, b)


def _open(page, url: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 1100})
    page.goto(url)
    wait_for_app(page)


def _charts(page) -> int:  # type: ignore[no-untyped-def]
    """Wait for the page's first chart to be mounted, then draw every visible one."""
    expect(page.locator("[data-testid='stPlotlyChart']").first).to_be_attached(timeout=60_000)
    return draw_charts(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_spc_chart(page, demo_dashboard: str, width: int) -> None:  # type: ignore[no-untyped-def]
    _open(page, f"{demo_dashboard}/kpi_trends?kpi=DEMO_CASELOAD", width)
    expect(page.get_by_text("FICTIONAL DEMONSTRATION DATA").first).to_be_visible()
    with rerun(page):
        page.get_by_role("radio", name="SPC (XmR) chart").click()
    assert _charts(page) >= 1
    chart = page.locator("[data-testid='stPlotlyChart']:visible").first
    expect(chart.locator(".gtitle")).to_contain_text("Variation: Improvement (low)")
    expect(chart.locator(".legend")).to_contain_text("Special cause: improvement")
    assert chart.locator(".layer-above image, .imagelayer image").count() == 2  # the two icons
    _boxes_apart(page, chart, ".gtitle", ".legend")
    _boxes_apart(page, chart, ".gtitle", ".cartesianlayer")
    expect(page.get_by_text("an XmR chart of 36 points").first).to_be_visible()
    found = violations(page)
    assert not found, describe({"SPC chart": found})
    chart.scroll_into_view_if_needed()
    screenshot(page, f"spc-chart-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_spc_summary(page, demo_dashboard: str, width: int) -> None:  # type: ignore[no-untyped-def]
    _open(page, f"{demo_dashboard}/kpi_trends", width)
    with rerun(page):
        page.get_by_role("radio", name="SPC summary").click()
    matrix = page.locator("table").filter(has_text="Consistently failing").first
    expect(matrix).to_be_visible()
    link = matrix.get_by_role("link", name="Average social worker caseload")
    expect(link).to_have_attribute("href", re.compile(r"kpi_trends\?kpi=DEMO_CASELOAD$"))
    found = violations(page)
    assert not found, describe({"SPC summary": found})
    screenshot(page, f"spc-summary-{width}")


@pytest.mark.parametrize("width", (1280, 1400, 1920))
def test_kpi_trend_title_clear_of_legend_and_comparators(page, dashboard: str, width: int) -> None:  # type: ignore[no-untyped-def]
    _open(page, f"{dashboard}/kpi_trends?kpi=SW_CASELOAD_AVG", width)
    assert _charts(page) >= 1
    chart = page.locator("[data-testid='stPlotlyChart']:visible").first
    expect(chart.locator(".legend")).to_contain_text("England, published")
    _boxes_apart(page, chart, ".gtitle", ".legend")
    _boxes_apart(page, chart, ".gtitle", ".cartesianlayer")
    expect(page.get_by_text("plotted at the date each describes").first).to_be_visible()
    chart.scroll_into_view_if_needed()
    screenshot(page, f"kpi-trend-published-{width}")
