"""The goods lines of a table: the walk over its rows (in two passes: the first finds what comes after the lines
that need it, the second builds the lines), the document-wide origin and currency given to lines without one,
merged-down cells, and the accounting of every row (a line, skipped for a reason, or after the table's end)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal

from permitcli.codes import CodeKind, parse_code
from permitcli.countries import fold, resolve_country
from permitcli.i18n import label, message
from permitcli.model import Finding, InvoiceLine, exact
from permitcli.reading.cells import (
    _code_cell,
    _codeish,
    _codeish_text,
    _filled,
    _looks_numeric,
    _number,
    _text,
)
from permitcli.reading.columns import column_letter
from permitcli.reading.grid import _Grid
from permitcli.reading.headings import _Header
from permitcli.reading.numbers import (
    _COMMA_THREE,
    _bare_number,
    _note_commas,
    parse_number,
)
from permitcli.reading.rows import (
    _caption_code,
    _column_numbers_row,
    _document_value,
    _footer_label,
    _goods_code,
    _has_digit,
    _heading_parts,
    _repeats_heading,
    _Sums,
    _totals_text,
)
from permitcli.reading.vocabulary import _currency_in, _is_caption, _vocabulary, currency_code
from permitcli.units import unit_in_heading


@dataclass(frozen=True, slots=True)
class _DocumentValue:
    text: str
    row: int


class _RowList:
    """The rows a file-level finding names: the first ten are kept, the others only counted."""

    __slots__ = ("first", "count")

    def __init__(self) -> None:
        self.first: list[int] = []
        self.count = 0

    def add(self, number: int) -> None:
        if self.count < 10:
            self.first.append(number)
        self.count += 1

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """"row 7" or "rows 7, 9, 12" (the first ten, then a count), in a language."""
        shown = ", ".join(str(n) for n in self.first)
        if self.count == 1:
            return message("row-one", lang, rows=shown)
        more = message("rows-more", lang, n=self.count - 10) if self.count > 10 else ""
        return message("rows-many", lang, rows=shown, more=more)


def _line_notes(
    row: Sequence[object],
    number: int,
    qty_bad: bool,
    val_bad: bool,
    formula_cols: set[int] | None,
    cols: Mapping[str, int],
    lang: str = "en",
) -> tuple[Finding, ...]:
    """Reading findings for one line: numbers that are not numbers, formulas without a saved result."""
    notes: list[Finding] = []
    for field, bad in (("quantity", qty_bad), ("value", val_bad)):
        if bad:
            col = cols[field]
            notes.append(Finding("unreadable-number", message(
                "unreadable-number", lang, field=label(f"field-{field}", lang), text=_text(row[col]),
                cell=f"{column_letter(col)}{number}")))
    field_of = {col: field for field, col in cols.items()}
    for col in sorted(formula_cols or ()):
        if col in field_of:
            notes.append(Finding("formula-no-value", message(
                "formula-no-value-cell", lang, cell=f"{column_letter(col)}{number}",
                field=label(f"field-{field_of[col]}", lang))))
    return tuple(notes)


class _Found:
    """What a walk over the rows meets besides the goods lines, recorded as the rows are read."""

    __slots__ = ("origin", "origin_rows", "currency", "from_document", "currency_filled", "unlabelled",
                 "formula_rows", "commas", "charges", "skipped", "lines", "last_line", "tail", "quantities",
                 "marks_origin", "computed")

    def __init__(self) -> None:
        self.origin: _DocumentValue | None = None  # a "Country of origin" line in the title block
        self.currency: _DocumentValue | None = None  # the document-wide "Currency" line
        self.origin_rows: list[_OriginRow] = []  # "Country of origin" lines among the rows of the table
        self.commas: set[str] = set()  # what the number cells say of commas: "decimal", "groups"
        self.charges = _RowList()  # freight, insurance, discount, VAT rows, skipped
        self.from_document: dict[int, _RowList] = {}  # origin line -> the lines given its origin
        self.currency_filled = _RowList()  # lines given the document-wide currency
        self.unlabelled = _RowList()  # numbers without a code or a description, skipped
        self.formula_rows = _RowList()  # lines with a formula without a saved result
        self.skipped: list[tuple[int, str]] = []  # (row, reason) of every non-empty row that is no goods line
        self.lines = 0  # goods lines read
        self.last_line: int | None = None  # the row of the last goods line
        self.tail: list[int] = []  # non-empty rows under the footer (the walk ends at it)
        self.quantities = False  # the first pass: lines carry quantities (a code row without one is a caption)
        self.marks_origin: _DocumentValue | None = None  # "Made in China" in the shipping marks of a goods row

    def accounting(self) -> dict[str, object]:
        """Every non-empty row under the heading: a goods line, skipped for a reason, or after the table's end."""
        last = self.last_line if self.last_line is not None else -1
        before = [(row, why) for row, why in self.skipped if row < last]
        after = [(row, why) for row, why in self.skipped if row > last] if self.lines else []
        if not self.lines:
            before = list(self.skipped)
        by_reason: dict[str, list[int]] = {}
        for row, why in before:
            by_reason.setdefault(why, []).append(row)
        end = {"row": after[0][0], "reason": after[0][1]} if after else (
            {"row": self.tail[0], "reason": "after-footer"} if self.tail else None)
        after_rows = [row for row, _ in after] + self.tail
        return {
            "rows": self.lines + len(self.skipped) + len(self.tail),
            "lines": self.lines,
            "skipped": {why: _ranges(rows) for why, rows in sorted(by_reason.items())},
            "end": end,
            "after_end": _ranges(after_rows),
        }


