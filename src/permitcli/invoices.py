"""Read invoices and specifications (xlsx, xlsm, xls, ods, csv, tsv) into Invoice lines, as brokers get them."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import enum
import io
import itertools
import math
import re
import threading
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field as dc_field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import python_calamine
from rapidfuzz import fuzz, process

from permitcli._paths import data_dir
from permitcli.codes import CodeKind, parse_code
from permitcli.countries import fold, resolve_country
from permitcli.errors import ConfigError, InputError, PermitError, UsageError
from permitcli.i18n import label, message
from permitcli.model import Finding, Invoice, InvoiceLine
from permitcli.units import unit_in_heading

FIELDS = (
    "code", "description", "origin", "quantity", "unit", "value", "currency", "destination", "evidence", "remarks",
    "unit_price",
    "final_destination",
)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

# ---------------------------------------------------------------------------------------------------------
# Numbers

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


def _number(cell: object, comma_groups: bool = False, dot_groups: bool = False) -> tuple[Decimal | None, bool]:
    """A cell as a number: (value, unreadable). Empty cells are (None, False)."""
    kind = type(cell)
    if kind is float:
        if not math.isfinite(cell):  # type: ignore[arg-type]
            return None, True
        return (Decimal(int(cell)) if cell.is_integer() else Decimal(repr(cell))), False  # type: ignore[union-attr]
    if kind is str:
        text = cell.strip()  # type: ignore[union-attr]
        if not text:
            return None, False
        value = parse_number(text, comma_groups, dot_groups)
        return value, value is None
    if kind is int:
        return Decimal(cell), False  # type: ignore[arg-type]
    if cell is None:
        return None, False
    return None, True  # a date, a time, a true/false cell


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


# ---------------------------------------------------------------------------------------------------------
# Columns


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


# ---------------------------------------------------------------------------------------------------------
# Vocabulary (data/headers.toml)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    threshold: float
    choices: tuple[str, ...]  # folded terms
    index: dict[str, int]  # folded term -> its place in choices
    targets: tuple[tuple[str | None, int], ...]  # per term: (field, or None for an ignored heading; priority)
    totals: re.Pattern[str]
    charges: re.Pattern[str]  # matched against folded text
    origin_colon: re.Pattern[str]  # "Country of origin/ Страна происхождения: CHINA/КИТАЙ"
    origin_label: re.Pattern[str]  # a cell holding only the label; the value is in the next cell
    origin_made_in: re.Pattern[str]  # "Made in China"
    made_in_anywhere: re.Pattern[str]  # "Realflame Logo … Made in China" in a shipping-marks cell
    origin_loose: re.Pattern[str]  # "Country of Original Cambodia": a label and a country with nothing between
    currency_colon: re.Pattern[str]
    currency_label: re.Pattern[str]
    currency_words: tuple[tuple[re.Pattern[str], str, int], ...]  # (pattern, code, words in the term)
    currency_symbols: tuple[tuple[str, str], ...]


def _label_pattern(labels: Sequence[str]) -> str:
    alternatives = sorted({" ".join(lab.split()) for lab in labels if lab.strip()}, key=len, reverse=True)
    one = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives)
    return rf"(?:{one})(?:\s*[/|\\]\s*(?:{one}))*"


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    path = data_dir() / "headers.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: header vocabulary is missing") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the header vocabulary: {exc}") from None
    try:
        choices: list[str] = []
        targets: list[tuple[str | None, int]] = []
        seen: dict[str, tuple[str | None, int]] = {}

        def add(term: str, target: tuple[str | None, int]) -> None:
            key = fold(term)
            if key and key not in seen:
                seen[key] = target
                choices.append(key)
                targets.append(target)

        for term in data["ignore"]["terms"]:  # first: a tie between a field and an ignored heading is no field
            add(term, (None, 0))
        for field in FIELDS:
            table = data["fields"][field]
            for term in table.get("preferred", []):
                add(term, (field, 1))
            for term in table.get("terms", []):
                add(term, (field, 0))
        words = sorted(data["totals"]["words"], key=len, reverse=True)
        totals = re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
        charge_words = sorted({fold(w) for w in data["charges"]["words"] if fold(w)}, key=len, reverse=True)
        charges = re.compile(r"^(?:" + "|".join(re.escape(w) for w in charge_words) + r")(?!\w)")
        origin = _label_pattern(data["document_origin"]["labels"])
        currency = _label_pattern(data["document_currency"]["labels"])
        word_patterns: list[tuple[re.Pattern[str], str, int]] = []
        symbols: list[tuple[str, str]] = []
        for code, names in data["currency_words"].items():
            for name in [code, *names]:
                key = fold(name)
                if key:
                    word_patterns.append((re.compile(rf"(?:^|\s){re.escape(key)}(?:\s|$)"), code, key.count(" ") + 1))
                elif name.strip():
                    symbols.append((name.strip(), code))
        return _Vocabulary(
            threshold=float(data["threshold"]),
            choices=tuple(choices),
            index={key: i for i, key in enumerate(choices)},
            targets=tuple(targets),
            totals=totals,
            charges=charges,
            origin_colon=re.compile(rf"^\s*{origin}[^:：\n]{{0,40}}?(?:[:：]|\s[-–—]\s)\s*(?P<value>\S.*?)\s*$",
                                    re.I | re.S),  # "Страна происхождения: Китай", "… товаров – Китай"
            origin_label=re.compile(rf"^\s*{origin}\s*[:：]?\s*$", re.IGNORECASE),
            origin_made_in=re.compile(r"^\s*(?:\S+\s+){0,3}?made\s+in\s+(?P<value>\S.*?)\s*$",
                                      re.IGNORECASE | re.DOTALL),  # "Made in China", "All goods made in China"
            made_in_anywhere=re.compile(r"\bmade\s+in\s+(?P<value>[^\W\d_][^\n,;:()]{1,40}?)\s*(?:$|[\n,;:()])",
                                        re.IGNORECASE),
            origin_loose=re.compile(rf"^\s*{origin}[a-z]{{0,3}}\s+(?P<value>[^\W\d_][^:：\n]{{1,40}}?)\s*$",
                                    re.IGNORECASE),
            currency_colon=re.compile(rf"^\s*{currency}\s*[:：]\s*(?P<value>\S.*?)\s*$", re.I | re.S),
            currency_label=re.compile(rf"^\s*{currency}\s*[:：]?\s*$", re.IGNORECASE),
            currency_words=tuple(word_patterns),
            currency_symbols=tuple(symbols),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed header vocabulary ({exc!r})") from None


_SHORT = 3  # cells this short (folded) name a field only when they are one of its terms

_HEADER_PARTS = re.compile(r"[/|\\\n\r()]+")  # "Customs code/ Код ТН ВЭД", "Кол-во (Qty)"


@lru_cache(maxsize=8192)
def _classify(text: str) -> tuple[str | None, float, int] | None:
    """The field a heading names: (field or None for an ignored heading, score, priority), or None."""
    vocab = _vocabulary()
    parts = [text, *_HEADER_PARTS.split(text)] if _HEADER_PARTS.search(text) else [text]
    best: tuple[float, int, int] | None = None  # (score, term length, term index)
    for part in parts:
        key = fold(part)
        if not key or key.isdigit():
            continue
        if len(key) <= _SHORT:  # "CN", "N", "DE" would match inside longer terms: short cells match exactly
            idx = vocab.index.get(key)
            if idx is not None and (best is None or (100.0, len(key), -idx) > best):
                best = (100.0, len(key), -idx)
            continue
        for choice, score, idx in process.extract(
            key, vocab.choices, scorer=fuzz.WRatio, processor=None, score_cutoff=vocab.threshold, limit=None
        ):
            if len(key) > 1.5 * len(choice) and (
                fuzz.token_set_ratio(key, choice) < vocab.threshold  # its letters are there, not its words
                or key.count(" ") + 1 > max(6, 2 * (choice.count(" ") + 1))  # its words, in a sentence
            ):
                continue  # prose that mentions a heading is not a heading
            candidate = (score, len(vocab.choices[idx]), -idx)
            if best is None or candidate > best:
                best = candidate
    if best is None:
        return None
    field, priority = vocab.targets[-best[2]]
    return field, best[0], priority


def _currency_in(text: str) -> str | None:
    """The one currency a text names ("Сумма, USD", "доллар США"), or None."""
    vocab = _vocabulary()
    key = fold(text)
    matched = [(words, code) for pattern, code, words in vocab.currency_words if pattern.search(key)]
    longest = max((words for words, _ in matched), default=0)
    found = {code for words, code in matched if words == longest}  # "бел руб" is BYN, not the "руб" in it
    found.update(code for symbol, code in vocab.currency_symbols if symbol in text)
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1024)
def currency_code(text: str) -> str:
    """A currency cell as its ISO 4217 code when it names one currency ("долл. США", "$", "840", "rmb"), else
    the text as written."""
    import pycountry  # imported here: loaded once a currency column is read

    key = text.strip()
    if len(key) == 3 and key.isascii() and key.isalpha() and pycountry.currencies.get(alpha_3=key.upper()):
        return key.upper()
    if key.isdigit() and len(key) <= 3:
        found = pycountry.currencies.get(numeric=key.zfill(3))
        return found.alpha_3 if found is not None else key
    return _currency_in(key) or key


# ---------------------------------------------------------------------------------------------------------
# Header detection


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
            if cell is not None and not (type(cell) is str and not cell.strip()):
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


def _has_letters(cell: object) -> bool:
    return type(cell) is str and any(ch.isalpha() for ch in cell)


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
            if col in taken or not text or fold(text) not in _PLAIN_CODE:
                continue
            if _code_column(_column_cells(rows, start, col)):
                columns["code"] = col
                inferred.append("code")
                break
    return tuple(inferred)


def _cell_heading(cell: object) -> str:
    return cell.strip() if type(cell) is str else ""


def _looks_numeric(cell: object) -> bool:
    kind = type(cell)
    if kind is float or kind is int:
        return True
    if kind is not str or not cell.strip():  # type: ignore[union-attr]
        return False
    return parse_number(cell) is not None or _codeish(cell)  # type: ignore[arg-type]


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


def _spread_merged(texts: list[str], row: int, merged: Sequence[tuple[int, int, int, int]]) -> list[str]:
    """Copy a merged heading into every column it spans (the value sits in the top-left cell only)."""
    out = list(texts)
    for r1, c1, r2, c2 in merged:
        if r1 <= row <= r2 and c1 < len(out) and out[c1]:
            for c in range(c1 + 1, min(c2 + 1, len(out))):
                if not out[c]:
                    out[c] = out[c1]
    return out


def _detect_header(
    rows: Sequence[Sequence[object]],
    scan: int,
    fixed: Mapping[str, int],
    merged: Sequence[tuple[int, int, int, int]] = (),
) -> _Header | None:
    """The best heading row (or pair of rows) among the first `scan` rows, valid together with `fixed`."""
    limit = min(scan, len(rows))
    headings = [[_cell_heading(c) for c in rows[i]] for i in range(limit)]
    classified: list[dict[int, tuple[str | None, float, int]]] = []
    spans = [(r1, c1, c2) for r1, c1, r2, c2 in merged if c2 > c1 and r1 < limit]
    for i, texts in enumerate(headings):
        found: dict[int, tuple[str | None, float, int]] = {}
        for col, text in enumerate(texts):
            if text:
                result = _classify(text)
                if result is not None:
                    found[col] = result
        for r1, c1, c2 in spans:
            if r1 == i and c1 in found and c1 < len(texts):
                found.update(_span_roles(texts[c1], range(c1, c2 + 1), rows, i + 1))
        classified.append(found)

    singles = [_assign(found, fixed) for found in classified]
    best: _Header | None = None
    for i in range(limit):
        columns, score = singles[i]
        merged_fields = {**columns, **fixed}
        candidate: _Header | None = None
        inferred = _by_content(merged_fields, headings[i], rows, i + 1, fixed) if columns else ()
        if columns and _is_table(merged_fields, rows, i + 1):
            texts = {col: headings[i][col] for col in merged_fields.values() if col < len(headings[i])}
            candidate = _Header(i, 1, merged_fields, texts, score, inferred)
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
                    lower = headings[i + 1][col] if col < len(headings[i + 1]) else ""
                    upper = top[col] if col < len(top) else ""
                    texts2[col] = " / ".join(dict.fromkeys(t for t in (upper, lower) if t))
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
        value, _bad = _number(cell)
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


def _currency_cell(cell: object) -> bool:
    """Does a cell name a currency ("USD", "$", "долл. США")?"""
    if type(cell) is not str:
        return False
    key = cell.strip()
    if not key or len(key) > 12:
        return False
    if len(key) == 3 and key.isalpha():
        import pycountry  # imported here: needed only for a heading spread over a currency column

        return pycountry.currencies.get(alpha_3=key.upper()) is not None
    return _currency_in(key) is not None


def _repeat_of(later: _Header, earlier: _Header) -> bool:
    """Is a later heading the earlier one again: two or more fields in the same columns?"""
    shared = sum(1 for field, col in later.columns.items() if earlier.columns.get(field) == col)
    return shared >= 2


def _is_caption(cell: object) -> bool:
    """A "Label: value" cell naming one origin or currency for what follows: a caption, never a sub-heading."""
    if type(cell) is not str or not cell.strip():
        return False
    vocab = _vocabulary()
    text = cell.strip()
    return any(p.match(text) for p in (vocab.origin_colon, vocab.origin_made_in, vocab.currency_colon))


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


# ---------------------------------------------------------------------------------------------------------
# Files


class _Kind(enum.Enum):
    WORKBOOK = "workbook"  # anything calamine reads: xlsx, xlsm, xlsb, xls, ods
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class _Format:
    kind: _Kind
    name: str  # "xlsx", "xls", "ods", "xlsb", "csv"


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff(path: Path, label: str) -> _Format:
    """The real format of a file, from its content; raises InputError for anything that is not an invoice."""
    try:
        if path.is_dir():
            raise InputError(f"{label}: is a directory, not an invoice file")
        if not path.exists():
            raise InputError(f"{label}: no such file")
        with path.open("rb") as fh:
            head = fh.read(8192)
    except PermissionError:
        raise InputError(f"{label}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    if not head:
        raise InputError(f"{label}: the file is empty")
    if head.startswith(_ZIP_MAGICS):
        return _sniff_zip(path, label)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path, label)
    if head.startswith(b"%PDF"):
        raise InputError(f"{label}: is a PDF document, not a spreadsheet or CSV file")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        raise InputError(f"{label}: is an image, not a spreadsheet or CSV file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _Format(_Kind.TEXT, "csv")
    if b"\x00" in head and _utf16_without_bom(head) is None:
        raise InputError(f"{label}: is not a spreadsheet or CSV file (binary content)")
    probe = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        raise InputError(f"{label}: is an HTML page saved as a spreadsheet: open it in Excel and save it as .xlsx")
    if probe.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise InputError(f"{label}: is an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx")
    if probe.startswith(b"{\\rtf"):
        raise InputError(f"{label}: is an RTF document, not a spreadsheet or CSV file")
    return _Format(_Kind.TEXT, "csv")


# What reading a damaged zip can raise: zipfile's own error, and others for a version, compression method or
# encryption it does not support.
_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, zlib.error)


def _sniff_zip(path: Path, label: str) -> _Format:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except _ZIP_ERRORS:
        raise InputError(f"{label}: the workbook is truncated or corrupt (not a readable zip archive)") from None
    if "xl/workbook.xml" in names:
        return _Format(_Kind.WORKBOOK, "xlsx")
    if "xl/workbook.bin" in names:
        return _Format(_Kind.WORKBOOK, "xlsb")
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return _Format(_Kind.WORKBOOK, "ods")
    if "word/document.xml" in names:
        raise InputError(f"{label}: is a Word document, not a spreadsheet")
    if any(n.startswith("ppt/") for n in names):
        raise InputError(f"{label}: is a PowerPoint presentation, not a spreadsheet")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise InputError(f"{label}: is an OpenDocument file that is not a spreadsheet")
    raise InputError(f"{label}: is a zip archive, not a spreadsheet")


def _sniff_ole(path: Path, label: str) -> _Format:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    # An encrypted xlsx is an OLE container holding "EncryptionInfo" and "EncryptedPackage" streams.
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise _password(label)
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return _Format(_Kind.WORKBOOK, "xls")
    if _utf16("WordDocument") in data:
        raise InputError(f"{label}: is a Word document, not a spreadsheet")
    raise InputError(f"{label}: is an OLE file (old Office format) that holds no Excel workbook")


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text without a BOM, else None."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) // 2)
    odd_nul = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


# Characters a Windows-1251 (1C) file legitimately holds above ASCII: Russian letters and common punctuation.
_CP1251_ODD = re.compile(r"[^\x00-\x7fА-яЁёІі«»–—‘’“”„…№°\u00a0]")


_CHUNK = 1 << 18  # bytes read at a time when a file is scanned without being held in memory


def _chunks(path: Path, label: str) -> Iterator[bytes]:
    """The bytes of a file, a chunk at a time."""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None


def _decodes(path: Path, label: str, encoding: str) -> bool | None:
    """Decode the whole file a chunk at a time: None if it does not decode, else whether it holds any non-space."""
    decoder = codecs.getincrementaldecoder(encoding)()
    filled = False
    try:
        for chunk in _chunks(path, label):
            text = decoder.decode(chunk)
            if not filled and text and not text.isspace():
                filled = True
        text = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return filled or bool(text and not text.isspace())


def _encoding(path: Path, label: str) -> tuple[str, bool]:
    """(encoding, holds any non-space) of a CSV file: UTF-8 (with or without BOM), UTF-16 (with a BOM), or
    Windows-1251. The whole file is checked, a chunk at a time, and never held in memory."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
            size = fh.seek(0, io.SEEK_END)
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    encoding: str | None = None
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and size % 4 == 0:
        encoding = "utf-32"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        encoding = _utf16_without_bom(head)
    if encoding is not None:
        filled = _decodes(path, label, encoding)
        if filled is None:
            raise InputError(f"{label}: the text is damaged: it starts like UTF-16/UTF-8 but does not decode")
        return encoding, filled
    if any(b"\x00" in chunk for chunk in _chunks(path, label)):
        raise InputError(f"{label}: is not a text (CSV) file: it holds binary data")
    filled = _decodes(path, label, "utf-8")
    if filled is not None:
        return "utf-8", filled
    # Windows-1251 when the letters above ASCII are (nearly all) Russian ones and common punctuation.
    decoder = codecs.getincrementaldecoder("cp1251")()
    length = high = odd = 0
    filled = False
    try:
        for chunk in _chunks(path, label):
            text = decoder.decode(chunk)
            length += len(text)
            high += len(text) - len(text.encode("ascii", "ignore"))
            odd += len(_CP1251_ODD.findall(text))
            if not filled and text and not text.isspace():
                filled = True
    except UnicodeDecodeError:
        length = 0
    if length and odd <= 0.05 * high:
        return "cp1251", filled
    raise InputError(
        f"{label}: unexpected text encoding (not UTF-8, UTF-16 or Windows-1251): save it as CSV UTF-8"
    )


