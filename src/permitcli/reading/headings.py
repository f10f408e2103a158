"""Where a goods table starts and which column holds which field: the heading row (or two rows, or a heading
merged over several columns), checked against the cells under it; a table with no heading told from its cells;
--columns honoured; the CSV delimiter under which a heading is found."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from permitcli.codes import CodeKind, parse_code
from permitcli.countries import fold, resolve_country
from permitcli.errors import InputError, UsageError
from permitcli.model import exact as exact_number
from permitcli.reading.cells import (
    _cell_heading,
    _codeish,
    _filled,
    _has_letters,
    _looks_numeric,
    _number,
    _text,
)
from permitcli.reading.columns import column_letter
from permitcli.reading.grid import _SAMPLE_CHARS, _Grid, _sample_rows
from permitcli.reading.vocabulary import _classify, _currency_cell, _is_caption, _vocabulary


@dataclass(frozen=True, slots=True)
class _Header:
    top: int | None  # 0-based index of the first header row; None: no header row (columns given by letter)
    height: int  # header rows: 1, or 2 for a heading with sub-headings under merged cells
    columns: dict[str, int]  # field -> 0-based column
    texts: dict[int, str]  # column -> heading text as found
    score: float
    inferred: tuple[str, ...] = ()  # fields whose column was told from the cells under the heading, not its text


def _is_valid(fields: Mapping[str, int]) -> bool:
    return "code" in fields or ("description" in fields and "quantity" in fields)


_AMOUNTS = ("quantity", "value", "unit_price")


def _is_table(fields: Mapping[str, int], rows: Sequence[Sequence[object]], start: int) -> bool:
    """A heading without a code or a description is still a goods table when it names a quantity or an amount
    and another role, and numbers stand under them in the rows that follow ("art | qty | country | total")."""
    if _is_valid(fields):
        return True
    named = [f for f in fields if f in _AMOUNTS or f in ("origin", "unit", "description")]
    if len(named) < 2 or not any(f in fields for f in _AMOUNTS):
        return False
    cols = [fields[f] for f in _AMOUNTS if f in fields]
    for row in rows[start : start + 4]:
        if any(col < len(row) and _number(row[col])[0] is not None for col in cols):
            return True
    return False


def _column_cells(rows: Sequence[Sequence[object]], start: int, col: int, limit: int = 12) -> list[object]:
    """The first filled cells of a column under a heading (or from the top)."""
    cells: list[object] = []
    for row in rows[start:]:
        if col < len(row):
            cell = row[col]
            if _filled(cell):
                cells.append(cell)
                if len(cells) == limit:
                    break
    return cells


def _full_code(cell: object) -> bool:
    parsed = parse_code(cell)
    return parsed.kind is CodeKind.CODE and not parsed.padded


def _code_column(cells: Sequence[object]) -> bool:
    """Do the cells of a column hold TN VED codes: two or more full codes, and most of them codes?"""
    codes = sum(1 for c in cells if _full_code(c))
    return codes >= 2 and codes * 10 >= len(cells) * 6


def _by_content(
    columns: dict[str, int], texts: Sequence[str], rows: Sequence[Sequence[object]], start: int,
    fixed: Mapping[str, int],
) -> tuple[str, ...]:
    """Check and complete a heading's columns against the cells under it; returns the fields told from cells.

    A column named as the code that holds words and no code attempt ("Commodity Description (Customs)") is no
    code column. A column headed only "Код" / "Code" (an article code as often as not) whose cells are TN VED
    codes is the code column.
    """
    inferred: list[str] = []
    code_col = columns.get("code")
    if code_col is not None and "code" not in fixed:
        cells = _column_cells(rows, start, code_col)
        if cells and not any(_codeish(c) for c in cells) and sum(map(_has_letters, cells)) * 2 >= len(cells):
            del columns["code"]
            code_col = None
    if code_col is None and "code" not in fixed:
        taken = set(columns.values())
        for col, text in enumerate(texts):
            if col in taken or not text or not _plain_code(text):
                continue
            if _code_column(_column_cells(rows, start, col)):
                columns["code"] = col
                inferred.append("code")
                break
    return tuple(inferred)


def _assign(
    classified: Mapping[int, tuple[str | None, float, int]], fixed: Mapping[str, int]
) -> tuple[dict[str, int], float]:
    """Give each field its best column; a column feeds one field; `fixed` fields and columns are taken."""
    taken = set(fixed.values())
    best: dict[str, tuple[int, float, int]] = {}
    for col, (field, score, priority) in classified.items():
        if field is None or field in fixed or col in taken:
            continue
        rank = (priority, score, -col)
        if field not in best or rank > (best[field][0], best[field][1], -best[field][2]):
            best[field] = (priority, score, col)
    columns = {field: col for field, (_p, _s, col) in best.items()}
    return columns, sum(score for _p, score, _c in best.values()) / 100.0


@lru_cache(maxsize=4096)  # rows of goods name the same fields in the same columns, line after line
def _assign_row(
    classified: tuple[tuple[int, tuple[str | None, float, int]], ...], fixed: tuple[tuple[str, int], ...]
) -> tuple[dict[str, int], float]:
    """_assign for one row's roles; the columns given back are shared: they are copied, never changed."""
    return _assign(dict(classified), dict(fixed))


