"""Write fictional_monthly_kpis.xlsx: FICTIONAL demonstration data, for tests and demos only.

Northmoor Borough Council (LA code 999) does not exist; every figure below is invented.
Run from the project root: python tests/data/good/make_fictional.py
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
NOTE = (
    "FICTIONAL DEMONSTRATION DATA: Northmoor Borough Council (LA code 999) does not exist "
    "and every figure in this file is invented."
)
HEADINGS = ["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is", "Target"]
KPIS = {
    "RETURN_INTERVIEWS": ("Return interviews completed", "%", "High", 100),
    "CL_NEET": ("Care leavers not in education, employment or training (NEET)", "%", "Low", 30),
    "SW_CASELOAD_AVG": ("Average social worker caseload", "Number", "Low", 18),
}
# The month before the upload, as a baseline the journey test stores first.
BASELINE = {
    "RETURN_INTERVIEWS": {"2017-01": 61, "2017-02": 64},
    "CL_NEET": {"2017-01": 48.5, "2017-02": 47.0},
    "SW_CASELOAD_AVG": {"2017-01": 21, "2017-02": 20},
}
# The monthly return: March 2017, plus a corrected February figure.
MONTHLY = {
    "RETURN_INTERVIEWS": {"2017-02": 66, "2017-03": 93},
    "CL_NEET": {"2017-03": 44.2},
    "SW_CASELOAD_AVG": {"2017-03": 19},
}


def workbook(values: dict[str, dict[str, float]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "KPI return"
    sheet.append([NOTE])
    sheet.append([])
    sheet.append(HEADINGS)
    for code, months in values.items():
        name, unit, good, target = KPIS[code]
        for month, value in months.items():
            sheet.append([code, name, "999", month, value, unit, good, target])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


if __name__ == "__main__":
    (HERE / "fictional_monthly_kpis.xlsx").write_bytes(workbook(MONTHLY))
