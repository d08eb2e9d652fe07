"""The plan's RAG scale: codes, names, order, the not-yet-rated sentinel, colours, and movement.

Red, Amber, Light Green, Dark Green (success measure met, monitored to make sure it is sustained)
and Completed, in that order; new actions are TBC (not yet rated, no measures yet). Colour never
carries meaning alone: every use also shows the rating's name or code.
"""

from __future__ import annotations

import math

RAG_ORDER: tuple[str, ...] = ("R", "A", "LG", "DG", "C")
RAG_NAMES: dict[str, str] = {
    "R": "Red",
    "A": "Amber",
    "LG": "Light Green",
    "DG": "Dark Green",
    "C": "Completed",
}
RANK: dict[str, int] = {code: i + 1 for i, code in enumerate(RAG_ORDER)}
DELIVERED: tuple[str, ...] = ("DG", "C")  # success measure met, or the action is done

NOT_RATED = "TBC"
NOT_RATED_NAME = "New (TBC)"
RAG_CODES: tuple[str, ...] = (*RAG_ORDER, NOT_RATED)
RAG_LABELS: dict[str, str] = {**RAG_NAMES, NOT_RATED: NOT_RATED_NAME}

# What officers write in a RAG cell, after look-alike letters are folded and case is dropped.
RAG_WORDS: dict[str, str] = {
    "r": "R", "red": "R",
    "a": "A", "amber": "A",
    "lg": "LG", "light green": "LG", "lightgreen": "LG", "l green": "LG", "lt green": "LG",
    "dg": "DG", "dark green": "DG", "darkgreen": "DG", "d green": "DG", "dk green": "DG",
    "c": "C", "complete": "C", "completed": "C",
}  # fmt: skip
NOT_RATED_WORDS: frozenset[str] = frozenset({"", "tbc", "to be confirmed", "not yet rated", "new"})
RAG_EXPECTED = "R, A, LG, DG or C (or Red, Amber, Light Green, Dark Green, Completed), or TBC"

# Screen (charts, pages): fills, and the text drawn on them (WCAG AA contrast on each fill).
SCREEN_COLOURS: dict[str, str] = {
    "R": "#C62828",
    "A": "#F5A623",
    "LG": "#9CCC65",
    "DG": "#1B6E31",
    "C": "#3F6FB5",
    NOT_RATED: "#B8B8B8",
}
TEXT_ON_COLOUR: dict[str, str] = {
    "R": "#FFFFFF",
    "A": "#1A1A1A",
    "LG": "#1A1A1A",
    "DG": "#FFFFFF",
    "C": "#FFFFFF",
    NOT_RATED: "#1A1A1A",
}
# Print (the board pack's Excel cells and PDF): (fill, font) as 6-digit hex, the colours councils'
# own RAG spreadsheets use, so a printed pack looks like the tracker it replaces.
PRINT_COLOURS: dict[str, tuple[str, str]] = {
    "R": ("C00000", "FFFFFF"),
    "A": ("FFC000", "000000"),
    "LG": ("92D050", "000000"),
    "DG": ("00703C", "FFFFFF"),
    "C": ("8EA9DB", "000000"),
}
# Beside a rating's name in page text, where a coloured cell is not available.
BADGES: dict[str, str] = {"R": "🔴", "A": "🟠", "LG": "🟢", "DG": "🟩", "C": "🔵", NOT_RATED: "⚪"}


def _blank(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def rating_code(value: object) -> str:
    """A stored rating ('R'..'C'), or NULL/NaN meaning new and not yet rated, as its display code."""
    return NOT_RATED if _blank(value) else str(value)


def rating_name(value: object) -> str:
    """'Light Green' for 'LG'; 'New (TBC)' for a rating not yet given."""
    return RAG_LABELS[rating_code(value)]


def rating_text(value: object) -> str:
    """A rating as page text that does not rest on colour: '🟢 Light Green'."""
    code = rating_code(value)
    return f"{BADGES[code]} {RAG_LABELS[code]}"


# ---------------------------------------------------------------- movement between two periods

MOVEMENTS: tuple[str, ...] = (
    "improved",
    "held",
    "slipped",
    "newly rated",
    "completed",
    "new, not yet rated",
    "no longer listed",
)
MOVED: tuple[str, ...] = ("improved", "slipped", "completed")  # a rating that went somewhere
ADDED: tuple[str, ...] = ("new, not yet rated", "newly rated")


def movement(from_rating: object, to_rating: object, *, in_previous: bool = True, in_current: bool = True) -> str:
    """Which way an action moved between two periods; the rule `movement_sql` writes as SQL."""
    if not in_current:
        return "no longer listed"
    if _blank(to_rating):
        return "new, not yet rated"
    if _blank(from_rating) or not in_previous:
        return "newly rated"
    a, b = RANK[str(from_rating)], RANK[str(to_rating)]
    if to_rating == "C" and from_rating != "C":
        return "completed"
    return "improved" if b > a else "slipped" if b < a else "held"


def direction(from_code: str, to_code: str) -> str:
    """'improved', 'slipped' or 'held' for two rated codes; 'other' when either is not rated."""
    if from_code in RANK and to_code in RANK:
        a, b = RANK[from_code], RANK[to_code]
        return "improved" if b > a else "slipped" if b < a else "held"
    return "other"


def rank_sql(column: str) -> str:
    """SQL for a rating's position on the scale (1 = Red ... 5 = Completed; NULL when not rated)."""
    whens = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in RANK.items())
    return f"CASE {column} {whens} END"


def movement_sql(from_rating: str, to_rating: str, in_previous: str, in_current: str) -> str:
    """`movement` as a SQL CASE over four column expressions (booleans for the two `in_*`)."""
    a, b = rank_sql(from_rating), rank_sql(to_rating)
    return f"""CASE WHEN NOT {in_current} THEN 'no longer listed'
                    WHEN {to_rating} IS NULL THEN 'new, not yet rated'
                    WHEN {from_rating} IS NULL OR NOT {in_previous} THEN 'newly rated'
                    WHEN {to_rating} = 'C' AND {from_rating} <> 'C' THEN 'completed'
                    WHEN {b} > {a} THEN 'improved'
                    WHEN {b} < {a} THEN 'slipped'
                    ELSE 'held' END"""


def codes_sql() -> str:
    """The rated codes as a SQL list literal, in scale order: ['R', 'A', 'LG', 'DG', 'C']."""
    return "[" + ", ".join(f"'{code}'" for code in RAG_ORDER) + "]"
