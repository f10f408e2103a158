"""Reading invoices as brokers get them: title blocks, merged headings, 1C CSV exports, bilingual headers."""

from __future__ import annotations

import codecs
import datetime
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from permitcli.codes import CodeKind, parse_code
from permitcli.countries import resolve_country
from permitcli.errors import UsageError
from permitcli.invoices import column_letter, parse_columns, parse_number, read_invoice, sheet_names
from permitcli.model import Invoice, InvoiceLine

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# --- helpers -----------------------------------------------------------------------------------------------


def put_rows(ws: Worksheet, rows: Sequence[Sequence[object]], first_row: int = 1, first_col: int = 1) -> None:
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                ws.cell(row=first_row + r, column=first_col + c, value=value)


def save(wb: Workbook, path: Path) -> Path:
    wb.properties.created = datetime.datetime(2026, 1, 20)
    wb.save(path)
    return path


def xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Лист1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    put_rows(ws, rows)
    return save(wb, path)


def _rows_of(path: Path) -> list[list[object]]:
    """The cells of a workbook's first sheet, row by row (for building a variant of a test file)."""
    import openpyxl

    return [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def by_row(invoice: Invoice) -> dict[int, InvoiceLine]:
    return {line.row: line for line in invoice.lines}


def note_types(invoice: Invoice) -> list[str]:
    return [n.type for n in invoice.notes]


# --- spreadsheets ------------------------------------------------------------------------------------------


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


def test_unreadable_number_keeps_the_line(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "text_qty.xlsx",
        [["Код ТН ВЭД", "Наименование", "Количество"], ["8471500000", "Сервер", "около 5"]],
    )
    line = read_invoice(path).lines[0]
    assert line.quantity is None
    assert [n.type for n in line.notes] == ["unreadable-number"]
    assert "'около 5'" in line.notes[0].message and "C2" in line.notes[0].message


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


def test_xlsx_content_with_a_wrong_extension(tmp_path: Path) -> None:
    real = xlsx(tmp_path / "real.xlsx", [["Код ТН ВЭД", "Наименование"], ["8471500000", "Сервер"]])
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(real.read_bytes())
    inv = read_invoice(renamed)
    assert inv.lines[0].code_raw == "8471500000"
    assert "format-mismatch" in note_types(inv)


def _ods(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Товары">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


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


# --- CSV ---------------------------------------------------------------------------------------------------


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


def test_look_alike_headings_get_no_field(tmp_path: Path) -> None:
    # An internal "Код", a price, a VAT sum and a weight sit next to the real code, value and unit columns.
    heading = (
        "№;Артикул;Наименование;Код;Код ТН ВЭД;Кол-во;Ед.;Цена за ед.;Сумма НДС;Сумма;Вес нетто, кг;"
        "Страна происхождения;Страна назначения;Валюта;Основание освобождения"
    )
    row = "1;A-77;Сервер;00045;8471500000;2;шт;100,00;40,00;200,00;31,5;США;Россия;USD;СТ-1 № 77"
    path = tmp_path / "1c.csv"
    path.write_text(heading + "\n" + row + "\n", encoding="utf-8")
    inv = read_invoice(path)
    assert inv.columns == {
        "description": "C", "code": "E", "quantity": "F", "unit": "G", "unit_price": "H", "value": "J",
        "origin": "L", "destination": "M", "currency": "N", "evidence": "O",
    }
    line = inv.lines[0]
    assert (line.code_raw, line.value, line.destination_raw, line.evidence_raw) == (
        "8471500000", Decimal("200.00"), "Россия", "СТ-1 № 77",
    )


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


# --- numbers and options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", Decimal("1000")),
        ("1 000,50", Decimal("1000.50")),
        ("1\u00a0000,50", Decimal("1000.50")),
        ("1\u202f000,50", Decimal("1000.50")),
        ("1,000.50", Decimal("1000.50")),
        ("1.000,50", Decimal("1000.50")),
        ("1,000,000", Decimal("1000000")),
        ("1.000.000", Decimal("1000000")),
        ("12,5", Decimal("12.5")),
        ("-5", Decimal("-5")),
        ("\u22123,5", Decimal("-3.5")),
        (".5", Decimal("0.5")),
        ("$12.00", Decimal("12.00")),
        ("12 USD", Decimal("12")),
        ("  7 ", Decimal("7")),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "12,5 шт", "1.2.3", "12,34,5", "1,000.5.5", "1e5", "--5", "5-", "2 5", "USD"]
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


@given(
    st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["plain", "ru", "ru-nbsp", "en", "de"]),
    st.booleans(),
)
def test_parse_number_round_trips(value: Decimal, style: str, negative: bool) -> None:
    value = -value if negative else value
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    text = {
        "plain": f"{sign}{whole}.{frac}",
        "ru": f"{sign}{_group(whole, ' ')},{frac}",
        "ru-nbsp": f"{sign}{_group(whole, chr(0xA0))},{frac}",
        "en": f"{sign}{_group(whole, ',')}.{frac}",
        "de": f"{sign}{_group(whole, '.')},{frac}",
    }[style]
    assert parse_number(text) == value


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


