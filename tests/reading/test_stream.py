"""Reading an invoice line by line: the same lines and findings as read_invoice, in bounded memory."""

from __future__ import annotations

import codecs
import sys
import threading
import tracemalloc
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from workbooks import _ods, put_rows, save, xlsx

from permitcli import invoices
from permitcli.errors import ExitCode, InputError
from permitcli.invoices import InvoiceStream, open_invoice, read_invoice
from permitcli.model import Invoice, InvoiceLine
from permitcli.reading import grid as reading_grid
from permitcli.reading import stream as reading_stream

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def streamed(path: Path, **options: object) -> tuple[InvoiceStream, list[InvoiceLine]]:
    with open_invoice(path, **options) as stream:  # type: ignore[arg-type]
        return stream, list(stream.lines())


def same_as_read(path: Path, **options: object) -> tuple[InvoiceStream, list[InvoiceLine], Invoice]:
    """Stream the file and read it whole: the two must agree on everything."""
    stream, lines = streamed(path, **options)
    invoice = read_invoice(path, **options)  # type: ignore[arg-type]
    assert lines == list(invoice.lines)
    assert stream.notes == invoice.notes
    assert (stream.path, stream.sheet, stream.header_row, stream.columns) == (
        invoice.path, invoice.sheet, invoice.header_row, invoice.columns,
    )
    return stream, lines, invoice


# --- the kinds of files read_invoice reads ------------------------------------------------------------------


def test_spec_with_title_block_merged_heading_numbers_row_caption_and_totals(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Спецификация"
    put_rows(
        ws,
        [
            ["СПЕЦИФИКАЦИЯ № 7"],
            ["Поставщик: ТОО «Альфа», Алматы"],
            [],
            ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Количество", None,
             "Стоимость, USD", None],
            [None, None, None, None, "Кол-во", "Ед. изм.", "Цена за ед.", "Сумма"],
            [1, 2, 3, 4, 5, 6, 7, 8],
            ["Раздел 1. Вычислительная техника"],
            [1, "Ноутбук", "8471 30 000 0", "Китай", 10, "шт", 500, 5000],
            [2, "Сервер", 8471500000, "США", 2, "шт", 1000.5, 2001],
            [None, "Итого", None, None, 12, None, None, 7001],
            [None, None, None, None, 12, None, None, 7001],
        ],
    )
    for rng in ("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:F4", "G4:H4", "A7:H7"):
        ws.merge_cells(rng)
    stream, lines, _ = same_as_read(save(wb, tmp_path / "spec.xlsx"))
    assert stream.header_row == 4 and stream.columns["value"] == "H"
    assert [(line.row, line.currency) for line in lines] == [(8, "USD"), (9, "USD")]  # USD from the heading
    assert [n.type for n in stream.notes] == ["currency-from-document"]
    # "Итого", then the same total unlabelled: the table ends at the first
    assert stream.accounting["end"] == {"row": 10, "reason": "totals"}
    assert stream.accounting["after_end"] == [[10, 11]]


def test_footer_origin_reaches_the_lines_read_before_it(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "invoice.xlsx",
        [
            ["COMMERCIAL INVOICE No. INV-5"],
            ["Description", "HS Code", "Qty", "Amount", "Country of origin"],
            ["Server", 8471500000, 2, 29600, None],
            ["Valve DN50", 8481808199, 12, 4620, "Germany"],
            ["Antenna", 8529101100, 1, 4200, None],
            ["TOTAL", None, 15, 38420],
            ["Country of origin/ Страна происхождения: CHINA/КИТАЙ"],
            ["Seller: ______ / Li Wei /"],
            ["BIN / БИН", 123456789013],  # a number under the code heading, and nothing else: no goods line
        ],
    )
    with open_invoice(path) as stream:
        assert stream.notes == ()  # nothing about the lines before they are read
        lines = stream.lines()
        first = next(lines)  # row 3 comes out before row 7, the footer, is read again
        assert (first.row, first.origin_raw, first.origin_from_document) == (3, "CHINA/КИТАЙ", True)
        rest = list(lines)
    assert [(line.row, line.origin_raw) for line in rest] == [(4, "Germany"), (5, "CHINA/КИТАЙ")]  # not row 9
    assert [n.type for n in stream.notes] == ["origin-from-document"]
    assert "rows 3, 5" in stream.notes[0].message and "(row 7)" in stream.notes[0].message
    same_as_read(path)


