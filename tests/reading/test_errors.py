"""Bad input: every failure is an InputError (or UsageError for options) with one line naming the file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from permitcli.errors import ExitCode, InputError, UsageError
from permitcli.invoices import read_invoice, sheet_names

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def good_xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Товары"
    ws.append(["Код ТН ВЭД", "Наименование", "Количество"])
    ws.append(["8471500000", "Сервер", 2])
    wb.save(path)
    return path


def fails(path: Path, match: str, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as info:
        read_invoice(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message, message
    assert str(path) in message, message
    assert match in message, message
    assert info.value.exit_code is ExitCode.INPUT
    return info.value


def test_missing_file(tmp_path: Path) -> None:
    fails(tmp_path / "nope.xlsx", "no such file")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "invoice.xlsx"
    folder.mkdir()
    fails(folder, "is a directory")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    fails(path, "the file is empty")


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("scan.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is an image"),
        ("invoice.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "is a PDF"),
        ("data.xls", bytes(range(256)) * 8, "binary"),
        ("page.xls", b"<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML page"),
        (
            "old.xls",
            b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "Excel 2003 XML",
        ),
        ("memo.xls", OLE_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512, "Word"),
        ("odd.xls", OLE_MAGIC + b"\x00" * 1024, "holds no Excel workbook"),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    fails(path, match)


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    fails(_zip(tmp_path / "letter.xlsx", {"word/document.xml": "<w/>", "[Content_Types].xml": "<x/>"}), "Word")
    fails(_zip(tmp_path / "bundle.xlsx", {"readme.txt": "hello"}), "zip archive, not a spreadsheet")


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = good_xlsx(tmp_path / "full.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    fails(cut, "truncated or corrupt")


def test_corrupt_sheet_inside_a_valid_zip(tmp_path: Path) -> None:
    source = good_xlsx(tmp_path / "full.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut in the middle of the XML
            dst.writestr(info, data)
    fails(broken, "cannot be read")


def test_password_protected_workbook(tmp_path: Path) -> None:
    # An encrypted xlsx is an OLE compound file whose directory names EncryptionInfo and EncryptedPackage.
    names = ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in names)
    path = tmp_path / "secret.xlsx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + directory + b"\x00" * 512)
    fails(path, "password-protected")


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    Workbook().save(path)
    fails(path, "the workbook is empty")


def test_empty_sheet_asked_for_by_name(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Код ТН ВЭД", "Наименование"])
    wb.active.append(["8471500000", "Сервер"])
    wb.create_sheet("Пусто")
    path = tmp_path / "book.xlsx"
    wb.save(path)
    fails(path, "sheet 'Пусто' is empty", sheet="Пусто")


def test_no_recognisable_header_lists_the_first_rows(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Акт сверки взаимных расчётов за январь 2026 года между ТОО «Альфа» и ООО «Бета»"])
    ws.append([])
    ws.append(["Дата", "Документ", "Дебет", "Кредит"])
    ws.append(["2026-01-05", "Платёжное поручение 15", 1000, None])
    path = tmp_path / "act.xlsx"
    wb.save(path)
    error = fails(path, "no recognisable header")
    message = str(error)
    assert "row 1: Акт сверки" in message and "…" in message  # long cells are shortened
    assert "row 3: Дата, Документ, Дебет, Кредит" in message
    assert "--columns code=C,origin=E" in message
    assert "first 30 rows" in message


def test_no_header_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    assert "row 1: a, b, c" in str(fails(path, "no recognisable header"))


def test_no_header_within_the_scanned_rows(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for i in range(5):
        ws.append([f"Строка заголовка {i}"])
    ws.append(["Код ТН ВЭД", "Наименование", "Количество"])
    ws.append(["8471500000", "Сервер", 1])
    path = tmp_path / "deep.xlsx"
    wb.save(path)
    fails(path, "first 3 rows", max_header_scan=3)
    assert len(read_invoice(path, max_header_scan=10).lines) == 1


def test_unknown_sheet(tmp_path: Path) -> None:
    path = good_xlsx(tmp_path / "book.xlsx")
    fails(path, "no sheet named 'Sheet9'; sheets: 'Товары'", sheet="Sheet9")
    fails(path, "no sheet number 3", sheet=3)


def test_sheet_for_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("HS Code,Description\n8471500000,Server\n", encoding="utf-8")
    fails(path, "a CSV file has no sheets", sheet="Лист1")


def test_csv_in_an_unexpected_encoding(tmp_path: Path) -> None:
    text = "Код ТН ВЭД;Наименование;Количество\n8471500000;Сервер стоечный;2\n"
    dos = tmp_path / "dos.csv"
    dos.write_bytes(text.encode("cp866"))  # a DOS-era encoding: neither UTF-8 nor Windows-1251
    fails(dos, "unexpected text encoding")
    undefined = tmp_path / "undefined.csv"
    undefined.write_bytes(b"HS Code;Description\n8471500000;Server \x98\xff\n")  # 0x98 is unassigned in cp1251
    fails(undefined, "unexpected text encoding")


def test_csv_with_only_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n \n\n", encoding="utf-8")
    fails(path, "holds no data")


def test_heading_text_not_found(tmp_path: Path) -> None:
    fails(good_xlsx(tmp_path / "book.xlsx"), "no column headed 'Шифр'", columns={"code": "Шифр"})


def test_bad_columns_option_is_a_usage_error(tmp_path: Path) -> None:
    path = good_xlsx(tmp_path / "book.xlsx")
    with pytest.raises(UsageError, match="unknown field 'hs'"):
        read_invoice(path, columns={"hs": "C"})
    with pytest.raises(UsageError, match="column C is given for both"):
        read_invoice(path, columns={"code": "C", "origin": "c"})


def test_sheet_names_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        sheet_names(tmp_path / "missing.xlsx")


# --- no traceback escapes, whatever the bytes ----------------------------------------------------------------


def _only_input_errors(read: Callable[[], object]) -> None:
    try:
        read()
    except InputError as exc:
        assert "\n" not in str(exc)


_TEMPLATE = io.BytesIO()
_wb = Workbook()
_wb.active.append(["Код ТН ВЭД", "Наименование", "Количество"])
_wb.active.append(["8471500000", "Сервер", 2])
_wb.save(_TEMPLATE)
TEMPLATE = _TEMPLATE.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(TEMPLATE) - 1), st.integers(0, 255)), max_size=8))
def test_damaged_xlsx_never_escapes_as_a_traceback(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(TEMPLATE)
    for position, value in flips:
        data[position] = value
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    _only_input_errors(lambda: read_invoice(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600), st.sampled_from(["x.xlsx", "x.xls", "x.ods", "x.csv", "x.tsv", "x"]))
def test_random_bytes_never_escape_as_a_traceback(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _only_input_errors(lambda: read_invoice(path))


def test_prose_that_mentions_headings_is_not_an_invoice(tmp_path: Path) -> None:
    text = (
        "# Notes on the export pilot\n\n"
        "Goods are listed by their EAEU TN VED code, and need a permit to leave Kazakhstan for a CIS state.\n"
        "Documents: 5) the certificate of origin, 6) the operator's certificate, 7) the border crossing point.\n"
        "| lines | check | peak memory |\n|---:|---:|---:|\n| 1,000 | 0.233 s | 45 MB |\n"
    )
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="no recognisable header"):
        read_invoice(path)


def test_a_zip_of_a_version_python_cannot_read_is_an_input_error(tmp_path: Path) -> None:
    from openpyxl import Workbook

    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    data = bytearray(good.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (64).to_bytes(2, "little")  # "version needed to extract": 6.4
    path = tmp_path / "v64.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="truncated or corrupt"):
        read_invoice(path)


_CELLS = ["Код ТН ВЭД", "Наименование", "Страна происхождения", "Кол-во", "Сумма", "Валюта", "Примечание", "Итого",
          "Страна происхождения: Китай", "Made in China", "8471500000", "847150000", "из 8471500000", "1,500",
          "1.234,50", "$1,234.50", "СТ-KZ № 123", "без СТ-1", "Freight", "Total station", "шт", "", None, 0, 1.5, -3,
          12345678901234, "=SUM(A1)", "Раздел 1", "Корея (КНДР)", "руб.", "№", "12.10.2026", 8471500000.0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.sampled_from(_CELLS), min_size=1, max_size=8), min_size=1, max_size=20),
       merges=st.lists(st.tuples(st.integers(1, 20), st.integers(1, 8), st.integers(0, 3), st.integers(0, 1)),
                       max_size=3))
def test_any_workbook_is_read_or_refused_in_one_line(tmp_path: Path, rows, merges) -> None:
    from permitcli.screen import screen_invoice

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for r, c, down, right in merges:
        try:
            wb.active.merge_cells(start_row=r, start_column=c, end_row=r + down, end_column=c + right)
        except ValueError:  # overlapping ranges: not a workbook Excel would write either
            pass
    path = tmp_path / "any.xlsx"
    wb.save(path)
    try:
        screened = screen_invoice(read_invoice(path))
    except InputError as exc:
        assert "\n" not in exc.message
    else:
        assert all(line.row >= 1 for line in screened.lines)
