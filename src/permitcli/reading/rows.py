"""What kind of row a row under the heading is, besides a goods line: a totals row, a charge, a footer label, a
caption (and the code it names), the column numbers under the heading, the heading repeated on a new page, a
"Country of origin" or "Currency" line, a code cell that is no goods. A "Label: value" caption cell is told by
vocabulary._is_caption; the walk over the rows (lines._walk) asks these in turn."""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from permitcli.codes import CodeKind, parse_code
from permitcli.model import Number, exact
from permitcli.countries import fold, resolve_country
from permitcli.reading.cells import _NON_DIGIT, _looks_numeric, _text
from permitcli.reading.headings import _Header
from permitcli.reading.vocabulary import _HEADER_PARTS, _classify

_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})")


def _goods_code(cell: object, desc: str) -> bool:
    """Is a code cell on a line without quantity or value still goods: a full 10-digit code, or a code or
    heading written as one beside a description (not a BIN, an account, a phone, a date)?"""
    if not desc:
        return parse_code(cell).kind is CodeKind.CODE and len(_NON_DIGIT.sub("", str(cell))) >= 9
    return _plausible_code(cell)


def _plausible_code(cell: object) -> bool:
    """Could the cell be a code or a heading as written (not a 12-digit BIN, a phone, a 7-digit number)?"""
    if type(cell) is str and _DATE.fullmatch(cell.strip()):  # "12.10.2026" is the day it was signed
        return False
    parsed = parse_code(cell)
    if parsed.kind is CodeKind.INVALID:  # nine digits typed as text: a code with a digit missing, still goods
        return len(_NON_DIGIT.sub("", str(cell))) == 9 and type(cell) is str
    return parsed.kind is CodeKind.CODE or (parsed.kind is CodeKind.PREFIX and not parsed.padded)


def _document_value(
    row: Sequence[object], colon: re.Pattern[str], label: re.Pattern[str], extra: re.Pattern[str] | None = None,
    loose: re.Pattern[str] | None = None,
) -> str | None:
    """"Label: value" in one cell, "Label" then the value in the next filled cell, `extra` ("Made in X"), or
    `loose`: a label and a value with nothing between, taken only when the value names a country."""
    cells = [_text(c) for c in row]
    for i, text in enumerate(cells):
        if not text:
            continue
        m = colon.match(text)
        if m:
            return m.group("value")
        if extra is not None:
            m = extra.match(text)
            if m:
                return m.group("value")
        if label.match(text):
            rest = [c for c in cells[i + 1 :] if c]
            return rest[0] if rest else None
        if loose is not None:
            m = loose.match(text)
            if m and resolve_country(m.group("value")):
                return m.group("value")
    return None


def _column_numbers_row(row: Sequence[object]) -> bool:
    """The "1 2 3 4 5" row many Russian forms put under the heading."""
    values = [_text(c) for c in row]
    values = [v for v in values if v]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _has_digit(row: Sequence[object], col: int | None, bad: bool) -> bool:
    """An unreadable number still counts as a quantity or value when it holds a digit ("около 5", "5 pcs");
    a longer text there (an address, a bank's name) is no number."""
    if not bad or col is None:
        return False
    text = _text(row[col])
    return len(text) <= 20 and any(ch.isdigit() for ch in text)


def _totals_text(text: str, totals: Callable[[str], re.Match[str] | None]) -> bool:
    """A totals caption ("Итого", "Итого по разделу 1", "Total amount"), not goods named with such a word
    ("Total station Leica TS16"): the word and at most two more words besides numbers."""
    m = totals(text)
    if m is None:
        return False
    rest = text[m.end():]
    if sum(1 for w in re.findall(r"\w+", rest) if not w.isdigit()) <= 2 or rest.lstrip().startswith((":", "：")):
        return True  # "Итого", "Total amount", "Total: FOB Laem Chabang"
    named = _classify(rest.strip(" :：")) if len(rest) <= 40 else None  # "Итого Кол-во мест", "Total Item Qty"
    return named is not None


def _heading_parts(header: _Header) -> Mapping[int, frozenset[str]]:
    """Per heading column, the folded texts a repeated heading row holds there ("Сумма / USD": both parts)."""
    return _parts_of(tuple(header.texts.items()))


@lru_cache(maxsize=256)  # the files of one program share their heading: worked out once for a batch (read only)
def _parts_of(texts: tuple[tuple[int, str], ...]) -> Mapping[int, frozenset[str]]:
    parts: dict[int, frozenset[str]] = {}
    for col, text in texts:
        pieces = {text, *text.split(" / "), *_HEADER_PARTS.split(text)}
        parts[col] = frozenset(key for key in map(fold, pieces) if key)
    return parts if len(parts) >= 2 else {}