def _spread_merged(texts: list[str], row: int, merged: Sequence[tuple[int, int, int, int]]) -> list[str]:
    """Copy a merged heading into every column it spans (the value sits in the top-left cell only)."""
    out = list(texts)
    for r1, c1, r2, c2 in merged:
        if r1 <= row <= r2 and c1 < len(out) and out[c1]:
            for c in range(c1 + 1, min(c2 + 1, len(out))):
                if not out[c]:
                    out[c] = out[c1]
    return out


_ASCII_LETTER = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=1)
def _letterless_terms() -> bool:
    """Does the vocabulary hold a heading term without a letter?"""
    return any(not any(ch.isalpha() for ch in term) for term in _vocabulary().index)


@lru_cache(maxsize=8192)  # row after row and file after file repeat their texts
def _role(text: str) -> tuple[str | None, float, int] | None:
    """_classify, which is not asked about a text of ASCII digits and signs (a code typed as text, a date): it
    could only match a term without a letter exactly, and the vocabulary has none."""
    if text.isascii() and not _ASCII_LETTER.search(text) and not _letterless_terms():
        return None
    return _classify(text)


def _detect_header(
    rows: Sequence[Sequence[object]],
    scan: int,
    fixed: Mapping[str, int],
    merged: Sequence[tuple[int, int, int, int]] = (),
) -> _Header | None:
    """The best heading row (or pair of rows) among the first `scan` rows, valid together with `fixed`."""
    limit = min(scan, len(rows))
    headings = [[c.strip() if type(c) is str else "" for c in rows[i]] for i in range(limit)]  # _cell_heading
    classified: list[dict[int, tuple[str | None, float, int]]] = []
    spans = [(r1, c1, c2) for r1, c1, r2, c2 in merged if c2 > c1 and r1 < limit]
    for i, texts in enumerate(headings):
        found = {col: result for col, text in enumerate(texts) if text and (result := _role(text)) is not None}
        for r1, c1, c2 in spans:
            if r1 == i and c1 in found and c1 < len(texts):
                found.update(_span_roles(texts[c1], range(c1, c2 + 1), rows, i + 1))
        classified.append(found)

    fixed_items = tuple(fixed.items())
    singles = [_assign_row(tuple(found.items()), fixed_items) if found else ({}, 0.0) for found in classified]
    best: _Header | None = None
    for i in range(limit):
        columns, score = singles[i]
        merged_fields = {**columns, **fixed}
        candidate: _Header | None = None
        # A row that scores no higher than the best heading so far cannot take its place on its own: its cells
        # are not checked (the checks change its columns, never its score).
        single = bool(columns) and (best is None or score > best.score)
        inferred = _by_content(merged_fields, headings[i], rows, i + 1, fixed) if single else ()
        if single and _is_table(merged_fields, rows, i + 1):
            found_texts = {col: headings[i][col] for col in merged_fields.values() if col < len(headings[i])}
            candidate = _Header(i, 1, merged_fields, found_texts, score, inferred)
        # Two heading rows: "Стоимость" merged over two columns, "Цена" and "Сумма" under it.
        if (
            i + 1 < limit
            and classified[i]
            and classified[i + 1]
            and not any(_looks_numeric(c) for c in rows[i + 1])
            and not any(_is_caption(c) for c in rows[i + 1])  # "Страна происхождения: Китай" opens the goods
        ):
            top = _spread_merged(headings[i], i, merged)
            combined = dict(classified[i])
            for col in range(len(top)):
                if top[col] and col not in combined:
                    result = _classify(top[col])
                    if result is not None:
                        combined[col] = result
            combined.update(classified[i + 1])  # the sub-heading, when it names anything, is the specific one
            lower = headings[i + 1]
            for col in range(min(len(top), len(lower))):  # one heading broken over two rows: "Коли-" "чество"
                up, down = top[col], lower[col]
                if not (up and down):
                    continue
                joined = _classify(up[:-1] + down if up.endswith("-") else f"{up} {down}")
                alone = [(r[1], r[2]) for r in (_classify(up), classified[i + 1].get(col)) if r is not None]
                if joined is not None and joined[0] is not None and (joined[1], joined[2]) > max(alone, default=(0, 0)):
                    combined[col] = joined  # it names its field better whole than either row alone
            columns2, score2 = _assign(combined, fixed)
            fields2 = {**columns2, **fixed}
            inferred2 = _by_content(fields2, [t or lower[c] if c < len(lower) else t for c, t in enumerate(top)],
                                    rows, i + 2, fixed)
            if _is_table(fields2, rows, i + 2) and score2 > max(score, singles[i + 1][1]) + 0.05:  # the rows say more together
                texts2 = {}
                for col in fields2.values():
                    under = headings[i + 1][col] if col < len(headings[i + 1]) else ""
                    upper = top[col] if col < len(top) else ""
                    texts2[col] = " / ".join(dict.fromkeys(t for t in (upper, under) if t))
                candidate = _Header(i, 2, fields2, texts2, score2, inferred2)
        if candidate is not None and (best is None or candidate.score > best.score):
            if best is not None and _repeat_of(candidate, best):
                continue  # the same heading again lower down (a new page): the table starts at the first
            best = candidate
    return best


