"""The fields a goods line has, column letters, and the --columns option (`code=C,description=Наименование`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from permitcli.errors import UsageError

FIELDS = (
    "code", "description", "origin", "quantity", "unit", "value", "currency", "destination", "evidence", "remarks",
    "unit_price",
    "final_destination",
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_LETTERS = re.compile(r"[A-Za-z]{1,2}")  # A..ZZ; longer texts are headings ("QTY", "Кол-во")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def parse_columns(spec: str) -> dict[str, str]:
    """`code=C,origin=E` (or `description=Наименование`) as a mapping for read_invoice(columns=...)."""
    result: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        field, sep, where = item.partition("=")
        field, where = field.strip().lower(), where.strip()
        if not sep or not where:
            raise UsageError(f"--columns: {item.strip()!r} is not field=COLUMN (e.g. code=C,origin=E)")
        if field not in FIELDS:
            raise UsageError(f"--columns: unknown field {field!r}; fields are {', '.join(FIELDS)}")
        result[field] = where
    return result


def _split_columns(columns: Mapping[str, str] | None) -> tuple[dict[str, int], dict[str, str]]:
    """--columns values: by letter (`C`) and by heading text (`Наименование`)."""
    by_letter: dict[str, int] = {}
    by_text: dict[str, str] = {}
    for field, where in (columns or {}).items():
        if field not in FIELDS:
            raise UsageError(f"--columns: unknown field {field!r}; fields are {', '.join(FIELDS)}")
        where = str(where).strip()
        if not where:
            raise UsageError(f"--columns: no column given for {field}")
        if _LETTERS.fullmatch(where):
            by_letter[field] = _column_index(where)
        else:
            by_text[field] = where
    used: dict[int, str] = {}
    for field, col in by_letter.items():
        if col in used:
            raise UsageError(f"--columns: column {column_letter(col)} is given for both {used[col]} and {field}")
        used[col] = field
    return by_letter, by_text
