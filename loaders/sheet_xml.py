"""A worksheet's XML read with a real parser, as a stream: what Excel shows that the cell values do not say.

The cell values themselves come from fastexcel; this pass supplies the rest, whoever wrote the
file (namespace prefixes, any attribute order, rows or cells without `r`, no or a wrong
`<dimension>`): which cells are styled as percentages, how date headings are displayed, which
rows and columns are hidden, the merged ranges, and the cells of the first rows, by which the
reader's grid is pinned to Excel's row and column numbers.

The parser is expat with defusedxml's guards installed (no DTD, no entity declarations, no
external references): defusedxml's own ElementTree parser is pure Python and ten times slower
on a 100,000-row sheet. Expat is fed the size-capped stream a chunk at a time, so nothing is
inflated whole, and per-element Python handlers run only where they are needed: on the first
rows, and on the rest only where its bytes could hold what is looked for (a `hidden` attribute,
a percentage style number, a merged range). Bytes that lack those words cannot hold such an
element, so not parsing them loses nothing; the reader (fastexcel) parses every cell anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

import numpy as np
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from loaders.number_formats import NumberFormat

HEAD_ROWS = 40  # rows read cell by cell from the first one with a value: the heading search looks at 30
_TRUE = frozenset({"1", "true", "on"})
_OVERLAP = 64
_HIDDEN = re.compile(rb"""hidden\s*=\s*["']\s*(?:1|true|on)""", re.IGNORECASE)


class UnsafeXml(Exception):
    """The part declares a DTD or entities, or is not well-formed."""


