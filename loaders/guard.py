"""Refuse hostile or unusable files before any reader touches them.

Decides the file type by its bytes, never by its name; looks inside an xlsx only at the
zip directory and at size-capped, streamed XML, so a 400 MB sheet in a 400 KB file is
refused without being inflated.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from defusedxml import ElementTree

from loaders.problems import RefusedFile, UnreadableFile

MAX_FILE_BYTES = 100 * 1024**2
MAX_ENTRY_BYTES = 512 * 1024**2
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO = 100
MAX_ROWS = 1_100_000
MAX_COLUMNS = 500
_CHUNK = 1024**2
_OVERLAP = 512

Kind = Literal["xlsx", "csv"]


@dataclass(frozen=True)
class SheetXml:
    """What the raw XML says about one worksheet: where its cells start, which are percentages."""

    name: str
    origin_row: int
    origin_col: int
    percent_cells: frozenset[tuple[int, int]] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Inspected:
    kind: Kind
    sheets: tuple[SheetXml, ...] = ()
    text: str = ""


def inspect_bytes(data: bytes, file_name: str) -> Inspected:
    """Check a file's bytes; return what is needed to read it, or raise RefusedFile/UnreadableFile."""
    if len(data) > MAX_FILE_BYTES:
        raise RefusedFile(
            f"the file is {len(data) / 1024**2:.0f} MB; the limit is {MAX_FILE_BYTES // 1024**2} MB. "
            "Split it into smaller files.",
            "File too large",
            file_name,
        )
    if not data:
        raise UnreadableFile("the file is empty.", "Empty file", file_name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data[:1_000_000] or b"EncryptedPackage" in data:
            raise RefusedFile(
                "the workbook is password-protected. Remove the password in Excel and upload it again.",
                "Encrypted file",
                file_name,
            )
        raise RefusedFile(
            "this is an old-format Excel (.xls) or other Office file. Save it as .xlsx or CSV (UTF-8).",
            "Unsupported format",
            file_name,
        )
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Inspected("xlsx", _inspect_xlsx(data, file_name))
    return Inspected("csv", text=_decode_text(data, file_name))


def _decode_text(data: bytes, file_name: str) -> str:
    head = data[:4096].lstrip()
    if b"\x00" in data[:65536] or data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8", b"GIF8", b"\x7fELF", b"MZ")):
        raise RefusedFile(
            "this is not a spreadsheet. Upload an .xlsx workbook or a CSV file.",
            "Not a spreadsheet",
            file_name,
        )
    if head[:1] == b"<" or head.lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        raise RefusedFile(
            "this is a web page or XML file, not a spreadsheet. Save it from Excel as .xlsx or CSV (UTF-8).",
            "Not a spreadsheet",
            file_name,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefusedFile(
            f"the text is not UTF-8 (byte {exc.start + 1}). In Excel choose 'CSV UTF-8 (Comma delimited)'.",
            "Unreadable text encoding",
            file_name,
        ) from None
    lines = text.count("\n") + 1
    if lines > MAX_ROWS:
        raise RefusedFile(
            f"the file has {lines:,} lines; the limit is {MAX_ROWS:,}.",
            "Too many rows",
            file_name,
        )
    return text


def _inspect_xlsx(data: bytes, file_name: str) -> tuple[SheetXml, ...]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(
            "the file looks like a workbook but its zip structure is broken. Open and re-save it in Excel.",
            "Damaged workbook",
            file_name,
        ) from None
    if "xl/workbook.xml" not in infos and "xl/workbook.bin" not in infos:
        raise RefusedFile(
            "this is a zip archive but not an Excel workbook (.docx, .ods or other). Upload .xlsx or CSV.",
            "Not a spreadsheet",
            file_name,
        )
    if "xl/workbook.bin" in infos:
        raise RefusedFile(
            "binary workbooks (.xlsb) are not supported. Save as .xlsx.",
            "Unsupported format",
            file_name,
        )
    content_types = _read_capped(archive, infos.get("[Content_Types].xml"), file_name)
    if any(n.lower().endswith("vbaproject.bin") for n in infos) or b"macroEnabled" in content_types:
        raise RefusedFile(
            "the workbook contains macros. Save it as a plain .xlsx workbook (no macros) and upload that.",
            "Macro file refused",
            file_name,
        )
    total = 0
    for info in infos.values():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_ENTRY_BYTES or (info.file_size > 10 * 1024**2 and ratio > MAX_RATIO):
            raise RefusedFile(
                f"part '{info.filename}' would expand to {info.file_size / 1024**2:,.0f} MB "
                f"({ratio:,.0f} times its packed size). This looks like a zip bomb or a sheet far larger "
                "than any plan or KPI return; the file was not opened.",
                "File too large when unpacked",
                file_name,
            )
    if total > MAX_TOTAL_BYTES:
        raise RefusedFile(
            f"the workbook would expand to {total / 1024**2:,.0f} MB; the limit is {MAX_TOTAL_BYTES // 1024**2} MB.",
            "File too large when unpacked",
            file_name,
        )
    percent_styles = _percent_styles(_read_capped(archive, infos.get("xl/styles.xml"), file_name))
    return tuple(
        _inspect_sheet(
            name,
            _stream_capped(archive, infos.get(path), file_name),
            percent_styles,
            file_name,
        )
        for name, path in _sheet_paths(archive, infos, file_name)
    )


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, file_name: str) -> bytes:
    """Inflate one (small) part whole, within the caps of `_stream_capped`."""
    return b"".join(_stream_capped(archive, info, file_name))


def _stream_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, file_name: str) -> Iterator[bytes]:
    """Inflate one part chunk by chunk, stopping the moment it exceeds what its header declared (or the cap)."""
    if info is None:
        return
    cap = min(info.file_size, MAX_ENTRY_BYTES)
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise RefusedFile(
                        f"part '{info.filename}' inflates beyond its declared size; the file was not opened.",
                        "File too large when unpacked",
                        file_name,
                    )
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise UnreadableFile(
            f"part '{info.filename}' of the workbook is damaged ({exc}). Open and re-save it in Excel.",
            "Damaged workbook",
            file_name,
        ) from None