@dataclass(frozen=True, slots=True)
class _Grid:
    """The first rows of one sheet or CSV file (enough to find the heading), from the first spreadsheet row."""

    name: str | None
    rows: list[list[object]]
    numbers: list[int] | None  # the 1-based row/line number of each row; None when it is index + 1
    merged: tuple[tuple[int, int, int, int], ...] = ()


def _sample_rows(text: str, delimiter: str, limit: int) -> list[list[object]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    try:
        for record in reader:
            rows.append(list(record))
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


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


_SAMPLE_CHARS = 65536  # the start of a CSV file that the delimiter is chosen from


class _CsvFile:
    """A CSV file read as text, lazily: every call to `rows()` reads it again from the start."""

    __slots__ = ("_path", "_label", "encoding", "filled", "delimiter")

    def __init__(self, path: Path, label: str, scan: int, fixed: Mapping[str, int]) -> None:
        self._path = path
        self._label = label
        self.encoding, self.filled = _encoding(path, label)
        self.delimiter = ","
        if self.filled:
            try:
                with path.open(encoding=self.encoding, newline="") as fh:
                    sample = fh.read(_SAMPLE_CHARS)
            except (OSError, UnicodeDecodeError) as exc:
                raise self._failure(exc) from None
            self.delimiter = _pick_delimiter(sample, path.suffix.lower(), scan, fixed)

    def _failure(self, exc: BaseException) -> InputError:
        if isinstance(exc, UnicodeDecodeError):
            return InputError(f"{self._label}: the text does not decode as {self.encoding} (was the file changed?)")
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return InputError(f"{self._label}: cannot read the file ({reason})")

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(line number, record) from the first record; a quoted line break makes a record span several lines."""
        previous = 0
        try:
            with self._path.open(encoding=self.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter)
                for record in reader:
                    yield previous + 1, record  # type: ignore[misc]
                    previous = reader.line_num
        except csv.Error as exc:
            raise InputError(f"{self._label}: line {previous + 1}: malformed CSV ({exc})") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise self._failure(exc) from None


def _library_failure(exc: BaseException) -> bool:
    """An error raised by calamine on bad input: any Exception, or a Rust panic (a BaseException)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _mentions_password(exc: BaseException) -> bool:
    """calamine reports an encrypted xls (BIFF "FILEPASS") as a plain error that names the password."""
    text = str(exc).lower()
    return "password" in text or "encrypt" in text


def _password(label: str) -> InputError:
    return InputError(f"{label}: the workbook is password-protected: remove the password in Excel and save again")


def _open_workbook(path: Path, label: str) -> python_calamine.CalamineWorkbook:
    try:
        with path.open("rb") as fh:
            return python_calamine.CalamineWorkbook.from_filelike(fh)
    except python_calamine.PasswordError:
        raise _password(label) from None
    except python_calamine.ZipError:
        raise InputError(f"{label}: the workbook is truncated or corrupt (zip error)") from None
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        if _mentions_password(exc):
            raise _password(label) from None
        raise InputError(f"{label}: the workbook cannot be read: {_short(exc)}") from None


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 120 else message[:119] + "…"


def _sheet(book: python_calamine.CalamineWorkbook, name: str, label: str) -> python_calamine.CalamineSheet:
    """One sheet, parsed once (calamine parses the whole sheet here)."""
    try:
        return book.get_sheet_by_name(name)
    except python_calamine.PasswordError:
        raise _password(label) from None
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        if _mentions_password(exc):
            raise _password(label) from None
        raise InputError(f"{label}: sheet {name!r} cannot be read (the workbook is corrupt?): {_short(exc)}") from None


def _sheet_rows(
    sheet: python_calamine.CalamineSheet, label: str
) -> Generator[tuple[int, list[object]], None, None]:
    """(row number, cells) one row at a time from cell A1: the rows `to_python(skip_empty_area=False)` gives."""
    try:
        start = sheet.start  # None for an empty sheet (iter_rows cannot start there)
        if start is None:
            return
        pad: list[object] = [""] * start[1]  # calamine's rows begin at the first filled column
        if pad:
            for number, row in enumerate(sheet.iter_rows(), 1):
                yield number, pad + row
        else:
            yield from enumerate(sheet.iter_rows(), 1)
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        raise InputError(f"{label}: sheet {sheet.name!r} cannot be read: {_short(exc)}") from None


def _sheet_merged(sheet: python_calamine.CalamineSheet) -> tuple[tuple[int, int, int, int], ...]:
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # merged cells only help to read a heading: a sheet without them still reads
        return ()
    return tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges or ())


