"""Look-alike letters: real exports (PDF to Word to Excel) put Cyrillic and Greek letters that look
like Latin ones into RAG cells and lead names ('ТВС' for 'TBC'). One table, used by the cell parser
and, generated as SQL `translate`, by queries that group free text."""

from __future__ import annotations

LOOKALIKES: dict[str, str] = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O",
    "Р": "P", "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Г": "G",
    "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "ɡ": "g",
    "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z",
    "ο": "o", "ν": "v", "α": "a", "ι": "i", "κ": "k", "ρ": "p", "τ": "t",
    "\u00a0": " ", "\u2013": "-", "\u2014": "-", "\u2212": "-",
}  # fmt: skip
_TABLE = str.maketrans(LOOKALIKES)


def fold_lookalikes(text: str) -> str:
    """Replace Cyrillic/Greek look-alike letters and odd spaces/dashes with their Latin forms."""
    return text.translate(_TABLE)


def fold_sql(column: str) -> str:
    """`fold_lookalikes` as SQL over a text column expression (NULL folds to '')."""
    source = "".join(LOOKALIKES).replace("'", "''")
    target = "".join(LOOKALIKES.values()).replace("'", "''")
    return f"translate(coalesce({column}, ''), '{source}', '{target}')"
