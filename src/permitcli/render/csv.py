"""CSV output of screened files, written line by line and safe to open in spreadsheet programs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO

from permitcli.model import ScreenedLine, number_text
from permitcli.render import LINE_FIELDS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _row(path: str, sheet: str | None, line: ScreenedLine) -> list[object]:
    values = (
        path, sheet, line.row, line.code, line.code_raw, line.description, line.origin, number_text(line._quantity),
        line.unit, number_text(line._value), line.currency, line.destination, line.status.value, line.annex,
        line.entry, line.committee, " ".join(str(d) for d in line.documents),
        "; ".join(f"{f.type}: {f.message}" for f in line.findings),
    )
    return [safe_cell(v) for v in values]


class CheckCsvWriter:
    """One row per invoice line, with the file's path and sheet first; rows go out in batches."""

    BATCH = 2000

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\n")
        self.writer.writerow(("path", "sheet", *LINE_FIELDS))

    def _drain(self) -> None:
        self.out.write(self.buf.getvalue().encode("utf-8"))
        self.buf.seek(0)
        self.buf.truncate()

    def write_file(self, head: Mapping[str, object], lines: Iterable[ScreenedLine],
                   tail: Callable[[], Mapping[str, object]] | None = None) -> None:
        path, sheet = str(head["path"]), head["sheet"]
        writerow, batch = self.writer.writerow, 0
        for line in lines:
            writerow(_row(path, sheet, line))  # type: ignore[arg-type]
            batch += 1
            if batch == self.BATCH:
                self._drain()
                batch = 0
        if tail is not None:
            tail()

    def close(self, errors: list[dict[str, str]]) -> None:
        self._drain()


def rows_csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """Any table as safe CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
