"""Reading single cell values the way a council's spreadsheets write them.

Pure functions, no I/O. Months are `datetime.date` on the first of the month.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from domain.rag import NOT_RATED_WORDS, RAG_EXPECTED, RAG_WORDS
from domain.text import fold_lookalikes


def clean_text(value: object) -> str:
    """A cell as trimmed text with inner whitespace collapsed; None and NaN become ''."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def heading_key(value: object) -> str:
    """A column heading reduced to comparable words: 'Success Measure (s)' -> 'success measure s'."""
    text = fold_lookalikes(clean_text(value)).lower()
    return re.sub(r"[^a-z0-9%]+", " ", text).strip()


# ---------------------------------------------------------------- RAG ratings


class RatingError(ValueError):
    """A RAG cell that is not one of the plan's ratings."""


def parse_rating(value: object) -> str | None:
    """Cell text -> 'R'|'A'|'LG'|'DG'|'C', or None for blank/TBC (not yet rated)."""
    key = re.sub(r"[^a-z ]+", " ", fold_lookalikes(clean_text(value)).lower())
    key = re.sub(r"\s+", " ", key).strip()
    if key in NOT_RATED_WORDS:
        return None
    if key in RAG_WORDS:
        return RAG_WORDS[key]
    if key in {"g", "green"}:
        raise RatingError("'Green' is ambiguous in this plan's scale: use Light Green (LG) or Dark Green (DG)")
    raise RatingError(f"not a RAG rating: use {RAG_EXPECTED}")


def is_not_rated_mark(value: object) -> bool:
    """True when a cell explicitly says 'not yet rated' (TBC) rather than being empty."""
    return fold_lookalikes(clean_text(value)).lower() in NOT_RATED_WORDS - {""}


# Fill colours councils use for RAG cells, matched by nearest colour within a tolerance.
_RAG_COLOURS = {
    "R": ["FF0000", "C00000", "E06666", "FF3333", "CC0000", "FFC7CE"],
    "A": [
        "FFC000",
        "FFBF00",
        "FF9900",
        "FFA500",
        "FFEB9C",
        "F4B183",
        "FFD966",
        "FFFF00",
    ],
    "LG": ["92D050", "90EE90", "C6EFCE", "A9D08E", "B7E1CD", "99FF99", "00FF00"],
    "DG": ["00B050", "008000", "006100", "00A050", "38761D", "548235", "375623"],
    "C": ["0070C0", "00B0F0", "5B9BD5", "4472C4", "9BC2E6", "BDD7EE", "1F4E79"],
}


