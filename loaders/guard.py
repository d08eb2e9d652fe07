"""Refuse hostile or unusable files before any reader touches them.

Decides the file type by its bytes, never by its name; looks inside an xlsx only at the
zip directory and at size-capped, streamed XML, so a 400 MB sheet in a 400 KB file is
refused without being inflated. Every XML part a reader will parse is checked with a real
parser before any cell is read: no DTD or entity declarations (defusedxml's rules), and no
sheet declaring more rows or columns than the limits. `scan_sheets` then reads each sheet's
XML in full (loaders.sheet_xml) while fastexcel reads its values.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar

from defusedxml import DefusedXmlException, ElementTree

from loaders.number_formats import GENERAL, NumberFormat, number_format
from loaders.problems import RefusedFile, UnreadableFile
from loaders.sheet_xml import SheetScan, UnsafeXml, check_prolog, range_bounds, scan_head, scan_sheet

MAX_FILE_BYTES = 100 * 1024**2
MAX_ENTRY_BYTES = 512 * 1024**2
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO = 100
MAX_ROWS = 1_100_000
MAX_COLUMNS = 500
_CHUNK = 1024**2
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

Kind = Literal["xlsx", "csv"]
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class SheetPart:
    """One worksheet as the workbook lists it: its tab name, its zip part, and whether it is hidden."""

    name: str
    path: str
    state: str = "visible"  # visible, hidden or veryHidden

    @property
    def hidden(self) -> bool:
        return self.state != "visible"


@dataclass(frozen=True)
class Inspected:
    kind: Kind
    sheets: tuple[SheetPart, ...] = ()
    formats: tuple[NumberFormat, ...] = ()  # the number format of each cell style (cellXfs index)
    text: str = ""
    date1904: bool = False


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
        return _inspect_xlsx(data, file_name)
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


def _open_zip(data: bytes, file_name: str) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(
            "the file looks like a workbook but its zip structure is broken. Open and re-save it in Excel.",
            "Damaged workbook",
            file_name,
        ) from None


def _inspect_xlsx(data: bytes, file_name: str) -> Inspected:
    archive, infos = _open_zip(data, file_name)
    if "xl/workbook.bin" in infos:
        raise RefusedFile(
            "binary workbooks (.xlsb) are not supported. Save as .xlsx.",
            "Unsupported format",
            file_name,
        )
    workbook_path = _workbook_path(archive, infos, file_name)
    if workbook_path not in infos:
        raise RefusedFile(
            "this is a zip archive but not an Excel workbook (.docx, .ods or other). Upload .xlsx or CSV.",
            "Not a spreadsheet",
            file_name,
        )
    content_types = _read_capped(archive, infos.get("[Content_Types].xml"), file_name)
    if any(n.lower().endswith("vbaproject.bin") for n in infos) or b"macroEnabled" in content_types:
        raise RefusedFile(
            "the workbook contains macros. Save it as a plain .xlsx workbook (no macros) and upload that.",
            "Macro file refused",
            file_name,
        )
    _check_sizes(infos, file_name)
    workbook = _parse_xml(_read_capped(archive, infos[workbook_path], file_name), "workbook.xml", file_name)
    parts = _workbook_rels(archive, infos, workbook_path, file_name)
    sheets = tuple(_sheets(workbook, parts, infos))
    formats: tuple[NumberFormat, ...] = ()
    for kind, path in parts.values():
        if path not in infos:
            continue
        if kind == "styles":
            formats = _formats(_parse_xml(_read_capped(archive, infos[path], file_name), path, file_name))
        elif kind == "sharedStrings":
            _safe(check_prolog, _stream_capped(archive, infos[path], file_name), path, file_name)
    for sheet in sheets:
        _check_dimension(sheet.name, _safe(scan_head, _stream_capped(archive, infos[sheet.path], file_name),
                                           sheet.path, file_name), file_name)  # fmt: skip
    return Inspected("xlsx", sheets, formats, date1904=_date1904(workbook))


def scan_sheets(data: bytes, inspected: Inspected, file_name: str) -> dict[str, SheetScan]:
    """Each sheet's XML read in full (percent cells, hidden rows, merged ranges, the first rows' cells)."""
    archive, infos = _open_zip(data, file_name)
    scans = {}
    for sheet in inspected.sheets:
        info = infos[sheet.path]
        scans[sheet.name] = _safe(
            lambda opener: scan_sheet(opener, inspected.formats),
            lambda: _stream_capped(archive, info, file_name),  # noqa: B023 - used before the next iteration
            sheet.path,
            file_name,
        )
    return scans


def _safe(check: Callable[[_T], _R], source: _T, part: str, file_name: str) -> _R:
    """Run a streamed XML check; unsafe or broken XML becomes the one refusal users see."""
    try:
        return check(source)
    except (UnsafeXml, DefusedXmlException, ValueError) as exc:
        raise RefusedFile(
            f"part '{part}' of the workbook is not valid or safe XML ({type(exc).__name__}).",
            "Unsafe or damaged workbook",
            file_name,
        ) from None


def _check_sizes(infos: dict[str, zipfile.ZipInfo], file_name: str) -> None:
    """Zip bombs are refused from the zip directory, before anything is inflated."""
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
    """A small part (workbook, relationships, styles) parsed whole by defusedxml."""
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


def _resolve(base_part: str, target: str) -> str:
    """A relationship target as a zip path: absolute ('/xl/x.xml') or relative to the part's folder."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _workbook_path(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], file_name: str) -> str:
    """The workbook part named by the package's relationships (officeDocument), else xl/workbook.xml."""
    rels = _read_capped(archive, infos.get("_rels/.rels"), file_name)
    if rels:
        for rel in _parse_xml(rels, "_rels/.rels", file_name):
            if rel.get("Type", "").endswith("/officeDocument") and rel.get("Target"):
                path = _resolve("", rel.get("Target", ""))
                if path in infos:
                    return path
    return "xl/workbook.xml"