def _is_blank(rows: Iterable[Sequence[object]]) -> bool:
    return not any(_text(c) for row in rows for c in row)


def _choose_sheet(names: Sequence[str], sheet: str | int | None, label: str) -> str | None:
    if sheet is None:
        return None
    listing = ", ".join(repr(n) for n in names)
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise InputError(f"{label}: no sheet number {sheet} (counting from 0); sheets: {listing}")
    text = str(sheet)
    if text in names:
        return text
    folded = [n for n in names if n.strip().casefold() == text.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if text.strip().isdigit():
        if int(text) < len(names):
            return names[int(text)]
        count = "the only sheet is 0" if len(names) == 1 else f"0 to {len(names) - 1}"
        raise InputError(f"{label}: no sheet named {text!r} and no sheet number {int(text)} (counting from 0: "
                         f"{count}); sheets: {listing}")
    raise InputError(f"{label}: no sheet named {text!r}; sheets: {listing}")


# ---------------------------------------------------------------------------------------------------------
# Formulas without a cached value (xlsx written by a program and never opened in Excel)

_FORMULA_NO_VALUE = re.compile(rb"<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _formula_member(path: Path, sheet: str) -> str | None:
    """The sheet's XML part when the workbook may hold formulas without saved results, else None.

    Excel and LibreOffice save every result; programs that write formulas without results (openpyxl,
    XlsxWriter) ask for a full recalculation on load instead, and only those workbooks are scanned.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            book_xml = zf.read("xl/workbook.xml")
            if b"fullCalcOnLoad" not in book_xml:
                return None
            book = ElementTree.fromstring(book_xml)
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (*_ZIP_ERRORS, KeyError, ElementTree.ParseError):
        return None
    rel_id = next((n.get(f"{_NS_REL}id") for n in book.iter(f"{_NS_MAIN}sheet") if n.get("name") == sheet), None)
    target = next((n.get("Target") for n in rels.iter(f"{_NS_PKG}Relationship") if n.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _formula_cells(path: Path, member: str, stop: threading.Event | None = None) -> dict[int, set[int]]:
    """Cells of an xlsx sheet part that hold a formula but no saved result (calamine reads them as empty).

    The part is read a chunk at a time, cut after the last complete cell (`</c>`), so that a sheet of any
    size is scanned in bounded memory; `stop` ends the scan early (with no result) when it is no longer wanted.
    """
    found: dict[int, set[int]] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as part:
            rest = b""
            while chunk := part.read(_CHUNK):
                if stop is not None and stop.is_set():
                    return {}
                xml = rest + chunk if rest else chunk
                end = xml.rfind(b"</c>")
                if end < 0:
                    rest = xml
                    continue
                end += 4
                if b"<f" in xml:
                    for m in _FORMULA_NO_VALUE.finditer(xml, 0, end):
                        start = xml.rfind(b"<c", 0, m.start())
                        ref = _CELL_REF.match(xml, start) if start >= 0 else None
                        if ref:
                            found.setdefault(int(ref.group(2)), set()).add(_column_index(ref.group(1).decode()))
                rest = xml[end:]
    except (*_ZIP_ERRORS, KeyError):
        return {}
    return found


class _FormulaScan:
    """Scans xlsx sheets for formulas without results in a thread, while calamine parses the same sheet."""

    def __init__(self, path: Path, enabled: bool) -> None:
        self._path = path
        self._pool = ThreadPoolExecutor(max_workers=1) if enabled else None
        self._stop = threading.Event()

    def start(self, sheet: str) -> Future[dict[int, set[int]]] | None:
        if self._pool is None:
            return None
        return self._pool.submit(self._scan, sheet)

    def _scan(self, sheet: str) -> dict[int, set[int]]:
        member = _formula_member(self._path, sheet)
        return _formula_cells(self._path, member, self._stop) if member else {}

    def release(self) -> None:
        """Let the thread go once the scans started are done (their results are still wanted)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)

    def close(self) -> None:
        """Stop the scans still running (their results are no longer wanted) and let the thread go."""
        if self._pool is not None:
            self._stop.set()
            self._pool.shutdown(wait=False, cancel_futures=True)


_Parsed = tuple[python_calamine.CalamineSheet, "Future[dict[int, set[int]]] | None"]  # a sheet, its formula scan


# ---------------------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True, slots=True)
class _DocumentValue:
    text: str
    row: int


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


def _has_digit(row: Sequence[object], col: int | None, bad: bool) -> bool:
    """An unreadable number still counts as a quantity or value when it holds a digit ("около 5", "5 pcs");
    a longer text there (an address, a bank's name) is no number."""
    if not bad or col is None:
        return False
    text = _text(row[col])
    return len(text) <= 20 and any(ch.isdigit() for ch in text)


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
        if value and found.currency is None:
            found.currency = _DocumentValue(value, number)


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


def _heading_parts(header: _Header) -> dict[int, frozenset[str]]:
    """Per heading column, the folded texts a repeated heading row holds there ("Сумма / USD": both parts)."""
    parts: dict[int, frozenset[str]] = {}
    for col, text in header.texts.items():
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
    sums = [Decimal(0), Decimal(0), Decimal(0), Decimal(0)]
    ended = False  # the footer was met: the rows under it are only counted
    i = start - 1
    for number, row in rows:
        i += 1
        if ended:
            if any(c is not None and c != "" and not (type(c) is str and not c.strip()) for c in row):
                found.tail.append(number)
            continue
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        filled_in: set[int] | tuple[()] = ()
        if merged_down:
            filled_in = _merge_down(row, number - 1, down_columns, merged_down, merged_top, merged_values,
                                    number_columns)
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
        qty, qty_bad = _number(row[qi], comma_groups, dot_groups) if qi is not None else (None, False)
        val, val_bad = _number(row[vi], comma_groups, dot_groups) if vi is not None else (None, False)
        if di is not None:
            cell = row[di]
            desc = cell.strip() if type(cell) is str else _text(cell)  # type: ignore[union-attr]
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
                if not scan and any(c is not None and c != "" and not (type(c) is str and not c.strip()) for c in row):
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
                        sums[2:] = sums[:2]
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
                        sums[2:] = sums[:2]
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
                if not scan and _sums_up(qty, val, sums):
                    skipped.append((number, "totals"))
                    sums[2:] = sums[:2]
                    continue
                unclear = True
            else:
                unclear = False
        elif (
            qty is None and val is None and di is not None and not _goods_code(code, desc)
            and not any(_text(row[c]) for c in line_columns)
        ) or (desc and totals(desc) and _totals_text(desc, totals)
              and not (oi is not None and oi not in filled_in and _text(row[oi]))):
            # A number in the code column with at most a label ("БИН", "Тел.") and no quantity, value, origin or
            # unit: a BIN, an account, a phone under the table, not goods. A real code with a description stays.
            # And "Итого по коду" with the code it sums up is a subtotal, not another line.
            if not scan:
                if desc and totals(desc):
                    skipped.append((number, "totals"))
                    sums[2:] = sums[:2]
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
        if comma_unknown:
            for c in number_columns:
                cell = row[c]
                if type(cell) is str and "," in cell and _COMMA_THREE.fullmatch(_bare_number(cell)):  # type: ignore[arg-type]
                    line_notes += (Finding("number-ambiguous", message(
                        "number-ambiguous", lang, text=cell.strip(), cell=f"{column_letter(c)}{number}",  # type: ignore[union-attr]
                        read=format(parse_number(cell), "f"))),)  # type: ignore[arg-type]
        if val is None and pi is not None and qty is not None and not val_bad:
            price, _bad = _number(row[pi], comma_groups, dot_groups)
            if price is not None:
                val = qty * price
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
            sums[0] += qty
        if val is not None:
            sums[1] += val
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
        else:
            yield line
    if pending is not None:
        found.lines += 1
        found.last_line = pending.row
        yield pending


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


def _sums_up(qty: Decimal | None, val: Decimal | None, sums: Sequence[Decimal]) -> bool:
    """Does a row of numbers alone hold the total of the lines above it (since the last total, or of all of
    them), in its quantity or its value?"""
    if qty is None and val is None:
        return True  # no quantity, no value: nothing of a line
    cent = Decimal("0.01")
    return any(
        number is not None and total and abs(number - total) <= cent
        for number, total in ((qty, sums[0]), (qty, sums[0] - sums[2]), (val, sums[1]), (val, sums[1] - sums[3]))
    )


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


# ---------------------------------------------------------------------------------------------------------
# Public API


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
    if header is not None and header.top == anchor:
        detected = _detect_header(grid.rows[: anchor + header.height], anchor + header.height, fixed, grid.merged)
        if detected is not None and detected.top == anchor:
            return detected
    # Re-run the detection on the row where the given headings are.
    assert anchor is not None
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


_PLAIN_CODE = frozenset({"code", "код", "коды"})  # headings left to no field: an article code as often as not


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


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook in order; [] for a CSV file."""
    path = Path(path)
    fmt = _sniff(path, str(path))
    if fmt.kind is _Kind.TEXT:
        return []
    book = _open_workbook(path, str(path))
    return list(book.sheet_names)


_Rows = Callable[[], Generator[tuple[int, list[object]], None, None]]  # a fresh pass: (row number, cells)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How an opened invoice's lines are read: where the rows come from and what the first pass found."""

    rows: _Rows
    header: _Header
    formulas: Mapping[int, set[int]]  # 1-based row -> 0-based columns of formulas without a saved result
    merged: tuple[tuple[int, int, int, int], ...]  # merged ranges (0-based first row, column, last row, column)
    fill: _Fill
    origins: Mapping[int, str]  # row -> text of each "Country of origin" line the lines may take their origin from
    currency_source: str  # where the document-wide currency comes from, for the finding
    notes: tuple[Finding, ...]  # the findings known once the file is opened
    lang: str = "en"  # the language of the findings


class InvoiceStream:
    """One invoice sheet (or CSV file), opened by open_invoice: its heading is found, its lines are read on demand.

    `path`, `sheet`, `header_row` and `columns` are those of `Invoice`. `lines()` yields the goods lines one at
    a time, keeping one row in hand, and may be called once. `notes` are the file-level findings: those known
    on opening (format, encoding, a document-wide origin that is no country), then those about the lines read
    so far; they are complete once `lines()` is exhausted. `close()` (or leaving a `with` block) ends a
    `lines()` still running and lets the sheet go.
    """

    __slots__ = (
        "path", "sheet", "header_row", "columns", "_plan", "_found", "_running", "_state", "_notes", "_origins",
        "_currency", "_lang", "_elsewhere",
    )

    def __init__(self, path: str, sheet: str | None, header_row: int | None, columns: dict[str, str], plan: _Plan):
        self.path = path
        self.sheet = sheet
        self.header_row = header_row
        self.columns = columns  # field name -> column letter
        self._plan: _Plan | None = plan
        self._found = _Found()
        self._running: Generator[InvoiceLine, None, None] | None = None
        self._state = "open"  # then "reading", "closed"
        self._notes = plan.notes
        self._origins = plan.origins
        self._currency = (plan.fill.currency, plan.currency_source)
        self._lang = plan.lang
        self._elsewhere: tuple[str | None, int] | None = None  # (sheet, -row) of an origin taken from another sheet

    def _take_origin(self, other: InvoiceStream) -> None:
        """Lines without an origin take the document-wide origin another sheet of the workbook states (a
        contract or packing-list sheet whose invoice sheet says "Country of origin"). The row is kept negated,
        apart from this sheet's own rows."""
        plan, theirs = self._plan, other._plan
        if (plan is None or theirs is None or plan.fill.origin or not theirs.fill.origin
                or theirs.fill.origin_row is None or theirs.fill.origin_sheet is not None):
            return
        row = -theirs.fill.origin_row
        fill = dataclasses.replace(plan.fill, origin=theirs.fill.origin, origin_row=row, origin_sheet=other.sheet)
        self._plan = dataclasses.replace(plan, fill=fill)
        self._origins = {**self._origins, row: theirs.fill.origin}
        self._elsewhere = (other.sheet, row)

    def __repr__(self) -> str:
        return f"InvoiceStream(path={self.path!r}, sheet={self.sheet!r}, header_row={self.header_row!r})"

    def __enter__(self) -> InvoiceStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lines(self) -> Iterator[InvoiceLine]:
        """The goods lines, in order; the same InvoiceLine objects read_invoice gives. Call it once.

        A file changed or removed after open_invoice raises InputError part-way.
        """
        plan = self._plan
        if self._state != "open" or plan is None:
            raise RuntimeError(f"{self.path}: the lines of an opened invoice can be read once, before close()")
        self._state = "reading"
        self._plan = None  # held by the running lines() alone, and let go when it ends
        self._running = _read_lines(plan, self._found)
        return self._running

    @property
    def accounting(self) -> dict[str, object]:
        """What became of every non-empty row under the heading (complete once lines() is exhausted): `rows`
        seen, `lines` read, `skipped` rows by reason (as [first, last] ranges), the table's `end` (row and
        reason, or None) and the rows `after_end`. lines + skipped + after_end = rows."""
        return self._found.accounting()

    @property
    def notes(self) -> tuple[Finding, ...]:
        """File-level findings: complete once lines() is exhausted (before, those about the lines read so far)."""
        found, lang = self._found, self._lang
        notes = list(self._notes)
        for source, filled in sorted(found.from_document.items()):
            if self._elsewhere is not None and source == self._elsewhere[1]:
                notes.append(Finding("origin-from-document", message(
                    "origin-from-sheet-rows", lang, rows=filled.text(lang), text=self._origins[source],
                    row=-source, sheet=self._elsewhere[0])))
                continue
            notes.append(Finding("origin-from-document", message(
                "origin-from-document-rows", lang, rows=filled.text(lang), text=self._origins[source], row=source)))
        if found.currency_filled:
            notes.append(Finding("currency-from-document", message(
                "currency-from-document", lang, rows=found.currency_filled.text(lang), currency=self._currency[0],
                source=self._currency[1])))
        if found.unlabelled:
            notes.append(Finding("rows-skipped", message("rows-skipped", lang, rows=found.unlabelled.text(lang))))
        if found.charges:
            notes.append(Finding("charges-skipped", message("charges-skipped", lang, rows=found.charges.text(lang))))
        if found.formula_rows:
            notes.append(Finding("formula-no-value", message(
                "formula-no-value-rows", lang, rows=found.formula_rows.text(lang))))
        return tuple(notes)

    def close(self) -> None:
        """End a lines() still running and release the sheet; idempotent."""
        running, self._running = self._running, None
        self._state = "closed"
        self._plan = None
        if running is not None:
            running.close()


def _read_lines(plan: _Plan, found: _Found) -> Generator[InvoiceLine, None, None]:
    """The second pass: the goods lines, with the document-wide values the first pass found."""
    source = plan.rows()
    start = plan.header.top + plan.header.height if plan.header.top is not None else 0
    try:
        yield from _walk(itertools.islice(source, start, None), plan.header, plan.formulas, found, plan.fill,
                         plan.lang, plan.merged)
    finally:
        source.close()


def _field_name(field: str, lang: str) -> str:
    return label(f"field-{field}", lang)


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


def _open_stream(
    label: str,
    grid: _Grid,
    header: _Header,
    rows: _Rows,
    formulas: Mapping[int, set[int]],
    notes: list[Finding],
    lang: str = "en",
    comma_delimited: bool = False,
) -> InvoiceStream:
    """The first pass: the document-wide origin and currency (which may come after the lines that need them),
    and what the number cells say of commas."""
    found = _Found()
    top = header.top if header.top is not None else 0
    start = header.top + header.height if header.top is not None else 0
    _title_values(grid, top, found)
    source = rows()
    try:
        for _ in _walk(itertools.islice(source, start, None), header, formulas, found, None, lang, grid.merged):
            pass
        for _ in source:  # past the table: a damaged record there is reported now, not part-way through lines()
            pass
    finally:
        source.close()

    fill = _origin_fill(found, notes, lang)
    if header.inferred:
        notes.append(Finding("columns-from-content", message(
            "columns-from-content", lang, fields=", ".join(
                f"{_field_name(f, lang)} ({column_letter(header.columns[f])})" for f in header.inferred))))
    currency_text, currency_source = "", ""
    vi, cui = header.columns.get("value"), header.columns.get("currency")
    if cui is None and vi is not None:
        currency_text = _currency_in(header.texts.get(vi, "")) or ""
        if currency_text:
            currency_source = message("currency-source-heading", lang, text=header.texts.get(vi, ""),
                                      column=column_letter(vi))
    if not currency_text and found.currency is not None:
        currency_text = _currency_in(found.currency.text) or ""
        currency_source = (message("currency-source-row", lang, row=found.currency.row, text=found.currency.text)
                           if currency_text else "")

    header_row = None
    if header.top is not None:
        header_row = grid.numbers[header.top] if grid.numbers else header.top + 1
    if found.commas:
        styles = found.commas
        if "groups" in styles:
            commas = "groups" if len(styles) == 1 else None  # both kinds: the file tells nothing
        else:
            commas = "dot-groups" if "dot-groups" in styles else "decimal"
    else:
        commas = "groups" if comma_delimited else None  # "1,500" in a comma-separated file was quoted: 1500
    fill = _Fill(fill.origin, currency_text, fill.origin_row, fill.sections, fill.stop, commas, found.quantities)
    origins = {r.row: r.text for r in found.origin_rows}
    if found.marks_origin is not None:
        origins[found.marks_origin.row] = found.marks_origin.text
    if found.origin is not None:
        origins[found.origin.row] = found.origin.text
    plan = _Plan(rows, header, formulas, grid.merged, fill, origins, currency_source, tuple(notes), lang)
    columns = {field: column_letter(col) for field, col in sorted(header.columns.items(), key=lambda kv: kv[1])}
    return InvoiceStream(label, grid.name, header_row, columns, plan)


def open_invoice(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> InvoiceStream:
    """Open one invoice sheet (or CSV file) to read its lines one at a time, in bounded memory.

    The options are those of read_invoice. Everything that makes the file unreadable raises InputError here,
    before any line: the whole file is read once to check it and to find a document-wide origin or currency
    (a footer under the table names the origin of the lines above it); `lines()` then reads it again. A CSV
    file is never held in memory; a workbook's sheet is, once, as calamine parses it, but its rows become
    Python objects one at a time.
    """
    by_letter, by_text = _split_columns(columns)
    return _open(Path(path), sheet, by_letter, by_text, max(1, max_header_scan), lang, None)[0]


def open_invoices(
    paths: Iterable[str | Path],
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> Iterator[tuple[Path, InvoiceStream | InputError]]:
    """Open invoices one after another: (path, stream), or (path, the InputError that stops that file).

    The options are those of open_invoice, and a bad `columns` raises UsageError here. Workbooks are read
    ahead: the first starts parsing on a background thread at once (calamine lets other Python work go on
    meanwhile), and each next one while the lines of the one before are read. At most two parsed sheets are
    held at a time. The iterator belongs to one thread; several threads each open their own.
    """
    by_letter, by_text = _split_columns(columns)
    queue = [Path(p) for p in paths]
    first = _ReadAhead(queue[0], sheet) if queue else None
    return _open_each(queue, first, sheet, by_letter, by_text, max(1, max_header_scan), lang)


def _open_each(
    queue: list[Path],
    ahead: _ReadAhead | None,
    sheet: str | int | None,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    scan: int,
    lang: str,
) -> Iterator[tuple[Path, InvoiceStream | InputError]]:
    for i, path in enumerate(queue):
        current, ahead = ahead, None
        try:
            opened: list[InvoiceStream] | list[InputError] = _open(
                path, sheet, by_letter, by_text, scan, lang, current, every_sheet=True)
        except InputError as exc:
            opened = [exc]
        del current  # the stream holds what it needs; a sheet parsed ahead and not used goes
        if i + 1 < len(queue):
            ahead = _ReadAhead(queue[i + 1], sheet)
        for one in opened:
            yield path, one


class _ReadAhead:
    """A workbook opened, and the sheet open_invoice tries first parsed, on a background thread.

    Nothing here is reported: a file that cannot be read this way is read again, and its error told, when
    it is opened. CSV files are not read ahead (they are streamed).
    """

    __slots__ = ("path", "_sheet", "_book", "_parsed", "_done")

    def __init__(self, path: Path, sheet: str | int | None) -> None:
        self.path = path
        self._sheet = sheet
        self._book: python_calamine.CalamineWorkbook | None = None
        self._parsed: tuple[str, _Parsed, _FormulaScan] | None = None
        self._done = threading.Event()
        threading.Thread(target=self._run, name="permitcli-read-ahead", daemon=True).start()

    def _run(self) -> None:
        # Only calls into calamine here: they let the GIL go, where Python file and zip reading would wait for
        # it while the caller's thread is busy. A CSV file, or a workbook named as another format, fails here.
        try:
            book = python_calamine.CalamineWorkbook.from_path(self.path)
            names = list(book.sheet_names)
            name = _choose_sheet(names, self._sheet, "") if self._sheet is not None else _sheet_order(book, names)[0]
            if name is not None:
                scanner = _FormulaScan(self.path, self.path.suffix.lower() in (".xlsx", ".xlsm"))
                pending = scanner.start(name)  # alongside the parse, as when the file is opened
                try:
                    self._parsed = (name, (book.get_sheet_by_name(name), pending), scanner)
                except BaseException:
                    scanner.close()
                    raise
            self._book = book
        except BaseException:  # noqa: BLE001 - told again, properly, when the file is opened
            pass
        finally:
            self._done.set()

    def book(self) -> python_calamine.CalamineWorkbook | None:
        """The workbook, once the background work is over; None when it could not be opened."""
        self._done.wait()
        return self._book

    def take(self, name: str) -> _Parsed | None:
        """The sheet `name` and its formula scan, if it is the sheet parsed ahead (handed over once)."""
        self._done.wait()
        parsed, self._parsed = self._parsed, None
        if parsed is None:
            return None
        sheet, got, scanner = parsed
        if sheet != name:
            scanner.close()
            return None
        scanner.release()
        return got


def _open(
    path: Path,
    sheet: str | int | None,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    scan: int,
    lang: str,
    ahead: _ReadAhead | None,
    every_sheet: bool = False,
) -> list[InvoiceStream]:
    """The sheet asked for, or the first with a goods table (`every_sheet`: each sheet with one, in order)."""
    label = str(path)
    fmt = _sniff(path, label)
    notes: list[Finding] = []
    suffix = path.suffix.lower()
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods"}.get(suffix)
    if (
        (fmt.kind is _Kind.TEXT and suffix in SPREADSHEET_SUFFIXES)
        or (fmt.kind is _Kind.WORKBOOK and suffix in (".csv", ".tsv", ".txt"))
        or (expected and expected != fmt.name)
    ):
        notes.append(Finding("format-mismatch", message("format-mismatch", lang, format=fmt.name, suffix=suffix)))
    if fmt.kind is _Kind.TEXT:
        if sheet is not None and sheet not in (0, "0"):
            raise InputError(f"{label}: a CSV file has no sheets (asked for sheet {sheet!r})")
        return [_open_csv(path, label, scan, by_letter, by_text, notes, lang)]
    return _open_sheet(path, label, fmt, sheet, scan, by_letter, by_text, notes, lang, ahead, every_sheet)


def _open_csv(
    path: Path,
    label: str,
    scan: int,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    notes: list[Finding],
    lang: str = "en",
) -> InvoiceStream:
    text = _CsvFile(path, label, scan, by_letter)
    if text.encoding == "cp1251":
        notes.append(Finding("csv-encoding", message("csv-encoding", lang)))
    if not text.filled:
        raise InputError(f"{label}: the file holds no data")
    records = text.rows()
    try:
        head = list(itertools.islice(records, scan + 1))
        blank = _is_blank([row for _, row in head]) and _is_blank(row for _, row in records)
    finally:
        records.close()
    if blank:
        raise InputError(f"{label}: the file holds no data")
    grid = _Grid(None, [row for _, row in head], [number for number, _ in head])
    try:
        header = _header_for(grid, scan, by_letter, by_text, label)
        if header is None:
            raise _no_header(label, grid, scan)
    except PermitError:
        for _ in text.rows():  # a malformed record further down is the first thing to report
            pass
        raise
    return _open_stream(label, grid, header, text.rows, {}, notes, lang, comma_delimited=text.delimiter == ",")


def _open_sheet(
    path: Path,
    label: str,
    fmt: _Format,
    sheet: str | int | None,
    scan: int,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    notes: list[Finding],
    lang: str = "en",
    ahead: _ReadAhead | None = None,
    every_sheet: bool = False,
) -> list[InvoiceStream]:
    book = ahead.book() if ahead is not None and ahead.path == path else None
    if book is None:
        ahead = None
        book = _open_workbook(path, label)

    def parse(name: str) -> _Parsed:
        got = ahead.take(name) if ahead is not None else None
        if got is not None:
            return got
        pending = scanner.start(name)  # the scan runs while calamine parses
        return _sheet(book, name, label), pending

    try:
        names = list(book.sheet_names)
        if not names:
            raise InputError(f"{label}: the workbook has no sheets")
        chosen = _choose_sheet(names, sheet, label)
        scanner = _FormulaScan(path, fmt.name == "xlsx")
        try:
            if chosen is not None:
                ws, pending = parse(chosen)
                head = _sheet_head(ws, label, scan + 1)
                rest = itertools.islice(_sheet_rows(ws, label), len(head), None)
                if _is_blank(head) and _is_blank(row for _, row in rest):
                    raise InputError(f"{label}: sheet {chosen!r} is empty")
                grid = _Grid(ws.name, head, None, _sheet_merged(ws))
                header = _header_for(grid, scan, by_letter, by_text, label)
                if header is None:
                    raise _no_header(label, grid, scan)
                return [_open_stream(label, grid, header, _sheet_source(ws, label), _formulas(pending), notes, lang)]

            first_filled: _Grid | None = None
            order = _sheet_order(book, names)
            visible = _visible_sheets(book)
            streams: list[InvoiceStream] = []
            for name in order:
                if streams and name not in visible:
                    break  # hidden sheets are read only when no visible one holds goods
                ws, pending = parse(name)
                head = _sheet_head(ws, label, scan + 1)
                probe = _Grid(ws.name, head, None, _sheet_merged(ws))
                header = None if _is_blank(head) else _header_for(probe, scan, by_letter, by_text, label)
                if header is None:
                    if pending is not None:
                        pending.cancel()
                    if first_filled is None and not _is_blank(head):
                        first_filled = _Grid(name, head, None, probe.merged)
                    continue
                if every_sheet:
                    streams.append(_open_stream(label, probe, header, _sheet_source(ws, label), _formulas(pending),
                                                list(notes), lang))
                    if name not in visible:
                        break
                    continue
                others = _other_goods_sheets(book, order[order.index(name) + 1 :], scan, label)
                if others:
                    notes.append(Finding("other-sheets", message(
                        "other-sheets", lang, sheets=", ".join(repr(n) for n in others), sheet=name)))
                return [_open_stream(label, probe, header, _sheet_source(ws, label), _formulas(pending), notes, lang)]
        finally:
            scanner.close()
    finally:
        _close_workbook(book)  # the sheet chosen is parsed already and outlives the workbook
    if streams:
        for stream in streams:
            for other in streams:
                if other is not stream:
                    stream._take_origin(other)
        return streams
    if first_filled is None:
        raise InputError(f"{label}: the workbook is empty (no sheet holds any data)")
    raise _no_header(label, first_filled, scan)


def _other_goods_sheets(
    book: python_calamine.CalamineWorkbook, names: Sequence[str], scan: int, label: str
) -> list[str]:
    """The visible sheets among `names` that hold a goods table of their own (a heading is found there)."""
    visible = _visible_sheets(book)
    found = []
    for name in names:
        if name not in visible:
            continue
        try:
            ws = _sheet(book, name, label)
            head = _sheet_head(ws, label, scan + 1)
        except InputError:  # a sheet that cannot be read holds no table to point at
            continue
        if not _is_blank(head) and _detect_header(head, scan, {}, _sheet_merged(ws)) is not None:
            found.append(name)
    return found


def _visible_sheets(book: python_calamine.CalamineWorkbook) -> set[str]:
    return {m.name for m in book.sheets_metadata if m.visible == python_calamine.SheetVisibleEnum.Visible}


def _sheet_order(book: python_calamine.CalamineWorkbook, names: Sequence[str]) -> list[str]:
    """The sheets in the order they are tried for a heading: the visible ones first."""
    visible = [m.name for m in book.sheets_metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]
    return visible + [n for n in names if n not in visible]


def _sheet_head(ws: python_calamine.CalamineSheet, label: str, nrows: int) -> list[list[object]]:
    rows = _sheet_rows(ws, label)
    try:
        return [row for _, row in itertools.islice(rows, nrows)]
    finally:
        rows.close()


def _sheet_source(ws: python_calamine.CalamineSheet, label: str) -> _Rows:
    def rows() -> Generator[tuple[int, list[object]], None, None]:
        return _sheet_rows(ws, label)

    return rows


def _formulas(pending: Future[dict[int, set[int]]] | None) -> dict[int, set[int]]:
    return pending.result() if pending is not None else {}


def _close_workbook(book: python_calamine.CalamineWorkbook) -> None:
    try:
        book.close()
    except Exception:  # closing only frees memory early; a workbook that will not close is dropped anyway
        pass


def read_invoices(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> list[Invoice]:
    """Read every sheet of a workbook that holds a goods table (or the one `sheet`, or a CSV file): one Invoice
    each, in the workbook's order. The options are those of read_invoice."""
    by_letter, by_text = _split_columns(columns)
    invoices = []
    for stream in _open(Path(path), sheet, by_letter, by_text, max(1, max_header_scan), lang, None, every_sheet=True):
        with stream:
            lines = tuple(stream.lines())
            invoices.append(Invoice(path=stream.path, sheet=stream.sheet, header_row=stream.header_row,
                                    columns=dict(stream.columns), lines=lines, notes=stream.notes,
                                    accounting=stream.accounting))
    return invoices


def read_invoice(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> Invoice:
    """Read one invoice sheet (or CSV file) into lines.

    `sheet`: a name or a 0-based index; by default the first sheet with a recognisable heading.
    `columns`: field -> column letter (`C`) or heading text; given ones win, the others are detected.
    Raises InputError (one line, naming the file) for anything that cannot be read.
    Every line is held in memory: open_invoice reads them one at a time.
    """
    with open_invoice(path, sheet=sheet, columns=columns, max_header_scan=max_header_scan, lang=lang) as stream:
        lines = tuple(stream.lines())
        return Invoice(
            path=stream.path,
            sheet=stream.sheet,
            header_row=stream.header_row,
            columns=dict(stream.columns),
            lines=lines,
            notes=stream.notes,
            accounting=stream.accounting,
        )
