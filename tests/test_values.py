"""Cell values as councils write them: months, ratings, numbers, polarity."""

from datetime import date

import pandas as pd
import pytest

from loaders.number_formats import classify, format_date, number_format
from loaders.values import (
    RatingError,
    parse_month,
    parse_numbers,
    parse_polarity,
    parse_rating,
    parse_timescale,
    rating_from_fill,
)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("Apr-16", date(2016, 4, 1)),
        ("April 2016", date(2016, 4, 1)),
        ("2016-04", date(2016, 4, 1)),
        ("2016-04-01 00:00:00", date(2016, 4, 1)),
        ("01/11/2016", date(2016, 11, 1)),  # day first: 1 November
        ("30/11/16", date(2016, 11, 1)),
        ("11/2016", date(2016, 11, 1)),
        ("RAG Nov 16", date(2016, 11, 1)),
        ("RAG 2016-11", date(2016, 11, 1)),
        ("November 2016", date(2016, 11, 1)),
        ("Sept 2015", date(2015, 9, 1)),
        ("42705", date(2016, 12, 1)),  # Excel serial day number
        ("Smarch 2016", None),
        ("13/2016", None),
        ("", None),
        ("Initial", None),
    ],
)
def test_parse_month(text: str, month: date | None) -> None:
    assert parse_month(text) == month


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("R", "R"), ("red", "R"), ("Amber", "A"), ("a", "A"), ("LG", "LG"), ("Light Green", "LG"),
        ("dg", "DG"), ("DARK GREEN", "DG"), ("C", "C"), ("Complete", "C"), ("completed", "C"),
        ("\u0410", "A"),  # Cyrillic А
        ("\u0391", "A"),  # Greek Α
        ("\u0421", "C"),  # Cyrillic С
        ("\u0441", "C"),  # Cyrillic с, lower case
        ("", None), ("TBC", None), ("\u0422\u0412\u0421", None),  # Cyrillic ТВС
    ],
)  # fmt: skip
def test_parse_rating(text: str, rating: str | None) -> None:
    assert parse_rating(text) == rating


@pytest.mark.parametrize("text", ["Purple", "Green", "G", "RAG", "n/a"])
def test_parse_rating_refuses_unknown_words(text: str) -> None:
    with pytest.raises(RatingError):
        parse_rating(text)


@pytest.mark.parametrize(
    ("rgb", "rating"),
    [("FFFF0000", "R"), ("FFFFC000", "A"), ("FF92D050", "LG"), ("FF00B050", "DG"), ("FF0070C0", "C"),
     ("FF7030A0", None), ("FFFFFFFF", None)],
)  # fmt: skip
def test_rating_from_fill(rgb: str, rating: str | None) -> None:
    assert rating_from_fill(rgb) == rating


def test_parse_numbers_keeps_marks_and_flags_text() -> None:
    parsed = parse_numbers(pd.Series(["78", "78%", " 1,234.5 ", "n/a", "-", "*", "c", "x", "", None, "abc", "12a"]))
    assert parsed["value"].tolist()[:3] == [78.0, 78.0, 1234.5]
    assert parsed["value"].iloc[3:10].isna().all()
    assert parsed["mark"].tolist()[3:9] == ["n/a", "-", "*", "c", "x", ""]
    assert parsed["bad"].tolist() == [False] * 10 + [True, True]
    assert parsed["percent_sign"].tolist()[:2] == [False, True]


@pytest.mark.parametrize(
    ("text", "polarity"),
    [("High", "higher"), ("Good is: Low", "lower"), ("higher is better", "higher"), ("", None)],
)
def test_parse_polarity(text: str, polarity: str | None) -> None:
    assert parse_polarity(text) == polarity


def test_parse_polarity_refuses_unknown() -> None:
    with pytest.raises(ValueError, match="polarity"):
        parse_polarity("Sideways")


@pytest.mark.parametrize(
    ("text", "month"), [("03/16", date(2016, 3, 1)), ("12/1", None), ("06/06", date(2006, 6, 1)), ("TBC", None)]
)
def test_parse_timescale(text: str, month: date | None) -> None:
    assert parse_timescale(text) == month


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("0%", "percent"), ("0.0%", "percent"), ('0.0"%"', "number"), ("0.0\\%", "number"), ("[Red]0%;-0%", "percent"),
        ("mmm-yy", "date"), ("MMMM YYYY", "date"), ("[$-809]mmm\\-yy;@", "date"), ("[h]:mm:ss", "date"),
        ("dd/mm/yyyy", "date"), ("0.00E+00", "number"), ("#,##0", "number"), ("General", "general"), ("@", "text"),
        ('"Sep "0', "number"),
    ],
)  # fmt: skip
def test_number_format_kinds(code: str, kind: str) -> None:
    assert classify(code) == kind


@pytest.mark.parametrize(("num_fmt_id", "kind"), [(9, "percent"), (10, "percent"), (14, "date"), (17, "date"),
                                                  (22, "date"), (0, "general"), (49, "text"), (30, "date"),
                                                  (3, "number"), (200, "general")])  # fmt: skip
def test_built_in_number_formats_by_id(num_fmt_id: int, kind: str) -> None:
    assert number_format(num_fmt_id, {}).kind == kind


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("mmm-yy", "Sep-16"), ("mmmm yyyy", "September 2016"), ("MMM\\-YY", "Sep-16"), ("[$-809]mmm\\-yy;@", "Sep-16"),
        ("dd/mm/yyyy", "01/09/2016"), ("d-mmm-yy", "1-Sep-16"), ("mmmmm", "S"), ("dddd d mmmm", "Thursday 1 September"),
        ("hh:mm", "14:05"), ("h:mm AM/PM", "2:05 PM"), ('"Month: "mmm yyyy', "Month: Sep 2016"),
    ],
)  # fmt: skip
def test_dates_display_as_excel_shows_them(code: str, shown: str) -> None:
    from datetime import datetime

    assert format_date(datetime(2016, 9, 1, 14, 5), code) == shown