def _workbook_rels(
    archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], workbook_path: str, file_name: str
) -> dict[str, tuple[str, str]]:
    """Relationship id -> (kind such as 'worksheet', 'styles', 'sharedStrings'; zip path)."""
    rels_path = posixpath.join(posixpath.dirname(workbook_path), "_rels", posixpath.basename(workbook_path) + ".rels")
    rels_xml = _read_capped(archive, infos.get(rels_path), file_name)
    parts: dict[str, tuple[str, str]] = {}
    if rels_xml:
        for rel in _parse_xml(rels_xml, rels_path, file_name):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            parts[rel.get("Id", "")] = (kind, _resolve(workbook_path, rel.get("Target", "")))
    return parts


def _sheets(
    workbook: ElementTree.Element, parts: dict[str, tuple[str, str]], infos: dict[str, zipfile.ZipInfo]
) -> Iterator[SheetPart]:
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rel_id = element.get(f"{{{_RELS}}}id") or next(
                (v for k, v in element.attrib.items() if _local(k) == "id"), ""
            )
            path = parts.get(rel_id, ("", ""))[1]
            if path in infos:
                yield SheetPart(element.get("name", ""), path, element.get("state", "visible"))


def _date1904(workbook: ElementTree.Element) -> bool:
    return any(
        _local(e.tag) == "workbookPr" and e.get("date1904", "").lower() in {"1", "true"} for e in workbook.iter()
    )


def _formats(styles: ElementTree.Element) -> tuple[NumberFormat, ...]:
    """The number format of every cell style (cellXfs, in order), from custom codes and the built-in ids."""
    custom: dict[int, str] = {}
    for element in styles.iter():
        if _local(element.tag) == "numFmt":
            try:
                custom[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
            except ValueError:
                continue
    for element in styles.iter():
        if _local(element.tag) == "cellXfs":
            found = []
            for xf in (x for x in element if _local(x.tag) == "xf"):
                try:
                    found.append(number_format(int(xf.get("numFmtId", "0")), custom))
                except ValueError:
                    found.append(GENERAL)
            return tuple(found)
    return ()


def _check_dimension(name: str, head: SheetScan, file_name: str) -> None:
    """A sheet declaring more rows or columns than the limits is refused before any reader allocates it."""
    if ":" not in head.dimension:
        return
    try:
        first_row, first_col, last_row, last_col = range_bounds(head.dimension)
    except ValueError:
        return
    rows, cols = last_row - first_row + 1, last_col - first_col + 1
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        raise RefusedFile(
            f"sheet '{name}' declares {rows:,} rows by {cols:,} columns; the limits are "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns.",
            "Sheet too large",
            file_name,
        )


def check_extent(name: str, rows: int, cols: int, file_name: str) -> None:
    """The sheet as read (whatever its dimension said) must be within the limits."""
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        raise RefusedFile(
            f"sheet '{name}' has {rows:,} rows by {cols:,} columns; the limits are "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns.",
            "Sheet too large",
            file_name,
        )
