"""Draft sentences per priority in the progress report's style, generated from the figures.

"Eight actions moved from Light Green to Dark Green (3.2, 3.7, ...); 3.10, the consistency and
quality of case chronologies and genograms, remains Amber." Officers edit the draft before export;
these functions only give them a true starting point. Pure: frames in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from domain.rag import ADDED, MOVED, RAG_NAMES, RANK

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_LEADING_VERBS = re.compile(
    r"^(?:continue to |urgently )?(?:develop and implement|procure and implement|provide or commission|"
    r"commission or directly provide|put in place|take urgent action to|recruit and retain|engage with|"
    r"implement|improve|ensure that|ensure|establish|review|provide|complete|commission|strengthen|"
    r"refocus|embed|update|determine|produce|evaluate|reduce|develop|all services to)\s+",
    re.IGNORECASE,
)
_CUT = re.compile(r"[,;:(]| so that | to ensure | and ensure | which | in line with | in order to ")
_MAX_WORDS = 10


def number_word(n: int, start: bool = False) -> str:
    """7 -> 'seven' (report style spells out small numbers); 'Seven' at the start of a sentence."""
    word = _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)
    return word[:1].upper() + word[1:] if start else word


def join_words(items: Sequence[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def short_name(description: object) -> str:
    """A few words naming an action: its description without the leading verb, cut at the first clause."""
    text = re.sub(r"\s+", " ", str(description or "")).strip()
    text = _LEADING_VERBS.sub("", text, count=1)
    text = _CUT.split(text, maxsplit=1)[0].strip().rstrip(".")
    words = text.split(" ")
    if len(words) > _MAX_WORDS:
        text = " ".join(words[:_MAX_WORDS]) + "…"
    if len(text) > 1 and not text[1].isupper():
        text = text[:1].lower() + text[1:]
    return text


def _named(row: pd.Series, in_list: bool = False) -> str:
    """'3.10, case chronologies,' alone; '3.10 (case chronologies)' inside a list of several."""
    name = short_name(row["description"])
    if not name:
        return str(row["action_ref"])
    return f"{row['action_ref']} ({name})" if in_list else f"{row['action_ref']}, {name},"


def _rating(code: object) -> str:
    return RAG_NAMES.get(str(code), "not rated") if isinstance(code, str) else "not rated"


def _sentence(parts: list[str]) -> str:
    text = "; ".join(p for p in parts if p)
    text = text.rstrip(",")
    return text[:1].upper() + text[1:] + "." if text else ""


def _moves(changed: pd.DataFrame) -> str:
    """One clause per (from, to) pair, biggest group first: 'Five actions moved from LG to DG (...)'."""
    if changed.empty:
        return ""
    rank = RANK
    pairs: list[tuple[tuple[str, str], pd.DataFrame]] = [
        ((str(k[0]), str(k[1])), rows) for k, rows in changed.groupby(["from_rating", "to_rating"], sort=False)
    ]

    def kind(before: str, after: str) -> int:
        """Improvements first, then completions, then slips (each group's size decides first)."""
        return 1 if after == "C" else 0 if rank.get(after, 0) > rank.get(before, 0) else 2

    groups = sorted(pairs, key=lambda item: (-len(item[1]), kind(*item[0]), rank.get(item[0][0], 9)))
    clauses = []
    for index, ((before, after), rows) in enumerate(groups):
        move = f"moved from {_rating(before)} to {_rating(after)}"
        if len(rows) == 1:
            clauses.append(f"{_named(rows.iloc[0])} {move}")
        else:
            noun = "actions " if index == 0 else ""
            refs = join_words(list(rows["action_ref"].astype(str)))
            clauses.append(f"{number_word(len(rows))} {noun}{move} ({refs})")
    return _sentence(clauses)


def _remains(held: pd.DataFrame) -> str:
    """Actions still Red or Amber: named when few, listed by reference when many."""
    clauses = []
    for code in ("R", "A"):
        rows = held[held["to_rating"] == code]
        if rows.empty:
            continue
        verb = "remains" if len(rows) == 1 else "remain"
        if len(rows) <= 3:
            names = [_named(r, in_list=len(rows) > 1) for _, r in rows.iterrows()]
            clauses.append(f"{join_words(names)} {verb} {RAG_NAMES[code]}")
        else:
            refs = join_words(list(rows["action_ref"].astype(str)))
            clauses.append(f"{number_word(len(rows))} actions ({refs}) {verb} {RAG_NAMES[code]}")
    return _sentence(clauses)


def draft(movement: pd.DataFrame, overdue_refs: Sequence[str], compare_label: str, period_label: str) -> str:
    """The draft paragraph for one priority.

    `movement` is store.plan_queries.movement() restricted to the priority; `overdue_refs` are its
    actions past their timescale at the current period.
    """
    moved = movement[movement["movement"].isin(MOVED)]
    held = movement[movement["movement"] == "held"]
    new = movement[movement["movement"].isin(ADDED)]
    gone = movement[movement["movement"] == "no longer listed"]
    sentences = [_moves(moved), _remains(held)]
    if moved.empty:
        sentences.insert(0, f"No action changed rating between {compare_label} and {period_label}.")
    if not new.empty:
        refs = join_words(list(new["action_ref"].astype(str)))
        unrated = new["to_rating"].isna().all()
        tail = ", not yet rated" if unrated else ""
        noun = "new action is" if len(new) == 1 else "new actions are"
        sentences.append(f"{number_word(len(new), start=True)} {noun} added ({refs}){tail}.")
    if not gone.empty:
        refs = join_words(list(gone["action_ref"].astype(str)))
        sentences.append(f"{refs} {'is' if len(gone) == 1 else 'are'} no longer listed in the plan.")
    if overdue_refs:
        noun = "action is" if len(overdue_refs) == 1 else "actions are"
        sentences.append(
            f"{number_word(len(overdue_refs), start=True)} {noun} past {'its' if len(overdue_refs) == 1 else 'their'}"
            f" timescale and not yet Dark Green or Completed ({join_words(list(overdue_refs))})."
        )
    return " ".join(s for s in sentences if s)


def headline(counts: dict[str, int], period_label: str) -> str:
    """The report's closing sentence: 'N actions in the plan excluding completed ones; M Dark Green'."""
    text = (
        f"At {period_label} there are {counts['open']} actions in the plan excluding completed ones; "
        f"{counts['dark_green']} of them are Dark Green, monitored to make sure the improvement is sustained"
        " before they are marked Completed."
    )
    if counts.get("not_rated"):
        text += f" {number_word(counts['not_rated'], start=True)} of them are new and not yet rated."
    return text
