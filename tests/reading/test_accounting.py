"""Every non-empty row under a heading is accounted for: a goods line, a row skipped for a named reason, or a row
after the table's end; never nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from permitcli.errors import InputError
from permitcli.invoices import read_invoice

HEADING = ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Количество", "Ед. изм.", "Сумма"]

cell = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "Итого", "Итого:", "Total", "Freight", "НДС 12%", "Страна происхождения: Китай",
                     "Made in China", "Bank account :", "Сервер", "Кабель", "шт", "Китай", "Germany", "8471500000",
                     "8471 50 000 0", "№", "Количество", "1 000,50", "12,5", "n/a", "Подпись ______"]),
    st.integers(min_value=-5, max_value=10_000_000_000),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.booleans(),
    st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 1, 1)),
)
rows = st.lists(st.lists(cell, min_size=0, max_size=len(HEADING) + 1), min_size=0, max_size=14)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=rows, merges=st.lists(st.tuples(st.integers(2, 15), st.integers(1, 7), st.integers(0, 3),
                                            st.integers(0, 2)), max_size=3))
def test_lines_skipped_and_after_end_add_up_to_the_rows(tmp_path: Path, body: list[list[object]],
                                                        merges: list[tuple[int, int, int, int]]) -> None:
    wb = Workbook()
    ws = wb.active
    for c, text in enumerate(HEADING, start=1):
        ws.cell(row=1, column=c, value=text)
    for r, values in enumerate(body, start=2):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for top, left, down, right in merges:
        if top + down <= len(body) + 1:
            ws.merge_cells(start_row=top, start_column=left, end_row=top + down, end_column=left + right)
    path = tmp_path / "inv.xlsx"
    wb.save(path)
    try:
        inv = read_invoice(path)
    except InputError:
        return  # refused in one line: nothing read, nothing to account for
    if inv.header_row != 1:
        return  # a row of the body named the columns better: what is under it is counted from there
    grid = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    filled = sum(1 for row in grid if any(_filled(v) for v in row))
    accounting = inv.accounting
    assert accounting is not None
    skipped = sum(last - first + 1 for ranges in accounting["skipped"].values() for first, last in ranges)
    after = sum(last - first + 1 for first, last in accounting["after_end"])
    assert accounting["lines"] == len(inv.lines)
    assert accounting["rows"] == len(inv.lines) + skipped + after == filled
