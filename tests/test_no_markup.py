"""No markup from data: a plan and KPIs whose names hold Markdown links and images, HTML and Plotly's
`<a href>` show as the text typed, on every page, in the CSV, the Excel file and the PDF.

FICTIONAL DATA: Northmoor Borough Council (LA 999) does not exist; every figure here is invented.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import openpyxl
import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from loaders.ingest import read_bytes
from reports import board_pack, excel, pdf
from reports.safe_text import to_safe_csv
from store import history
from store.queries import catalogue
from store.writes import submit_settings
from tests.helpers import Pages

LINK = "[click](https://evil.example/a)"
IMAGE = "![pixel](https://evil.example/p.png)"
HTML = "<img src=x onerror=alert(1)>"
ANCHOR = '<a href="https://evil.example/b">KPI</a>'
KPI_NAME = f"Visits {ANCHOR} {LINK} {IMAGE} {HTML} $x^2$ :red[alarm]"
ACTION = f"Action {LINK} {IMAGE}"
LEAD = f"Lead {HTML} {ANCHOR}"
PAGES = [
    "views/overview.py", "views/plan_explorer.py", "views/kpi_trends.py", "views/benchmarking.py",
    "views/board_pack.py", "views/upload.py", "views/history.py", "views/audit_log.py", "views/users.py",
]  # fmt: skip
# Markup that would act if a renderer read it: a Markdown link or image, or an HTML anchor or image.
_MARKDOWN_ACTIVE = re.compile(r"(?<!\\)\]\(https?:|(?<!\\)<(?:a|img)\b")
_PLOTLY_ACTIVE = re.compile(r"<(?:a|img)\b")
# The fields Streamlit renders as Markdown: element bodies (markdown, captions, titles, alerts), widget
# labels and help. Options and values are shown as plain text.
_MARKDOWN_FIELDS = {"body", "label", "help"}


def hostile_workbook() -> bytes:
    book = openpyxl.Workbook()
    plan = book.active
    assert plan is not None
    plan.title = "Plan"
    plan.append(["Priority", "Ref", "Action", "Lead", "Timescale", "RAG Nov 2016", "RAG Feb 2017"])
    plan.append([1, "1.1", ACTION, LEAD, "March 2017", "Red", "Amber"])
    plan.append([1, "1.2", f"Second {ANCHOR}", f"Lead {LINK}", "03/17", "Dark Green", "Red"])
    kpis = book.create_sheet("KPIs")
    kpis.append(["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is", "Target"])
    for month, value in (("2016-11", 40), ("2016-12", 50), ("2017-01", 60), ("2017-02", 70)):
        kpis.append(["EVIL_KPI", KPI_NAME, "999", month, value, "%", "High", 80])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def hostile(empty_pages: Pages) -> Pages:
    """The fictional council's store, on each backend, holding only the hostile plan and KPIs."""
    with empty_pages.store() as store:
        submit_settings(store, {"council_code": "999", "council_name": "Northmoor (fictional)"}, "setup")
        data = hostile_workbook()
        parsed = read_bytes(data, "hostile.xlsx", catalogue=catalogue(store), default_la="999")
        assert parsed.ok, parsed.problems.errors
        assert history.store_upload(store, parsed, data, history.Actor("setup", "admin")).status == "stored"
    return empty_pages


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(field name, text) for every string in a message or figure."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)


def _elements(node: Any) -> Iterator[Any]:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _elements(child)
    elif getattr(node, "proto", None) is not None:
        yield node


def check_page(at: AppTest) -> dict[str, int]:
    """Every string the page sent that a renderer reads as markup, checked; how many held the data."""
    seen = {"markdown": 0, "plotly": 0}
    for element in [*_elements(at.main), *_elements(at.sidebar)]:
        kind = element.proto.DESCRIPTOR.name
        if kind in ("ArrowNamedDataSet", "Arrow"):  # tables show cell text as text
            continue
        fields = MessageToDict(element.proto)
        if kind == "Html":
            assert "evil.example" not in fields.get("body", "")  # data never reaches raw HTML
            continue
        if kind == "PlotlyChart":
            figure = json.loads(fields.pop("spec", "{}") or "{}")
            for _, text in _strings(figure):
                assert not _PLOTLY_ACTIVE.search(text), text
                seen["plotly"] += "evil.example" in text
        for name, text in _strings(fields):
            if name in _MARKDOWN_FIELDS:
                assert not _MARKDOWN_ACTIVE.search(text), (kind, name, text)
                seen["markdown"] += "evil.example" in text.replace("\\", "")
    return seen


def open_page(pages: Pages, page: str, query: dict[str, str]) -> AppTest:
    at = pages.app("admin")
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "views/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_every_page_shows_markup_from_data_as_text(hostile: Pages) -> None:
    totals = {"markdown": 0, "plotly": 0}
    for page in PAGES:
        query = {"kpi": "EVIL_KPI"} if "kpi_trends" in page else {"action": "1.1"} if "plan_explorer" in page else {}
        seen = check_page(open_page(hostile, page, query))
        totals = {k: totals[k] + seen[k] for k in totals}
    assert totals["markdown"] > 0 and totals["plotly"] > 0  # the data was on screen, escaped


def pack_of(pages: Pages) -> board_pack.BoardPack:
    return pages.call(board_pack.build, date(2017, 2, 1), date(2016, 11, 1))


def test_the_excel_pack_holds_the_text_exactly(hostile: Pages) -> None:
    book = openpyxl.load_workbook(io.BytesIO(excel.to_xlsx(pack_of(hostile))))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    text = "\n".join(cells)
    assert any(ACTION in c for c in cells) and any(KPI_NAME in c for c in cells)
    assert "\\[" not in text and "&lt;" not in text  # no escapes leak into a spreadsheet


def test_the_pdf_pack_shows_the_text_and_links_nowhere(hostile: Pages) -> None:
    reader = PdfReader(io.BytesIO(pdf.to_pdf(pack_of(hostile))))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    for shown in (LINK, ANCHOR, "<img"):
        assert re.sub(r"\s+", "", shown) in flat, shown
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert "evil.example" not in str(action.get("/URI", ""))


def test_the_csv_holds_the_text_exactly(hostile: Pages) -> None:
    with hostile.store() as store:
        frame = store.execute("SELECT kpi_code, name FROM kpis").df()
    csv = pd.read_csv(io.BytesIO(to_safe_csv(frame)), encoding="utf-8-sig")
    assert list(csv["name"]) == [KPI_NAME]
