"""Plan tracker sheets -> priorities, actions and their RAG rating per month.

Rules for RAG cells, per action, reading its RAG columns in month order: cells before the
first rating or TBC are blank because the action was not yet in the plan, so nothing is
recorded; after that, a blank or TBC means "not yet rated" (stored as NULL). An action with
no rating anywhere is new and not yet rated in the latest month of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pandas as pd

from loaders.grid import Sheet
from loaders.headers import Header, RagColumn, is_repeat_of
from loaders.model import ACTION_COLUMNS, PRIORITY_COLUMNS, RATING_COLUMNS, PlanData
from loaders.problems import Problems
from loaders.values import (
    RAG_EXPECTED,
    RatingError,
    clean_text,
    fold_lookalikes,
    is_not_rated_mark,
    parse_rating,
    parse_timescale,
    rating_from_fill,
)

_PRIORITY = re.compile(r"^priority\s*(\d+)\s*[:.\-]?\s*(.*)$", re.IGNORECASE)
_OUTCOME = re.compile(r"^outcomes?\s*[:\-]\s*(.+)$", re.IGNORECASE)
_REF = re.compile(
    r"^\(?\s*(?P<ref>new\s*\d+|\d+\.\d+[a-z]?|\d+\.[a-z]{1,3})\s*"
    r"(?:[-:]\s*)?(?P<ofsted>ofsted\s*\d+\s*(?:\(\s*[a-z]\s*\))?)?\s*\)?\s*[:\-]?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
REF_EXPECTED = "an action reference such as 3.13 or NEW 2"
_TYPO_MONTHS = 24
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

FillLookup = Callable[[set[tuple[int, int]]], dict[tuple[int, int], str]]


def split_ref(text: str) -> tuple[str, str, str] | None:
    """'3.13 - Ofsted 19 (b) Ensure ...' -> ('3.13', 'Ofsted 19 (b)', 'Ensure ...')."""
    m = _REF.match(fold_lookalikes(text))
    if not m:
        return None
    ref = m["ref"].upper()
    if ref.startswith("NEW"):
        ref = "NEW " + re.sub(r"\D", "", ref)
    ofsted = re.sub(r"\s+", " ", m["ofsted"] or "").strip()
    ofsted = re.sub(r"(?i)^ofsted", "Ofsted", ofsted).replace("( ", "(").replace(" )", ")")
    return ref, ofsted, m["rest"].strip()


def _priority_of(ref: str) -> int | None:
    head = ref.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def parse_plan(
    sheet: Sheet,
    header: Header,
    problems: Problems,
    rag_months: dict[str, date],
    fills: FillLookup | None = None,
) -> PlanData:
    columns = _rag_months(sheet, header, problems, rag_months)
    notes_for = _estimate_columns(header, columns)
    frame = sheet.frame
    roles = header.roles
    heading = header.headings

    def cell(values: pd.Series, role: str) -> str:
        index = roles.get(role)
        return clean_text(values.get(index)) if index is not None else ""

    priorities: dict[int, dict[str, object]] = {}
    actions: list[dict[str, object]] = []
    raw_ratings: list[tuple[dict[str, object], list[str]]] = []
    current_priority: int | None = None
    seen: dict[str, int] = {}
    rag_indices = {c.index for c in header.rag}

    for frame_row in range(header.row + 1, len(frame)):
        values = frame.iloc[frame_row]
        row = sheet.excel_row(frame_row)
        filled = {i: clean_text(v) for i, v in enumerate(values.tolist()) if clean_text(v)}
        if not filled or is_repeat_of(header, values):
            continue
        first = filled[min(filled)]
        ref_text = cell(values, "ref")
        action_text = cell(values, "action")
        split = split_ref(ref_text or action_text)
        if split is None and (m := _PRIORITY.match(fold_lookalikes(first))) and not set(filled) & rag_indices:
            current_priority = int(m[1])
            entry = priorities.setdefault(
                current_priority,
                {"priority": current_priority, "title": "", "outcome": ""},
            )
            entry["title"] = m[2].strip() or entry["title"]
            continue
        if split is None and (m := _OUTCOME.match(first)) and len(set(filled.values())) == 1:
            if current_priority is not None:
                priorities[current_priority]["outcome"] = m[1].strip()
            continue
        if split is None:
            if len(filled) == 1:
                continue  # a footnote or a title between blocks
            problems.error(
                "plan.bad_ref",
                "this row has data but no action reference",
                sheet=sheet.name,
                row=row,
                column=heading.get(roles.get("ref", roles.get("action", min(filled))), ""),
                col_index=sheet.excel_col(roles.get("ref", roles.get("action", min(filled)))),
                found=ref_text or action_text,
                expected=REF_EXPECTED,
            )
            continue
        ref, ofsted, rest = split
        if ref in seen:
            problems.error(
                "plan.duplicate_ref",
                f"action {ref} appears twice (first at row {seen[ref]})",
                sheet=sheet.name,
                row=row,
                column=heading.get(roles.get("ref", roles.get("action", 0)), ""),
                col_index=sheet.excel_col(roles.get("ref", roles.get("action", 0))),
                found=ref,
                expected="each action once per file",
            )
            continue
        seen[ref] = row
        description = action_text if ref_text else rest
        if ref_text and action_text and (inner := split_ref(action_text)) and inner[0] == ref:
            description = inner[2]
            ofsted = ofsted or inner[1]
        priority = _row_priority(sheet, header, problems, values, row, ref, current_priority)
        if priority is None:
            continue
        priorities.setdefault(priority, {"priority": priority, "title": "", "outcome": ""})
        itemised_text = cell(values, "itemised").lower()
        action = {
            "action_ref": ref,
            "priority": priority,
            "ofsted_ref": cell(values, "ofsted") or ofsted,
            "description": description,
            "success_measures": cell(values, "measures"),
            "lead": cell(values, "lead"),
            "timescale_text": cell(values, "timescale"),
            "itemised": itemised_text not in _NO,
            "is_new": ref.startswith("NEW"),
            "note": cell(values, "note"),
            "sheet": sheet.name,
            "excel_row": row,
            "estimate_note": cell(values, "estimate"),
            "_rating_notes": {rag: clean_text(values.get(note)) for rag, note in notes_for.items()},
        }
        if itemised_text and itemised_text not in _YES | _NO:
            problems.error(
                "plan.bad_flag",
                "not a yes/no answer",
                sheet=sheet.name,
                row=row,
                column=heading[roles["itemised"]],
                col_index=sheet.excel_col(roles["itemised"]),
                found=itemised_text,
                expected="Yes or No",
            )
        actions.append(action)
        raw_ratings.append((action, [clean_text(values.get(c.index)) for c in columns]))

    ratings = _ratings(sheet, header, problems, columns, raw_ratings, fills)
    _timescales(sheet, header, problems, actions, [c.month for c in columns if c.month])
    labels = {c.month: c.label for c in columns if c.month and c.label.lower() in {"initial", "baseline"}}
    return PlanData(
        priorities=pd.DataFrame(
            [priorities[number] for number in sorted(priorities)],
            columns=PRIORITY_COLUMNS,
        ),
        actions=pd.DataFrame(actions, columns=ACTION_COLUMNS),
        ratings=pd.DataFrame(ratings, columns=RATING_COLUMNS, dtype=object),
        period_labels=labels,
    )


def _estimate_columns(header: Header, columns: list[RagColumn]) -> dict[int, int]:
    """RAG column index -> the index of the column noting which of its ratings are inferred."""
    found: dict[int, int] = {}
    for note in header.estimate_rag:
        for column in columns:
            same_month = note.month is not None and note.month == column.month
            same_label = note.month is None and note.label.lower() == column.label.lower()
            if same_month or same_label:
                found[column.index] = note.index
    return found


def _rag_months(sheet: Sheet, header: Header, problems: Problems, rag_months: dict[str, date]) -> list[RagColumn]:
    """RAG columns with a month each (from the heading or from the user), in month order."""
    given = {k.strip().lower(): v for k, v in rag_months.items()}
    resolved: list[RagColumn] = []
    for column in header.rag:
        month = column.month or given.get(column.label.lower()) or given.get(column.heading.strip().lower())
        if month is None:
            problems.error(
                "plan.rag_month_needed",
                f"the RAG column '{column.heading}' does not say which month it records; "
                f"give it, e.g. {column.label}=2017-02",
                sheet=sheet.name,
                row=sheet.excel_row(header.row),
                column=column.heading,
                col_index=sheet.excel_col(column.index),
                found=column.heading,
                expected="a heading with a month (RAG Nov 16) or the month for this column",
            )
            continue
        resolved.append(RagColumn(column.index, column.heading, month, column.label))
    months = [c.month for c in resolved]
    for column in resolved:
        if months.count(column.month) > 1:
            problems.error(
                "plan.rag_month_twice",
                f"two RAG columns record the same month ({column.month:%b %Y})",
                sheet=sheet.name,
                row=sheet.excel_row(header.row),
                column=column.heading,
                col_index=sheet.excel_col(column.index),
                found=column.heading,
                expected="one RAG column per month",
            )
    return sorted(resolved, key=lambda c: c.month or date.min)


def _row_priority(
    sheet: Sheet,
    header: Header,
    problems: Problems,
    values: pd.Series,
    row: int,
    ref: str,
    current: int | None,
) -> int | None:
    index = header.roles.get("priority")
    if index is not None and (text := clean_text(values.get(index))):
        digits = re.search(r"\d+", text)
        if digits:
            return int(digits[0])
        problems.error(
            "plan.bad_priority",
            "not a priority number",
            sheet=sheet.name,
            row=row,
            column=header.headings[index],
            col_index=sheet.excel_col(index),
            found=text,
            expected="a number such as 3 or 'Priority 3'",
        )
        return None
    from_ref = _priority_of(ref)
    ref_col = header.roles.get("ref", header.roles.get("action"))
    at_ref = (
        {"column": header.headings.get(ref_col, ""), "col_index": sheet.excel_col(ref_col)}
        if ref_col is not None
        else {}
    )
    if current is not None:
        if from_ref is not None and from_ref != current:
            problems.warning(
                "plan.priority_mismatch",
                f"action {ref} sits under Priority {current}; stored under Priority {current} as placed",
                sheet=sheet.name,
                row=row,
                **at_ref,
                found=ref,
            )
        return current
    if from_ref is None:
        problems.error(
            "plan.no_priority",
            f"cannot tell which priority {ref} belongs to: put it under a 'Priority N: ...' row",
            sheet=sheet.name,
            row=row,
            **at_ref,
            found=ref,
            expected="a priority heading row above it, or a Priority column",
        )
    return from_ref


def _ratings(
    sheet: Sheet,
    header: Header,
    problems: Problems,
    columns: list[RagColumn],
    raw_ratings: list[tuple[dict[str, object], list[str]]],
    fills: FillLookup | None,
) -> list[dict[str, object]]:
    blank_cells = {
        (int(str(action["excel_row"])), sheet.excel_col(c.index))
        for action, cells in raw_ratings
        for c, text in zip(columns, cells, strict=True)
        if not text
    }
    colours = fills(blank_cells) if fills and blank_cells else {}
    ratings: list[dict[str, object]] = []
    for action, cells in raw_ratings:
        row = int(str(action["excel_row"]))
        started = False
        for column, text in zip(columns, cells, strict=True):
            rating: str | None = None
            raw = text
            if text:
                try:
                    rating = parse_rating(text)
                except RatingError as exc:
                    problems.error(
                        "plan.bad_rating",
                        str(exc),
                        sheet=sheet.name,
                        row=row,
                        column=column.heading,
                        col_index=sheet.excel_col(column.index),
                        found=text,
                        expected=RAG_EXPECTED,
                    )
                    continue
                started = started or rating is not None or is_not_rated_mark(text)
            elif colour := colours.get((row, sheet.excel_col(column.index))):
                rating = rating_from_fill(colour)
                raw = f"fill #{colour[-6:]}"
                if rating is None:
                    problems.error(
                        "plan.bad_fill",
                        "the cell has no text and its colour is not a RAG colour",
                        sheet=sheet.name,
                        row=row,
                        column=column.heading,
                        col_index=sheet.excel_col(column.index),
                        found=raw,
                        expected="a rating typed in the cell, or a red/amber/green/blue fill",
                    )
                    continue
                started = True
            if started:
                ratings.append(_rating_row(action, column, rating, raw, sheet.name, row))
        if not started and columns:
            ratings.append(_rating_row(action, columns[-1], None, "", sheet.name, row))
    return ratings


def _rating_row(
    action: dict[str, object],
    column: RagColumn,
    rating: str | None,
    raw: str,
    sheet: str,
    row: int,
) -> dict[str, object]:
    notes = action.get("_rating_notes")
    return {
        "action_ref": action["action_ref"],
        "period": column.month,
        "rating": rating,
        "raw": raw,
        "sheet": sheet,
        "excel_row": row,
        "estimate_note": notes.get(column.index, "") if isinstance(notes, dict) else "",
    }


def _timescales(
    sheet: Sheet,
    header: Header,
    problems: Problems,
    actions: list[dict[str, object]],
    months: list[date],
) -> None:
    """Parse MM/YY timescales; keep the printed text, flag what cannot be a real date."""
    earliest = min(months) if months else None
    index = header.roles.get("timescale")
    for action in actions:
        text = str(action["timescale_text"])
        month = parse_timescale(text) if text else None
        flag = ""
        if text and month is None and fold_lookalikes(text).strip().upper() != "TBC":
            flag = "unreadable"
        elif month and earliest and (earliest.year - month.year) * 12 + earliest.month - month.month > _TYPO_MONTHS:
            flag = "implausible"
        action["timescale_month"] = month
        action["timescale_flag"] = flag
        if flag and index is not None:
            problems.warning(
                f"plan.timescale_{flag}",
                "timescale kept as printed but it is not a month"
                if flag == "unreadable"
                else f"timescale {month:%b %Y} is years before the first rating; kept as printed, likely a typo",
                sheet=sheet.name,
                row=int(str(action["excel_row"])),
                column=header.headings[index],
                col_index=sheet.excel_col(index),
                found=text,
                expected="MM/YY, e.g. 03/16",
            )