def _repeats_heading(row: Sequence[object], parts: Mapping[int, frozenset[str]], fields: Mapping[int, str]) -> bool:
    """Does the row hold the heading again, in at least two of its columns (the same texts, or texts that name
    the same fields there: "Сумма, долл. США" for "Сумма, USD")?"""
    hits = 0
    for col, texts in parts.items():
        cell = row[col] if col < len(row) else ""
        if type(cell) is not str or not cell.strip():
            continue
        if fold(cell) in texts or (
            len(cell) <= 60 and (named := _classify(cell.strip())) is not None and named[0] == fields.get(col)
        ):  # a heading cell is short; a long text is never matched against the vocabulary here
            hits += 1
            if hits == 2:
                return True
    return False


def _footer_label(
    texts: Sequence[str], totals: Callable[[str], re.Match[str] | None], charges: Callable[[str], re.Match[str] | None]
) -> str | None:
    """Why a row with no description is a label and its value, not goods: "totals" or "charges" when its words
    are such a label ("TOTAL OF: 22 PALLETS", "Invoice Subtotal", "Other Tax"), "label" for one "Label:" and at
    most one value ("Bank account : 1000…"); None for anything else."""
    words = [t for t in texts if not _looks_numeric(t)]
    if not words or len(words) > 2:
        return None
    for w in words:
        if len(w) <= 40:
            if _totals_text(w, totals):
                return "totals"
            if charges(fold(w)):
                return "charges"
    first = words[0]
    return "label" if first.rstrip().endswith((":", "：")) and len(first) <= 40 and len(texts) <= 2 else None


_CAPTION_CODE = re.compile(r"(?<!\d)(\d{4}[ \u00a0]?\d{2}[ \u00a0]?\d{3}[ \u00a0]?\d)(?!\d)")


def _caption_code(text: str) -> str | None:
    """The one 10-digit TN VED code a caption names ("носки … из хлопчатобумажной пряжи 6115950000"), or None."""
    found = {m.group(1).replace(" ", "").replace("\u00a0", "") for m in _CAPTION_CODE.finditer(text)}
    return found.pop() if len(found) == 1 else None


class _Sums:
    """The quantities and values of the goods lines so far, and what they were at the last total.

    The numbers are kept as the cells gave them and added up exactly (as decimals) only when a row of numbers
    alone asks whether it is a total: a table without one never makes a Decimal for its lines.
    """

    __slots__ = ("quantities", "values", "_done", "_total", "_mark", "_at_mark")

    def __init__(self) -> None:
        self.quantities: list[Number] = []  # of each line that has one, in order (appended to by the walk)
        self.values: list[Number] = []
        self._done = [0, 0]  # how many of each are in _total
        self._total = [Decimal(0), Decimal(0)]
        self._mark = [0, 0]  # how many of each there were at the last total
        self._at_mark: list[Decimal] | None = [Decimal(0), Decimal(0)]  # their sum then (None: not added up yet)

    def mark(self) -> None:
        """A total was met: "since the last total" starts here."""
        self._mark = [len(self.quantities), len(self.values)]
        self._at_mark = None

    def _sums(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(quantities, values, quantities at the last total, values at it), added up exactly."""
        at_mark = self._at_mark
        if at_mark is None:
            at_mark = self._at_mark = [self._add_up(k, self._mark[k]) for k in (0, 1)]
        return self._add_up(0, len(self.quantities)), self._add_up(1, len(self.values)), at_mark[0], at_mark[1]

    def _add_up(self, k: int, upto: int) -> Decimal:
        numbers, done = (self.quantities, self.values)[k], self._done[k]
        if upto > done:
            self._total[k] += sum((exact(n) or Decimal(0) for n in numbers[done:upto]), Decimal(0))
            self._done[k] = upto
        return self._total[k]

    def sums_up(self, qty: Number | None, val: Number | None) -> bool:
        """Does a row of numbers alone hold the total of the lines above it (since the last total, or of all of
        them), in its quantity or its value?"""
        if qty is None and val is None:
            return True  # no quantity, no value: nothing of a line
        q, v, q_mark, v_mark = self._sums()
        cent = Decimal("0.01")
        return any(
            number is not None and total and abs(number - total) <= cent
            for number, total in ((exact(qty), q), (exact(qty), q - q_mark), (exact(val), v), (exact(val), v - v_mark))
        )