def _parse_xml(data: bytes, part: str, file_name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except Exception as exc:  # noqa: BLE001 - defusedxml raises several types for entity/DTD attacks
        raise RefusedFile(
            f"part '{part}' of the workbook is not valid or safe XML ({type(exc).__name__}).",
            "Unsafe or damaged workbook",
            file_name,
        ) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], file_name: str) -> list[tuple[str, str]]:
    workbook = _parse_xml(
        _read_capped(archive, infos["xl/workbook.xml"], file_name),
        "workbook.xml",
        file_name,
    )
    rels_xml = _read_capped(archive, infos.get("xl/_rels/workbook.xml.rels"), file_name)
    targets: dict[str, str] = {}
    if rels_xml:
        for rel in _parse_xml(rels_xml, "workbook.xml.rels", file_name):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = target
    sheets = []
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            path = targets.get(rel_id, "")
            if path in infos:
                sheets.append((element.get("name", ""), path))
    return sheets


def _percent_styles(styles_xml: bytes) -> frozenset[int]:
    """Indices of cell styles (cellXfs) whose number format shows a percentage."""
    if not styles_xml:
        return frozenset()
    root = ElementTree.fromstring(styles_xml)
    percent_formats = {9, 10}
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            code = re.sub(r'"[^"]*"|\\.', "", element.get("formatCode", ""))
            if "%" in code:
                percent_formats.add(int(element.get("numFmtId", "-1")))
    found: set[int] = set()
    for element in root.iter():
        if _local(element.tag) == "cellXfs":
            for index, xf in enumerate(x for x in element if _local(x.tag) == "xf"):
                if int(xf.get("numFmtId", "0")) in percent_formats:
                    found.add(index)
    return frozenset(found)


_VALUED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>/]*>\s*<(?:v|is|f)[ >]')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_LAST_ROW = re.compile(rb'<row [^>]*?r="(\d+)"')


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _inspect_sheet(name: str, chunks: Iterable[bytes], percent_styles: frozenset[int], file_name: str) -> SheetXml:
    """One pass over a sheet's XML, a chunk at a time: size limits, where cells start, percentage cells.

    Consecutive chunks overlap by a few hundred bytes so no tag is missed at a boundary; the results
    are minima, maxima and sets, which a tag seen twice does not change.
    """
    percent_pattern = _percent_pattern(percent_styles)
    origin_row: int | None = None
    origin_col: int | None = None
    percent: set[tuple[int, int]] = set()
    carry = b""
    first = True
    for chunk in chunks:
        buffer = carry + chunk
        if first:
            _check_dimension(name, buffer, file_name)
            first = False
        tail = buffer.rfind(b"<row ")
        if tail >= 0 and (last := _LAST_ROW.match(buffer, tail)) and int(last[1]) > MAX_ROWS:
            raise RefusedFile(
                f"sheet '{name}' has rows up to {int(last[1]):,}; the limit is {MAX_ROWS:,}.",
                "Sheet too large",
                file_name,
            )
        if origin_col != 0:
            for match in _VALUED_CELL.finditer(buffer):
                row, col = int(match[2]), _col_index(match[1])
                origin_row = row if origin_row is None else min(origin_row, row)
                origin_col = col if origin_col is None else min(origin_col, col)
                if origin_col == 0:
                    break
        if percent_pattern is not None:
            percent.update((int(m[2]), _col_index(m[1])) for m in percent_pattern.finditer(buffer))
        carry = buffer[-_OVERLAP:]
    return SheetXml(name, origin_row or 1, origin_col or 0, frozenset(percent))


def _check_dimension(name: str, head: bytes, file_name: str) -> None:
    if (m := _DIMENSION.search(head, 0, 4096)) and m[3] and m[4]:
        rows = int(m[4]) - int(m[2] or 1) + 1
        cols = _col_index(m[3]) - _col_index(m[1] or b"A") + 1
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            raise RefusedFile(
                f"sheet '{name}' declares {rows:,} rows by {cols:,} columns; the limits are "
                f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns.",
                "Sheet too large",
                file_name,
            )


def _percent_pattern(percent_styles: frozenset[int]) -> re.Pattern[bytes] | None:
    """Matches cells (column letters, row) whose style shows a percentage; None when no style does."""
    if not percent_styles:
        return None
    styles = b"|".join(str(s).encode() for s in sorted(percent_styles))
    return re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + styles + rb')"')