def _counts(cells: Sequence[object]) -> list[Decimal] | None:
    """The cells as whole numbers of a count (quantities), or None: not all numbers, fractions, identifiers of
    eight digits or more, or 1, 2, 3 … (line numbers)."""
    values = []
    for cell in cells:
        value = exact_number(_number(cell)[0])
        if value is None or value != value.to_integral_value() or value < 0 or value >= 10_000_000:
            return None
        values.append(value)
    if len(values) >= 3 and all(b - a == 1 for a, b in zip(values, values[1:])):
        return None
    return values


def _infer_header(rows: Sequence[Sequence[object]], scan: int) -> _Header | None:
    """A table with no heading row at all: its columns told from their cells. It needs a column of TN VED codes;
    the description is the column of words, the quantity the first column of counts after it, the origin a
    column of countries."""
    sample = rows[:scan]
    width = max((len(r) for r in sample), default=0)
    cells = [_column_cells(sample, 0, col, limit=scan) for col in range(width)]
    code = next((col for col in range(width) if _code_column(cells[col])), None)
    if code is None:
        return None
    columns = {"code": code}
    worded = [(sum(map(_has_letters, c)), sum(len(_text(x)) for x in c) / len(c), -col)
              for col, c in enumerate(cells) if c and col != code and sum(map(_has_letters, c)) * 10 >= len(c) * 6]
    if worded:
        columns["description"] = -max(worded)[2]
    for col, c in enumerate(cells):
        if col in columns.values() or len(c) < 2:
            continue
        if "origin" not in columns and all(_has_letters(x) for x in c) and \
                sum(1 for x in c if resolve_country(x)) * 10 >= len(c) * 8:  # type: ignore[arg-type]
            columns["origin"] = col
        elif "quantity" not in columns and col > columns.get("description", -1) and _counts(c) is not None:
            columns["quantity"] = col
    if not _is_valid(columns) and "quantity" not in columns:
        return None
    return _Header(None, 0, columns, {}, 0.0, tuple(columns))


