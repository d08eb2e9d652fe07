"""Whether a KPI is on target, and how every page, tile, chart and report says so.

On target: the latest value is at or beyond the target in the KPI's better direction ('higher' or
'lower'). A KPI with no value says "No data"; one with no target or no direction "No target set".
"""

from __future__ import annotations

import math

ON_TARGET = "On target"
OFF_TARGET = "Off target"
NO_TARGET = "No target set"
NO_DATA = "No data"
STATUSES: tuple[str, ...] = (OFF_TARGET, ON_TARGET, NO_TARGET, NO_DATA)  # the order a board reads them
POLARITIES: tuple[str, ...] = ("higher", "lower")


def _missing(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def on_target(value: object, target: object, polarity: object) -> bool | None:
    """True/False by polarity; None when the value, the target or the direction is unknown."""
    if _missing(value) or _missing(target) or polarity not in POLARITIES:
        return None
    v, t = float(value), float(target)  # type: ignore[arg-type]
    return v >= t if polarity == "higher" else v <= t


def status(value: object, target: object, polarity: object) -> str:
    """One of STATUSES, for a cell or label that must not rely on colour."""
    if _missing(value):
        return NO_DATA
    state = on_target(value, target, polarity)
    return NO_TARGET if state is None else ON_TARGET if state else OFF_TARGET


def status_from_flag(flag: object, value: object) -> str:
    """The words for an `on_target` flag a query worked out with `on_target_sql`."""
    if _missing(value):
        return NO_DATA
    if _missing(flag):
        return NO_TARGET
    return ON_TARGET if bool(flag) else OFF_TARGET


def on_target_sql(value: str, target: str, polarity: str) -> str:
    """`on_target` as SQL over three column expressions: TRUE, FALSE or NULL."""
    unknown = f"{value} IS NULL OR {target} IS NULL OR coalesce({polarity}, '') NOT IN ('higher', 'lower')"
    return f"""CASE WHEN {unknown} THEN NULL
                    WHEN {polarity} = 'higher' THEN {value} >= {target}
                    ELSE {value} <= {target} END"""