# --- the shipped examples ----------------------------------------------------------------------------------


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


# --- rows that must not be taken for a heading, lines that must not be lost -----------------------------------


def test_data_rows_with_short_cells_are_never_a_heading(tmp_path: Path) -> None:
    from permitcli.errors import InputError

    path = tmp_path / "a.csv"  # "Code" is no field, no column holds amounts; "CN" must not make row 2 a heading
    path.write_text("Description;Code;Origin\nServer;8471500000;CN\n", encoding="utf-8")
    with pytest.raises(InputError, match="no recognisable header"):
        read_invoice(path)


@pytest.mark.parametrize(("rows", "header_row", "lines"), [
    (["8471500000;5;CN", "8517620009;1;US"], None, [1, 2]),  # no heading: the columns are told from the cells
    (["N;Code;Qty;Origin", "1;8471500000;5;DE"], 1, [2]),  # "DE" under "Origin" is data, not a heading
])
def test_short_cells_stay_data(tmp_path: Path, rows: list[str], header_row: int | None, lines: list[int]) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    inv = read_invoice(path)
    assert inv.header_row == header_row
    assert [line.row for line in inv.lines] == lines


def test_a_plain_code_heading_is_named_in_the_error_with_the_columns_to_give(tmp_path: Path) -> None:
    from permitcli.errors import InputError

    path = tmp_path / "a.csv"
    path.write_text("Description;Code;Origin\nServer;8471500000;CN\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'Code' \(column B\).*--columns code=B$"):
        read_invoice(path)
    line = read_invoice(path, columns={"code": "B"}).lines[0]
    assert (line.row, line.code_raw, line.description, line.origin_raw) == (2, "8471500000", "Server", "CN")


def test_a_line_number_column_is_not_the_quantity(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["N", "Наименование", "Артикул", "Код ТН ВЭД", "Qty", "Made in"],
                                      [1, "Сервер", "A-1", "8471500000", 7, "Китай"]])
    inv = read_invoice(path)
    assert inv.columns["quantity"] == "E"
    assert inv.lines[0].quantity == Decimal(7)


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


def test_xlsx_content_named_csv_is_read_and_said(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(xlsx(tmp_path / "a.xlsx", [["Код ТН ВЭД", "Наименование"], ["8471500000", "Сервер"]]).read_bytes())
    inv = read_invoice(path)
    assert inv.lines[0].code_raw == "8471500000"
    assert "format-mismatch" in note_types(inv)


HEADING = ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Кол-во", "Ед. изм.", "Сумма, USD"]


def test_a_heading_repeated_on_a_new_page_does_not_end_the_table(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "pages.xlsx", [
        ["Спецификация № 3"],
        HEADING,
        [1, "Товар 1", "8517620009", "Китай", 1, "шт", 10],
        [2, "Товар 2", "8517620009", "Китай", 2, "шт", 20],
        [None, "Итого по странице", None, None, 3, None, 30],
        ["Страница 1 из 2"],
        ["Продолжение спецификации"],
        HEADING,
        [1, 2, 3, 4, 5, 6, 7],
        [3, "Товар 3", "8471500000", "Германия", 3, "шт", 30],
        [4, "Товар 4", "8471500000", None, 4, "шт", 40],
        [None, "Итого", None, None, 10, None, 100],
    ])
    inv = read_invoice(path)
    assert [(line.row, line.description, line.origin_raw) for line in inv.lines] == [
        (3, "Товар 1", "Китай"), (4, "Товар 2", "Китай"), (10, "Товар 3", "Германия"), (11, "Товар 4", "")]
    assert "document-origin-unknown" not in note_types(inv)


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


@pytest.mark.parametrize(("cell", "code"), [
    ("долл. США", "USD"), ("$", "USD"), ("840", "USD"), ("usd", "USD"), ("Доллары", "USD"), ("евро", "EUR"),
    ("руб.", "RUB"), ("643", "RUB"), ("бел. руб.", "BYN"), ("юань", "CNY"), ("RMB", "CNY"), ("Тенге", "KZT"),
    ("XYZ", "XYZ"), ("по курсу", "по курсу"),  # not one currency: kept as written
])
def test_currency_cells_become_iso_codes(cell: str, code: str) -> None:
    from permitcli.invoices import currency_code

    assert currency_code(cell) == code


def test_currency_column_is_read_as_iso_codes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Код ТН ВЭД;Наименование;Сумма;Валюта;Код страны происхождения\n"
                    "8471500000;Сервер;100;долл. США;156\n8471500000;Сервер;100;руб.;CN\n", encoding="utf-8")
    inv = read_invoice(path)
    assert [(line.currency, line.origin_raw) for line in inv.lines] == [("USD", "156"), ("RUB", "CN")]
    assert inv.columns["origin"] == "E"


