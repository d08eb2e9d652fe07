"""A tiny SpreadsheetML writer for tests: one logical table written the many ways the standard allows.

Case management systems and .NET Open XML SDK exports do not write what openpyxl writes: a
namespace prefix on every element (`<x:c>`), attributes in another order, shared or inline
strings, no `r` on rows and cells, no or a wrong `<dimension>`. Every option here yields a
workbook Excel displays identically, so a reader must return the same result for each.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# style name -> (numFmtId, custom code or None); index in cellXfs is position + 1 (0 is General)
STYLES: dict[str, tuple[int, str | None]] = {
    "0%": (9, None),
    "0.00%": (10, None),
    "0.0%": (164, "0.0%"),
    "mmm-yy": (17, None),
    "mmmm yyyy": (165, "mmmm yyyy"),
    "dd/mm/yyyy": (14, None),
    "[$-809]mmm\\-yy;@": (166, "[$-809]mmm\\-yy;@"),
    "0.0": (167, "0.0"),
}
STYLE_INDEX = {name: index + 1 for index, name in enumerate(STYLES)}

Cell = object  # str, int, float, date, datetime, None, or (value, style name)


@dataclass
class SheetSpec:
    name: str
    rows: list[list[Cell]]
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)  # Excel row numbers
    hidden_cols: set[int] = field(default_factory=set)  # 0-based
    merged: list[str] = field(default_factory=list)  # 'A5:A7'
    first_row: int = 1  # Excel row of rows[0]
    first_col: int = 0  # column of each row's first cell


@dataclass(frozen=True)
class Options:
    prefix: str = ""  # '' for a default namespace, 'x' for <x:worksheet>
    style_first: bool = False  # s (and t) before r
    shared_strings: bool = True
    refs: bool = True  # r on rows and cells
    dimension: str = "right"  # right, missing, wrong
    date1904: bool = False
    pretty: bool = False  # whitespace between elements


def col_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _serial(value: date, date1904: bool) -> float:
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    return (moment - epoch).total_seconds() / 86400


class _Writer:
    def __init__(self, options: Options) -> None:
        self.o = options
        self.p = f"{options.prefix}:" if options.prefix else ""
        self.xmlns = f'xmlns:{options.prefix}="{MAIN}"' if options.prefix else f'xmlns="{MAIN}"'
        self.strings: dict[str, int] = {}
        self.nl = "\n  " if options.pretty else ""

    def tag(self, name: str, attrs: list[tuple[str, str]], body: str | None = None) -> str:
        text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs)
        if body is None:
            return f"<{self.p}{name}{text}/>"
        return f"<{self.p}{name}{text}>{body}</{self.p}{name}>"

    def cell(self, row: int, col: int, raw: Cell) -> str:
        value, style = raw if isinstance(raw, tuple) else (raw, None)
        attrs: list[tuple[str, str]] = []
        body: str
        if isinstance(value, str):
            if self.o.shared_strings:
                index = self.strings.setdefault(value, len(self.strings))
                attrs.append(("t", "s"))
                body = self.tag("v", [], str(index))
            else:
                attrs.append(("t", "inlineStr"))
                body = self.tag("is", [], self.tag("t", [("xml:space", "preserve")], escape(value)))
        elif isinstance(value, date):
            body = self.tag("v", [], repr(_serial(value, self.o.date1904)))
        else:
            body = self.tag("v", [], repr(float(value)) if isinstance(value, float) else str(value))
        if style:
            attrs.append(("s", str(STYLE_INDEX[style])))
        ref = [("r", f"{col_letters(col)}{row}")] if self.o.refs else []
        attrs = attrs + ref if self.o.style_first else ref + attrs
        return self.tag("c", attrs, body)

    def sheet(self, spec: SheetSpec) -> str:
        rows = []
        last_col = spec.first_col
        for offset, cells in enumerate(spec.rows):
            row = spec.first_row + offset
            if not self.o.refs and offset == 0 and spec.first_row != 1:
                raise ValueError("without r attributes the table must start at row 1")
            body = "".join(self.cell(row, spec.first_col + i, c) for i, c in enumerate(cells) if c is not None)
            if not self.o.refs and any(c is None for c in cells):
                raise ValueError("without r attributes a row cannot have gaps")
            last_col = max(last_col, spec.first_col + len(cells) - 1)
            attrs = [("r", str(row))] if self.o.refs else []
            if row in spec.hidden_rows:
                attrs = [("hidden", "1"), *attrs] if self.o.style_first else [*attrs, ("hidden", "1")]
            rows.append(self.tag("row", attrs, body) if body else self.tag("row", attrs))
        last_row = spec.first_row + len(spec.rows) - 1
        parts = []
        if self.o.dimension == "right":
            first = f"{col_letters(spec.first_col)}{spec.first_row}"
            parts.append(self.tag("dimension", [("ref", f"{first}:{col_letters(last_col)}{last_row}")]))
        elif self.o.dimension == "wrong":
            parts.append(self.tag("dimension", [("ref", "A1")]))
        if spec.hidden_cols:
            cols = "".join(
                self.tag("col", [("min", str(c + 1)), ("max", str(c + 1)), ("hidden", "1"), ("width", "9")])
                for c in sorted(spec.hidden_cols)
            )
            parts.append(self.tag("cols", [], cols))
        parts.append(self.tag("sheetData", [], self.nl.join(rows)))
        if spec.merged:
            merged = "".join(self.tag("mergeCell", [("ref", m)]) for m in spec.merged)
            parts.append(self.tag("mergeCells", [("count", str(len(spec.merged)))], merged))
        body = self.nl.join(parts)
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        return f"{head}<{self.p}worksheet {self.xmlns}>{body}</{self.p}worksheet>"

    def workbook(self, sheets: list[SheetSpec]) -> str:
        entries = "".join(
            self.tag(
                "sheet",
                [
                    ("name", s.name),
                    ("sheetId", str(i + 1)),
                    *([("state", "hidden")] if s.hidden else []),
                    ("r:id", f"rId{i + 1}"),
                ],
            )  # fmt: skip
            for i, s in enumerate(sheets)
        )
        pr = self.tag("workbookPr", [("date1904", "1")] if self.o.date1904 else [])
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{self.p}workbook {self.xmlns} '
            f'xmlns:r="{RELS}">{pr}{self.tag("sheets", [], entries)}</{self.p}workbook>'
        )

    def styles(self) -> str:
        custom = [(i, c) for i, c in STYLES.values() if c is not None]
        fmts = "".join(self.tag("numFmt", [("numFmtId", str(i)), ("formatCode", c)]) for i, c in custom)
        xfs = [self.tag("xf", [("numFmtId", "0"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0")])]
        xfs += [
            self.tag("xf", [("numFmtId", str(i)), ("fontId", "0"), ("fillId", "0"), ("borderId", "0"),
                            ("applyNumberFormat", "1")])
            for i, _ in STYLES.values()
        ]  # fmt: skip
        t = self.tag
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{self.p}styleSheet {self.xmlns}>'
            + t("numFmts", [("count", str(len(custom)))], fmts)
            + t("fonts", [("count", "1")], t("font", [], t("sz", [("val", "11")]) + t("name", [("val", "Calibri")])))
            + t("fills", [("count", "1")], t("fill", [], t("patternFill", [("patternType", "none")])))
            + t(
                "borders",
                [("count", "1")],
                t("border", [], t("left", []) + t("right", []) + t("top", []) + t("bottom", []) + t("diagonal", [])),
            )  # fmt: skip
            + t(
                "cellStyleXfs",
                [("count", "1")],
                t("xf", [("numFmtId", "0"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0")]),
            )  # fmt: skip
            + t("cellXfs", [("count", str(len(xfs)))], "".join(xfs))
            + f"</{self.p}styleSheet>"
        )

    def shared(self) -> str:
        items = "".join(self.tag("si", [], self.tag("t", [("xml:space", "preserve")], escape(s))) for s in self.strings)
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{self.p}sst {self.xmlns} '
            f'count="{len(self.strings)}" uniqueCount="{len(self.strings)}">{items}</{self.p}sst>'
        )


def build(sheets: list[SheetSpec], options: Options = Options()) -> bytes:
    """The workbook as bytes, written with `options`."""
    writer = _Writer(options)
    sheet_xml = [writer.sheet(s) for s in sheets]
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(n)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{RELS}/worksheet" Target="/xl/worksheets/sheet{i + 1}.xml"/>'
        for i in range(n)
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG_RELS}">{sheet_rels}'
        f'<Relationship Id="rId{n + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", writer.workbook(sheets))
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", writer.styles())
        archive.writestr("xl/sharedStrings.xml", writer.shared())
        for i, xml in enumerate(sheet_xml):
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
    return out.getvalue()
