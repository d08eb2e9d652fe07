"""The seed council's shipped workbooks, read through the same loaders as any upload.

Storing them is composition (loaders, then the store), so it lives in `cli.seed`, above both;
cli/demo.py reads the fictional demonstration council's workbooks through `read_shipped` too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from loaders.ingest import read_path
from loaders.model import Catalogue, Parsed
from loaders.problems import LoaderError

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed"
PLAN_FILE = SEED_DIR / "improvement_plan.xlsx"
KPI_FILE = SEED_DIR / "kpis.xlsx"
SEED_FILES = (PLAN_FILE, KPI_FILE)
# The report dates "Previous" (Nov 2016) and "Current" (Feb 2017) but not "Initial": the plan
# was drawn up after the June 2015 inspection, so the Initial rating is stored at September 2015.
INITIAL_MONTH = date(2015, 9, 1)
SEED_COUNCIL = {"council_code": "394", "council_name": "Sunderland"}
SEED_USER = "seed"
SEED_NOTE = "seed data from the progress report"


class SeedError(LoaderError):
    """Shipped data (the seed or the demonstration council) failed its own checks: a bug in the project."""


def read_shipped(path: Path, known: Catalogue, council_code: str, rag_months: dict[str, date] | None = None) -> Parsed:
    """One shipped workbook, checked; raises SeedError rather than let broken shipped data be stored."""
    parsed = read_path(path, rag_months=rag_months, catalogue=known, default_la=council_code)
    if not parsed.ok:
        details = "; ".join(p.describe() for p in parsed.problems.errors[:5])
        raise SeedError(details, "Shipped data failed its checks", path.name)
    return parsed