@pytest.mark.parametrize("line", [
    "Страна происхождения товаров – Китайская Народная Республика",
    "All goods made in China",
])
def test_more_ways_to_give_one_origin_for_the_document(tmp_path: Path, line: str) -> None:
    path = xlsx(tmp_path / "a.xlsx", [HEADING[:3] + ["Кол-во"], [1, "Сервер", "8471500000", 2], [line]])
    (only,) = read_invoice(path).lines
    assert resolve_country(only.origin_raw) == "CN" and only.origin_from_document


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


@pytest.mark.parametrize(("others", "expected", "said"), [
    (["1,234.50"], Decimal("1500"), False),  # the file groups thousands with commas
    (["12,5"], Decimal("1.500"), False),  # the file writes decimal commas
    ([], Decimal("1.500"), True),  # nothing tells: a decimal comma, and the line says so
])
def test_a_comma_before_three_digits_is_read_as_the_file_writes_numbers(
    tmp_path: Path, others: list[str], expected: Decimal, said: bool
) -> None:
    rows = [HEADING[:3] + ["Кол-во", "Сумма"], [1, "Сервер", "8471500000", "1,500", "10"]]
    rows += [[i + 2, "Кабель", "8544429007", "1", value] for i, value in enumerate(others)]
    inv = read_invoice(xlsx(tmp_path / "n.xlsx", rows))
    first = inv.lines[0]
    assert first.quantity == expected
    ambiguous = [n for n in first.notes if n.type == "number-ambiguous"]
    assert bool(ambiguous) is said
    if said:
        assert ambiguous[0].message.startswith("D2: '1,500' is read as 1.500 (a decimal comma)")


