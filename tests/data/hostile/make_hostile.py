"""Write the small hostile files in this folder (one per case). Large bombs are built by the tests.

Run from the project root: python tests/data/hostile/make_hostile.py
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def _xlsx(rows: list[list[object]], sheet: str = "Data") -> bytes:
    """A workbook whose cells hold `rows`; text starting with = is stored as text, not as a formula."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    """The workbook `data` with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


PLAIN = _xlsx([["KPI", "Month", "Value"], ["Unallocated cases", "2017-03", 12]])

LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>"""

HUGE_SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>KPI</t></is></c></row></sheetData></worksheet>"""

MACRO_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
    b"</Types>"
)

# An OLE2 compound file header followed by the stream name Office uses for encrypted packages.
ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

FORMULAS = _xlsx(
    [
        ["Code", "KPI", "Month", "Value", "Note"],
        ["INJ_1", '=HYPERLINK("http://evil.example","click")', "2017-03", 5, "+cmd|' /C calc'!A0"],
        ["INJ_2", "@SUM(1+1)", "2017-03", 7, "-2+3"],
    ]
)

SCRIPT_TITLE = _xlsx(
    [
        ["Priority", "Ref", "Action", "Success measure(s)", "Lead", "Timescale", "RAG Mar 17"],
        [
            1,
            "1.1",
            "<img src=x onerror=alert(1)>",
            "<script>alert(2)</script>",
            "**Head** of [link](http://x)",
            "03/17",
            "A",
        ],
    ],
    "Plan",
)

FILES = {
    "xml_entity_bomb.xlsx": _rezip(PLAIN, {"xl/workbook.xml": LAUGHS}),
    "macro.xlsm": _rezip(
        PLAIN, {"[Content_Types].xml": MACRO_TYPES}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60}
    ),
    "encrypted.xlsx": ENCRYPTED,
    "png_renamed.xlsx": PNG,
    "huge_dimension.xlsx": _rezip(PLAIN, {"xl/worksheets/sheet1.xml": HUGE_SHEET}),
    "formula_injection.xlsx": FORMULAS,
    "script_in_action_title.xlsx": SCRIPT_TITLE,
}

if __name__ == "__main__":
    for name, content in FILES.items():
        (HERE / name).write_bytes(content)
