"""Every broken file in tests/data/bad is rejected with a message naming the right place."""

from pathlib import Path

import pytest

from loaders.ingest import read_path
from loaders.problems import RefusedFile

BAD = Path(__file__).parent / "data" / "bad"

# file -> (problem code, sheet, Excel row, column heading, cell, value found)
EXPECTED = {
    "text_in_value.xlsx": ("kpi.not_a_number", "Data", 5, "Value", "C5", "abc"),
    "percent_over_100.xlsx": ("kpi.percent_out_of_range", "Data", 5, "Value", "C5", "120%"),
    "unreadable_month.csv": ("kpi.bad_month", "unreadable_month.csv", 3, "Month", "B3", "Smarch 2016"),
    "duplicate_kpi_month.csv": ("kpi.duplicate", "duplicate_kpi_month.csv", 3, "Value", "C3", "19"),
    "unknown_rating.xlsx": ("plan.bad_rating", "Data", 5, "RAG Feb 17", "G5", "Purple"),
    "ambiguous_green.xlsx": ("plan.bad_rating", "Data", 5, "RAG Nov 16", "F5", "Green"),
    "unknown_polarity.xlsx": ("kpi.bad_polarity", "Data", 4, "Good is", "D4", "Sideways"),
    "text_target.xlsx": ("kpi.not_a_number", "Data", 4, "Target", "D4", "eighteen"),
    "rag_month_needed.xlsx": ("plan.rag_month_needed", "Data", 3, "RAG Previous", "F3", "RAG Previous"),
    "duplicate_action.xlsx": ("plan.duplicate_ref", "Data", 6, "Ref", "A6", "1.1"),
    "negative_percent.csv": ("kpi.percent_out_of_range", "negative_percent.csv", 2, "Value", "C2", "-5%"),
    "value_without_kpi.csv": ("kpi.no_name", "value_without_kpi.csv", 3, "Value", "C3", ""),
    "no_table.xlsx": ("file.no_table", "", None, "", "", ""),
    "bad_fill_colour.xlsx": ("plan.bad_fill", "Data", 5, "RAG Feb 17", "G5", "fill #7030A0"),
}
REFUSED = {
    "png_named.xlsx": "Not a spreadsheet",
    "macro.xlsx": "Macro file refused",
    "encrypted.xlsx": "Encrypted file",
    "huge_dimension.xlsx": "Sheet too large",
    "web_page.csv": "Not a spreadsheet",
}


def test_every_bad_file_is_covered() -> None:
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_at_the_right_cell(name: str) -> None:
    parsed = read_path(BAD / name)
    assert not parsed.ok
    code, sheet, row, column, cell, found = EXPECTED[name]
    first = parsed.problems.errors[0]
    assert (first.code, first.sheet, first.row, first.column, first.cell, first.found) == (
        code, sheet, row, column, cell, found,
    )  # fmt: skip
    assert first.file == name
    message = first.describe()
    assert name in message and (row is None or f"row {row}" in message)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_or_foreign_file_is_refused_before_parsing(name: str) -> None:
    with pytest.raises(RefusedFile) as refused:
        read_path(BAD / name)
    assert refused.value.title == REFUSED[name]
    assert refused.value.message  # tells the user what to do


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    """A sheet of 400 MB unpacked inside a file of well under 1 MB is refused from the zip directory."""
    import tracemalloc
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<row>" + b" " * (1024 * 1024 - 5)
            for _ in range(400):
                sheet.write(chunk)
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    with pytest.raises(RefusedFile, match="zip bomb"):
        read_path(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the 400 MB part was never inflated
