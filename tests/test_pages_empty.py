"""Every page on a store with nothing in it yet (a council's first start): it says what is missing
and where to get it, and never fails (AppTest through dashboard.py)."""

from __future__ import annotations

import pytest

from tests.helpers import Pages

SAYS = {
    "views/overview.py": "No plan has been loaded yet. Upload the improvement plan on the Upload page.",
    "views/plan_explorer.py": "No plan has been loaded yet.",
    "views/kpi_trends.py": "No KPIs have been loaded yet.",
    "views/benchmarking.py": "No national benchmark data has been loaded yet.",
    "views/board_pack.py": "The board pack compares two reporting periods; the store holds fewer than two so far.",
    "views/history.py": "Nothing has been stored yet.",
}


@pytest.mark.parametrize("page", list(SAYS))
def test_each_page_says_what_is_not_there_yet(empty_pages: Pages, page: str) -> None:
    at = empty_pages.open(page, "uploader")
    assert any(i.value.startswith(SAYS[page]) for i in at.info), [i.value for i in at.info]
    assert not at.get("plotly_chart") and not at.dataframe


def test_the_upload_page_offers_the_file_box_and_no_empty_chart(empty_pages: Pages) -> None:
    at = empty_pages.open("views/upload.py", "uploader")
    assert at.get("file_uploader") and not at.get("plotly_chart")
    assert at.title[0].value == "Upload the month's data"
