"""Board pack benchmark: time to gather the pack and write it as Excel and as PDF, default data.

    .venv/bin/python bench/bench_board_pack.py [--repeat 5] [--out bench/out]

Builds the seed database (Sunderland, Nov 2016 against Feb 2017) in a temporary folder, then times
each step separately and end to end: gather (store queries and draft narrative), Excel (openpyxl)
and PDF (reportlab with 14 matplotlib charts). The first run of each step is reported on its own,
since it pays for imports and font loading; the median of the rest is what a board officer waits
for on a warm server. With --out, the files are also written there to look at.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli.seed import build_default  # noqa: E402
from reports.board_pack import BoardPack, build  # noqa: E402
from reports.excel import to_xlsx  # noqa: E402
from reports.pdf import to_pdf  # noqa: E402
from store import connect  # noqa: E402

PERIOD, COMPARE = date(2017, 2, 1), date(2016, 11, 1)


def _times(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(first run, median of the others, last result)."""
    runs, result = [], None
    for _ in range(repeat + 1):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return runs[0], statistics.median(runs[1:]), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        conn = connect(build_default(Path(folder) / "bench.duckdb"))
        try:
            rows: list[tuple[str, float, float, str]] = []
            first, warm, pack = _times(lambda: build(conn, PERIOD, COMPARE), args.repeat)
            assert isinstance(pack, BoardPack)
            rows.append(("gather (store queries + drafts)", first, warm, ""))
            for name, writer in (("xlsx", to_xlsx), ("pdf", to_pdf)):
                first, warm, content = _times(lambda w=writer: w(pack), args.repeat)  # type: ignore[misc]
                assert isinstance(content, bytes)
                rows.append((f"write {name}", first, warm, f"{len(content) / 1024:.0f} KiB"))
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"board-pack.{name}").write_bytes(content)
                first, warm, _ = _times(lambda w=writer: w(build(conn, PERIOD, COMPARE)), args.repeat)  # type: ignore[misc]
                rows.append((f"end to end, {name}", first, warm, ""))
        finally:
            conn.close()
    print(f"Board pack, default data ({COMPARE:%b %Y} against {PERIOD:%b %Y}), {args.repeat} warm runs each")
    print(f"{'step':34} {'first run':>10} {'warm median':>12}  size")
    for step, first, warm, size in rows:
        print(f"{step:34} {first:9.3f}s {warm:11.3f}s  {size}")


if __name__ == "__main__":
    main()
