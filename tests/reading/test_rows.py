"""What each row under the heading is: goods, totals, charges, captions, origin and currency lines, a footer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from hypothesis import given
from hypothesis import strategies as st
from workbooks import (
    HEADING,
    H,
    _lines,
    _rows_of,
    by_row,
    note_types,
    put_rows,
    save,
    xlsx,
)

from permitcli.codes import CodeKind, parse_code
from permitcli.countries import resolve_country
from permitcli.invoices import read_invoice
from permitcli.model import exact
from permitcli.reading.rows import _Sums


def test_bilingual_invoice_with_document_origin_footer(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "invoice.xlsx",
        [
            ["COMMERCIAL INVOICE No. INV-5"],
            ["Seller: Alpha LLP, Almaty, Kazakhstan"],
            [],
            ["No.", "Description of goods/ Наименование", "Customs code/ Код ТН ВЭД", "Qty\nКол-во",
             "Unit price/ Цена за ед.", "Total amount/ Сумма", "Country of origin/ Страна происхождения",
             "Currency/ Валюта"],
            [1, "Server", 8471500000, 2, 14800, 29600, None, "USD"],
            [2, "Valve DN50", 8481808199, 12, 385, 4620, "Germany", "USD"],
            [3, "Antenna", 8529101100, 1, 4200, "4\u00a0200,00", None, "USD"],
            [None, "TOTAL/ ИТОГО", None, 15, None, 38420],
            [],
            ["Country of origin/ Страна происхождения: CHINA/КИТАЙ"],
            [9, "Stray line after the footer", 8471300000, 1, 1, 1, None, "USD"],
        ],
        title="Invoice",
    )
    inv = read_invoice(path)
    assert inv.header_row == 4
    assert inv.columns == {
        "description": "B", "code": "C", "quantity": "D", "unit_price": "E", "value": "F", "origin": "G",
        "currency": "H",
    }
    assert "unit" not in inv.columns  # "Unit price" is not the unit
    lines = by_row(inv)
    # A goods line after the origin line makes it the origin of the lines under it, not a footer: the lines
    # above it without their own origin keep none (and are screened for review), and that is said.
    assert sorted(lines) == [5, 6, 7, 11]
    assert (lines[5].origin_raw, lines[7].origin_raw, lines[6].origin_raw) == ("", "", "Germany")
    assert lines[11].origin_raw == "CHINA/КИТАЙ" and lines[11].origin_from_document
    assert lines[7].value == Decimal("4200.00")
    assert [n.type for n in inv.notes] == ["origin-between-lines", "origin-from-document"]
    assert inv.notes[0].message.startswith("row 10 gives the country of origin ('CHINA/КИТАЙ') between goods")
    assert inv.notes[1].message.startswith("row 11: no country of origin in the line")
    footer_only = xlsx(tmp_path / "footer.xlsx", [row for row in _rows_of(path) if row[:1] != [9]])
    lines = by_row(read_invoice(footer_only))
    assert sorted(lines) == [5, 6, 7]  # the footer ends the goods lines
    assert lines[5].origin_raw == "CHINA/КИТАЙ" and lines[5].origin_from_document
    assert lines[6].origin_raw == "Germany" and not lines[6].origin_from_document
    assert lines[7].origin_from_document
    assert resolve_country(lines[5].origin_raw) == "CN"
    note = next(n for n in read_invoice(footer_only).notes if n.type == "origin-from-document")
    assert "rows 5, 7" in note.message and "row 10" in note.message


def test_document_origin_in_the_title_block(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "spec.xlsx",
        [
            ["Спецификация № 1"],
            ["Страна происхождения:", None, "Китай"],
            ["Наименование", "Код ТН ВЭД", "Страна происхождения", "Количество"],
            ["Ноутбук", "8471300000", None, 3],
            ["Сервер", "8471500000", "США", 1],
        ],
    )
    lines = by_row(read_invoice(path))
    assert (lines[4].origin_raw, lines[4].origin_from_document) == ("Китай", True)
    assert (lines[5].origin_raw, lines[5].origin_from_document) == ("США", False)


def test_document_origin_that_is_not_a_country_is_not_applied(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "spec.xlsx",
        [
            ["Description", "HS Code", "Quantity"],
            ["Server", "8471500000", 1],
            ["Country of origin: see the attached certificates"],
        ],
    )
    inv = read_invoice(path)
    assert inv.lines[0].origin_raw == "" and not inv.lines[0].origin_from_document
    assert "document-origin-unknown" in note_types(inv)


def test_nine_digit_text_code_is_kept_as_read(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "nine.xlsx", [["HS Code", "Description", "Qty"], ["8473 30 200", "Memory", 16]])
    line = read_invoice(path).lines[0]
    assert line.code_raw == "8473 30 200"
    assert parse_code(line.code_raw).kind is CodeKind.INVALID


def test_totals_rows_with_a_count_in_the_code_column(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "totals.xlsx",
        [
            ["Description", "HS Code", "Qty", "Amount"],
            ["Total station Leica TS07", 9015201000, 1, 9000],  # a goods name starting with "Total", with a code
            ["Totals:", 1, 1, 9000],  # the number of lines sits in the code column
            ["Всего наименований", 1],
        ],
    )
    inv = read_invoice(path)
    assert [(line.row, line.code_raw) for line in inv.lines] == [(2, 9015201000)]


def test_document_currency_line(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "eur.xlsx",
        [["Валюта: EUR"], ["Код ТН ВЭД", "Наименование", "Количество", "Сумма"], ["8481808199", "Клапан", 2, 770]],
    )
    inv = read_invoice(path)
    assert inv.lines[0].currency == "EUR"
    assert "currency-from-document" in note_types(inv)


def test_a_described_line_without_code_or_numbers_is_kept_captions_are_not(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Код ТН ВЭД;Наименование;Страна происхождения;Ед.\n"
                    ";Раздел 2. Кабели;;\n"  # a caption: text in one cell
                    ";Кабель силовой;CN;\n"  # a goods line without a code: kept, to be reported
                    ";Провод;;м\n"
                    "8544429007;Кабель;CN;м\n", encoding="utf-8")
    assert [(line.row, line.code_raw, line.description) for line in read_invoice(path).lines] == [
        (3, None, "Кабель силовой"), (4, None, "Провод"), (5, "8544429007", "Кабель")]


def test_without_a_heading_row_text_before_the_first_goods_line_is_no_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Name;Customs;Where\nServer;8471500000;CN\nCable;;CN\n", encoding="utf-8")
    lines = read_invoice(path, columns={"description": "A", "code": "B", "origin": "C"}).lines
    assert [(line.row, line.code_raw) for line in lines] == [(2, "8471500000"), (3, None)]


def test_origin_captions_give_each_section_its_own_origin(tmp_path: Path) -> None:
    heading = [h for h in HEADING if h != "Страна происхождения"]
    path = xlsx(tmp_path / "sections.xlsx", [
        heading,
        [None, "Раздел 1. Коммутаторы"],
        ["Страна происхождения: Китай"],
        [1, "Коммутатор", "8517620009", 1, "шт", 10],
        [2, "Маршрутизатор", "8517620009", 1, "шт", 10],
        [None, "Раздел 2. Серверы"],
        ["Страна происхождения: Германия"],
        [3, "Сервер", "8471500000", 1, "шт", 10],
        [4, "Сервер", "8471500000", 1, "шт", 10],
        [None, "Итого", None, 4, None, 40],
    ])
    inv = read_invoice(path)
    assert [(line.row, line.origin_raw, line.origin_from_document) for line in inv.lines] == [
        (4, "Китай", True), (5, "Китай", True), (8, "Германия", True), (9, "Германия", True)]
    messages = [n.message for n in inv.notes if n.type == "origin-from-document"]
    assert len(messages) == 2 and "(row 3)" in messages[0] and "(row 7)" in messages[1]


def test_goods_whose_description_starts_with_a_totals_word_are_kept(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "t.xlsx", [
        HEADING,
        [1, "Total station Leica TS16", "", "Швейцария", 1, "шт", 15000],
        [2, "Тахеометр", "9015201000", "Швейцария", 1, "шт", 9000],
        [None, "Total", None, None, 2, None, 24000],
    ])
    assert [(line.row, line.code_raw) for line in read_invoice(path).lines] == [(2, None), (3, "9015201000")]


def test_numbers_under_the_code_heading_with_nothing_else_are_no_goods(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "req.xlsx", [
        HEADING,
        [1, "Сервер", "8471500000", "Китай", 1, "шт", 10],
        [None, "Итого", None, None, 1, None, 10],
        [None, None, 123456789013],  # the seller's BIN
        [None, None, "KZ12 3456 7890 1234 5678"],  # an account
        [None, None, "12.10.2026"],  # the date of signing
    ])
    inv = read_invoice(path)
    assert [line.row for line in inv.lines] == [2]
    assert "rows-skipped" in note_types(inv)


@pytest.mark.parametrize("line", [
    "Страна происхождения товаров – Китайская Народная Республика",
    "All goods made in China",
])
def test_more_ways_to_give_one_origin_for_the_document(tmp_path: Path, line: str) -> None:
    path = xlsx(tmp_path / "a.xlsx", [HEADING[:3] + ["Кол-во"], [1, "Сервер", "8471500000", 2], [line]])
    (only,) = read_invoice(path).lines
    assert resolve_country(only.origin_raw) == "CN" and only.origin_from_document


def test_charges_and_requisites_under_the_goods_are_no_lines(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "inv.xlsx", [
        HEADING,
        [1, "Сервер", "8471500000", "Китай", 1, "шт", 1000],
        [2, "Кабель без кода", None, "Китай", 5, "м", 50],
        [None, "Freight", None, None, None, None, 800],
        [None, "Страховка", None, None, None, None, 120],
        [None, "в т.ч. НДС 12%", None, None, None, None, 120],
        [None, "Итого", None, None, 6, None, 2090],
        [None, "БИН", 123456789013],
        [None, "Тел.", "+7 727 250 00 00"],
        [None, "Контракт", 2026015],
        [3, "Коммутатор", "8517620009"],  # a real code with its description: kept even without numbers
    ])
    inv = read_invoice(path)
    assert [(line.row, line.code_raw) for line in inv.lines] == [(2, "8471500000"), (3, None), (11, "8517620009")]
    notes = {n.type: n.message for n in inv.notes}
    assert notes["charges-skipped"].startswith("rows 4, 5, 6: charges")
    assert notes["rows-skipped"].startswith("rows 8, 9, 10: not goods lines")


def test_a_code_or_origin_merged_down_over_lines_reaches_each_of_them(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put_rows(ws, [
        HEADING,
        [1, "Коммутатор 24 порта", "8517620009", "Китай", 2, "шт", 200],
        [2, "Коммутатор 48 портов", None, None, 3, "шт", 600],
        [3, "Сервер", "8471500000", None, 1, "шт", 5000],
        [4, "Клапан", "8481801100", "Германия", 1, "шт", 50],
        [5, "Клапан DN100", "8481801100", None, 1, "шт", 80],
    ])
    for cells in ("C2:C3", "D2:D4", "D5:D6", "G5:G6"):
        ws.merge_cells(cells)
    inv = read_invoice(save(wb, tmp_path / "merged.xlsx"))
    assert [(line.row, line.code_raw, line.origin_raw) for line in inv.lines] == [
        (2, "8517620009", "Китай"), (3, "8517620009", "Китай"), (4, "8471500000", "Китай"),
        (5, "8481801100", "Германия"), (6, "8481801100", "Германия")]
    assert inv.lines[4].value is None  # a value merged down is not copied: it would be counted twice


def test_sections_in_a_list_without_quantities(tmp_path: Path) -> None:
    rows = [["№", "Наименование товара", "Код ТН ВЭД ЕАЭС", "Примечание"], ["Страна происхождения: Китай"],
            [1, "A", "8517620009"], [2, "B", "8517620009"], ["Страна происхождения: Германия"], [3, "C", "8471500000"]]
    assert [(r[0], r[2]) for r in _lines(tmp_path, rows)] == [(3, "Китай"), (4, "Китай"), (6, "Германия")]


def test_a_code_merged_down_across_a_section_caption(tmp_path: Path) -> None:
    heading = [c for c in H if c != "Страна происхождения"]
    rows = [heading, ["Страна происхождения: Китай"], [1, "A", "8517620009", 1, "шт", 10],
            [2, "B", None, 1, "шт", 10], ["Страна происхождения: Германия"], [3, "C", None, 1, "шт", 10]]
    lines = _lines(tmp_path, rows, merges=["C3:C6"])
    assert [(r[0], r[1], r[2]) for r in lines] == [(3, "8517620009", "Китай"), (4, "8517620009", "Китай"),
                                                   (6, "8517620009", "Германия")]


def test_a_footer_followed_by_weights_still_ends_the_table(tmp_path: Path) -> None:
    heading = [c for c in H if c != "Страна происхождения"]
    rows = [heading, [1, "A", "8517620009", 1, "шт", 10], [None, "Итого", None, 1, None, 10],
            ["Страна происхождения: Китай"], [None, "Вес нетто, кг", None, None, None, 850],
            [None, "Количество мест", None, 12]]
    assert _lines(tmp_path, rows) == [(2, "8517620009", "Китай", Decimal(1))]


def test_goods_named_with_charge_totals_or_origin_words_are_kept(tmp_path: Path) -> None:
    rows = [H, [1, "Shipping container 20ft", None, None, 1, "шт", 3000],
            [2, "Total station Leica TS16", None, None, 1, "шт", 15000],
            [3, "Made in Italy leather bags", None, None, 5, "шт", 500],
            [4, "Коммутатор (образец)", "847150000"],  # a code with a digit missing, and nothing else: still goods
            [None, "Freight", None, None, None, None, 800], [None, "Итого", None, None, 7, None, 19300]]
    assert [(r[0], r[1]) for r in _lines(tmp_path, rows)] == [(2, None), (3, None), (4, None), (5, "847150000")]


def test_totals_under_a_merged_origin_and_subtotals_by_code_are_no_lines(tmp_path: Path) -> None:
    rows = [H, [1, "A", "8471500000", "Китай", 1, "шт", 10], [2, "B", "8471500000", None, 2, "шт", 20],
            [None, "Итого по коду", "8471500000", None, 3, None, 30], [None, "Итого", None, None, 3, None, 30]]
    assert [r[0] for r in _lines(tmp_path, rows, merges=["D2:D6"])] == [2, 3]


def test_a_full_code_alone_on_a_row_is_goods_but_a_date_is_not(tmp_path: Path) -> None:
    rows = [H, [1, "A", "8471500000", "Китай", 1, "шт", 10], [None, None, "8504403008"], [None, "Итого", None, None, 1],
            [None, "Дата", "12.10.2026"], [None, None, 123456789013]]
    assert [(r[0], r[1]) for r in _lines(tmp_path, rows)] == [(2, "8471500000"), (3, "8504403008")]


_CELL_NUMBERS = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(
    lambda x: round(x, 2)), st.decimals(-10**6, 10**6, places=2))


@given(st.lists(st.one_of(st.tuples(_CELL_NUMBERS, _CELL_NUMBERS), st.just("total")), max_size=30),
       _CELL_NUMBERS, _CELL_NUMBERS)
def test_numbers_are_added_up_exactly_when_a_row_asks(steps, qty, val):
    # The same answer as adding every number as a Decimal as the lines come: the sums are only put off.
    sums, q, v, q_mark, v_mark = _Sums(), Decimal(0), Decimal(0), Decimal(0), Decimal(0)
    for step in steps:
        if step == "total":
            sums.mark()
            q_mark, v_mark = q, v
            continue
        for numbers, number in ((sums.quantities, step[0]), (sums.values, step[1])):
            if number is not None:  # as the walk adds a line's numbers
                numbers.append(number)
        q += exact(step[0]) or 0
        v += exact(step[1]) or 0
    expected = (qty is None and val is None) or any(
        n is not None and t and abs(exact(n) - t) <= Decimal("0.01")
        for n, t in ((qty, q), (qty, q - q_mark), (val, v), (val, v - v_mark)))
    assert sums.sums_up(qty, val) == expected
    assert sums.sums_up(qty, val) == expected  # asking again adds nothing twice
