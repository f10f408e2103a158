"""One cell as the reader takes it: as text, as a number, as a code attempt."""

from __future__ import annotations

import datetime
import math
import re
from functools import lru_cache

from permitcli.model import Number
from permitcli.reading.numbers import parse_number


NO_VALUE = frozenset({"nan", "none", "null", "-", "–", "—", "n/a", "#n/a"})  # number cells that say "nothing"


def _number(cell: object, comma_groups: bool = False, dot_groups: bool = False) -> tuple[Number | None, bool]:
    """A cell as a number: (value, unreadable). Empty cells are (None, False). A spreadsheet's number stays an int
    or a float (a whole float becomes an int), made exact (model.exact) only where it is added up or written;
    text is read as a Decimal."""
    kind = type(cell)
    if kind is float:
        if not math.isfinite(cell):  # type: ignore[arg-type]
            return None, True
        return (int(cell) if cell.is_integer() else cell), False  # type: ignore[union-attr, return-value]
    if kind is str:
        text = cell.strip()  # type: ignore[union-attr]
        if not text:
            return None, False
        value = parse_number(text, comma_groups, dot_groups)
        if value is None and text.lower() in NO_VALUE:
            return None, False  # "nan" as pandas writes an empty cell, "-" for none
        return value, value is None
    if kind is int:
        return cell, False  # type: ignore[return-value]
    if cell is None:
        return None, False
    return None, True  # a date, a time, a true/false cell


def _filled(cell: object) -> bool:
    """Does a cell hold anything (not None, not an empty or blank text)?"""
    return cell is not None and not (type(cell) is str and not cell.strip())  # type: ignore[union-attr]


def _text(cell: object) -> str:
    """A cell as text: strings stripped, whole floats without ".0", dates in ISO form."""
    kind = type(cell)
    if kind is str:
        return cell.strip()  # type: ignore[union-attr]
    if cell is None:
        return ""
    if kind is float and cell.is_integer():  # type: ignore[union-attr]
        return str(int(cell))  # type: ignore[arg-type]
    if isinstance(cell, (datetime.date, datetime.time)):
        return cell.isoformat()
    return str(cell)


def _code_cell(cell: object) -> object:
    """The code cell kept as read; a whole float becomes an int (spreadsheets store every number as float)."""
    kind = type(cell)
    if kind is str:
        return cell if cell.strip() else None  # type: ignore[union-attr]
    if kind is float and math.isfinite(cell) and cell.is_integer():  # type: ignore[arg-type, union-attr]
        return int(cell)  # type: ignore[arg-type]
    return cell


_NON_DIGIT = re.compile(r"\D+")


_CODE_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _codeish(cell: object) -> bool:
    """Does a code-column cell look like a code attempt (a number, or text that is mostly digits)?"""
    kind = type(cell)
    if kind is float or kind is int:
        return True
    if kind is not str:
        return False
    return _codeish_text(cell)  # type: ignore[arg-type]


@lru_cache(maxsize=8192)  # invoices repeat their codes; the bound keeps a file of unique ones in bounded memory
def _codeish_text(text: str) -> bool:
    compact = _CODE_SPACES.sub("", text)
    digits = len(_NON_DIGIT.sub("", compact))
    return digits >= 4 and digits * 2 >= len(compact)


def _has_letters(cell: object) -> bool:
    return type(cell) is str and any(ch.isalpha() for ch in cell)


def _cell_heading(cell: object) -> str:
    return cell.strip() if type(cell) is str else ""


def _looks_numeric(cell: object) -> bool:
    kind = type(cell)
    if kind is float or kind is int:
        return True
    if kind is not str or not cell.strip():  # type: ignore[union-attr]
        return False
    return parse_number(cell) is not None or _codeish(cell)  # type: ignore[arg-type]