def test_currency_caption_under_a_line_fills_that_line(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "eur.xlsx",
        [
            ["Код ТН ВЭД", "Наименование", "Количество", "Сумма"],
            ["8481808199", "Клапан", 2, 770],
            ["Валюта: EUR"],
            ["8471500000", "Сервер", 1, 900],
        ],
    )
    with open_invoice(path) as stream:
        first = next(stream.lines())
    assert (first.row, first.currency) == (2, "EUR")
    _, lines, _ = same_as_read(path)
    assert [line.currency for line in lines] == ["EUR", "EUR"]


def test_document_origin_that_is_no_country_is_known_on_opening(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "spec.xlsx",
        [["Description", "HS Code", "Quantity"], ["Server", "8471500000", 1], ["Country of origin: see certificates"]],
    )
    with open_invoice(path) as stream:
        assert [n.type for n in stream.notes] == ["document-origin-unknown"]
    same_as_read(path)


def test_sheet_starting_at_b3_and_columns_given(tmp_path: Path) -> None:
    wb = Workbook()
    put_rows(
        wb.active,
        [["Код ТН ВЭД", "Наименование", "Кол-во"], ["8517620009", "Коммутатор", 6], ["8471500000", "Сервер", 2]],
        first_row=3,
        first_col=2,
    )
    path = save(wb, tmp_path / "b3.xlsx")
    _, lines, _ = same_as_read(path)
    assert [(line.row, line.code_raw, line.quantity) for line in lines] == [
        (4, "8517620009", Decimal(6)), (5, "8471500000", Decimal(2)),
    ]
    same_as_read(path, columns={"code": "B", "quantity": "D"}, sheet=0)


def test_formulas_without_a_saved_result_over_many_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_grid, "_CHUNK", 256)  # the sheet's XML is scanned in many small pieces
    rows: list[list[object]] = [["Наименование", "Код ТН ВЭД", "Количество", "Цена", "Сумма"]]
    expected = []
    for r in range(2, 302):
        formula = r % 7 == 0
        rows.append([f"Товар {r}", "8471500000", 2, 5, f"=C{r}*D{r}" if formula else 10])
        if formula:
            expected.append(r)
    path = xlsx(tmp_path / "formulas.xlsx", rows)
    _, lines, invoice = same_as_read(path)
    assert [line.row for line in lines if line.notes] == expected
    assert [n.type for n in invoice.notes] == ["formula-no-value"]
    assert f"and {len(expected) - 10} more" in invoice.notes[0].message


def test_ods(tmp_path: Path) -> None:
    path = _ods(
        tmp_path / "spec.ods",
        [["Спецификация"], [None], ["Наименование", "Код ТН ВЭД", "Количество"], ["Сервер", 8471500000, 2]],
    )
    _, lines, _ = same_as_read(path)
    assert [(line.row, line.code_raw) for line in lines] == [(4, 8471500000)]


def test_1c_csv_in_cp1251(tmp_path: Path) -> None:
    text = (
        "Номенклатура;Код ТН ВЭД;Страна происхождения;Количество;Сумма\r\n"
        "Сервер Dell;8471500000;США;2;29\u00a0600,00\r\n"
        "\r\n"
        "Клапан DN50;8481808199;;12,5;4 620,75\r\n"
        "Итого;;;14,5;34\u00a0220,75\r\n"
        "Страна происхождения: Германия\r\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1251"))
    stream, lines, _ = same_as_read(path)
    assert [(line.row, line.origin_raw, line.value) for line in lines] == [
        (2, "США", Decimal("29600.00")), (4, "Германия", Decimal("4620.75")),
    ]
    assert [n.type for n in stream.notes] == ["csv-encoding", "origin-from-document"]


def test_utf8_bom_csv_with_a_quoted_line_break(tmp_path: Path) -> None:
    text = (
        "Invoice INV-7\n\nDescription,HS Code,Qty,Amount\n"
        '"Server, rack\nDell R760",8471500000,2,"29,600.00"\nLaptop,8471300000,20,"19,000.50"\n'
    )
    path = tmp_path / "inv.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    _, lines, _ = same_as_read(path)
    assert [line.row for line in lines] == [4, 6]


