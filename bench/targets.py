"""The stores a benchmark measures, so every script compares the two backends the same way.

Named with `--db PATH_OR_URL` (repeatable), or made fresh: a seed DuckDB file and a throwaway
PostgreSQL (tests/postgres.py) filled by the same function, so both hold the same submissions. Figures
are printed side by side with the PostgreSQL/DuckDB ratio, the number issue 11 sets targets on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from cli.seed import build_default, fill_seed, store_workbooks  # noqa: E402
from loaders.seed import INITIAL_MONTH, SEED_COUNCIL, SEED_FILES, SEED_NOTE, SEED_USER  # noqa: E402
from store.backend import describe, is_url, open_store  # noqa: E402
from tests.postgres import database_url, server  # noqa: E402

DUCKDB, POSTGRESQL = "DuckDB", "PostgreSQL"


def backend(target: str | Path) -> str:
    return POSTGRESQL if is_url(target) else DUCKDB


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        action="append",
        metavar="PATH_OR_URL",
        help="a store to measure (repeat for several); default: a fresh DuckDB file and a fresh PostgreSQL",
    )


def _seed_without_lait(store: object) -> None:
    store_workbooks(store, SEED_COUNCIL, SEED_FILES, SEED_USER, SEED_NOTE, {"Initial": INITIAL_MONTH})  # type: ignore[arg-type]


@contextmanager
def default_targets(folder: Path, lait: bool = True) -> Iterator[list[str]]:
    """A seed DuckDB file and a seed PostgreSQL database, filled alike: the council's settings, plan
    and KPIs, and with `lait` the five DfE LAIT files (641,070 values), each a submission through
    the write path. PostgreSQL's statistics are refreshed before anything is measured."""
    duck = build_default(folder / "bench.duckdb") if lait else _duck_without_lait(folder / "bench.duckdb")
    with server() as base:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute("CREATE DATABASE bench")
        url = database_url(base, "bench")
        pg = open_store(url)
        try:
            if lait:
                fill_seed(pg)  # type: ignore[arg-type]
            else:
                _seed_without_lait(pg)
        finally:
            pg.close()
        fresh_statistics(url)
        yield [str(duck), url]


def _duck_without_lait(path: Path) -> Path:
    from cli.seed import build_database

    return build_database(path, _seed_without_lait)


def fresh_statistics(target: str | Path) -> None:
    """PostgreSQL: VACUUM ANALYZE the whole database, so the planner sees the rows just loaded (after
    a bulk load its statistics are those of empty tables until autovacuum gets round to them) and
    index-only scans see an up-to-date visibility map. DuckDB keeps its statistics as it writes."""
    if not is_url(target):
        return
    with psycopg.connect(str(target), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


@contextmanager
def targets(named: Sequence[str] | None, lait: bool = True) -> Iterator[list[str]]:
    """The stores named on the command line (their statistics refreshed), else fresh ones of each."""
    with ExitStack() as stack:
        if named:
            for target in named:
                fresh_statistics(target)
            yield list(named)
            return
        import tempfile

        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        yield stack.enter_context(default_targets(folder, lait))


def stores_line(names: Sequence[str]) -> str:
    return "Stores: " + "; ".join(f"{backend(t)} {describe(t)}" for t in names)


def median_ms(run: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def ratio(figures: dict[str, float]) -> float | None:
    """PostgreSQL / DuckDB for one figure measured on both (None unless exactly one of each)."""
    if DUCKDB in figures and POSTGRESQL in figures and figures[DUCKDB] > 0:
        return figures[POSTGRESQL] / figures[DUCKDB]
    return None


def within(limit: float) -> Callable[[dict[str, float]], bool]:
    """Verdict: every backend's figure under `limit`."""
    return lambda figures: all(v < limit for v in figures.values())


def pg_within(times: float) -> Callable[[dict[str, float]], bool]:
    """Verdict: PostgreSQL's figure at most `times` DuckDB's (met when only one backend was measured)."""

    def verdict(figures: dict[str, float]) -> bool:
        found = ratio(figures)
        return found is None or found <= times

    return verdict


def side_by_side(
    title: str,
    rows: dict[str, dict[str, float]],
    fmt: str,
    target: str = "",
    verdict: Callable[[dict[str, float]], bool] | None = None,
    reference: Collection[str] = (),
) -> bool:
    """Print one figure for every row (a page, a view) on each backend and the PostgreSQL/DuckDB
    ratio; with a `verdict`, also the target and whether each row meets it (rows named in
    `reference` are shown for comparison, not judged). Return whether all judged rows do."""
    names = sorted({b for figures in rows.values() for b in figures}, key=lambda b: (b != DUCKDB, b))
    print(f"\n{title}" + (f"   target: {target}" if target else ""))
    print(f"  {'':<34}" + "".join(f"{b:>12}" for b in names) + f"{'PG/DuckDB':>11}" + ("  verdict" if verdict else ""))
    met = True
    for name, figures in rows.items():
        judged = verdict is not None and name not in reference
        ok = verdict(figures) if judged and verdict else True
        met &= ok
        found = ratio(figures)
        cells = "".join(f"{format(figures[b], fmt):>12}" if b in figures else f"{'':>12}" for b in names)
        shown = f"{found:>10.2f}x" if found is not None else f"{'':>11}"
        print(f"  {name:<34}{cells}{shown}" + (f"  {'ok' if ok else 'MISSED'}" if judged else ""))
    return met
