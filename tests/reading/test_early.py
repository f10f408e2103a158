"""A large workbook's parse started before the command line is read: which argument it starts, and that the
reader takes it only when the file is the same."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from workbooks import xlsx

from permitcli.invoices import open_invoices, read_invoice
from permitcli.launch import start_early
from permitcli.reading import early

ROWS = [["Наименование", "Код ТН ВЭД", "Страна происхождения", "Кол-во"],
        ["Ноутбук", "8471300000", "Китай", 2], ["Роутер", "8517620009", "Германия", 1]]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file start() would parse (LARGE lowered so that small test files count), and nothing left over."""
    monkeypatch.setattr(early, "LARGE", 0)
    monkeypatch.setattr(early, "_started", {})
    names: list[str] = []
    real = early.start

    def start(path: str) -> bool:
        names.append(path)
        return real(path)

    monkeypatch.setattr(early, "start", start)
    return names


def test_the_first_invoice_of_check_is_started(tmp_path: Path, started: list[str]) -> None:
    a, b = xlsx(tmp_path / "a.xlsx", ROWS), xlsx(tmp_path / "b.xlsx", ROWS)
    start_early(["--lang", "ru", "check", "-o", str(b), "--format", "json", "--all", str(a), str(b)])
    assert started == [str(a)]
    assert list(early._started) == [os.path.abspath(a)]


@pytest.mark.parametrize("argv", [
    ["lookup", "8471300000"],
    ["draft", "INVOICE"],
    ["check"],
    ["--help"],
    ["check", "--sheet", "INVOICE"],
])
def test_other_command_lines_start_nothing(tmp_path: Path, started: list[str], argv: list[str]) -> None:
    invoice = xlsx(tmp_path / "a.xlsx", ROWS)
    start_early([str(invoice) if a == "INVOICE" else a for a in argv])
    assert early._started == {}


def test_only_large_workbooks_are_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(early, "_started", {})
    small = xlsx(tmp_path / "a.xlsx", ROWS)
    text = tmp_path / "a.csv"
    text.write_bytes(b"x" * (early.LARGE + 1))
    assert not early.start(str(small)) and not early.start(str(text))
    assert not early.start(str(tmp_path / "missing.xlsx"))
    monkeypatch.setattr(early, "LARGE", os.path.getsize(small))
    assert early.start(str(small))


def test_the_reader_takes_the_parse_once_and_reads_the_same(tmp_path: Path, started: list[str]) -> None:
    path = xlsx(tmp_path / "a.xlsx", ROWS)
    start_early(["check", str(path)])
    [(_, stream)] = list(open_invoices([path]))
    assert early._started == {}  # handed over
    with stream:
        assert list(stream.lines()) == list(read_invoice(path).lines)
    assert early.take(path) is None


def test_a_file_changed_since_is_not_handed_over(tmp_path: Path, started: list[str]) -> None:
    path = xlsx(tmp_path / "a.xlsx", ROWS)
    assert early.start(str(path))
    xlsx(path, [*ROWS, ["Сервер", "8471410000", "Китай", 3]])  # rewritten under the same name
    os.utime(path, ns=(1, 1))  # and its time changed, whatever the clock's resolution
    taken = early.take(path)
    assert taken is not None and not taken.unchanged()
    assert taken.opened() is None and taken.sheet("Лист1") is None


def test_a_file_changed_since_is_parsed_again(tmp_path: Path, started: list[str]) -> None:
    path = xlsx(tmp_path / "a.xlsx", ROWS)
    assert early.start(str(path))
    xlsx(path, [*ROWS, ["Сервер", "8471410000", "Китай", 3]])
    os.utime(path, ns=(1, 1))
    [(_, stream)] = list(open_invoices([path]))
    assert early._started == {}
    with stream:
        assert [line.description for line in stream.lines()] == ["Ноутбук", "Роутер", "Сервер"]


def test_the_workbook_is_handed_over_before_its_sheet_is_parsed(tmp_path: Path, started: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader gets the workbook (and starts its formula scan) while the early parse still runs."""
    import threading

    import python_calamine

    parsing, release = threading.Event(), threading.Event()
    real = python_calamine.CalamineWorkbook.get_sheet_by_name

    def slow(book: python_calamine.CalamineWorkbook, name: str) -> python_calamine.CalamineSheet:
        parsing.set()
        release.wait(10)
        return real(book, name)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "get_sheet_by_name", slow)
    path = xlsx(tmp_path / "a.xlsx", ROWS)
    assert early.start(str(path))
    taken = early.take(path)
    assert taken is not None and parsing.wait(10)
    opened = taken.opened()  # while the sheet is held back
    assert opened is not None and opened[1:] == (["Лист1"], ["Лист1"])
    release.set()
    sheet = taken.sheet("Лист1")
    assert sheet is not None and sheet.to_python()[1][0] == "Ноутбук"
    assert taken.sheet("Лист1") is None  # handed over once


def test_another_sheet_asked_for_is_read_from_the_same_workbook(tmp_path: Path, started: list[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "Первый"
    for row in ROWS:
        first.append(row)
    second = wb.create_sheet("Второй")
    for row in [ROWS[0], ["Сервер", "8471410000", "Китай", 3]]:
        second.append(row)
    path = tmp_path / "two.xlsx"
    wb.save(path)
    start_early(["check", "--sheet", "Второй", str(path)])
    assert started == [str(path)]
    [(_, stream)] = list(open_invoices([path], sheet="Второй"))
    with stream:
        assert (stream.sheet, [line.description for line in stream.lines()]) == ("Второй", ["Сервер"])


def test_the_formula_scan_runs_beside_the_early_parse(tmp_path: Path, started: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import python_calamine

    from permitcli.reading import grid

    scanned = threading.Event()
    seen_while_parsing: list[bool] = []
    real_scan, real_parse = grid._formula_cells, python_calamine.CalamineWorkbook.get_sheet_by_name

    def scan(*args: object) -> dict[int, set[int]]:
        scanned.set()
        return real_scan(*args)  # type: ignore[arg-type]

    def parse(book: python_calamine.CalamineWorkbook, name: str) -> python_calamine.CalamineSheet:
        seen_while_parsing.append(scanned.wait(5))  # the parse ends only once the scan has begun (or 5 s pass)
        return real_parse(book, name)

    monkeypatch.setattr(grid, "_formula_cells", scan)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "get_sheet_by_name", parse)
    path = xlsx(tmp_path / "a.xlsx", ROWS)
    start_early(["check", str(path)])
    [(_, stream)] = list(open_invoices([path]))
    with stream:
        assert [line.description for line in stream.lines()] == ["Ноутбук", "Роутер"]
    assert seen_while_parsing == [True]