def test_utf16_csv_and_tsv(tmp_path: Path) -> None:
    text = "Код ТН ВЭД\tНаименование\tКол-во\r\n8517620009\tКоммутатор\t6\r\n8471500000\tСервер\t2\r\n"
    utf16 = tmp_path / "export.csv"
    utf16.write_bytes(text.encode("utf-16"))
    tsv = tmp_path / "export.tsv"
    tsv.write_text(text, encoding="utf-8")
    for path in (utf16, tsv):
        _, lines, _ = same_as_read(path)
        assert [(line.row, line.code_raw) for line in lines] == [(2, "8517620009"), (3, "8471500000")]


@pytest.mark.parametrize("name", ["spec_ru.xlsx", "invoice_en.xlsx", "export_1c.csv"])
def test_shipped_examples(name: str) -> None:
    _, lines, _ = same_as_read(EXAMPLES / name)
    assert lines


# --- bounded memory ------------------------------------------------------------------------------------------


def test_the_first_line_comes_without_the_others_being_built(tmp_path: Path) -> None:
    count = 50_000
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Код ТН ВЭД;Наименование;Страна происхождения;Количество;Сумма\n")
        for i in range(count):
            fh.write(f"84715{i % 100000:05d};Товар {i};Китай;{i % 97 + 1};{i},50\n")
    tracemalloc.start()
    try:
        with open_invoice(path) as stream:
            lines = stream.lines()
            first = next(lines)
            _, peak = tracemalloc.get_traced_memory()
            second = next(lines)
    finally:
        tracemalloc.stop()
    assert (first.row, first.code_raw, first.value) == (2, "8471500000", Decimal("0.50"))
    assert second.row == 3
    # Holding the lines alone would take more than twice this: each line object and its two numbers.
    bound = count * (sys.getsizeof(first) + sys.getsizeof(first.quantity) + sys.getsizeof(first.value)) // 2
    assert peak < bound, (peak, bound)


# --- errors come from open_invoice, before any line -----------------------------------------------------------


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nope.xlsx"


def _empty_csv(tmp_path: Path) -> Path:
    path = tmp_path / "blank.csv"
    path.write_text("\n \n", encoding="utf-8")
    return path


def _headerless(tmp_path: Path) -> Path:
    return xlsx(tmp_path / "act.xlsx", [["Акт сверки"], ["Дата", "Документ", "Дебет"], ["2026-01-05", "ПП 15", 1000]])


def _malformed_far_down(tmp_path: Path) -> Path:
    path = tmp_path / "long.csv"
    good = "Код ТН ВЭД;Наименование;Количество\n" + "8471500000;Сервер;2\n" * 500
    path.write_text(good + '8471500000;"' + "x" * 200_000 + '";2\n', encoding="utf-8")
    return path


def _late_bad_byte(tmp_path: Path) -> Path:
    path = tmp_path / "late.csv"
    good = "HS Code;Description;Qty\n" + "8471500000;Server;2\n" * 20_000  # far beyond any sample
    path.write_bytes(good.encode("ascii") + b"8471500000;Server \x98;2\n")  # 0x98 is no letter in cp1251 either
    return path


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (_missing, "no such file"),
        (_empty_csv, "holds no data"),
        (_headerless, "no recognisable header"),
        (_malformed_far_down, "line 502: malformed CSV"),
        (_late_bad_byte, "unexpected text encoding"),
    ],
)
def test_errors_are_raised_on_opening(tmp_path: Path, make: Callable[[Path], Path], match: str) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        open_invoice(path)
    assert match in str(info.value) and str(path) in str(info.value)
    assert info.value.exit_code is ExitCode.INPUT


def test_unknown_sheet_is_raised_on_opening(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "book.xlsx", [["Код ТН ВЭД", "Наименование"], ["8471500000", "Сервер"]], title="Товары")
    with pytest.raises(InputError, match="no sheet named 'Sheet9'"):
        open_invoice(path, sheet="Sheet9")


def test_a_file_removed_after_opening_fails_part_way_with_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.csv"
    path.write_text("HS Code;Description;Qty\n8471500000;Server;2\n", encoding="utf-8")
    stream = open_invoice(path)
    path.unlink()
    with stream, pytest.raises(InputError, match="cannot read the file"):
        list(stream.lines())


# --- the stream's life ---------------------------------------------------------------------------------------


def _two_lines(tmp_path: Path) -> Path:
    path = tmp_path / "two.csv"
    path.write_text("HS Code;Description;Qty\n8471500000;Server;2\n8471300000;Laptop;5\n", encoding="utf-8")
    return path


