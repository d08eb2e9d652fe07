"""The Upload page's charts (charts/upload.py): what is stored month by month, and a file's figures
for one KPI beside what is stored, marked new, changed or unchanged by the preview's own rule."""

from __future__ import annotations

from datetime import date

import pandas as pd

from charts.upload import compared, comparison_table, coverage, coverage_table, file_against_stored


def test_file_against_stored_marks_new_changed_and_untouched_months() -> None:
    stored = pd.DataFrame({"period": pd.to_datetime(["2017-01-01", "2017-02-01"]), "value": [10.0, 20.0]})
    incoming = pd.DataFrame({"period": [date(2017, 2, 1), date(2017, 3, 1)], "value": [25.0, 30.0]})
    rows = compared(stored, incoming)
    assert rows["effect"].tolist() == ["not in this file", "changed", "new"]
    table = comparison_table(rows, "%")
    assert table["Month"].tolist() == ["Jan 2017", "Feb 2017", "Mar 2017"]
    assert table["Stored now"].tolist() == ["10%", "20%", ""] and table["In this file"].tolist() == ["", "25%", "30%"]

    fig = file_against_stored(rows, name="Re-referrals", unit="%")
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Stored now"].y) == [10.0, 20.0]
    assert list(by_name["In this file"].y) == [30.0]  # the new month; the changed one is drawn apart
    assert list(by_name["Changed by this file"].y) == [25.0]
    assert list(by_name["Changed by this file"].customdata) == [20.0]  # the old value, for the hover
    assert "Re-referrals" in fig.layout.title.text


def test_file_against_stored_treats_same_values_and_missing_marks_as_unchanged() -> None:
    stored = pd.DataFrame({"period": pd.to_datetime(["2017-01-01", "2017-02-01"]), "value": [10.0, None]})
    incoming = pd.DataFrame({"period": pd.to_datetime(["2017-01-01", "2017-02-01"]), "value": [10.0, None]})
    rows = compared(stored, incoming)
    assert rows["effect"].tolist() == ["unchanged", "unchanged"]
    assert "Changed by this file" not in {t.name for t in file_against_stored(rows, name="X", unit="").data}


def test_a_new_target_or_missing_mark_alone_changes_a_month_as_in_the_preview() -> None:
    months = pd.to_datetime(["2017-01-01", "2017-02-01", "2017-03-01"])
    stored = pd.DataFrame({"period": months, "value": [10.0, None, 30.0], "target": [80.0, 80.0, 80.0],
                           "missing_mark": [None, "n/a", None]})  # fmt: skip
    incoming = pd.DataFrame({"period": months, "value": [10.0, None, 30.0], "target": [90.0, 80.0, 80.0],
                             "missing_mark": ["", "c", ""]})  # fmt: skip
    assert compared(stored, incoming)["effect"].tolist() == ["changed", "changed", "unchanged"]
    assert compared(stored, incoming)[["stored", "incoming"]].columns.tolist() == ["stored", "incoming"]


def test_coverage_bars_say_how_many_kpis_have_a_value_each_month() -> None:
    months = pd.DataFrame({"period": pd.to_datetime(["2017-01-01", "2017-02-01"]), "kpis": [12, 3], "of": [26, 26]})
    fig = coverage(months)
    bar = fig.data[0]
    assert list(bar.x) == ["Jan 2017", "Feb 2017"] and list(bar.y) == [12, 3]
    assert list(bar.text) == ["12 of 26", "3 of 26"]
    assert coverage_table(months)["KPIs with a value"].tolist() == [12, 3]
