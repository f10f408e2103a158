"""What real supplier files do, one case at a time, on workbooks the tests build: each case reads every goods
line, and says what it had to work out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from permitcli.cli import app
from permitcli.invoices import open_invoices, read_invoice, read_invoices
from permitcli.model import Invoice

runner = CliRunner()


def book(path: Path, sheets: dict[str, Sequence[Sequence[object]]], merges: dict[str, Sequence[str]] | None = None,
         ) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def rows_of(inv: Invoice) -> list[int]:
    return [line.row for line in inv.lines]


def notes_of(inv: Invoice, row: int) -> list[str]:
    return [n.type for line in inv.lines if line.row == row for n in line.notes]


def expand(ranges: list[list[int]]) -> list[int]:
    return [row for first, last in ranges for row in range(first, last + 1)]


# --- codes ------------------------------------------------------------------------------------------------------


def test_code_in_a_group_caption_reaches_the_lines_under_it(tmp_path: Path) -> None:
    path = book(tmp_path / "spec.xlsx", {"Спецификация": [
        ["№", "Наименование товара", "Кол-во", "Ед. изм.", "Цена", "Сумма"],
        [None, "Носки женские из хлопчатобумажной пряжи 6115950000"],
        [1, "Носки С0835, размер 23", 20, "пар", 59.1, 1182],
        [2, "Носки С0835, размер 25", 20, "пар", 59.1, 1182],
        [None, "Итого по коду: 6115950000", 40, None, None, 2364],
        [None, "Носки мужские из синтетических нитей 6115960000"],
        [3, "Носки С1043", 40, "пар", 37.1, 1484],
    ]})
    inv = read_invoice(path)
    assert rows_of(inv) == [3, 4, 7]
    assert [line.code_raw for line in inv.lines] == ["6115950000", "6115950000", "6115960000"]
    assert notes_of(inv, 3) == ["code-from-caption"] and "row 2" in inv.lines[0].notes[0].message
    assert inv.accounting is not None
    assert expand(inv.accounting["skipped"]["caption"]) == [2, 6]  # type: ignore[index]
    assert expand(inv.accounting["skipped"]["totals"]) == [5]  # type: ignore[index]


def test_a_code_row_with_no_quantity_is_a_caption_only_when_lines_without_a_code_follow(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"Invoice": [
        ["Description", "HS Code", "Quantity", "Amount"],
        ["Servers", 8471500000, None, None],
        ["Server R740", None, 2, 20000],
        ["Switch", 8517620009, 1, 900],
        ["Router", 8517620009, None, None],  # a line of its own: nothing without a code comes after it
    ]})
    inv = read_invoice(path)
    assert rows_of(inv) == [3, 4, 5]
    assert [line.code_raw for line in inv.lines] == [8471500000, 8517620009, 8517620009]


def test_a_plain_code_heading_over_tn_ved_codes_is_the_code_column(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"EN": [
        ["Item", "Model", "Description/Спецификация", "Код", "Quantity Кол-во", "Unit Price(USD)", "Sub Total (USD)"],
        [1, "JK6040", "Laser machine", 8456110000.0, 1, 1108, 1108],
        [2, "JK1060", "Laser machine", 8456110000.0, 2, 1838, 3676],
        [3, "EFR F2", "Laser tube", 8466967000.0, 1, 146, 146],
    ]})
    inv = read_invoice(path)
    assert inv.columns["code"] == "D" and inv.columns["value"] == "G" and inv.columns["unit_price"] == "F"
    assert [line.code_raw for line in inv.lines] == [8456110000, 8456110000, 8466967000]
    assert [line.value for line in inv.lines] == [Decimal(1108), Decimal(3676), Decimal(146)]  # the amount
    assert "columns-from-content" in [n.type for n in inv.notes]


def test_an_article_code_column_is_not_taken_for_tn_ved_codes(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"S": [
        ["Code", "Description", "Quantity", "Amount"],
        ["A-100", "Bracket", 2, 10],
        ["B-200", "Cable", 5, 25],
    ]})
    inv = read_invoice(path)
    assert "code" not in inv.columns
    assert rows_of(inv) == [2, 3]


# --- headings ---------------------------------------------------------------------------------------------------


def test_no_heading_row_at_all_is_read_from_the_cells(tmp_path: Path) -> None:
    rows = [[str(i), f"НОСКИ ЖЕН. арт. {i}", f"С08{i}", "25-27" if i % 2 else str(20 + i), str(20 * i), 0.35 * i,
             59.1, f"46017430934{i:02d}", 6115950000.0] for i in range(1, 8)]
    inv = read_invoice(book(tmp_path / "flat.xlsx", {"Лист1": rows}))
    assert inv.header_row is None
    assert inv.columns == {"code": "I", "description": "B", "quantity": "E"}
    assert rows_of(inv) == list(range(1, 8))
    assert inv.lines[2].quantity == Decimal(60)
    assert "columns-from-content" in [n.type for n in inv.notes]


def test_a_heading_without_code_or_description_is_a_table_when_numbers_stand_under_it(tmp_path: Path) -> None:
    inv = read_invoice(book(tmp_path / "x.xlsx", {"Sheet": [
        ["art", "qty", "country", "total"],
        ["93103599", "400 ", "HU", "364.40"],
        ["93103598", "2600 ", "CN", "1627.34"],
    ]}))
    assert inv.columns == {"quantity": "B", "origin": "C", "value": "D"}
    assert [(line.quantity, line.origin_raw, line.value) for line in inv.lines] == [
        (Decimal(400), "HU", Decimal("364.40")), (Decimal(2600), "CN", Decimal("1627.34"))]


def test_a_title_block_label_is_never_the_heading(tmp_path: Path) -> None:
    inv = read_invoice(book(tmp_path / "x.xlsx", {"Sheet": [
        ["INVOICE NUMBER", 4711, "Phone number", "+86 574 888"],
        ["Invoice No.", "NB-2330", "Date", "2023-06-13"],
        [],
        ["Description", "Quantity", "Unit price", "Amount"],
        ["Fireplace mantel", 649, 90.29, 58599.1],
    ]}))
    assert inv.header_row == 4
    assert rows_of(inv) == [5]


def test_bilingual_heading_over_three_rows_repeated_on_a_new_page_with_column_numbers(tmp_path: Path) -> None:
    heading = [
        ["Model", "Description/Спецификация", "Кол-во штук Quantity", "Amount Сумма"],
        [None, None, "数量", "金额"],
    ]
    path = book(tmp_path / "pl.xlsx", {"PL": [
        *heading,
        [1, 2, 3, 4],
        ["JK6040", "Laser machine", 1, 200],
        ["JK1060", "Laser machine", 2, 650],
        *heading,
        ["JK1390", "Laser machine", 1, 300],
    ]})
    inv = read_invoice(path)
    assert rows_of(inv) == [4, 5, 8]
    skipped = inv.accounting["skipped"]  # type: ignore[index]
    assert expand(skipped["column-numbers"]) == [3]
    assert expand(skipped["repeated-heading"]) == [6, 7]


# --- several sheets -----------------------------------------------------------------------------------------------


def test_every_sheet_with_goods_is_read_and_counts_for_the_exit_code(tmp_path: Path) -> None:
    path = book(tmp_path / "pi-ci-pl.xlsx", {
        "CI": [["Description", "H.S. Code", "Quantity", "Amount"], ["Mantel", 9403609990, 5, 250]],
        "Notes": [["Shipping instructions"], ["Handle with care"]],
        "PL": [["Description", "Quantity", "N.W.(KGS)"], ["Mantel", 5, 82.5]],
        "Data": [["Commodity", "HS CODE", "Qty", "Amount", "Origin"], ["Server", 8471500000, 1, 900, "China"]],
    })
    assert [inv.sheet for inv in read_invoices(path)] == ["CI", "PL", "Data"]
    assert [stream.sheet for _, stream in open_invoices([path])] == ["CI", "PL", "Data"]  # type: ignore[union-attr]
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--fail-on", "permit"])
    document = json.loads(result.stdout)
    assert [(f["sheet"], len(f["lines"])) for f in document["files"]] == [("CI", 1), ("PL", 1), ("Data", 1)]
    assert result.exit_code == 1  # 8471 50 000 0 (Annex 2) on the third sheet needs a permit
    assert read_invoice(path).sheet == "CI"  # one Invoice: the first sheet with goods, and the others are named
    assert "other-sheets" in [n.type for n in read_invoice(path).notes]


# --- marks, merges, captions on goods rows ------------------------------------------------------------------------


def test_marks_in_column_a_and_a_description_merged_down_keep_every_line(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"Invoice": [
        ["Mark & Nº", "P.O. Nº", "Description", "Quantity(SF)", "Unit price (USD)", "Amount (USD)"],
        ["VENDOR#:", "YNGY25022", "COW LEATHER", 10045.4, 1.14, 11451.76],
        ["Des: COW LEATHER", "YNGY25028", None, 40074.3, 1.14, 45684.7],
        ["MADE IN CAMBODIA", "GYOJY_M25371", None, 136378.1, 1.15, 156834.82],
        [None, "TOTAL OF:", "22 PALLETS"],
    ]}, {"Invoice": ["C2:C4"]})
    inv = read_invoice(path)
    assert rows_of(inv) == [2, 3, 4]
    assert {line.description for line in inv.lines} == {"COW LEATHER"}
    assert {line.origin_raw for line in inv.lines} == {"CAMBODIA"}  # the shipping marks say it for all
    assert inv.accounting["end"] == {"row": 5, "reason": "totals"}  # type: ignore[index]


def test_an_origin_footer_without_a_colon_and_another_sheet_taking_it(tmp_path: Path) -> None:
    lines = [["CLV-1", "LEATHER", 100, 1.1], ["CLV-2", "LEATHER", 50, 1.2]]
    path = book(tmp_path / "inv.xlsx", {
        "Invoice": [["Item", "Description", "Quantity", "Unit price"], *lines, [],
                    ["Country of Original Cambodia "]],
        "Contract": [["Item", "Description", "Quantity", "Unit price"], *lines],
    })
    invoice, contract = read_invoices(path)
    assert {line.origin_raw for line in invoice.lines} == {"Cambodia"}
    assert {line.origin_raw for line in contract.lines} == {"Cambodia"}
    note = next(n for n in contract.notes if n.type == "origin-from-document")
    assert "sheet 'Invoice'" in note.message and "row 5" in note.message


def test_lines_without_a_description_and_numbers_alone(tmp_path: Path) -> None:
    path = book(tmp_path / "pl.xlsx", {"Packing list": [
        ["P.O. Nº", "ITEM Nº", "Description", "Quantity", "N.W."],
        ["YNGY25022", "M1243", None, 8, 804],
        ["YNGY25028", "M1243", None, 12, 1200],
        [None, None, None, 20, 2004],  # the total of the two lines above, unlabelled
        [None, None, None, 7, 10],  # numbers the reader cannot place: a line for a person to look at
    ]})
    inv = read_invoice(path)
    assert rows_of(inv) == [2, 3, 5]
    assert notes_of(inv, 5) == ["row-unclear"]
    assert inv.accounting["end"] is None  # type: ignore[index]
    assert expand(inv.accounting["skipped"]["totals"]) == [4]  # type: ignore[index]


# --- amounts, unit prices, currencies --------------------------------------------------------------------------------


def test_unit_price_beside_the_amount_and_a_value_computed_where_there_is_none(tmp_path: Path) -> None:
    with_amount = read_invoice(book(tmp_path / "a.xlsx", {"S": [
        ["Description", "Qty", "Unit Value", "Subtotal Value"], ["Bags", 600, 14.69, 8814]]}))
    assert with_amount.lines[0].value == Decimal(8814)
    without = read_invoice(book(tmp_path / "b.xlsx", {"S": [
        ["Description", "Quantity", "Price per M2"], ["Tiles", 12, "2,5"]]}))
    assert without.lines[0].value == Decimal("30.0")
    assert notes_of(without, 2) == ["value-computed"]


def test_currency_in_cells_of_its_own_before_the_numbers_under_merged_headings(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"Sheet1 (2)": [
        ["Marks", "Quantities and Descriptions", None, None, "Unit Price", None, "Amount", None],
        ["N/M", "PAPER BAGS", None, None, None, "FOB LAEM CHABANG"],
        [None, "BHB10712-CLRK", 600, "CS", "USD", 14.69, "USD", 8814],
        [None, "BHB8510-CLRK", 400, "CS", "USD", 13.85, "USD", 5540],
        [None, None, "Total：FOB LAEM CHABANG", None, None, None, "USD", 14354],
    ]}, {"Sheet1 (2)": ["B1:D1", "E1:F1", "G1:H1"]})
    inv = read_invoice(path)
    assert inv.columns == {"description": "B", "quantity": "C", "unit": "D", "currency": "E", "unit_price": "F",
                           "value": "H"}
    assert [(line.row, line.unit, line.currency, line.value) for line in inv.lines] == [
        (3, "CS", "USD", Decimal(8814)), (4, "CS", "USD", Decimal(5540))]
    assert inv.accounting["end"] == {"row": 5, "reason": "totals"}  # type: ignore[index]


def test_numbers_as_text_in_european_grouping(tmp_path: Path) -> None:
    inv = read_invoice(book(tmp_path / "sap.xlsx", {"To_Paste": [
        ["Bill.Doc.", "Net value", "Curr.", "Description", "Bill.qty", "SU"],
        [1125942919, " 5.185,01", "UAH", "Кетчуп 30x300г", 56.12, "ЯЩ"],
        [1125942919, "717.27", "UAH", "Кетчуп 20x450г", 8, "ЯЩ"],
    ]}))
    assert [line.value for line in inv.lines] == [Decimal("5185.01"), Decimal("717.27")]
    assert "code" not in inv.columns  # a billing document number of ten digits is no TN VED code


# --- what ends a table ------------------------------------------------------------------------------------------------


def test_footers_in_many_spellings_are_not_goods(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"Invoice": [
        ["Date", "Item no.", "Description", "Qty", "Unit Price", "Discount", "Total"],
        ["2022-10-25", 789807, "Wooden Blocks", 4, 10, 2, 38],
        [None, None, None, None, None, "Invoice Subtotal", 38],
        [None, None, None, None, None, "Other Tax", 3.38],
        [None, None, None, None, None, "Delivery", 5],
        [None, "MAKE ALL CHECKS PAYABLE TO TAILSPIN TOYS", None, None, None, "Deposit Received", 0],
        [None, None, "小計", 4, None, None, 38],
        ["SAY US DOLLARS THIRTY EIGHT ONLY"],
        ["Bank account :", None, None, 100001100764430],
        ["Currency Code: EUR", None, "Total Item Qty", 4],
    ]})
    inv = read_invoice(path)
    assert rows_of(inv) == [2]
    accounting = inv.accounting
    assert accounting is not None
    assert accounting["end"] == {"row": 3, "reason": "totals"}
    assert expand(accounting["after_end"]) == list(range(3, 11))  # type: ignore[arg-type]


# --- more of what supplier files do ----------------------------------------------------------------------------------


def test_a_description_merged_leftward_over_the_marks_column(tmp_path: Path) -> None:
    path = book(tmp_path / "pl.xlsx", {"PL": [
        ["Marks", "Descriptions", None, "QTY", "PACKAGES"],
        ["PAPER BAGS BHB10712", None, None, 150000, 600],
        ["PAPER BAGS BHB8510", None, None, 100000, 400],
        ["Note: packed on pallets, handle with care", None, None, None, None, None],
    ]}, {"PL": ["A2:C2", "A3:C3", "A4:E4"]})
    inv = read_invoice(path)
    assert [(line.row, line.description) for line in inv.lines] == [
        (2, "PAPER BAGS BHB10712"), (3, "PAPER BAGS BHB8510")]


def test_a_code_on_the_row_under_a_line_is_that_lines_code(tmp_path: Path) -> None:
    path = book(tmp_path / "spec.xlsx", {"Спецификация": [
        ["№", "Наименование", "Кол-во", "Ед. изм.", "Сумма"],
        [1, "Насос центробежный", 2, "шт", 1200],
        [None, "код ТН ВЭД 84137021"],
        [2, "Клапан запорный", 4, "шт", 400],
        [None, "код ТН ВЭД 8481 80 819 9"],
        [3, "Прокладка", 10, "шт", 50],
    ]})
    inv = read_invoice(path)
    assert [(line.row, line.code_raw) for line in inv.lines] == [(2, "84137021"), (4, "8481808199"), (6, None)]
    assert notes_of(inv, 2) == ["code-from-caption"] and "row 3" in inv.lines[0].notes[0].message
    assert expand(inv.accounting["skipped"]["caption"]) == [3, 5]  # type: ignore[index]


def test_nan_and_dashes_in_number_cells_are_empty(tmp_path: Path) -> None:
    inv = read_invoice(book(tmp_path / "x.xlsx", {"S": [
        ["Description", "HS Code", "Quantity", "Amount"],
        ["Server", "8471500000", 2, "nan"],
        ["Cable", "8544429007", "-", 12.5],
    ]}))
    assert [(line.quantity, line.value, line.notes) for line in inv.lines] == [
        (Decimal(2), None, ()), (None, Decimal("12.5"), ())]


def test_a_currency_named_only_in_the_title(tmp_path: Path) -> None:
    inv = read_invoice(book(tmp_path / "pi.xlsx", {"PI": [
        ["PROFORMA INVOICE (RMB)"],
        ["Item", "Description", "Quantity", "Unit Price", "Amount"],
        [1, "CNC router", 1, 30030, 30030],
    ]}))
    assert inv.lines[0].currency == "CNY"
    assert "currency-from-document" in [n.type for n in inv.notes]


def test_the_table_says_what_became_of_the_rows(tmp_path: Path) -> None:
    path = book(tmp_path / "inv.xlsx", {"S": [
        ["Description", "HS Code", "Quantity", "Amount"],
        [1, 2, 3, 4],
        ["Server", 8471500000, 2, 200],
        ["Total", None, 2, 200],
        ["Signature ______"],
    ]})
    result = runner.invoke(app, ["check", str(path), "--all"])
    text = " ".join(result.stdout.split())
    assert "Rows under the heading: 4, of which 1 read as goods lines; 1 set aside (column-numbers 1); the table " \
           "ends at row 4 (totals), 2 rows from there on" in text