_SPAN_PARTS = re.compile(r"[/|\\\n\r()]+|\s+(?:and|&|и)\s+", re.IGNORECASE)


def _span_roles(
    text: str, span: range, rows: Sequence[Sequence[object]], start: int
) -> dict[int, tuple[str | None, float, int]]:
    """A heading merged over several columns ("Quantities and Descriptions" over B:D, "Amount" over I:J): each
    field it names goes to the column whose cells fit it (words for the description, numbers for amounts), and
    a column of currency codes or of short unit names beside them is the currency or the unit."""
    named: dict[str, tuple[float, int]] = {}
    for part in {text, *_SPAN_PARTS.split(text)}:
        result = _classify(part.strip()) if part.strip() else None
        if result is not None and result[0] is not None:
            named[result[0]] = max(named.get(result[0], (0.0, 0)), (result[1], result[2]))
    if not named:
        return {}
    cells = {col: _column_cells(rows, start, col, limit=6) for col in span}
    roles: dict[int, tuple[str | None, float, int]] = {}
    free = [col for col in span if cells[col]]

    def most(test: Callable[[object], bool], col: int) -> bool:
        return sum(1 for x in cells[col] if test(x)) * 3 >= len(cells[col]) * 2

    for field in sorted(named, key=lambda f: f not in _AMOUNTS):  # the amounts take their numbers first
        if field in _AMOUNTS:
            fits = [c for c in free if most(lambda x: _number(x)[0] is not None, c)]
        elif field == "code":
            fits = [c for c in free if _code_column(cells[c])]
        else:
            fits = [c for c in free if most(_has_letters, c)]
        if fits:
            roles[fits[0]] = (field, *named[field])
            free.remove(fits[0])
    if not roles:
        return {}
    roles.setdefault(span[0], (None, 100.0, 0))  # the heading's own cell, when its field went elsewhere
    for col in free:
        if most(_currency_cell, col):
            roles[col] = ("currency", 90.0, 0)
        elif "quantity" in named and most(lambda x: type(x) is str and x.strip().isalpha() and len(x.strip()) <= 5,
                                          col):
            roles[col] = ("unit", 90.0, 0)
    return roles


def _repeat_of(later: _Header, earlier: _Header) -> bool:
    """Is a later heading the earlier one again: two or more fields in the same columns?"""
    shared = sum(1 for field, col in later.columns.items() if earlier.columns.get(field) == col)
    return shared >= 2


def _find_heading(rows: Sequence[Sequence[object]], scan: int, text: str, prefer: int | None) -> tuple[int, int] | None:
    """Where a heading given by text (--columns description=Наименование) is: (row, column)."""
    wanted = fold(text)
    if not wanted:
        return None
    order = list(range(min(scan, len(rows))))
    if prefer is not None and prefer in order:
        order.remove(prefer)
        order.insert(0, prefer)
    for exact in (True, False):
        for i in order:
            for col, cell in enumerate(rows[i]):
                heading = _cell_heading(cell)
                if not heading:
                    continue
                key = fold(heading)
                if key == wanted or (not exact and wanted in key):
                    return i, col
    return None


_PLAIN_CODE = frozenset({"code", "код", "коды"})  # headings left to no field: an article code as often as not


@lru_cache(maxsize=4096)  # the same texts come back in row after row and file after file
def _plain_code(text: str) -> bool:
    """Is a heading a plain "Code" (_PLAIN_CODE)?"""
    return fold(text) in _PLAIN_CODE


