"""Where the table starts: short data cells are no heading, headings over two rows, repeated on a new page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from workbooks import HEADING, H, _lines, note_types, put_rows, save, xlsx

from permitcli.invoices import read_invoice


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


def test_a_later_heading_that_scores_higher_is_still_a_repeat(tmp_path: Path) -> None:
    rows = [["Спецификация"], H, [1, "A", "8471500000", "Китай", 1, "шт", 10], [2, "B", "8471500000", "США", 1, "шт", 10],
            [], [c.replace(", USD", "") for c in H], [3, "C", "8471500000", "Германия", 1, "шт", 10]]
    assert [r[0] for r in _lines(tmp_path, rows)] == [3, 4, 7]


def test_a_reworded_repeated_heading_is_no_line(tmp_path: Path) -> None:
    heading = ["Наименование товара", "Код ТН ВЭД", "Кол-во", "Ед. изм.", "Сумма, USD"]
    rows = [heading, ["A", "8471500000", 1, "шт", 10], ["Наименование", "Код ТН ВЭД ЕАЭС", "Количество", "Ед.",
                                                        "Сумма, долл. США"], ["B", "8471500000", 2, "шт", 20]]
    assert [r[0] for r in _lines(tmp_path, rows)] == [2, 4]


def test_a_fuller_heading_below_a_weaker_one_is_the_table_and_its_cells_are_checked(tmp_path: Path) -> None:
    # Row 1 would do on its own (a description and a quantity); row 3 names more, and its plain "Код" column is
    # taken for the code from the codes under it.
    path = xlsx(tmp_path / "a.xlsx", [
        ["Наименование", "Кол-во"],
        ["Образцы", 2],
        ["Наименование товара", "Код", "Страна происхождения", "Кол-во", "Сумма, USD"],
        ["Сервер", "8471500000", "Китай", 2, 100],
        ["Коммутатор", "8517620009", "Китай", 1, 50],
    ])
    inv = read_invoice(path)
    assert (inv.header_row, inv.columns["code"], inv.columns["quantity"]) == (3, "B", "D")
    assert [(line.row, line.code_raw) for line in inv.lines] == [(4, "8471500000"), (5, "8517620009")]


def test_a_weaker_heading_below_the_table_heading_changes_nothing(tmp_path: Path) -> None:
    # Row 4 would be a table of its own, but scores lower than row 1: the goods under row 1 are read through it.
    path = xlsx(tmp_path / "a.xlsx", [
        ["Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Кол-во", "Сумма, USD"],
        ["Сервер", "8471500000", "Китай", 2, 100],
        [],
        ["Описание", None, None, "Количество"],
        ["Коммутатор", "8517620009", "Китай", 1, 50],
    ])
    inv = read_invoice(path)
    assert inv.header_row == 1
    assert [line.row for line in inv.lines] == [2, 5]


@pytest.mark.parametrize("text", ["8471 50 000 0", "8471.50.000.0", "2026-01-15", "1/2", "100,00"])
def test_a_heading_cell_of_ascii_digits_and_signs_names_no_field(text: str) -> None:
    from permitcli.reading.headings import _role
    from permitcli.reading.vocabulary import _classify

    assert _role(text) is None
    assert _classify(text) is None  # what _role spares asking


def test_a_sign_that_folds_to_letters_is_still_matched() -> None:
    from permitcli.reading.headings import _role
    from permitcli.reading.vocabulary import _classify

    assert _role("№") == _classify("№") is not None  # "№" folds to "no", a heading term
