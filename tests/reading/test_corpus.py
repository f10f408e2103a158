"""Real supplier files (../shared/corpus, kept outside the repository, with a ground truth written by hand): every
goods row is read, with the code, origin and line amount the truth gives. Skipped where the corpus is absent."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
import python_calamine

from permitcli.codes import parse_code
from permitcli.countries import resolve_country
from permitcli.invoices import read_invoices

ROOT = Path(__file__).resolve().parents[2]
CORPUS = next((folder / "shared" / "corpus" for folder in ROOT.parents
               if (folder / "shared" / "corpus" / "manifest.json").is_file()), None)
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text("utf-8")) if CORPUS else []

pytestmark = pytest.mark.skipif(CORPUS is None, reason="no ../shared/corpus beside the repository")


def _column(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + ord(ch.upper()) - 64
    return index - 1


def _amount(cell: object) -> Decimal | None:
    """The truth's amount cell as a number, read here without the reader: the last '.' or ',' is the decimal mark
    when both stand in it ('5.185,01'); spaces group thousands."""
    if cell in ("", None) or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return Decimal(repr(cell))
    text = re.sub(r"[\s\u00a0]", "", str(cell))
    if "," in text and "." in text:
        decimal = max(text.rfind(","), text.rfind("."))
        text = re.sub(r"[.,]", "", text[:decimal]) + "." + text[decimal + 1:]
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


@pytest.mark.parametrize("entry", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_every_goods_row_is_read_with_its_code_origin_and_amount(entry: dict[str, Any]) -> None:
    assert CORPUS is not None
    path = CORPUS / "files" / entry["file"]
    invoices = {inv.sheet: inv for inv in read_invoices(path)}
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    extra: list[tuple[str, int]] = []
    for sheet in entry["sheets"]:
        inv = invoices.get(sheet["name"])
        if not sheet["has_goods"]:
            assert inv is None or not inv.lines, f"{sheet['name']}: goods read on a sheet without any"
            continue
        assert inv is not None, f"sheet {sheet['name']!r} was not read"
        lines = {line.row: line for line in inv.lines}
        assert not set(sheet["goods_rows"]) - set(lines), f"{sheet['name']}: goods rows not read"
        extra += [(sheet["name"], row) for row in set(lines) - set(sheet["goods_rows"])]
        cells = book.get_sheet_by_name(sheet["name"]).to_python(skip_empty_area=False)
        amount_col = (sheet.get("columns") or {}).get("amount")
        for row in sheet["goods_rows"]:
            line = lines[row]
            code = (sheet.get("codes") or {}).get(str(row))
            if code:
                assert parse_code(line.code_raw).digits == code, f"{sheet['name']}!{row}: code"
            origin = (sheet.get("origins") or {}).get(str(row)) or sheet.get("document_origin")
            if origin:
                assert resolve_country(line.origin_raw) == origin, f"{sheet['name']}!{row}: origin"
            if amount_col:
                cells_row = cells[row - 1]
                col = _column(amount_col)
                amount = _amount(cells_row[col] if col < len(cells_row) else None)
                if amount is not None:
                    assert line.value == amount, f"{sheet['name']}!{row}: value"
    # Where a row is in doubt it is read (a line to look at), never dropped: at most one such row a file.
    assert len(extra) <= 1, f"rows read that are no goods: {sorted(extra)}"


def test_the_corpus_as_a_whole() -> None:
    """The totals the reader is held to: all goods rows, and rows read in doubt under 1% of them."""
    assert CORPUS is not None
    goods = read = extra = 0
    for entry in MANIFEST:
        invoices = {inv.sheet: inv for inv in read_invoices(CORPUS / "files" / entry["file"])}
        for sheet in entry["sheets"]:
            rows = set(sheet["goods_rows"]) if sheet["has_goods"] else set()
            got = {line.row for line in invoices[sheet["name"]].lines} if sheet["name"] in invoices else set()
            goods += len(rows)
            read += len(rows & got)
            extra += len(got - rows)
    assert read == goods
    assert extra * 100 < goods