def _header_for(
    grid: _Grid, scan: int, by_letter: Mapping[str, int], by_text: Mapping[str, str], label: str
) -> _Header | None:
    """The heading of a grid, honouring --columns; None when there is none (the caller reports it)."""
    header = _detect_header(grid.rows, scan, by_letter, grid.merged)
    if not by_text:
        if header is None and _is_valid(by_letter):
            return _Header(None, 1, dict(by_letter), {}, 0.0)
        if header is None and not by_letter:
            return _infer_header(grid.rows, scan)
        return header
    fixed = dict(by_letter)
    anchor: int | None = header.top if header is not None else None
    for field, text in by_text.items():
        found = _find_heading(grid.rows, scan, text, anchor)
        if found is None:
            raise InputError(f"{label}: no column headed {text!r} (given for {field}) in the first {scan} rows")
        row, col = found
        if col in fixed.values():
            raise UsageError(f"--columns: column {column_letter(col)} is given for two fields")
        fixed[field] = col
        if anchor is None:
            anchor = row
    assert anchor is not None  # by_text names at least one heading, found above or the call raised
    if header is not None and header.top == anchor:
        detected = _detect_header(grid.rows[: anchor + header.height], anchor + header.height, fixed, grid.merged)
        if detected is not None and detected.top == anchor:
            return detected
    # Re-run the detection on the row where the given headings are.
    classified: dict[int, tuple[str | None, float, int]] = {}
    for col, cell in enumerate(grid.rows[anchor]):
        text = _cell_heading(cell)
        result = _classify(text) if text else None
        if result is not None:
            classified[col] = result
    columns, score = _assign(classified, fixed)
    fields = {**columns, **fixed}
    if not _is_valid(fields):
        return None
    texts = {col: _cell_heading(grid.rows[anchor][col]) for col in fields.values() if col < len(grid.rows[anchor])}
    return _Header(anchor, 1, fields, texts, score)


def _no_header(label: str, grid: _Grid, scan: int) -> InputError:
    where = f" (sheet {grid.name!r})" if grid.name else ""
    hint = "name the columns with --columns code=C,origin=E"
    plain = next(((text, col) for row in grid.rows[:scan] for col, cell in enumerate(row)
                  if (text := _cell_heading(cell)) and fold(text) in _PLAIN_CODE), None)
    if plain is not None:
        letter = column_letter(plain[1])
        hint = f"a plain {plain[0]!r} (column {letter}) is not taken for the TN VED code: if it is, use --columns code={letter}"
    return InputError(
        f"{label}{where}: no recognisable header (code, description, quantity...) in the first {scan} rows; "
        f"they hold {_describe_rows(grid.rows, grid.numbers, scan)}; {hint}"
    )


def _describe_rows(rows: Sequence[Sequence[object]], numbers: Sequence[int] | None, scan: int) -> str:
    """What the first non-empty rows hold, shortened, for an error message."""
    shown: list[str] = []
    for i in range(min(scan, len(rows))):
        cells = [_text(c) for c in rows[i]]
        cells = [" ".join(c.split()) for c in cells if c]
        if not cells:
            continue
        line = ", ".join(cells)
        if len(line) > 48:
            line = line[:47] + "…"
        number = numbers[i] if numbers else i + 1
        shown.append(f"row {number}: {line}")
        if len(shown) == 4:
            break
    return "; ".join(shown) if shown else "nothing"


def _pick_delimiter(text: str, suffix: str, scan: int, fixed: Mapping[str, int]) -> str:
    """The delimiter under which a heading is found (`;` `,` tab `|`); csv.Sniffer, then counting, as a tiebreak."""
    sample = text[:_SAMPLE_CHARS]
    order: list[str] = []
    if suffix == ".tsv":
        order.append("\t")
    try:
        order.append(csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter)
    except csv.Error:
        lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
        counts = {d: sum(ln.count(d) for ln in lines) for d in ";\t,|"}
        order.append(max(counts, key=lambda d: counts[d]))
    order.extend(d for d in (";", ",", "\t", "|"))
    seen: list[str] = []
    for d in order:
        if d not in seen:
            seen.append(d)
    best, best_score = seen[0], -1.0
    for d in seen:
        header = _detect_header(_sample_rows(sample, d, scan + 1), scan, fixed)
        if header is not None and header.score > best_score:
            best, best_score = d, header.score
    return best
