"""What "changed" means when a file is compared with the store, and when History shows a submission.

An observation changed when its value, its missing-value mark (n/a, -, c ...) or its target differs:
a new target changes what the board sees against the value, so it counts. A rating changed when the
rating differs (NULL, not yet rated, is a rating of its own). The preview of an upload and the History
page both use these, so they always agree.
"""

from __future__ import annotations

CHANGE_KINDS: tuple[str, ...] = ("new", "changed", "unchanged")
OBSERVATION_FIELDS: tuple[str, ...] = ("value", "missing_mark", "target")


def _same(a: object, b: object) -> bool:
    def norm(x: object) -> object:
        if x is None or (isinstance(x, float) and x != x) or type(x).__name__ in {"NAType", "NaTType"}:
            return None
        return x

    return norm(a) == norm(b)


def observation_changed(old: dict[str, object], new: dict[str, object]) -> bool:
    """True when any of value, missing mark ('' and None alike) or target differs."""
    marks = (_mark(old.get("missing_mark")), _mark(new.get("missing_mark")))
    return not (_same(old.get("value"), new.get("value")) and marks[0] == marks[1]) or not _same(
        old.get("target"), new.get("target")
    )


def _mark(value: object) -> str:
    """A missing-value mark; None, NaN and pandas' NA (how a frame holds 'no mark') are all ''."""
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return str(value)


def observation_differs_sql(new: str, old: str) -> str:
    """SQL: observation row `new` differs from row `old` (table aliases)."""
    return (
        f"({new}.value IS DISTINCT FROM {old}.value"
        f" OR coalesce({new}.missing_mark, '') IS DISTINCT FROM coalesce({old}.missing_mark, '')"
        f" OR {new}.target IS DISTINCT FROM {old}.target)"
    )


def rating_differs_sql(new: str, old: str) -> str:
    """SQL: rating row `new` differs from row `old`."""
    return f"({new}.rating IS DISTINCT FROM {old}.rating)"


def change_kind_sql(old_key: str, differs: str) -> str:
    """SQL CASE naming a row 'new' (no old row), 'changed' or 'unchanged'."""
    return f"CASE WHEN {old_key} IS NULL THEN 'new' WHEN {differs} THEN 'changed' ELSE 'unchanged' END"
