"""Write the FICTIONAL demonstration council's workbooks: a plan and 36 months of KPIs.

Northmoor Borough Council (LA code 999) does not exist. Its figures are made up, drawn from a fixed
random seed around levels chosen so that each Making Data Count pattern appears once: a shift
(return interviews step up when a new service starts, Apr 2025), a trend (caseloads fall for seven
months in a row from Mar 2026, within the limits), an outlier (unallocated cases spike in Feb 2026, a system outage),
a KPI consistently passing its target, one consistently failing it, one hit and miss, and a slow
climb that misses its action's timescale. The real seed council's store never holds any of it.
Run from the project root (the workbooks are shipped, so only after changing this file):

    python data/demo/make_demo.py
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Font

DEMO_DIR = Path(__file__).resolve().parent
PLAN_PATH, KPI_PATH = DEMO_DIR / "northmoor_plan.xlsx", DEMO_DIR / "northmoor_kpis.xlsx"
COUNCIL = "Northmoor Borough Council"
BANNER = f"FICTIONAL DEMONSTRATION DATA: {COUNCIL} (LA 999) does not exist; every figure here is made up."
FIRST_MONTH = date(2023, 10, 1)
MONTHS = 36
SEED = 7  # the first seed (of 1-400) whose stable KPIs show no chance signals

# ref, priority, action, success measure, lead, timescale, ratings at Mar 26, Jun 26, Sep 26
PRIORITIES = {
    1: "Priority 1: A stable, skilled workforce (fictional)",
    2: "Priority 2: A timely response to every child (fictional)",
    3: "Priority 3: Care leavers thrive (fictional)",
}
ACTIONS = [
    ("1.1", 1, "Clear the assessment backlog with a dedicated team",
     "85% of assessments completed within 45 working days",
     "Head of Assessment", "12/26", ("A", "A", "A")),
    ("1.2", 1, "Recruit permanent social workers to reduce caseloads", "Average caseload of 18 or fewer",
     "Principal Social Worker", "12/26", ("R", "A", "LG")),
    ("2.1", 2, "Allocate every referral within 5 working days", "5 or fewer unallocated cases at month end",
     "Head of Front Door", "12/26", ("A", "LG", "LG")),
    ("2.2", 2, "Commission a return interview service for children who go missing",
     "85% of return interviews completed within 72 hours", "Missing Children Lead", "03/25", ("C", "C", "C")),
    ("3.1", 3, "Visit looked-after children at least every 6 weeks", "80% of children visited within 6 weeks",
     "Head of Corporate Parenting", "09/25", ("DG", "DG", "DG")),
    ("3.2", 3, "Launch the care leavers' employment offer", "30% or fewer care leavers NEET",
     "Leaving Care Manager", "03/27", ("LG", "DG", "DG")),
    ("3.3", 3, "Every care leaver has an up-to-date pathway plan", "100% of care leavers with a pathway plan",
     "Leaving Care Manager", "03/27", ("A", "A", "A")),
]  # fmt: skip
RAG_HEADINGS = ("RAG Mar 26", "RAG Jun 26", "RAG Sep 26")

# code, name, unit, good is, target, actions, note
KPIS = [
    ("DEMO_ASSESS_45WD", "Assessments completed within 45 working days", "%", "High", 85, "1.1",
     "Hit and miss: varies around the target."),
    ("DEMO_CASELOAD", "Average social worker caseload", "Number", "Low", 18, "1.2",
     "A trend: falls seven months in a row from Mar 2026, as permanent staff start."),
    ("DEMO_UNALLOCATED", "Unallocated cases at month end", "Number", "Low", 5, "2.1",
     "An outlier: Feb 2026 (a case-management system outage); otherwise common cause above the target."),
    ("DEMO_RETURN_INTERVIEWS", "Return interviews completed within 72 hours", "%", "High", 85, "2.2",
     "A shift: steps up from Apr 2025, when the new service started (rebase from Apr 2025 to see it settle)."),
    ("DEMO_LAC_VISITED", "Looked-after children visited within 6 weeks", "%", "High", 80, "3.1",
     "Consistently passing: every month well above the target."),
    ("DEMO_CL_NEET", "Care leavers not in education, employment or training (NEET)", "%", "Low", 30, "3.2",
     "Consistently failing: action 3.2 is Dark Green, but the KPI stays far from its target."),
    ("DEMO_CL_PATHWAY", "Care leavers with a pathway plan", "%", "High", 100, "3.3",
     "A slow climb: at its recent rate it does not reach 100% by the action's timescale."),
]  # fmt: skip


def month(i: int) -> date:
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + i
    return date(total // 12, total % 12 + 1, 1)


def series() -> dict[str, list[float]]:
    """Every KPI's 36 made-up values, oldest first (fixed seed: the same every run)."""
    rng = np.random.default_rng(SEED)
    i = np.arange(MONTHS)

    def noisy(level: np.ndarray | float, spread: float) -> np.ndarray:
        return np.asarray(level, dtype=float) + rng.normal(0, spread, MONTHS)

    shift_at = 18  # Apr 2025
    return_interviews = noisy(np.where(i < shift_at, 62.0, 80.0), 2.5)
    caseload = noisy(23.0, 0.6)
    caseload[29:] = 23.6 - 0.25 * np.arange(MONTHS - 29)  # Mar 2026 on: each month lower than the last
    unallocated = np.round(noisy(11.0, 2.2))
    unallocated[28] = 46  # Feb 2026
    values = {
        "DEMO_ASSESS_45WD": noisy(84.0, 3.0),
        "DEMO_CASELOAD": caseload,
        "DEMO_UNALLOCATED": np.clip(unallocated, 0, None),
        "DEMO_RETURN_INTERVIEWS": return_interviews,
        "DEMO_LAC_VISITED": noisy(91.0, 1.5),
        "DEMO_CL_NEET": noisy(47.0, 2.5),
        "DEMO_CL_PATHWAY": noisy(70.0 + 0.45 * i, 0.5),
    }
    return {k: [round(float(min(v, 100.0)), 1) for v in vs] for k, vs in values.items()}


