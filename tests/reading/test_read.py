"""Reading invoices as brokers get them: title blocks, merged headings, 1C CSV exports, bilingual headers, the
shipped examples."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from workbooks import EXAMPLES, HEADING, _ods, by_row, note_types, put_rows, save, xlsx

from permitcli.codes import CodeKind, parse_code
from permitcli.countries import resolve_country
from permitcli.invoices import read_invoice, sheet_names


def test_russian_spec_with_title_block_two_heading_rows_captions_and_totals(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Спецификация"
    put_rows(
        ws,
        [
            ["СПЕЦИФИКАЦИЯ № 7"],
            ["к Контракту № 12/2025 от 01.12.2025"],
            ["Поставщик: ТОО «Альфа», Алматы"],
            [],
            ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Количество", None,
             "Стоимость, USD", None],
            [None, None, None, None, "Кол-во", "Ед. изм.", "Цена за ед.", "Сумма"],
            [1, 2, 3, 4, 5, 6, 7, 8],
            ["Раздел 1. Вычислительная техника"],
            [1, "Ноутбук", "8471 30 000 0", "Китай", 10, "шт", 500, 5000],
            [],
            [2, "Сервер", 8471500000, "США", 2, "шт", 1000.5, 2001],
            [3, "Кабель без кода", None, "Германия", 5, "м", 2.5, 12.5],
            [None, "Итого", None, None, 17, None, None, 7013.5],
            [None, None, None, None, 17, None, None, 7013.5],
            ["Директор ____________ Ахметов Б. К."],
        ],
    )
    for rng in ("A1:H1", "A2:H2", "A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:F5", "G5:H5", "A8:H8"):
        ws.merge_cells(rng)
    inv = read_invoice(save(wb, tmp_path / "spec.xlsx"))

    assert inv.sheet == "Спецификация"
    assert inv.header_row == 5
    # "Цена за ед." under the merged "Стоимость" is neither the unit nor the value; "Сумма" is the value.
    assert inv.columns == {
        "description": "B", "code": "C", "origin": "D", "quantity": "E", "unit": "F", "unit_price": "G", "value": "H",
    }
    assert [line.row for line in inv.lines] == [9, 11, 12]  # numbers row, caption, blanks, totals skipped
    first, second, third = inv.lines
    assert first.code_raw == "8471 30 000 0"
    assert first.description == "Ноутбук"
    assert first.origin_raw == "Китай"
    assert (first.quantity, first.unit, first.value) == (Decimal(10), "шт", Decimal(5000))
    assert second.code_raw == 8471500000 and isinstance(second.code_raw, int)
    assert second.value == Decimal("2001")
    # no code, but a description and numbers: kept, for screening to report
    assert third.code_raw is None
    assert (third.description, third.quantity, third.value) == ("Кабель без кода", Decimal(5), Decimal("12.5"))
    # the currency named in the value heading fills the lines
    assert {line.currency for line in inv.lines} == {"USD"}
    assert "currency-from-document" in note_types(inv)
    # the unlabelled sums under "Итого" are a total, not goods; every row under the heading is accounted for
    assert inv.accounting == {
        "rows": 8, "lines": 3,
        "skipped": {"caption": [[8, 8]], "column-numbers": [[7, 7]]},
        "end": {"row": 13, "reason": "totals"},
        "after_end": [[13, 15]],
    }


def test_sheet_whose_first_cell_is_b3_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    put_rows(
        wb.active,
        [
            ["Код ТН ВЭД", "Наименование", "Кол-во", "Страна происхождения"],
            ["8517620009", "Коммутатор", 6, "Китай"],
            ["8471500000", "Сервер", 2, "США"],
        ],
        first_row=3,
        first_col=2,
    )
    inv = read_invoice(save(wb, tmp_path / "b3.xlsx"))
    assert inv.header_row == 3
    assert inv.columns == {"code": "B", "description": "C", "quantity": "D", "origin": "E"}
    assert [(line.row, line.code_raw) for line in inv.lines] == [(4, "8517620009"), (5, "8471500000")]


def test_default_sheet_is_the_first_with_a_heading(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Титул"
    put_rows(wb.active, [["Спецификация к контракту"], ["Поставщик: ТОО «Альфа»"]])
    hidden = wb.create_sheet("Справочник")
    put_rows(hidden, [["Код ТН ВЭД", "Наименование"], ["8471500000", "Сервер"]])
    hidden.sheet_state = "hidden"
    goods = wb.create_sheet("Товары")
    put_rows(goods, [["Код ТН ВЭД", "Наименование", "Количество"], ["8471300000", "Ноутбук", 4]])
    path = save(wb, tmp_path / "book.xlsx")

    assert sheet_names(path) == ["Титул", "Справочник", "Товары"]
    assert read_invoice(path).sheet == "Товары"  # visible sheets first
    assert read_invoice(path, sheet="Справочник").lines[0].code_raw == "8471500000"
    assert read_invoice(path, sheet=2).sheet == "Товары"
    assert read_invoice(path, sheet="товары").sheet == "Товары"
    assert read_invoice(path, sheet="2").sheet == "Товары"


def test_formula_without_saved_value_is_reported(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "formulas.xlsx",
        [
            ["Наименование", "Код ТН ВЭД", "Количество", "Цена", "Сумма"],
            ["Сервер", "8471500000", 2, 100, "=C2*D2"],
            ["Кабель", None, "=1+1", 5, "=C3*D3"],
            ["Ноутбук", "8471300000", 1, 50, 50],
        ],
    )
    inv = read_invoice(path)
    lines = by_row(inv)
    assert sorted(lines) == [2, 3, 4]  # row 3 has only formulas for numbers, and is still a line
    assert lines[2].value == Decimal(200)  # no saved amount: quantity × unit price, and said
    assert [n.type for n in lines[2].notes] == ["formula-no-value", "value-computed"]
    assert "E2" in lines[2].notes[0].message
    assert {n.message.split()[1] for n in lines[3].notes} == {"C3", "E3"}
    assert lines[4].notes == ()
    assert "formula-no-value" in note_types(inv)


def test_xlsx_content_with_a_wrong_extension(tmp_path: Path) -> None:
    real = xlsx(tmp_path / "real.xlsx", [["Код ТН ВЭД", "Наименование"], ["8471500000", "Сервер"]])
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(real.read_bytes())
    inv = read_invoice(renamed)
    assert inv.lines[0].code_raw == "8471500000"
    assert "format-mismatch" in note_types(inv)


def test_ods(tmp_path: Path) -> None:
    path = _ods(
        tmp_path / "spec.ods",
        [
            ["Спецификация"],
            [None],
            ["Наименование", "Код ТН ВЭД", "Страна происхождения", "Количество", "Сумма"],
            ["Сервер", 8471500000, "США", 2, 29600.5],
        ],
    )
    inv = read_invoice(path)
    assert (inv.sheet, inv.header_row) == ("Товары", 3)
    line = inv.lines[0]
    assert (line.row, line.code_raw, line.origin_raw, line.value) == (4, 8471500000, "США", Decimal("29600.5"))


def test_1c_csv_in_cp1251_with_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    text = (
        "Номенклатура;Код ТН ВЭД;Страна происхождения;Количество;Ед.;Сумма;Валюта\r\n"
        "Сервер Dell;8471500000;СОЕДИНЕННЫЕ ШТАТЫ;2;шт;29\u00a0600,00;USD\r\n"
        "Клапан DN50;8481808199;ГЕРМАНИЯ;12,5;кг;4 620,75;USD\r\n"
        "\r\n"
        "Итого;;;14,5;;34\u00a0220,75;\r\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1251"))
    inv = read_invoice(path)
    assert inv.sheet is None and inv.header_row == 1
    assert inv.columns == {
        "description": "A", "code": "B", "origin": "C", "quantity": "D", "unit": "E", "value": "F", "currency": "G",
    }
    assert [line.row for line in inv.lines] == [2, 3]
    first, second = inv.lines
    assert (first.code_raw, first.origin_raw, first.value) == ("8471500000", "СОЕДИНЕННЫЕ ШТАТЫ", Decimal("29600.00"))
    assert (second.quantity, second.unit, second.value) == (Decimal("12.5"), "кг", Decimal("4620.75"))
    assert "csv-encoding" in note_types(inv)


def test_utf8_bom_csv_with_title_comma_delimiter_and_quoted_line_break(tmp_path: Path) -> None:
    text = (
        "Invoice INV-7 of 2026-01-20\n"
        "\n"
        "Description,HS Code,Country of origin,Qty,Amount\n"
        '"Server, rack\nDell R760",8471500000,USA,2,"29,600.00"\n'
        "Laptop,8471300000,China,20,\"19,000.50\"\n"
    )
    path = tmp_path / "inv.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    inv = read_invoice(path)
    assert inv.header_row == 3
    assert [line.row for line in inv.lines] == [4, 6]  # the quoted line break makes record 4 two lines long
    assert inv.lines[0].description == "Server, rack\nDell R760"
    assert inv.lines[0].value == Decimal("29600.00")
    assert inv.lines[1].value == Decimal("19000.50")
    assert "csv-encoding" not in note_types(inv)


def test_utf16_csv_with_tabs(tmp_path: Path) -> None:
    text = "Код ТН ВЭД\tНаименование\tКол-во\tСтрана происхождения\r\n8517620009\tКоммутатор\t6\tКитай\r\n"
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-16"))  # with a BOM, as Excel's "Unicode text" saves it
    inv = read_invoice(path)
    assert [(line.row, line.code_raw, line.quantity, line.origin_raw) for line in inv.lines] == [
        (2, "8517620009", Decimal(6), "Китай"),
    ]


def test_tsv_with_kazakh_headings(tmp_path: Path) -> None:
    text = (
        "Р/с №\tЕАЭО СЭҚ ТН коды\tТауардың атауы\tШығарылған елі\tСаны\tӨлшем бірлігі\tҚұны\tВалютасы\n"
        "1\t8502204000\tГенераторлық қондырғы\tҚазақстан\t1\tдана\t27500\tUSD\n"
    )
    path = tmp_path / "tauar.tsv"
    path.write_text(text, encoding="utf-8")
    inv = read_invoice(path)
    assert inv.columns == {
        "code": "B", "description": "C", "origin": "D", "quantity": "E", "unit": "F", "value": "G", "currency": "H",
    }
    line = inv.lines[0]
    assert (line.code_raw, line.origin_raw, line.unit) == ("8502204000", "Қазақстан", "дана")
    assert line.value == Decimal(27500)
    assert resolve_country(line.origin_raw) == "KZ"


def test_csv_content_named_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("Код ТН ВЭД;Наименование;Количество\n8471500000;Сервер;2\n", encoding="utf-8")
    inv = read_invoice(path)
    assert inv.lines[0].code_raw == "8471500000"
    assert "format-mismatch" in note_types(inv)


def test_csv_sheet_zero_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("HS Code,Description,Qty\n8471500000,Server,1\n", encoding="utf-8")
    assert len(read_invoice(path, sheet=0).lines) == 1


def test_example_spec_ru() -> None:
    inv = read_invoice(EXAMPLES / "spec_ru.xlsx")
    assert inv.header_row == 8
    assert len(inv.lines) == 12
    codes = [parse_code(line.code_raw) for line in inv.lines]
    assert [c.digits for c in codes if c.is_code] == [
        "8471300000", "8471500000", "8517620009", "8517620009", "8504403001", "8529101100",
        "8481808199", "8481808191", "8502204000", "8807300000",
    ]
    assert [c.kind for c in codes].count(CodeKind.INVALID) == 1  # the 9-digit text code
    assert inv.lines[-1].code_raw is None  # the cable without a code
    origins = [resolve_country(line.origin_raw) for line in inv.lines]
    assert origins.count(None) == 1  # one line without an origin
    assert {"CN", "US", "DE", "KZ", "RU", "KR", "TW"} <= set(origins)
    assert all(line.currency == "USD" for line in inv.lines)


def test_example_invoice_en() -> None:
    inv = read_invoice(EXAMPLES / "invoice_en.xlsx")
    assert all(isinstance(line.code_raw, int) for line in inv.lines)
    own = [line for line in inv.lines if not line.origin_from_document]
    assert [(line.origin_raw, resolve_country(line.origin_raw)) for line in own] == [("Germany", "DE")]
    assert {resolve_country(line.origin_raw) for line in inv.lines if line.origin_from_document} == {"CN"}
    assert "origin-from-document" in note_types(inv)


def test_example_export_1c() -> None:
    raw = (EXAMPLES / "export_1c.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really Windows-1251
    inv = read_invoice(EXAMPLES / "export_1c.csv")
    assert len(inv.lines) == 8
    assert all(resolve_country(line.origin_raw) for line in inv.lines)
    assert all(parse_code(line.code_raw).is_code for line in inv.lines)
    assert inv.lines[-1].description == 'Кабель "витая пара" кат. 6; бухта 305 м'


def test_xlsx_content_named_csv_is_read_and_said(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(xlsx(tmp_path / "a.xlsx", [["Код ТН ВЭД", "Наименование"], ["8471500000", "Сервер"]]).read_bytes())
    inv = read_invoice(path)
    assert inv.lines[0].code_raw == "8471500000"
    assert "format-mismatch" in note_types(inv)


def test_a_second_goods_sheet_is_pointed_at(tmp_path: Path) -> None:
    wb = Workbook()
    for n, title in enumerate(("Контейнер 1", "Контейнер 2", "Примечания")):
        ws = wb.active if n == 0 else wb.create_sheet(title)
        ws.title = title
        if n < 2:
            put_rows(ws, [HEADING[:4] + ["Кол-во"], [1, f"Товар {n}", "8471500000", "Китай", 1]])
        else:
            ws.append(["Груз сдан перевозчику"])
    hidden = wb.create_sheet("Старая версия")
    put_rows(hidden, [HEADING[:4], [1, "Товар", "8471500000", "Китай"]])
    hidden.sheet_state = "hidden"
    inv = read_invoice(save(wb, tmp_path / "two.xlsx"))
    assert inv.sheet == "Контейнер 1"
    (note,) = [n for n in inv.notes if n.type == "other-sheets"]
    assert note.message == "sheet 'Контейнер 1' was read; other sheets with a goods table: 'Контейнер 2' (check them " \
                           "with --sheet)"
    assert "other-sheets" not in note_types(read_invoice(tmp_path / "two.xlsx", sheet="Контейнер 2"))


def test_the_remarks_column_is_read() -> None:
    inv = read_invoice(EXAMPLES / "spec_ru.xlsx")
    assert inv.columns["remarks"] == "I"
    assert by_row(inv)[22].remarks.startswith("СТ-KZ")
