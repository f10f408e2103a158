"""Turn what brokers type and what spreadsheets hold into EAEU TN VED codes (pure functions)."""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from decimal import Decimal

# Separators people put inside codes: spaces of every width, dots, dashes, slashes are not (they split codes).
_SEPARATORS = re.compile(r"[\s\u00a0\u2007\u2009\u202f.\-\u2010\u2011\u2012\u2013\u2014_]+")
_FLOAT_TEXT = re.compile(r"^(\d+)\.0+$")
# Words written around a code that are not part of it: "код 8481808191", "ТН ВЭД 8471500000", "HS: 8471…",
# and the "ex"/"из" marking goods that are only part of what the code covers ("из 8517620009", "8471500000 (ex)").
_LABEL = re.compile(
    r"^(?:(?:код|code)(?:\s+(?:тн\s*вэд|hs))?|тн\s*вэд(?:\s+еаэс)?|hs(?:\s+code)?|сэқ\s+тн(?:\s+коды)?)"
    r"\s*[:№#]?\s*(?=\d)|^[№#]\s*(?=\d)|^(?:ex|из)\.?\s*(?=\d)|\s*\(?(?:ex|из)\.?\)?$",
    re.IGNORECASE,
)
PREFIX_LENGTHS = (4, 6, 8)
WRONG_LENGTH = "wrong number of digits: a code has 10 (4, 6 or 8 for a heading)"


class CodeKind(enum.StrEnum):
    """What a normalised value turned out to be."""

    CODE = "code"  # a declarable 10-digit code
    PREFIX = "prefix"  # 4, 6 or 8 digits: a heading or subheading, not declarable
    INVALID = "invalid"  # not a code; `reason` says why
    EMPTY = "empty"  # nothing there


_CODE = CodeKind.CODE  # a module name: looking a member up on its enum class costs 20x


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """The result of normalising one raw value."""

    raw: str
    kind: CodeKind
    digits: str | None = None
    reason: str | None = None
    padded: bool = False  # a leading zero was restored (number cell)

    @property
    def is_code(self) -> bool:
        return self.kind is CodeKind.CODE


def format_code(digits: str) -> str:
    """Print digits the way the annexes do: `8481 80 819 1`, `8529 10`, `8807`."""
    if len(digits) == 10:
        return f"{digits[:4]} {digits[4:6]} {digits[6:9]} {digits[9]}"
    if len(digits) == 8:
        return f"{digits[:4]} {digits[4:6]} {digits[6:8]}"
    if len(digits) == 6:
        return f"{digits[:4]} {digits[4:6]}"
    return digits


def _from_number_digits(raw: str, digits: str) -> ParsedCode:
    # A number cell cannot hold a leading zero: pad an odd length by one.
    if len(digits) in (3, 5, 7, 9):
        padded = "0" + digits
        kind = CodeKind.CODE if len(padded) == 10 else CodeKind.PREFIX
        return ParsedCode(raw, kind, padded, padded=True)
    return _from_digits(raw, digits)


def _from_digits(raw: str, digits: str) -> ParsedCode:
    if len(digits) == 10:
        return ParsedCode(raw, CodeKind.CODE, digits)
    if len(digits) in PREFIX_LENGTHS:
        return ParsedCode(raw, CodeKind.PREFIX, digits)
    if len(digits) == 9:
        return ParsedCode(raw, CodeKind.INVALID, reason="9 digits typed as text: one digit is missing")
    return ParsedCode(raw, CodeKind.INVALID, reason=WRONG_LENGTH)


def parse_code(value: object) -> ParsedCode:
    """Normalise one cell or argument to a code, a prefix, or a reason why it is neither."""
    kind = value.__class__
    if kind is int and 1_000_000_000 <= value < 10_000_000_000:  # type: ignore[operator]
        return ParsedCode(str(value), _CODE, str(value))  # the common cases: 10 digits in a number cell,
    if kind is str:
        compact = value.replace(" ", "")  # type: ignore[attr-defined]
        if len(compact) == 10 and compact.isdigit() and compact.isascii():  # or as text, spaced or not
            return ParsedCode(value, _CODE, compact)  # type: ignore[arg-type]
    if value is None:
        return ParsedCode("", CodeKind.EMPTY, reason="no code")
    if isinstance(value, bool):
        return ParsedCode(str(value), CodeKind.INVALID, reason="a true/false cell is not a code")
    if isinstance(value, int):
        raw = str(value)
        if value < 0:
            return ParsedCode(raw, CodeKind.INVALID, reason="a negative number is not a code")
        return _from_number_digits(raw, raw)
    if isinstance(value, (float, Decimal)):
        raw = str(value)
        if isinstance(value, float) and not math.isfinite(value):
            return ParsedCode(raw, CodeKind.INVALID, reason="not a number")
        if value != value.__floor__() or value < 0:  # 8471.5 or -3
            return ParsedCode(raw, CodeKind.INVALID, reason="a number with decimals is not a code")
        return _from_number_digits(raw, str(int(value)))
    raw = str(value)
    text = raw.strip()
    if not text:
        return ParsedCode(raw, CodeKind.EMPTY, reason="no code")
    m = _FLOAT_TEXT.match(text)
    if m:  # "8471500000.0": a number written out as text by another program
        return _from_number_digits(raw, m.group(1))
    digits = _SEPARATORS.sub("", text)
    if not (digits.isascii() and digits.isdigit()):  # words around it? ("код 8471500000", "из 8517620009")
        digits = _SEPARATORS.sub("", _LABEL.sub("", text))
    if not digits.isascii() or not digits.isdigit():
        return ParsedCode(raw, CodeKind.INVALID, reason="not a code: it holds characters other than digits")
    return _from_digits(raw, digits)