def test_lines_can_be_read_once(tmp_path: Path) -> None:
    with open_invoice(_two_lines(tmp_path)) as stream:
        assert len(list(stream.lines())) == 2
        with pytest.raises(RuntimeError):
            stream.lines()


def test_close_ends_a_running_read(tmp_path: Path) -> None:
    stream = open_invoice(_two_lines(tmp_path))
    lines = stream.lines()
    assert next(lines).row == 2
    stream.close()
    assert list(lines) == []  # the rest is not read
    with pytest.raises(RuntimeError):
        stream.lines()
    stream.close()  # twice is harmless


# --- several files, read ahead --------------------------------------------------------------------------------


def _goods(path: Path, code: str, title: str = "Лист1") -> Path:
    return xlsx(path, [["Наименование", "Код ТН ВЭД", "Страна происхождения", "Кол-во"], ["Сервер", code, "Китай", 2]],
                title)


def _opened_each(paths: list[Path], **options: object) -> list[tuple[Path, object]]:
    """(path, (sheet, lines, notes)) or (path, error message) for every file open_invoices gives."""
    result: list[tuple[Path, object]] = []
    for path, stream in invoices.open_invoices(paths, **options):  # type: ignore[arg-type]
        if isinstance(stream, InputError):
            result.append((path, stream.message))
        else:
            with stream:
                result.append((path, (stream.sheet, list(stream.lines()), stream.notes)))
    return result


def _opened_alone(paths: list[Path], **options: object) -> list[tuple[Path, object]]:
    result: list[tuple[Path, object]] = []
    for path in paths:
        try:
            stream, lines = streamed(path, **options)
        except InputError as exc:
            result.append((path, exc.message))
        else:
            result.append((path, (stream.sheet, lines, stream.notes)))
    return result


def test_open_invoices_reads_every_kind_of_file_as_open_invoice_does(tmp_path: Path) -> None:
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("Наименование;Код ТН ВЭД;Страна происхождения\nКлапан;8481808191;Китай\n", encoding="utf-8")
    misnamed = tmp_path / "x.xls"
    misnamed.write_bytes(_goods(tmp_path / "x.xlsx", "8517620009").read_bytes())  # an xlsx named .xls
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(_goods(tmp_path / "whole.xlsx", "8471500000").read_bytes()[:500])
    paths = [_goods(tmp_path / "a.xlsx", "8471500000"), csv_file, tmp_path / "missing.xlsx", misnamed, broken,
             EXAMPLES / "spec_ru.xlsx", _goods(tmp_path / "b.xlsx", "8481808191")]
    each = _opened_each(paths)
    assert each == _opened_alone(paths)
    assert [type(what).__name__ for _, what in each] == ["tuple", "tuple", "str", "tuple", "str", "tuple", "tuple"]


def test_open_invoices_parses_each_sheet_once_ahead_of_its_turn(tmp_path: Path, monkeypatch) -> None:
    parsed_here: list[str] = []
    real = reading_stream._sheet

    def counting(book, name, label):  # the parse on the caller's thread, when nothing was read ahead
        parsed_here.append(label)
        return real(book, name, label)

    monkeypatch.setattr(reading_stream, "_sheet", counting)
    paths = [_goods(tmp_path / f"{i}.xlsx", "8471500000") for i in range(3)]
    assert [len(what[1]) for _, what in _opened_each(paths)] == [1, 1, 1]  # type: ignore[index]
    assert parsed_here == []
    named = [_goods(tmp_path / f"n{i}.xlsx", "8471500000", title="Данные") for i in range(2)]
    assert [what[0] for _, what in _opened_each(named, sheet="данные")] == ["Данные", "Данные"]  # type: ignore[index]
    assert parsed_here == []


def test_open_invoices_goes_on_to_the_sheet_with_a_heading(tmp_path: Path, monkeypatch) -> None:
    wb = Workbook()
    wb.active.title = "Титул"
    wb.active.append(["Коммерческое предложение"])
    data = wb.create_sheet("Товары")
    put_rows(data, [["Наименование", "Код ТН ВЭД", "Страна происхождения"], ["Клапан", "8481808191", "Китай"]])
    path = save(wb, tmp_path / "two.xlsx")
    parsed_here: list[str] = []
    real = reading_stream._sheet
    monkeypatch.setattr(reading_stream, "_sheet", lambda book, name, label: parsed_here.append(name) or real(book, name, label))
    ((_, (sheet, lines, _notes)),) = _opened_each([path])  # type: ignore[misc]
    assert (sheet, [line.row for line in lines]) == ("Товары", [2])
    assert parsed_here == ["Товары"]  # the title sheet was parsed ahead; the second one here