def test_a_comma_separated_file_groups_thousands_with_commas(tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    path.write_text('HS Code,Description,Qty,Amount\n8471500000,Server,"1,200","4,500"\n', encoding="utf-8")
    (line,) = read_invoice(path).lines
    assert (line.quantity, line.value, line.notes) == (Decimal("1200"), Decimal("4500"), ())
    semicolons = tmp_path / "ru.csv"
    semicolons.write_text("Код ТН ВЭД;Наименование;Кол-во\n8471500000;Сервер;1,200\n", encoding="utf-8")
    (line,) = read_invoice(semicolons).lines
    assert line.quantity == Decimal("1.200") and [n.type for n in line.notes] == ["number-ambiguous"]


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


def test_a_heading_broken_over_two_merged_rows_is_read_whole(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put_rows(ws, [["Наименование", None, None, "Код", "Страна"], ["товара", None, None, "ТН ВЭД", "происхождения"],
                  ["Сервер", None, None, "8471500000", "Китай"]])
    for row in (1, 2, 3):
        ws.merge_cells(f"A{row}:C{row}")  # "Наименование товара" over three merged columns, and each line too
    inv = read_invoice(save(wb, tmp_path / "merged.xlsx"))
    assert (inv.header_row, inv.columns["description"], inv.columns["code"]) == (1, "A", "D")
    (line,) = inv.lines
    assert (line.row, line.description, line.code_raw, line.origin_raw) == (3, "Сервер", "8471500000", "Китай")


def test_words_of_a_heading_split_over_two_rows_are_joined(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "split.xlsx", [["Товар", "Код ТН", "Коли-", "Сумма,"], [None, "ВЭД ЕАЭС", "чество", "USD"],
                                          ["Сервер", "8471500000", 2, 100]])
    inv = read_invoice(path)
    assert inv.columns == {"description": "A", "code": "B", "quantity": "C", "value": "D"}
    (line,) = inv.lines
    assert (line.row, line.quantity, line.value, line.currency) == (3, Decimal(2), Decimal(100), "USD")


def test_an_origin_caption_right_under_the_heading_is_no_sub_heading(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", [
        ["№", "Наименование товара", "Код ТН ВЭД", "Кол-во"],
        ["Страна происхождения: Китай"],
        [1, "Коммутатор", "8517620009", 1],
        ["Страна происхождения: Германия"],
        [2, "Сервер", "8471500000", 2],
    ])
    inv = read_invoice(path)
    assert inv.header_row == 1 and "origin" not in inv.columns
    assert [(line.row, line.origin_raw) for line in inv.lines] == [(3, "Китай"), (5, "Германия")]


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


def test_the_remarks_column_is_read() -> None:
    inv = read_invoice(EXAMPLES / "spec_ru.xlsx")
    assert inv.columns["remarks"] == "I"
    assert by_row(inv)[22].remarks.startswith("СТ-KZ")


# --- what a second look at messy invoices found ------------------------------------------------------------------

H = ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Кол-во", "Ед. изм.", "Сумма, USD"]


def _lines(tmp_path: Path, rows: list[list[object]], merges: Sequence[str] = ()) -> list[tuple]:
    wb = Workbook()
    put_rows(wb.active, rows)
    for cells in merges:
        wb.active.merge_cells(cells)
    inv = read_invoice(save(wb, tmp_path / "t.xlsx"))
    return [(line.row, line.code_raw, line.origin_raw, line.quantity) for line in inv.lines]


def test_a_later_heading_that_scores_higher_is_still_a_repeat(tmp_path: Path) -> None:
    rows = [["Спецификация"], H, [1, "A", "8471500000", "Китай", 1, "шт", 10], [2, "B", "8471500000", "США", 1, "шт", 10],
            [], [c.replace(", USD", "") for c in H], [3, "C", "8471500000", "Германия", 1, "шт", 10]]
    assert [r[0] for r in _lines(tmp_path, rows)] == [3, 4, 7]


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


def test_a_reworded_repeated_heading_is_no_line(tmp_path: Path) -> None:
    heading = ["Наименование товара", "Код ТН ВЭД", "Кол-во", "Ед. изм.", "Сумма, USD"]
    rows = [heading, ["A", "8471500000", 1, "шт", 10], ["Наименование", "Код ТН ВЭД ЕАЭС", "Количество", "Ед.",
                                                        "Сумма, долл. США"], ["B", "8471500000", 2, "шт", 20]]
    assert [r[0] for r in _lines(tmp_path, rows)] == [2, 4]


@pytest.mark.parametrize(("values", "expected"), [
    (["$1,234.50", "$1,500"], [Decimal("1234.50"), Decimal("1500")]),  # a sign does not hide the file's style
    (["1.234,50", "1.500"], [Decimal("1234.50"), Decimal("1500")]),  # dots group thousands where commas are decimal
])
def test_the_file_s_number_style_reaches_every_number(tmp_path: Path, values: list[str], expected: list[Decimal]) -> None:
    path = tmp_path / "n.csv"
    path.write_text("Код ТН ВЭД;Наименование;Сумма\n" + "".join(f"8471500000;Товар;{v}\n" for v in values),
                    encoding="utf-8")
    assert [line.value for line in read_invoice(path).lines] == expected


def test_a_full_code_alone_on_a_row_is_goods_but_a_date_is_not(tmp_path: Path) -> None:
    rows = [H, [1, "A", "8471500000", "Китай", 1, "шт", 10], [None, None, "8504403008"], [None, "Итого", None, None, 1],
            [None, "Дата", "12.10.2026"], [None, None, 123456789013]]
    assert [(r[0], r[1]) for r in _lines(tmp_path, rows)] == [(2, "8471500000"), (3, "8504403008")]