def _header(ws: object, rows: list[list[object]]) -> None:
    for row in rows:
        ws.append(row)  # type: ignore[attr-defined]
    ws["A1"].font = Font(bold=True, color="C00000", size=14)  # type: ignore[index]


def write_plan(path: Path = PLAN_PATH) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Improvement plan"
    _header(ws, [[BANNER], [f"{COUNCIL} Improvement Plan (fictional, for demonstration)"], []])
    ws.append(["Ref", "Action", "Success measure(s)", "Lead", "Timescale", *RAG_HEADINGS])
    for priority, title in PRIORITIES.items():
        ws.append([title])
        for ref, p, action, measure, lead, timescale, ratings in ACTIONS:
            if p == priority:
                ws.append([ref, action, measure, lead, timescale, *ratings])
    notes = book.create_sheet("Notes")
    for line in (BANNER, "A made-up plan for demonstrating the dashboard; see data/demo/make_demo.py."):
        notes.append([line])
    book.save(path)


def write_kpis(path: Path = KPI_PATH) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "KPIs"
    _header(
        ws, [[BANNER], [f"{MONTHS} months of made-up KPI values, {month(0):%b %Y} to {month(MONTHS - 1):%b %Y}"], []]
    )
    ws.append(["Code", "KPI", "Unit", "Good is", "Target", "Actions", *[month(i) for i in range(MONTHS)]])
    values = series()
    for code, name, unit, good, target, actions, _note in KPIS:
        ws.append([code, name, unit, good, target, actions, *values[code]])
    for cell in ws[4][6:]:
        cell.number_format = "mmm yyyy"
    notes = book.create_sheet("Notes")
    notes.append([BANNER])
    notes.append([f"Values drawn from a fixed random seed ({SEED}) around levels chosen to show each SPC pattern:"])
    for code, name, *_rest, note in KPIS:
        notes.append([f"{code} ({name}): {note}"])
    book.save(path)


if __name__ == "__main__":
    write_plan()
    write_kpis()
    print(f"wrote {PLAN_PATH.name} and {KPI_PATH.name} in {DEMO_DIR}")