def _with_formula(path: Path, code: str) -> Path:
    """A workbook written by a program: a formula with no saved result, which the formula scan finds."""
    return xlsx(path, [["Наименование", "Код ТН ВЭД", "Кол-во", "Цена", "Сумма"], ["Сервер", code, 2, 5, "=C2*D2"]])


def _workers() -> dict[int, str]:
    return {t.ident or 0: t.name for t in threading.enumerate() if t.name.startswith("permitcli-")}


def test_open_invoices_runs_on_two_background_threads_however_many_files(tmp_path: Path) -> None:
    before = _workers()
    paths = [_with_formula(tmp_path / f"{i}.xlsx", "8471500000") for i in range(6)]
    seen: dict[int, str] = {}
    notes = []
    for _, stream in invoices.open_invoices(paths):
        assert isinstance(stream, InvoiceStream)
        with stream:
            list(stream.lines())
            notes.append([n.type for n in stream.notes])
        seen.update({k: v for k, v in _workers().items() if k not in before})
    assert notes == [["formula-no-value"]] * 6  # every file was scanned
    assert sorted(seen.values()) == ["permitcli-formula-scan", "permitcli-read-ahead"]
    for thread in threading.enumerate():
        if thread.ident in seen:
            thread.join(timeout=10)  # the run is over: its threads end
            assert not thread.is_alive()


def test_an_open_invoices_left_part_way_lets_its_threads_go(tmp_path: Path) -> None:
    before = _workers()
    paths = [_with_formula(tmp_path / f"{i}.xlsx", "8471500000") for i in range(4)]
    opened = invoices.open_invoices(paths)
    _, stream = next(opened)
    assert isinstance(stream, InvoiceStream)
    stream.close()
    started = [t for t in threading.enumerate() if t.name.startswith("permitcli-") and t.ident not in before]
    assert started
    opened.close()  # type: ignore[attr-defined]
    for thread in started:
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_each_workbook_is_opened_as_a_zip_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = zipfile.ZipFile

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, file: object, *args: object, **kwargs: object) -> None:
            opened.append(Path(str(file)).name)
            super().__init__(file, *args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", Counting)
    paths = [_with_formula(tmp_path / f"{i}.xlsx", "8471500000") for i in range(3)]
    each = _opened_each(paths)
    assert [[n.type for n in what[2]] for _, what in each] == [["formula-no-value"]] * 3  # type: ignore[index]
    assert sorted(opened) == ["0.xlsx", "1.xlsx", "2.xlsx"]
    opened.clear()
    assert [n.type for n in read_invoice(paths[0]).notes] == ["formula-no-value"]
    assert opened == ["0.xlsx"]


def test_small_files_are_read_two_ahead_and_large_ones_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[str] = []
    real = reading_stream._ReadAhead

    def spying(path: Path, *args: object) -> object:
        queued.append(path.name)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(reading_stream, "_ReadAhead", spying)
    paths = [_goods(tmp_path / f"{i}.xlsx", "8471500000") for i in range(4)]
    when: list[list[str]] = []
    for _, stream in invoices.open_invoices(paths):
        when.append(list(queued))
        stream.close()  # type: ignore[union-attr]
    assert when[0] == ["0.xlsx", "1.xlsx", "2.xlsx"]
    queued.clear()
    when.clear()
    monkeypatch.setattr(reading_stream, "_AHEAD_BYTES", 100)  # every file is large
    for _, stream in invoices.open_invoices(paths):
        when.append(list(queued))
        stream.close()  # type: ignore[union-attr]
    assert when == [["0.xlsx", "1.xlsx"], ["0.xlsx", "1.xlsx", "2.xlsx"], ["0.xlsx", "1.xlsx", "2.xlsx", "3.xlsx"],
                    ["0.xlsx", "1.xlsx", "2.xlsx", "3.xlsx"]]


def test_open_invoices_checks_columns_before_reading_anything(tmp_path: Path) -> None:
    from permitcli.errors import UsageError

    with pytest.raises(UsageError):
        invoices.open_invoices([tmp_path / "a.xlsx"], columns={"hs": "C"})
    assert list(invoices.open_invoices([])) == []