def rating_from_fill(rgb: str) -> str | None:
    """'FF92D050' or '92D050' -> the nearest RAG rating, or None when no RAG colour is close."""
    hex6 = rgb[-6:].upper()
    if not re.fullmatch(r"[0-9A-F]{6}", hex6) or hex6 in {"FFFFFF", "000000"}:
        return None
    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    best: tuple[float, str | None] = (float("inf"), None)
    for rating, colours in _RAG_COLOURS.items():
        for colour in colours:
            cr, cg, cb = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            distance = ((r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2) ** 0.5
            if distance < best[0]:
                best = (distance, rating)
    return best[1] if best[0] <= 60 else None


# ---------------------------------------------------------------- polarity and units

_POLARITY = {
    "high": "higher", "higher": "higher", "higher is better": "higher", "high is good": "higher",
    "good is high": "higher", "up": "higher", "increase": "higher", "bigger is better": "higher",
    "low": "lower", "lower": "lower", "lower is better": "lower", "low is good": "lower",
    "good is low": "lower", "down": "lower", "decrease": "lower", "smaller is better": "lower",
}  # fmt: skip
POLARITY_EXPECTED = "High or Low (higher is better / lower is better)"


def parse_polarity(value: object) -> str | None:
    """'Good is: High' / 'Low' / 'higher is better' -> 'higher'|'lower'; blank -> None; else ValueError."""
    key = re.sub(r"[^a-z ]+", " ", fold_lookalikes(clean_text(value)).lower())
    key = re.sub(r"\s+", " ", key).strip()
    if key == "":
        return None
    if key in _POLARITY:
        return _POLARITY[key]
    raise ValueError(f"not a polarity: use {POLARITY_EXPECTED}")


_PERCENT_UNITS = {"%", "percent", "percentage", "pct", "per cent", "rate %", "% rate"}


def normalise_unit(value: object) -> str:
    """Unit text -> '%' for percentages, otherwise the trimmed text ('Number' when blank)."""
    text = clean_text(value)
    if text.lower() in _PERCENT_UNITS:
        return "%"
    return text or "Number"


def is_percent_unit(unit: str | None) -> bool:
    return unit == "%"


# ---------------------------------------------------------------- months

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_EXCEL_EPOCH = datetime(1899, 12, 30)
MONTH_EXPECTED = "a month such as Apr-16, April 2016, 2016-04 or 01/04/2016 (day first)"


def _year(text: str) -> int:
    year = int(text)
    if year < 100:
        year += 2000 if year < 70 else 1900
    return year


def _month_or_none(year: int, month: int) -> date | None:
    if 1 <= month <= 12 and 1900 <= year <= 2200:
        return date(year, month, 1)
    return None


def parse_month(value: object) -> date | None:
    """A month in any of the ways councils write one, else None. Day-first for dd/mm/yyyy.

    Accepts datetimes, '2016-04-01 00:00:00', '2016-04', 'Apr-16', 'April 2016', '01/11/2016',
    '11/2016', Excel serial day numbers, and headings such as 'RAG Nov 16' or 'Month ending Apr-16'.
    """
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = fold_lookalikes(clean_text(value)).lower()
    if not text:
        return None
    text = re.sub(r"^(rag|rating|month ending|month|as at|period)\b[\s:]*", "", text).strip()
    if m := re.fullmatch(
        r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
        text,
    ):
        return _month_or_none(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", text):
        return _month_or_none(_year(m[3]), int(m[2]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        return _month_or_none(int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(?:\d{1,2}(?:st|nd|rd|th)?[\s-]+)?([a-z]+)[\s\-/.',]*(\d{2}|\d{4})", text):
        month = _MONTHS.get(m[1])
        return _month_or_none(_year(m[2]), month) if month else None
    if m := re.fullmatch(r"(\d{5})(?:\.0+)?", text):
        serial = int(m[1])
        if 20000 <= serial <= 80000:
            day = _EXCEL_EPOCH + timedelta(days=serial)
            return date(day.year, day.month, 1)
    return None


def parse_timescale(value: object) -> date | None:
    """A plan timescale printed as MM/YY ('03/16') or any month form; None when unreadable."""
    text = fold_lookalikes(clean_text(value))
    if m := re.fullmatch(r"(\d{1,2})\s*/\s*(\d{2}|\d{4})", text):
        return _month_or_none(_year(m[2]), int(m[1]))
    return parse_month(value)


# ---------------------------------------------------------------- numbers

MISSING_MARKS = frozenset({"", "n/a", "na", "n.a.", "-", "*", "c", "x", "z", "..", ":", "low", "u"})
NUMBER_EXPECTED = "a number (e.g. 78, 78% or 12.5), or blank / n/a / - / * / c / x for missing"


def parse_numbers(raw: pd.Series) -> pd.DataFrame:
    """Vectorised: text cells -> columns value (float), percent_sign (bool), mark (str), bad (bool).

    `mark` is the not-available mark kept for cells meaning 'missing' ('' for blank cells);
    `bad` marks text that is neither a number nor a missing mark. Never trusts a reader's types.
    A column of plain numbers takes a fast path (one Arrow cast); anything else the full one.
    """
    try:
        numbers = pc.cast(pc.utf8_trim_whitespace(pa.array(raw, type=pa.string(), from_pandas=True)), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _parse_numbers_in_full(raw)
    value = pd.Series(numbers.to_numpy(zero_copy_only=False), index=raw.index, dtype="float64")
    blank = raw.isna()
    if not np.isfinite(value[~blank].to_numpy()).all():
        return _parse_numbers_in_full(raw)
    return pd.DataFrame(
        {
            "value": value,
            "percent_sign": False,
            "mark": pd.Series(["" if b else None for b in blank.tolist()], index=raw.index, dtype="object"),
            "bad": False,
        },
        index=raw.index,
    )


def _parse_numbers_in_full(raw: pd.Series) -> pd.DataFrame:
    text = raw.astype("str").where(raw.notna(), "").str.strip()
    text = text.str.replace("\u2212", "-", regex=False).str.replace("\u00a0", "", regex=False)
    lowered = text.str.lower()
    is_mark = lowered.isin(MISSING_MARKS)
    percent_sign = text.str.endswith("%")
    body = text.str.removesuffix("%").str.strip()
    thousands = body.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
    body = body.where(~thousands, body.str.replace(",", "", regex=False))
    value = pd.to_numeric(body.where(~is_mark, None), errors="coerce")
    finite = np.isfinite(value.to_numpy(dtype="float64", na_value=np.nan))
    bad = ~is_mark & ~pd.Series(finite, index=raw.index)
    value = value.where(pd.Series(finite, index=raw.index))
    return pd.DataFrame(
        {
            "value": value.astype("float64"),
            "percent_sign": percent_sign & ~is_mark,
            "mark": text.where(is_mark, None),
            "bad": bad,
        },
        index=raw.index,
    )


def parse_number(value: object) -> float | None:
    """One cell -> float, None for a missing mark; ValueError for text that is not a number."""
    parsed = parse_numbers(pd.Series([clean_text(value)], dtype="str")).iloc[0]
    if parsed["bad"]:
        raise ValueError(f"not a number: expected {NUMBER_EXPECTED}")
    return None if pd.isna(parsed["value"]) else float(parsed["value"])
