"""Column letters and the --columns option: given columns win over the headings found."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from workbooks import xlsx

from permitcli.errors import UsageError
from permitcli.invoices import column_letter, parse_columns, read_invoice


def test_parse_columns() -> None:
    assert parse_columns("code=C, origin=E,description=Наименование товара") == {
        "code": "C", "origin": "E", "description": "Наименование товара",
    }
    with pytest.raises(UsageError, match="unknown field 'hs'"):
        parse_columns("hs=C")
    with pytest.raises(UsageError, match="field=COLUMN"):
        parse_columns("code")


def test_column_letter() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


def test_columns_by_letter_and_by_heading_text(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "odd.xlsx",
        [
            ["Поз.", "Предмет", "Шифр", "Кол", "Откуда"],
            [1, "Сервер", "8471500000", 2, "США"],
            [2, "Ноутбук", "8471300000", 5, "Китай"],
        ],
    )
    inv = read_invoice(path, columns={"code": "C", "description": "B", "quantity": "D", "origin": "E"})
    assert inv.header_row is None  # nothing recognisable: the rows without a code are captions
    assert [(line.row, line.code_raw, line.origin_raw, line.quantity) for line in inv.lines] == [
        (2, "8471500000", "США", Decimal(2)),
        (3, "8471300000", "Китай", Decimal(5)),
    ]
    by_text = read_invoice(path, columns={"code": "Шифр", "description": "предмет", "quantity": "Кол"})
    assert by_text.header_row == 1
    assert by_text.columns["code"] == "C" and by_text.columns["quantity"] == "D"
    assert len(by_text.lines) == 2


def test_given_column_wins_over_detection(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "two_codes.xlsx",
        [
            ["Наименование", "Код ТН ВЭД", "Количество", "HS code (buyer)"],
            ["Сервер", "8471500000", 1, "8471410000"],
        ],
    )
    assert read_invoice(path).lines[0].code_raw == "8471500000"
    inv = read_invoice(path, columns={"code": "D"})
    assert inv.columns["code"] == "D"
    assert inv.lines[0].code_raw == "8471410000"
    assert "B" not in inv.columns.values()  # a column feeds one field; the displaced one is not reused
