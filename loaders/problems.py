"""What went wrong with a file, located the way the user sees it (sheet, Excel row, heading)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem in one place; `code` is a stable reason a test or a user can key on."""

    severity: Severity
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""
    found: str = ""
    expected: str = ""

    def location(self) -> str:
        parts = [p for p in (self.file, self.sheet and f"sheet '{self.sheet}'") if p]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)

    def describe(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.found:
            text += f" (found '{self.found}'"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Problems:
    """Collects every problem in a file before anything is decided (pandera's lazy=True)."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        col_index: int | None = None,
        found: object = "",
        expected: str = "",
    ) -> None:
        cell = ""
        if col_index is not None and row is not None:
            cell = f"{column_letter(col_index)}{row}"
        self.items.append(
            Problem(
                severity=severity,
                code=code,
                message=message,
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                cell=cell,
                found="" if found is None else str(found)[:200],
                expected=expected,
            )
        )

    def error(self, code: str, message: str, **where: Any) -> None:
        self.add("error", code, message, **where)

    def warning(self, code: str, message: str, **where: Any) -> None:
        self.add("warning", code, message, **where)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


class LoaderError(Exception):
    """A file we refuse outright, before reading its cells. `title` is short, `message` says what to do.

    The command line's exit code for it is in cli/exit_codes.py (one table for every command)."""

    def __init__(self, message: str, title: str = "File refused", file: str = "") -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.file = file

    def __str__(self) -> str:
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{self.title}: {self.message}"


class RefusedFile(LoaderError):
    """Not a spreadsheet, encrypted, macro-carrying, or too large to open safely."""


class UnreadableFile(LoaderError):
    """A spreadsheet whose contents could not be read at all (no table found, broken zip)."""

    def __init__(self, message: str, title: str = "File unreadable", file: str = "") -> None:
        super().__init__(message, title, file)