def _ranges(rows: Sequence[int]) -> list[list[int]]:
    """[5, 6, 7, 9] as [[5, 7], [9, 9]]: row lists stay short in JSON however many rows they name."""
    out: list[list[int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1][1] = row
        else:
            out.append([row, row])
    return out


@dataclass(frozen=True, slots=True)
class _Fill:
    """The document-wide values given to the lines that have none of their own ("" for none)."""

    origin: str  # for lines under no section of their own: the footer's origin, or the title block's
    currency: str
    origin_row: int | None = None  # where `origin` is written
    sections: Mapping[int, str] = dc_field(default_factory=dict)  # a row opening a section -> its origin ("": unknown)
    stop: int | None = None  # the footer's row: the goods lines end above it
    commas: str | None = None  # "groups": `1,500` is 1500; "decimal": 1.5, "dot-groups": 1.5 and `1.500` is 1500;
    # None: unknown (`1,500` read as 1.5, and said)
    quantities: bool = False  # the lines carry quantities: a code and a text without one is a group's caption
    origin_sheet: str | None = None  # `origin` is written on another sheet of the workbook


@dataclass(slots=True)
class _OriginRow:
    """A "Country of origin: X" line met among the rows of the table."""

    text: str
    row: int
    after_goods: bool  # goods lines come before it
    followed: bool = False  # goods lines come after it (before the next such line): it opens a section


def _title_values(grid: _Grid, top: int, found: _Found) -> None:
    """Above the table: a document-wide origin or currency in the title block."""
    vocab = _vocabulary()
    for i in range(0, top):
        number = grid.numbers[i] if grid.numbers else i + 1
        value = _document_value(grid.rows[i], vocab.origin_colon, vocab.origin_label, vocab.origin_made_in,
                                vocab.origin_loose)
        if value and found.origin is None:
            found.origin = _DocumentValue(value, number)
        value = _document_value(grid.rows[i], vocab.currency_colon, vocab.currency_label)
        if not value:
            value = next((t for t in map(_title_currency, grid.rows[i]) if t), None)
        if value and found.currency is None:
            found.currency = _DocumentValue(value, number)


_TITLE_CURRENCY = re.compile(r"(?:^|\()\s*([^\W\d_][\w.$€¥₽₸ ]{0,14}?|[$€¥₽₸])\s*\)?\s*$")


def _title_currency(cell: object) -> str | None:
    """A title-block cell that is a currency alone, or a title ending in one in brackets: "RMB",
    "PROFORMA INVOICE (USD)"."""
    if type(cell) is not str or len(cell) > 60:
        return None
    m = _TITLE_CURRENCY.search(cell.strip())
    if m is None or (m.start() > 0 and "(" not in cell) or any(ch.isdigit() for ch in m.group(1)):
        return None
    return m.group(1) if _currency_in(m.group(1)) else None


def _merge_down(
    row: list[object],
    index: int,
    columns: Iterable[int],
    down: Mapping[tuple[int, int], tuple[int, int]],
    tops: set[tuple[int, int]],
    values: dict[tuple[int, int], object],
    numbers: Sequence[int] = (),
) -> set[int]:
    """Give the empty cells of a merged-down range the value of its first cell (kept as its row goes past);
    returns the columns filled. A caption row ("Страна происхождения: Германия") a range runs through is left
    as it is: it is no goods line."""
    filled: set[int] = set()
    for col in columns:
        key = (index, col)
        if key in tops:
            values[key] = row[col]
        source = down.get(key)
        if source is not None and (row[col] is None or row[col] == ""):
            filled.add(col)
    if filled and any(_is_caption(c) for c in row) and not any(row[c] not in ("", None) for c in numbers):
        return set()  # a caption; "MADE IN CAMBODIA" in the marks of a line with its quantity is no caption
    for col in filled:
        row[col] = values.get((down[(index, col)]), "")
    return filled


def _walk(
    rows: Iterable[tuple[int, list[object]]],
    header: _Header,
    formulas: Mapping[int, set[int]],
    found: _Found,
    fill: _Fill | None,
    lang: str = "en",
    merged: Sequence[tuple[int, int, int, int]] = (),
) -> Iterator[InvoiceLine]:
    """The goods lines among `rows` (row number, cells), which start at the first row under the heading.

    With `fill`, yields the lines one at a time, gives them the origin (of their section, of the footer or
    of the title block) and the currency they lack, stops at the footer, and records in `found` the rows
    filled in or skipped. Without it (the first pass), builds no line and yields nothing: it only records in
    `found` what may come after the lines that need it: the "Country of origin" lines and whether goods
    follow each (a section) or not (the footer), a "Currency:" caption, and how the numbers write commas.
    """
    vocab = _vocabulary()
    cols = header.columns
    width = max(cols.values()) + 1
    ci = cols.get("code")
    di = cols.get("description")
    oi = cols.get("origin")
    qi = cols.get("quantity")
    ui = cols.get("unit")
    vi = cols.get("value")
    cui = cols.get("currency")
    dsi = cols.get("destination")
    ei = cols.get("evidence")
    ri = cols.get("remarks")
    fdi = cols.get("final_destination")
    # No unit column: every line has the unit its quantity heading names ("Q-ty, Sets", "Кол-во, шт"), if any.
    heading_unit = unit_in_heading(header.texts.get(qi, "")) if ui is None and qi is not None else ""
    field_of = {col: field for field, col in cols.items()}
    line_columns = [c for c in (oi, ui, dsi, ei) if c is not None]  # what only a goods line fills in
    substance = [c for c in (qi, vi, oi, ui) if c is not None]  # what a goods line has besides its code
    headed = header.top is not None
    totals = vocab.totals.match
    opens_total = vocab.totals_opener  # a cheap look at a description's first character before the pattern
    scan = fill is None
    fill_origin = fill.origin if fill is not None else ""
    origin_source = fill.origin_row if fill is not None else None
    sections = fill.sections if fill is not None else {}
    stop = fill.stop if fill is not None else None
    fill_currency = fill.currency if fill is not None else ""
    currency_filled = found.currency_filled.add
    repeated = _heading_parts(header)
    # A cell merged down over several lines (one code or origin for a group of lines) holds its value in its
    # first row only: the lines under it take it from there.
    down_columns = {c for c in (ci, di, oi, ui, cui, dsi, ei) if c is not None}
    merged_down: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, _c2 in merged:
        if r2 > r1 and c1 in down_columns:
            for r in range(r1 + 1, r2 + 1):
                merged_down[(r, c1)] = (r1, c1)
    merged_top = set(merged_down.values())
    merged_values: dict[tuple[int, int], object] = {}
    # A description merged leftward over a marks column ("A17:C17" under a heading in B) holds its text in the
    # first cell of the range: a line whose description cell is empty takes it from there.
    # A range that also covers a number column is a note written across the table, not a description.
    merged_left = {r1: c1 for r1, c1, r2, c2 in merged if r1 == r2 and di is not None and c1 < di <= c2
                   and not any(c1 <= c <= c2 for c in (qi, vi, cols.get("unit_price")) if c is not None)}
    comma_groups = fill is not None and fill.commas == "groups"
    dot_groups = fill is not None and fill.commas == "dot-groups"  # the file writes 1.234,50: "1.500" is 1500
    comma_unknown = fill is not None and fill.commas is None
    number_columns = [c for c in (qi, vi) if c is not None]
    marks = [c for c in range(width) if c not in field_of] or None  # shipping marks, item numbers, models
    commas = found.commas
    origin_rows = found.origin_rows
    awaiting = False  # the first pass: an origin line was met and no goods line after it yet
    start = header.top + header.height if header.top is not None else 0

    seen = False  # a goods line has been met
    empty: tuple[Finding, ...] = ()
    skipped = found.skipped
    pi = cols.get("unit_price")
    with_quantities = fill is not None and fill.quantities
    group_code: object = None  # a caption's code, for the lines under it that have none
    pending: InvoiceLine | None = None  # a row that is a group's caption or a line, until the next line tells
    caption = False
    group_row = 0
    # Quantities and values of all the lines so far, and what they were at the last total.
    sums = _Sums()
    add_quantity, add_value = sums.quantities.append, sums.values.append
    ended = False  # the footer was met: the rows under it are only counted
    held: InvoiceLine | None = None  # a line without a code, until the next row tells whether it gives one
    i = start - 1
    for number, row in rows:
        i += 1
        if ended:
            if any(map(_filled, row)):
                found.tail.append(number)
            continue
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        if held is not None and any(map(_filled, row)):
            below = _code_below(row, ci)
            if below is not None:  # "код ТН ВЭД 84137021" on the row under a line without a code: its code
                yield held.replace(code_raw=below, notes=held.notes + (Finding(
                    "code-from-caption", message("code-from-caption-below", lang, row=number)),))
                held = None
                skipped.append((number, "caption"))
                continue
            yield held
            held = None
        filled_in: set[int] | tuple[()] = ()
        if merged_down:
            filled_in = _merge_down(row, number - 1, down_columns, merged_down, merged_top, merged_values,
                                    number_columns)
            if filled_in and not any(_filled(c) for j, c in enumerate(row) if j not in filled_in):
                continue  # nothing of its own: only a merged cell running down past it
        # The hot path: spreadsheets give floats and strings; everything else goes through the helpers.
        if ci is not None:
            code = row[ci]
            kind = type(code)
            if kind is float:
                is_code = True
                code = int(code) if code.is_integer() else code  # type: ignore[union-attr]
            elif kind is str:
                is_code = _codeish_text(code)  # type: ignore[arg-type]
                if not is_code and not code.strip():  # type: ignore[union-attr]
                    code = None
            else:
                is_code = _codeish(code)
                code = _code_cell(code)
        else:
            code, is_code = None, False
        if scan:  # numbers written as text: what their commas mean (spreadsheet numbers have none)
            if qi is not None and type(row[qi]) is str:
                _note_commas(row[qi], commas)  # type: ignore[arg-type]
            if vi is not None and type(row[vi]) is str:
                _note_commas(row[vi], commas)  # type: ignore[arg-type]
        if scan and is_code and seen:
            if qi is not None and not found.quantities and row[qi] not in ("", None):
                found.quantities = True
            if awaiting and (not substance or any(_text(row[c]) for c in substance)):  # goods follow it
                origin_rows[-1].followed, awaiting = True, False
            continue  # the first pass: past the first line, a code row is a line or a total, never a caption
        # A spreadsheet's finite number (x - x == 0) is the common case: read here as _number reads it, the rest
        # by _number.
        qty = row[qi] if qi is not None else None
        if qty.__class__ is float and qty - qty == 0:  # type: ignore[operator]
            qty, qty_bad = (int(qty) if qty.is_integer() else qty), False  # type: ignore[union-attr, arg-type]
        else:
            qty, qty_bad = _number(qty, comma_groups, dot_groups)
        val = row[vi] if vi is not None else None
        if val.__class__ is float and val - val == 0:  # type: ignore[operator]
            val, val_bad = (int(val) if val.is_integer() else val), False  # type: ignore[union-attr, arg-type]
        else:
            val, val_bad = _number(val, comma_groups, dot_groups)
        if di is not None:
            cell = row[di]
            desc = cell.strip() if type(cell) is str else _text(cell)  # type: ignore[union-attr]
            if not desc and merged_left and (number - 1) in merged_left:
                desc = _text(row[merged_left[number - 1]])
        else:
            desc = ""
        cells_with_formula = formulas.get(number) if formulas else None
        small = type(code) is int and code < 1000  # type: ignore[operator]  # a count, not a code
        if (i < start + 2 or small) and _column_numbers_row(row):
            if not scan:
                skipped.append((number, "column-numbers"))
            continue  # "1 2 3 4 5" under the heading (or under a heading repeated on a new page)
        if small and totals(next((t for t in (_text(c) for c in row) if t and not _looks_numeric(t)), "")):
            if not scan:
                skipped.append((number, "totals"))
            continue  # "Итого" with the number of lines in the code column
        caption = False
        if not is_code:
            texts = [t for t in (_text(c) for j, c in enumerate(row) if j != ci or type(c) is str) if t]
            if not texts and not cells_with_formula:
                if not scan and any(map(_filled, row)):
                    skipped.append((number, "stray-cell"))  # a date or a true/false cell alone
                continue  # blank
            if repeated and qty is None and val is None and _repeats_heading(row, repeated, field_of):
                if not scan:
                    skipped.append((number, "repeated-heading"))
                continue  # the heading again, at the top of a new page
            first_text = next((t for t in texts if not _looks_numeric(t)), "")
            own_origin = oi is not None and oi not in filled_in and _text(row[oi])
            if not desc and not own_origin and (why := _footer_label(texts, totals, vocab.charges.match)):
                if not scan:
                    skipped.append((number, why))
                    if why == "totals":
                        sums.mark()
                continue  # "Invoice Subtotal 38.00", "Bank account: 1000…", "Deposit Received" under the table
            if first_text and not own_origin:
                if _totals_text(first_text, totals) or (
                    desc and desc is not first_text and len(desc) <= 40 and _totals_text(desc, totals)
                ):
                    if scan and found.currency is None:  # "Currency Code: EUR … Total Item Qty"
                        value = _document_value(row, vocab.currency_colon, vocab.currency_label)
                        if value:
                            found.currency = _DocumentValue(value, number)
                    if not scan:
                        skipped.append((number, "totals"))
                        sums.mark()
                        group_code = None
                        if pending is not None:  # a code row closed by a total was a line of its own
                            found.lines += 1
                            found.last_line = pending.row
                            yield pending
                            pending = None
                    continue  # "Итого", "Total", "Барлығы" (a "Total station" with its own origin is goods)
                if qty is None and vocab.charges.match(fold(first_text)):
                    if not scan:
                        found.charges.add(number)
                        skipped.append((number, "charges"))
                    continue  # "Freight", "Страховка", "в т.ч. НДС": a charge on the invoice, not goods
            value = (_document_value(row, vocab.origin_colon, vocab.origin_label, vocab.origin_made_in,
                                     vocab.origin_loose)
                     if qty is None and val is None else None)  # a line with numbers is goods, whatever it says
            if value:
                if scan:
                    origin_rows.append(_OriginRow(value, number, seen))
                    awaiting = True
                elif number == stop:
                    skipped.append((number, "origin-footer"))
                    ended = True  # the footer: the goods lines end here
                    continue
                else:
                    skipped.append((number, "origin-caption"))
                    if number in sections:
                        fill_origin, origin_source = sections[number], number  # the lines under it have its origin
                continue
            if qty is None and val is None and not _has_digit(row, qi, qty_bad) and not _has_digit(row, vi, val_bad):
                has_formula = cells_with_formula and any(c in field_of for c in cells_with_formula)
                # A description with its own origin or unit is a goods line whose code is missing, not a caption;
                # without a heading row (--columns by letter) only once goods lines have begun.
                goods = desc and (seen or headed) and any(_text(row[c]) for c in line_columns if c not in filled_in)
                if not (desc and has_formula) and not goods:
                    if scan:
                        if found.currency is None:
                            value = _document_value(row, vocab.currency_colon, vocab.currency_label)
                            if value:
                                found.currency = _DocumentValue(value, number)
                    else:
                        skipped.append((number, "caption"))
                        caption_code = _caption_code(desc or first_text)
                        if caption_code is not None:
                            group_code, group_row = caption_code, number
                    continue  # a section caption, a signature, a note
            if not desc and not own_origin and not any(not _looks_numeric(t) for t in texts):
                # Numbers alone: the total of the lines above when it sums them up, else a row the reader cannot
                # place, kept as a line for a person to look at.
                if not scan and sums.sums_up(qty, val):
                    skipped.append((number, "totals"))
                    sums.mark()
                    continue
                unclear = True
            else:
                unclear = False
        elif (
            qty is None and val is None and di is not None and not _goods_code(code, desc)
            and not any(_text(row[c]) for c in line_columns)
        ) or (desc and opens_total[desc[0]] and totals(desc) and _totals_text(desc, totals)
              and not (oi is not None and oi not in filled_in and _text(row[oi]))):
            # A number in the code column with at most a label ("БИН", "Тел.") and no quantity, value, origin or
            # unit: a BIN, an account, a phone under the table, not goods. A real code with a description stays.
            # And "Итого по коду" with the code it sums up is a subtotal, not another line.
            if not scan:
                if desc and totals(desc):
                    skipped.append((number, "totals"))
                    sums.mark()
                    group_code = None
                else:
                    found.unlabelled.add(number)
                    skipped.append((number, "not-goods"))
            continue
        else:
            unclear = False
            # In a table whose lines carry quantities, a code and a text with no quantity or value may be a group's
            # caption, whose code is for the lines under it that have none of their own: held back until the next
            # line tells (a line without a code: a caption; else, or at a total or the end: a line of its own).
            caption = (with_quantities and qty is None and val is None and not qty_bad and not val_bad
                       and not any(_text(row[c]) for c in line_columns if c not in filled_in))
        seen = True
        if scan:
            if qty is not None:
                found.quantities = True
            if awaiting and is_code and (not substance or any(_text(row[c]) for c in substance)):
                origin_rows[-1].followed, awaiting = True, False  # goods follow the origin line met last
            if marks is not None and found.marks_origin is None:
                _marks_origin(row, marks, number, found)
            continue
        if awaiting and is_code and (not substance or any(_text(row[c]) for c in substance)):
            origin_rows[-1].followed, awaiting = True, False  # goods follow the origin line met last
        line_notes = empty
        if qty_bad or val_bad or cells_with_formula:
            line_notes = _line_notes(row, number, qty_bad, val_bad, cells_with_formula, cols, lang)
            if any(n.type == "formula-no-value" for n in line_notes):
                found.formula_rows.add(number)
        if comma_unknown and (qty.__class__ is Decimal or val.__class__ is Decimal):  # text read as a number
            for c in number_columns:
                cell = row[c]
                if type(cell) is str and "," in cell and _COMMA_THREE.fullmatch(_bare_number(cell)):  # type: ignore[arg-type]
                    line_notes += (Finding("number-ambiguous", message(
                        "number-ambiguous", lang, text=cell.strip(), cell=f"{column_letter(c)}{number}",  # type: ignore[union-attr]
                        read=format(parse_number(cell), "f"))),)  # type: ignore[arg-type]
        if val is None and pi is not None and qty is not None and not val_bad:
            price, _bad = _number(row[pi], comma_groups, dot_groups)
            if price is not None:
                val = exact(qty) * exact(price)  # type: ignore[operator]
                line_notes += (Finding("value-computed", message(
                    "value-computed", lang, value=format(val, "f"), quantity=f"{column_letter(qi)}{number}",  # type: ignore[arg-type]
                    price=f"{column_letter(pi)}{number}")),)
        if unclear:
            line_notes += (Finding("row-unclear", message("row-unclear", lang, row=number)),)
        if pending is not None:
            if code is None:  # the held-back row was a group's caption
                group_code, group_row = pending.code_raw, pending.row
                skipped.append((pending.row, "caption"))
            else:
                found.lines += 1
                found.last_line = pending.row
                yield pending
            pending = None
        if code is None and group_code is not None:
            code = group_code
            line_notes += (Finding("code-from-caption", message("code-from-caption", lang, row=group_row)),)
        if qty is not None:
            add_quantity(qty)
        if val is not None:
            add_value(val)
        if not caption:
            found.lines += 1
            found.last_line = number
        if oi is not None:
            cell = row[oi]
            origin = cell.strip() if type(cell) is str else _text(cell)  # type: ignore[union-attr]
        else:
            origin = ""
        if ui is not None:
            cell = row[ui]
            unit = cell.strip() if type(cell) is str else _text(cell)  # type: ignore[union-attr]
        else:
            unit = heading_unit
        if cui is not None:
            cell = row[cui]
            currency = currency_code(cell if type(cell) is str else _text(cell))  # type: ignore[arg-type]
        else:
            currency = ""
        from_doc = False
        if fill_origin and not origin:
            origin, from_doc = fill_origin, True
            filled = found.from_document.get(origin_source)  # type: ignore[arg-type]
            if filled is None:
                filled = found.from_document[origin_source] = _RowList()  # type: ignore[index]
            filled.add(number)
        if fill_currency and not currency:
            currency = fill_currency
            currency_filled(number)
        line = InvoiceLine(
            number,
            code,
            desc,
            origin,
            qty,
            unit,
            val,
            currency,
            _text(row[dsi]) if dsi is not None else "",
            _text(row[ei]) if ei is not None else "",
            from_doc,
            line_notes,
            _text(row[ri]) if ri is not None and ei is None else "",  # an evidence column says it all
            _text(row[fdi]) if fdi is not None else "",
        )
        if caption:
            pending = line
        elif code is None and not scan:
            if held is not None:
                yield held
            held = line  # a caption under it may still give its code
        else:
            if held is not None:
                yield held
                held = None
            yield line
    if held is not None:
        yield held
    if pending is not None:
        found.lines += 1
        found.last_line = pending.row
        yield pending


_CODE_LABEL = re.compile(r"^\s*(?:код|code|hs|тн\s*вэд|сэқ\s*тн)[\w\s.]*?[:№#]?\s*(?=\d)", re.IGNORECASE)


def _code_below(row: Sequence[object], ci: int | None) -> str | None:
    """A row that only names a code ("код ТН ВЭД 84137021", "HS: 8413 70 210 0"), outside the code column: the
    code's digits (10, or 8 for a subheading), else None."""
    texts = [c for j, c in enumerate(row) if j != ci and _filled(c)]
    if len(texts) != 1 or type(texts[0]) is not str:
        return None
    text = texts[0].strip()
    if len(text) > 40:
        return None
    bare = _CODE_LABEL.sub("", text)
    if bare == text and not bare.replace(" ", "").isdigit():
        return None
    parsed = parse_code(bare)
    if parsed.kind is CodeKind.CODE or (parsed.kind is CodeKind.PREFIX and len(parsed.digits or "") == 8):
        return parsed.digits
    return None


def _marks_origin(row: Sequence[object], marks: Sequence[int], number: int, found: _Found) -> None:
    """"Made in China" in the shipping marks on a goods row: the origin of the whole consignment."""
    vocab = _vocabulary()
    for col in marks:
        cell = row[col] if col < len(row) else None
        if type(cell) is str and "made" in cell.lower():
            m = vocab.made_in_anywhere.search(cell)
            if m and resolve_country(m.group("value")):
                found.marks_origin = _DocumentValue(m.group("value"), number)
                return


def _origin_fill(found: _Found, notes: list[Finding], lang: str) -> _Fill:
    """Which lines take which document origin, from the "Country of origin" lines the first pass met.

    A line followed by goods lines opens a section: the lines under it, up to the next such line, take its
    origin. The last one, under the goods lines, is the footer: the goods lines end there, and those under no
    section take its origin (else the title block's). An origin that names no country is said, and not used.
    """

    def usable(text: str, row: int) -> str:
        if resolve_country(text):
            return text
        notes.append(Finding("document-origin-unknown", message("document-origin-unknown", lang, row=row, text=text)))
        return ""

    sections = {r.row: usable(r.text, r.row) for r in found.origin_rows if r.followed}
    for r in found.origin_rows:
        if r.followed and r.after_goods:
            notes.append(Finding("origin-between-lines", message("origin-between-lines", lang, row=r.row, text=r.text)))
    last = found.origin_rows[-1] if found.origin_rows else None
    if last is not None and not last.followed and last.after_goods:
        return _Fill(usable(last.text, last.row), "", last.row, sections, last.row)
    if found.origin is not None:
        return _Fill(usable(found.origin.text, found.origin.row), "", found.origin.row, sections)
    if found.marks_origin is not None:
        return _Fill(found.marks_origin.text, "", found.marks_origin.row, sections)
    return _Fill("", "", None, sections)
