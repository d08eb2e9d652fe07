"""Hostile files: refused before parsing, or neutralised; reader crashes contained in a child process."""

from __future__ import annotations

import io
import os
import time
import tomllib
import zipfile
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import isolated
from loaders.ingest import read_bytes
from loaders.problems import LoaderError, RefusedFile, UnreadableFile
from reports import templates
from reports.safe_text import to_safe_csv
from store import history
from store.queries import catalogue

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile"
GOOD = ROOT / "tests" / "data" / "good"
ACTOR = history.Actor("ann", "uploader")


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("xml_entity_bomb.xlsx", "Unsafe or damaged workbook"),
        ("macro.xlsm", "Macro file refused"),
        ("encrypted.xlsx", "Encrypted file"),
        ("png_renamed.xlsx", "Not a spreadsheet"),
        ("huge_dimension.xlsx", "Sheet too large"),
    ],
)
def test_hostile_file_is_refused_in_the_child(name: str, title: str) -> None:
    with pytest.raises(RefusedFile) as raised:
        isolated.parse((HOSTILE / name).read_bytes(), name, default_la="999")
    assert raised.value.title == title
    assert raised.value.message and "Traceback" not in raised.value.message


def _sheet_zip(entry_bytes: int, chunk: bytes = b"\x00" * (1 << 20)) -> bytes:
    """A workbook whose one sheet inflates to `entry_bytes` of zeros (built here, never committed)."""
    plain = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as stream:
                    for _ in range(entry_bytes // len(chunk)):
                        stream.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def test_zip_bomb_by_ratio_is_refused_unopened() -> None:
    bomb = _sheet_zip(24 * 1024**2)
    assert len(bomb) < 200_000
    with pytest.raises(RefusedFile) as raised:
        isolated.parse(bomb, "bomb.xlsx")
    assert raised.value.title == "File too large when unpacked"


def test_zip_bomb_over_the_entry_cap_is_refused_unopened() -> None:
    bomb = _sheet_zip(520 * 1024**2, chunk=b"\x00" * (8 << 20))
    started = time.process_time()
    with pytest.raises(RefusedFile) as raised:
        isolated.parse(bomb, "big-bomb.xlsx", memory_mb=512)
    assert raised.value.title == "File too large when unpacked"
    assert "520 MB" in raised.value.message
    del started


def test_zip_entry_lying_about_its_size_stops_at_the_declared_size() -> None:
    bomb = bytearray(_sheet_zip(4 * 1024**2))
    # Rewrite the sheet's declared sizes (local header and zip64 extra fields) to 100 bytes.
    archive = zipfile.ZipFile(io.BytesIO(bytes(bomb)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(8, "little")
    assert bytes(bomb).count(real) >= 1
    patched = bytes(bomb).replace(real, (100).to_bytes(8, "little"))
    with pytest.raises(LoaderError) as raised:
        read_bytes(patched, "liar.xlsx")
    # Nothing inflates past the declared 100 bytes: the guard refuses, or sees a cut-off (so broken) sheet.
    assert raised.value.title in {
        "File too large when unpacked", "Damaged workbook", "Unreadable sheet", "Unsafe or damaged workbook",
    }  # fmt: skip


class PanicException(BaseException):
    """Stands in for pyo3's PanicException: a Rust panic surfaces as a BaseException, not an Exception."""


def panicking_reader(data: bytes, file_name: str, **options: object) -> None:
    raise PanicException("called `Option::unwrap()` on a `None` value")


def aborting_reader(data: bytes, file_name: str, **options: object) -> None:
    os.abort()


def greedy_reader(data: bytes, file_name: str, **options: object) -> None:
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024**2))


def endless_reader(data: bytes, file_name: str, **options: object) -> None:
    while True:
        time.sleep(0.05)


# The time limit includes the child importing this test module (to unpickle the reader), which can
# take seconds on a loaded machine: only the endless reader is meant to meet it.
@pytest.mark.parametrize(
    ("reader", "error", "title", "seconds"),
    [
        (panicking_reader, UnreadableFile, "File could not be read", 30),
        (aborting_reader, RefusedFile, "File could not be read safely", 30),
        (greedy_reader, RefusedFile, "File too large to read safely", 30),
        (endless_reader, RefusedFile, "File took too long to read", 2),
    ],
)
def test_reader_crash_is_contained_and_the_server_keeps_working(reader, error, title, seconds) -> None:  # type: ignore[no-untyped-def]
    data = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    with pytest.raises(error) as raised:
        isolated.parse(data, "x.xlsx", reader=reader, memory_mb=300, seconds=seconds)
    assert raised.value.title == title
    assert getattr(raised.value, "detail", "")
    parsed = isolated.parse(data, "x.xlsx", default_la="999")
    assert parsed.ok and parsed.kpi is not None and len(parsed.kpi.observations) == 4


def test_formula_injection_is_neutralised_in_every_export(db: duckdb.DuckDBPyConnection) -> None:
    data = (HOSTILE / "formula_injection.xlsx").read_bytes()
    parsed = read_bytes(data, "=cmd.xlsx", catalogue=catalogue(db), default_la="999")
    assert parsed.ok
    assert history.store_upload(db, parsed, data, ACTOR).status == "stored"
    from openpyxl import load_workbook

    wide = load_workbook(io.BytesIO(templates.kpi_wide_template(db))).active
    long = load_workbook(io.BytesIO(templates.kpi_long_template(db, "999"))).active
    cells = [c for ws in (wide, long) if ws is not None for row in ws.iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hostile and all(c.value.startswith("=") for c in hostile)  # the text as written, no apostrophe
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)  # ... stored as text, never a formula
    assert not [c for c in cells if c.data_type == "f"]
    listing_csv = to_safe_csv(history.listing(db)).decode("utf-8-sig")
    assert "'=cmd.xlsx" in listing_csv and "\n=cmd" not in listing_csv and ",=cmd" not in listing_csv


def test_html_in_an_action_title_stays_text(db: duckdb.DuckDBPyConnection) -> None:
    data = (HOSTILE / "script_in_action_title.xlsx").read_bytes()
    parsed = isolated.parse(data, "plan.xlsx", catalogue=catalogue(db), default_la="394")
    assert parsed.ok and parsed.plan is not None
    assert parsed.plan.actions["description"].tolist() == ["<img src=x onerror=alert(1)>"]


def test_html_in_upload_never_reaches_markdown(app_db: Path) -> None:
    from store import accounts, connect

    conn = connect(app_db)
    try:
        account = accounts.add(conn, "ann", "uploader", "correct horse battery", by="test")
    finally:
        conn.close()
    at = AppTest.from_file(str(ROOT / "views" / "upload.py"), default_timeout=60)
    at.session_state["auth.user"], at.session_state["auth.stamp"] = "ann", account.password_version
    at.run()
    at.get("file_uploader")[0].upload("<b>plan</b>.xlsx", (HOSTILE / "script_in_action_title.xlsx").read_bytes())
    at.run()
    assert not at.exception
    rendered = [m.value for m in (*at.markdown, *at.success, *at.error, *at.warning, *at.info, *at.caption)]
    assert not [t for t in rendered if "<img" in t or "<script" in t or "<b>" in t]


def test_upload_limits_and_xsrf_are_configured() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] <= 50
    assert "max_upload_size=MAX_UPLOAD_MB" in (ROOT / "views" / "upload.py").read_text()


def test_a_template_with_formula_like_names_reads_back_exactly(db: duckdb.DuckDBPyConnection) -> None:
    data = (HOSTILE / "formula_injection.xlsx").read_bytes()
    parsed = read_bytes(data, "f.xlsx", catalogue=catalogue(db), default_la="999")
    assert parsed.kpi is not None and history.store_upload(db, parsed, data, ACTOR).status == "stored"
    risky = {n for n in parsed.kpi.kpis["name"] if n[:1] in "=+-@"}
    assert risky
    for template in (templates.kpi_wide_template(db), templates.kpi_long_template(db, "999")):
        back = read_bytes(template, "template.xlsx", catalogue=catalogue(db), default_la="999")
        assert back.ok and back.kpi is not None
        assert risky <= set(back.kpi.kpis["name"])  # no apostrophe added on the way round
