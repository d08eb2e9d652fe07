"""Excel number formats: which cells show a percentage or a date, and a date as Excel displays it.

A cell's look comes from its style (`s`, an index into the workbook's cellXfs), whose numFmtId
is either built in (0-163, fixed by ECMA-376 18.8.30; 9 and 10 are percentages, 14-22 and
45-47 dates and times) or a custom code in styles.xml. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Kind = Literal["general", "number", "percent", "date", "text"]

# Built-in formats as an English (UK) Excel displays them; 14 and 22 follow the machine's short
# date, which for the councils this product serves is day first.
BUILT_IN: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "dd/mm/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "dd/mm/yyyy h:mm",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
# East Asian locale date formats (ids 27-36 and 50-58) have no fixed code; they are dates.
_LOCALE_DATES = frozenset(range(27, 37)) | frozenset(range(50, 59))
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_DATE_LETTERS = re.compile(r"[ydmhs]", re.IGNORECASE)
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class NumberFormat:
    """One cell style's number format: its code and what kind of value it displays."""

    code: str
    kind: Kind


GENERAL = NumberFormat("General", "general")


def classify(code: str) -> Kind:
    """What a format code shows, judged by its first section (the one for positive numbers)."""
    first = _first_section(code)
    if _ELAPSED.search(first):
        return "date"
    bare = _LITERALS.sub("", first)
    if bare.strip() == "@":
        return "text"
    if "%" in bare:
        return "percent"
    if bare.strip().lower() in {"general", ""}:
        return "general"
    if _DATE_LETTERS.search(bare.replace("E+", "").replace("E-", "").replace("e+", "").replace("e-", "")):
        return "date"
    return "number"


def number_format(num_fmt_id: int, custom: dict[int, str]) -> NumberFormat:
    """The format of one numFmtId: custom codes (styles.xml) first, then the built-in table."""
    if num_fmt_id in custom:
        code = custom[num_fmt_id]
        return NumberFormat(code, classify(code))
    if num_fmt_id in BUILT_IN:
        code = BUILT_IN[num_fmt_id]
        return NumberFormat(code, classify(code))
    if num_fmt_id in _LOCALE_DATES:
        return NumberFormat("dd/mm/yyyy", "date")
    return GENERAL


def _first_section(code: str) -> str:
    """The part before the first unquoted ';'."""
    quoted = False
    for index, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return code[:index]
    return code


_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[[^\]]*\]|_.|\*.|(?P<ampm>AM/PM|am/pm|A/P|a/p)'
    r"|(?P<year>[yY]+)|(?P<month>[mM]+)|(?P<day>[dD]+)|(?P<hour>[hH]+)|(?P<second>[sS]+)(?:\.0+)?|(?P<other>.)",
    re.DOTALL,
)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_date(value: datetime, code: str) -> str:
    """A date or time as Excel displays it with this format code ('mmm-yy' -> 'Sep-16').

    `m` means minutes right after an hour or right before a second, as in Excel.
    """
    tokens = list(_TOKEN.finditer(_first_section(code)))
    kinds = [next((k for k, v in t.groupdict().items() if v is not None), "skip") for t in tokens]
    twelve_hour = "ampm" in kinds
    out: list[str] = []
    for index, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        text = token.group(0)
        if kind == "quoted":
            out.append(token["quoted"])
        elif kind == "escaped":
            out.append(token["escaped"])
        elif kind == "other":
            out.append(text)
        elif kind == "year":
            out.append(f"{value.year % 100:02d}" if len(text) <= 2 else f"{value.year:04d}")
        elif kind == "month":
            if _is_minute(kinds, index):
                out.append(f"{value.minute:02d}" if len(text) >= 2 else str(value.minute))
            else:
                out.append(_month_text(value.month, len(text)))
        elif kind == "day":
            out.append(_day_text(value, len(text)))
        elif kind == "hour":
            hour = (value.hour % 12 or 12) if twelve_hour else value.hour
            out.append(f"{hour:02d}" if len(text) >= 2 else str(hour))
        elif kind == "second":
            out.append(f"{value.second:02d}" if len(token["second"]) >= 2 else str(value.second))
        elif kind == "ampm":
            am = value.hour < 12
            out.append(("AM" if am else "PM") if "/" in text and len(text) > 3 else ("A" if am else "P"))
    return "".join(out).strip()


def _is_minute(kinds: list[str], index: int) -> bool:
    before = next((k for k in reversed(kinds[:index]) if k not in {"other", "quoted", "escaped", "skip"}), None)
    after = next((k for k in kinds[index + 1 :] if k not in {"other", "quoted", "escaped", "skip"}), None)
    return before == "hour" or after == "second"


def _month_text(month: int, width: int) -> str:
    name = _MONTHS[month - 1]
    if width >= 5:
        return name[0]
    if width == 4:
        return name
    if width == 3:
        return name[:3]
    return f"{month:02d}" if width == 2 else str(month)


def _day_text(value: datetime, width: int) -> str:
    if width >= 4:
        return _DAYS[value.weekday()]
    if width == 3:
        return _DAYS[value.weekday()][:3]
    return f"{value.day:02d}" if width == 2 else str(value.day)
