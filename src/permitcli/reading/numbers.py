"""Numbers as brokers type them (`1 000,50`, `1,234.50`, `1.234,50`, `$12.00`), and what a number cell says of
the file's commas."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_GROUP_SPACE = r"[\s\u00a0\u2007\u2009\u202f'’`]"


_NUM_SPACES = re.compile(_GROUP_SPACE + "+")


_NUM_SPACED = re.compile(r"\d" + _GROUP_SPACE + r"+\d")


_NUM_SPACE_GROUPED = re.compile(r"[+-]?\d{1,3}(?:" + _GROUP_SPACE + r"+\d{3})+(?:[.,]\d*)?")


_NUM_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


_NUM_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


_NUM_GROUPED_DOT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?")


_NUM_PREFIX = re.compile(r"^(?:[$€£¥₸₽]|[A-Z]{3}(?![A-Za-z]))\s*")


_DOT_THREE = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")  # "1.500": 1500 where the file writes 1.234,50


_COMMA_THREE = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")  # "1,500": 1.5 with a decimal comma, 1500 with groups


_COMMA_DECIMAL = re.compile(r"[+-]?\d+,(?:\d{1,2}|\d{4,})|[+-]?0,\d+|.*\d[\s\u00a0.]\d{3},\d+")  # "12,5", "1 000,50"


_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+\.\d+|[+-]?\d{1,3}(?:,\d{3}){2,}")  # "1,234.50", "1,234,567"


def _note_commas(text: str, styles: set[str]) -> None:
    if "," in text:
        style = comma_style(text)
        if style:
            styles.add(style)


def _bare_number(text: str) -> str:
    """A number cell without the currency sign or code around it ("$1,234.50", "2,500 USD")."""
    return _NUM_SUFFIX.sub("", _NUM_PREFIX.sub("", text.strip(), count=1), count=1)


def comma_style(text: str) -> str | None:
    """What one number cell says of the file's commas: "decimal" (`12,5`), "groups" (`1,234.50`) or None."""
    s = _bare_number(text)
    if "," not in s:
        return None
    if _COMMA_GROUPS.fullmatch(s):
        return "groups"
    if _NUM_GROUPED_DOT.fullmatch(s):  # "1.234,50": dots group thousands, the comma is decimal
        return "dot-groups"
    if _COMMA_DECIMAL.fullmatch(s):
        return "decimal"
    return None


_NUM_SUFFIX = re.compile(r"\s*(?:[$€£¥₸₽]|(?<![A-Za-z])[A-Z]{3})$")


def parse_number(text: str, comma_groups: bool = False, dot_groups: bool = False) -> Decimal | None:
    """A number as brokers type it: `1 000,50`, `1\\xa0000,50`, `1,000.50`, `1.000,50`, `-5`, `$12.00`, `12 USD`.

    A single comma is a decimal comma (`12,5` is 12.5); several commas, or a comma before a dot, group
    thousands, and so do spaces between groups of three digits. With `comma_groups` (the file writes
    `1,234.50`), a single comma before exactly three digits groups them too: `1,500` is 1500, not 1.5.
    Returns None for anything else.
    """
    if text.isdigit() and text.isascii():  # the common case, fast
        return Decimal(text)
    s = text.strip().replace("\u2212", "-")
    if not s:
        return None
    if not (s[-1].isdigit() and (s[0].isdigit() or s[0] in "+-.,")):
        s = _bare_number(s)  # a currency sign or ISO code
    if _NUM_SPACED.search(s) and not _NUM_SPACE_GROUPED.fullmatch(s):
        return None  # "2 5" is two numbers, not 25
    s = _NUM_SPACES.sub("", s)
    if not s:
        return None
    comma, dot = s.rfind(","), s.rfind(".")
    if comma >= 0 and dot >= 0:
        if comma > dot:  # 1.000,50
            if not _NUM_GROUPED_DOT.fullmatch(s):
                return None
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,000.50
            if not _NUM_GROUPED_COMMA.fullmatch(s):
                return None
            s = s.replace(",", "")
    elif comma >= 0:
        if s.count(",") > 1:
            if not _NUM_GROUPED_COMMA.fullmatch(s):
                return None
            s = s.replace(",", "")
        elif comma_groups and _COMMA_THREE.fullmatch(s):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif s.count(".") > 1 or (dot_groups and _DOT_THREE.fullmatch(s)):  # "1.234.567"; "1.500" in a 1.234,50 file
        if not _NUM_GROUPED_DOT.fullmatch(s):
            return None
        s = s.replace(".", "")
    if not _NUM_PLAIN.fullmatch(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid literals
        return None