def safe_parser() -> Any:
    """An expat parser that refuses DTDs, entity declarations and external references (defusedxml's rules)."""
    parser = expat.ParserCreate(namespace_separator="}")

    def forbid_dtd(name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def forbid_entity(name: str, is_parameter: bool, value: str | None, base: str | None, *rest: object) -> None:
        raise EntitiesForbidden(name, value, base, None, None, None)

    def forbid_unparsed(name: str, base: str | None, sysid: str, pubid: str | None, notation: str) -> None:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def forbid_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartDoctypeDeclHandler = forbid_dtd
    parser.EntityDeclHandler = forbid_entity
    parser.UnparsedEntityDeclHandler = forbid_unparsed
    parser.ExternalEntityRefHandler = forbid_external
    parser.buffer_text = True
    return parser


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def cell_position(ref: str) -> tuple[int, int]:
    """'AB12' -> (12, 27): Excel row number and 0-based column index."""
    col = 0
    for index, ch in enumerate(ref):
        if "A" <= ch <= "Z":
            col = col * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            col = col * 26 + ord(ch) - 96
        else:
            return int(ref[index:]), col - 1
    raise ValueError(ref)


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """'B2:D5' -> (2, 1, 5, 3): first row, first column, last row, last column."""
    first, _, last = ref.partition(":")
    r0, c0 = cell_position(first)
    r1, c1 = cell_position(last or first)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found. Rows are Excel's numbers, columns 0-based."""

    dimension: str = ""
    first_row: int | None = None  # the first row holding a cell the reader keeps (its grid starts here)
    head_cells: set[tuple[int, int]] = field(default_factory=set)  # cells with a value in the first rows
    date_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # first rows: format of date-styled cells
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    percent_refs: list[str] = field(default_factory=list)  # more percentage cells, by reference ('D7')
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


class _Stop(Exception):
    """Raised from a handler to end a head-only parse once `<sheetData>` starts."""


class _Restart(Exception):
    """The fast body handler met a row or cell it needs without an `r`: parse again counting positions."""


class _Scanner:
    """Expat handlers for one sheet. The head handlers see every element of the first rows; the body
    handler only rows and cells, and only once the stream's bytes say it may be needed."""

    def __init__(self, formats: tuple[NumberFormat, ...], stop_at_data: bool = False, exact: bool = False) -> None:
        self.scan = SheetScan()
        self.percent_styles = frozenset(str(i) for i, f in enumerate(formats) if f.kind == "percent")
        self.date_styles = {str(i): f.code for i, f in enumerate(formats) if f.kind == "date"}
        self.stop_at_data = stop_at_data
        self.parser = safe_parser()
        self.kinds: dict[str, str] = {}
        self.row = 0
        self.last_ref = ""
        self.since_ref = 0
        self.cell: list[Any] | None = None  # [row, col, type, style, has_is, value text or None]
        self.text: list[str] | None = None
        self.head_done = False
        self.body_on = False
        self.body_handler = self.body_start if exact else self._fast_body()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters

    # ---- positions, shared by both modes
    def _row_start(self, attrs: dict[str, str]) -> None:
        r = attrs.get("r")
        self.row = int(r) if r else self.row + 1
        self.last_ref, self.since_ref = "", 0
        if attrs.get("hidden", "").lower() in _TRUE:
            self.scan.hidden_rows.append(self.row)

    def _advance(self, ref: str | None) -> None:
        """Every cell moves the position: to its `r`, or one column right of the cell before."""
        if ref:
            self.last_ref, self.since_ref = ref, 0
        else:
            self.since_ref += 1

    def _where(self, ref: str | None) -> tuple[int, int]:
        if ref:
            return cell_position(ref)
        base = cell_position(self.last_ref)[1] if self.last_ref else -1
        return self.row, base + self.since_ref

    # ---- head mode: every element
    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "c":
            ref = attrs.get("r")
            self._advance(ref)
            row, col = self._where(ref)
            self.cell = [row, col, attrs.get("t", "n"), attrs.get("s", "0"), False, None]
            if attrs.get("s") in self.percent_styles:
                self.scan.percent_cells.add((row, col))
        elif local == "v" and self.cell is not None:
            self.text = []
        elif local == "is" and self.cell is not None:
            self.cell[4] = True
        elif local == "row":
            self._row_start(attrs)
        elif local == "sheetData" and self.stop_at_data:
            raise _Stop
        elif local == "dimension":
            self.scan.dimension = attrs.get("ref", "")
        elif local == "col" and attrs.get("hidden", "").lower() in _TRUE:
            self.scan.hidden_cols.update(range(int(attrs.get("min", "1")) - 1, int(attrs.get("max", "1"))))
        elif local == "mergeCell" and attrs.get("ref"):
            self.scan.merged.append(range_bounds(attrs["ref"]))

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "v" and self.cell is not None and self.text is not None:
            self.cell[5] = "".join(self.text)
            self.text = None
        elif local == "c" and self.cell is not None:
            self._cell_end(self.cell)
            self.cell = None
        elif local == "row" and self.scan.first_row is not None and self.row >= self.scan.first_row + HEAD_ROWS - 1:
            self.head_done = True
            self.parser.StartElementHandler = self.body_handler if self.body_on else None
            self.parser.EndElementHandler = None
            self.parser.CharacterDataHandler = None

    def _cell_end(self, cell: list[Any]) -> None:
        """Keep the cell if the reader keeps it (calamine's rules): a value, a string even if empty, an error."""
        row, col, kind, style, has_is, value = cell
        if kind == "inlineStr":
            kept = shown = has_is
        elif kind in {"s", "str", "d"}:
            kept = shown = value is not None
        elif kind == "e":
            kept, shown = value is not None, False
        else:
            kept = shown = bool(value)
        if not kept:
            return
        if self.scan.first_row is None:
            self.scan.first_row = row
        if row < self.scan.first_row + HEAD_ROWS:
            if shown:
                self.scan.head_cells.add((row, col))
            if style in self.date_styles and kind == "n":
                self.scan.date_cells[(row, col)] = self.date_styles[style]

    # ---- body mode: rows and cells only
    def body_start(self, name: str, attrs: dict[str, str]) -> None:
        kind = self.kinds.get(name)
        if kind is None:
            kind = self.kinds[name] = _local(name)
        if kind == "c":
            ref = attrs.get("r")
            self._advance(ref)
            if attrs.get("s") in self.percent_styles:
                self.scan.percent_cells.add(self._where(ref))
        elif kind == "row":
            self._row_start(attrs)
        elif kind == "mergeCell" and attrs.get("ref"):
            self.scan.merged.append(range_bounds(attrs["ref"]))

    def _fast_body(self) -> Callable[[str, dict[str, str]], None]:
        """The body handler for the usual file, where rows and cells carry `r`: a closure over locals,
        since it runs once per element of a sheet of a million elements. Positions are parsed after."""
        kinds: dict[str, int] = {}
        percent, refs, hidden, merged = (
            self.percent_styles,
            self.scan.percent_refs,
            self.scan.hidden_rows,
            self.scan.merged,
        )
        codes = {"c": 1, "row": 2, "mergeCell": 3}

        def start(name: str, attrs: dict[str, str]) -> None:
            kind = kinds.get(name)
            if kind is None:
                kind = kinds[name] = codes.get(_local(name), 0)
            if kind == 1:
                if attrs.get("s") in percent:
                    ref = attrs.get("r")
                    if ref is None:
                        raise _Restart
                    refs.append(ref)
            elif kind == 2:
                flag = attrs.get("hidden")
                if flag is not None and flag.lower() in _TRUE:
                    row = attrs.get("r")
                    if row is None:
                        raise _Restart
                    hidden.append(int(row))
            elif kind == 3 and attrs.get("ref"):
                merged.append(range_bounds(attrs["ref"]))

        return start

    def enable_body(self) -> None:
        self.body_on = True
        if self.head_done:
            self.parser.StartElementHandler = self.body_handler

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise UnsafeXml(f"not well-formed XML ({exc})") from None


class _Triggers:
    """Whether some bytes could hold what the body handler looks for: a `hidden` attribute, a merged
    range, or a cell whose style number is a percentage style."""

    def __init__(self, formats: tuple[NumberFormat, ...]) -> None:
        styles = [str(i).encode() for i, f in enumerate(formats) if f.kind == "percent"]
        self.styles = (
            re.compile(rb"""\ss\s*=\s*["']\s*(?:""" + b"|".join(styles) + rb""")\s*["']""") if styles else None
        )

    def __call__(self, window: bytes) -> bool:
        if b"mergeCell" in window:
            return True
        if b"hidden" in window and _HIDDEN.search(window):  # LibreOffice writes hidden="false" on every row
            return True
        return self.styles is not None and self.styles.search(window) is not None


def scan_sheet(open_chunks: Callable[[], Iterable[bytes]], formats: tuple[NumberFormat, ...]) -> SheetScan:
    """One streamed pass over a worksheet part; raises UnsafeXml (or defusedxml's errors) for unsafe XML.

    After the first rows, chunks are parsed only from the first one whose bytes could hold a hidden
    row, a merged range or a percentage-styled cell; if such a chunk comes after chunks that were
    skipped, the part is streamed again and parsed whole. A sheet without any is read to the end
    only as bytes (the reader parses its cells); its DTD-free prolog was checked by `scan_head`.
    """
    triggered = _Triggers(formats)
    scanner = _Scanner(formats)
    tail = b""
    try:
        for chunk in open_chunks():
            window = tail + chunk
            tail = chunk[-_OVERLAP:]
            if scanner.head_done and not scanner.body_on:
                if triggered(window):
                    return _scan_whole(open_chunks, formats)
                continue
            if not scanner.body_on and triggered(window):
                scanner.enable_body()
            scanner.feed(chunk)
        if not scanner.head_done or scanner.body_on:
            scanner.feed(b"", final=True)
    except _Restart:
        return _scan_whole(open_chunks, formats, exact=True)
    return scanner.scan


def _scan_whole(
    open_chunks: Callable[[], Iterable[bytes]], formats: tuple[NumberFormat, ...], exact: bool = False
) -> SheetScan:
    scanner = _Scanner(formats, exact=exact)
    scanner.enable_body()
    try:
        for chunk in open_chunks():
            scanner.feed(chunk)
        scanner.feed(b"", final=True)
    except _Restart:
        return _scan_whole(open_chunks, formats, exact=True)
    return scanner.scan


def percent_positions(scan: SheetScan) -> dict[int, np.ndarray]:
    """Excel column -> sorted Excel rows of its percentage-styled cells."""
    cols: dict[str, int] = {}
    by_col: dict[int, list[int]] = {}
    for row, col in scan.percent_cells:
        by_col.setdefault(col, []).append(row)
    for ref in scan.percent_refs:
        letters = ref.rstrip("0123456789")
        index = cols.get(letters)
        if index is None:
            index = cols[letters] = cell_position(ref)[1]
        by_col.setdefault(index, []).append(int(ref[len(letters) :]))
    return {col: np.unique(np.array(rows, dtype=np.int64)) for col, rows in by_col.items()}


def scan_head(chunks: Iterable[bytes]) -> SheetScan:
    """Parse only up to `<sheetData>`: the declared dimension and hidden columns, and that there is no DTD."""
    scanner = _Scanner((), stop_at_data=True)
    try:
        for chunk in chunks:
            scanner.feed(chunk)
        scanner.feed(b"", final=True)
    except _Stop:
        pass
    return scanner.scan


def check_prolog(chunks: Iterable[bytes]) -> None:
    """Parse a part until its root element starts: a DTD (the only place entities can be declared) is refused."""
    parser = safe_parser()

    def stop(name: str, attrs: dict[str, str]) -> None:
        raise _Stop

    parser.StartElementHandler = stop
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError as exc:
        raise UnsafeXml(f"not well-formed XML ({exc})") from None
