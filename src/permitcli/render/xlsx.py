"""The `check --format xlsx` report: one workbook for a batch, written as the files stream past.

Sheets: the lines that need action in every file (every line with `--all`), the status counts of each file, the
files that could not be read with their errors, and the run (date, data version, totals). Headings are frozen
and filtered, columns have widths, numbers and dates are numbers and dates, text is text. The workbook is built
write-only: rows go to temporary files as they come, so a batch of any size is never held in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from permitcli import __version__
from permitcli.i18n import label
from permitcli.model import ScreenedLine, Status
from permitcli.render.workbook import (
    HEADING_BORDER,
    HEADING_FILL,
    HEADING_FONT,
    STATUS_FILL,
    StyleCache,
    clean_text,
    fit_height,
    fit_width,
    notes_text,
    verdict_cells,
)
from permitcli.screen import ACTION

COMMITTEES = ("industry", "telecom", "aviation")
_WRAP = Alignment(wrap_text=True, vertical="top")
_VALUE_FORMAT = "#,##0.00"

# (label key, width) of each sheet's columns
_LINE_COLUMNS = (
    ("col-file", 30), ("col-sheet", 14), ("row", 6), ("code", 13), ("description", 50), ("origin", 8),
    ("col-quantity", 10), ("col-unit", 8), ("col-value", 14), ("col-currency", 9), ("status", 18), ("annex", 7),
    ("committee", 12), ("col-documents", 11), ("col-findings", 80),
)
_FILE_COLUMNS = (
    ("col-file", 30), ("col-sheet", 14), ("col-header-row", 9), ("col-lines", 9),
    *((status.value, 11) for status in Status),
    *((f"col-applications:{slug}", 13) for slug in COMMITTEES),
    ("col-notes", 80), ("col-error", 60),
)
_ERROR_COLUMNS = (("col-file", 40), ("col-error", 120))


def _to_top(cell: WriteOnlyCell) -> None:
    cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")


def _status_look(cell: WriteOnlyCell, status: Status) -> None:
    cell.fill = STATUS_FILL[status]
    cell.font = HEADING_FONT


class CheckXlsxWriter:
    """The writer `check` feeds (write_file for each file, then close): the report, saved to `out` at close."""

    def __init__(self, out: BinaryIO, data_version: str, lang: str = "en", show_all: bool = False,
                 checked_at: dt.datetime | None = None) -> None:
        self.out = out
        self.lang = lang
        self.show_all = show_all
        self.data_version = data_version
        self.checked_at = checked_at or dt.datetime.now().replace(microsecond=0)
        self._styles = StyleCache()
        self.book = Workbook(write_only=True)
        book = self.book
        self.lines = book.create_sheet(label("sheet-lines" if show_all else "sheet-action", lang))
        self.files = book.create_sheet(label("sheet-files", lang))
        self.unreadable = book.create_sheet(label("sheet-unreadable", lang))
        self.run = book.create_sheet("permitcli")
        self._rows = {id(self.lines): 1, id(self.files): 1, id(self.unreadable): 1}
        self.totals: Counter[str] = Counter()
        self.applications: Counter[str] = Counter()
        self.file_count = 0
        self._heading(self.lines, _LINE_COLUMNS)
        self._heading(self.files, _FILE_COLUMNS)
        self._heading(self.unreadable, _ERROR_COLUMNS)

    # -- cells

    def _heading(self, ws, columns: Iterable[tuple[str, float]]) -> None:
        columns = tuple(columns)
        fit_width(ws)
        for i, (_, width) in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        cells = []
        for key, _ in columns:
            key, _, slug = key.partition(":")
            text = label(key, self.lang) + (f": {label(slug, self.lang)}" if slug else "")
            cell = self._cell(ws, text)
            cell.font, cell.fill, cell.border = HEADING_FONT, HEADING_FILL, HEADING_BORDER
            cells.append(cell)
        ws.append(cells)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cells))}1"

    def _cell(self, ws, value: object, number_format: str | None = None) -> WriteOnlyCell:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, clean_text(value) if value else None)
            cell.data_type = "s"  # invoice text stays text, whatever it starts with
        else:
            cell = WriteOnlyCell(ws, value)
            if number_format and value is not None:
                self._styles.apply(cell, number_format, lambda c: setattr(c, "number_format", number_format))
        return cell


    def _wrap(self, ws, cells: list[WriteOnlyCell], width: float) -> None:
        """Wrap the text of `cells` (of the next row) in their column, the row made tall enough for it."""
        for c in cells:
            if isinstance(c.value, str):
                self._styles.apply(c, "wrap", lambda c: setattr(c, "alignment", _WRAP))
                fit_height(ws, self._rows[id(ws)] + 1, c.value, width, None)  # set before the row is written

    def _append(self, ws, cells: list[WriteOnlyCell]) -> None:
        if ws.row_dimensions[self._rows[id(ws)] + 1].height:  # a row made taller reads from its top
            for c in cells:
                self._styles.apply(c, "top", _to_top)
        ws.append(cells)
        self._rows[id(ws)] += 1

    def _filter(self, ws, width: int) -> None:
        ws.auto_filter.ref = f"A1:{get_column_letter(width)}{self._rows[id(ws)]}"

    # -- the writer

    def write_file(self, head: Mapping[str, object], lines: Iterable[ScreenedLine],
                   tail: Callable[[], Mapping[str, object]]) -> None:
        ws, lang, cell = self.lines, self.lang, self._cell
        path, sheet = str(head["path"]), str(head["sheet"] or "")
        for line in lines:
            if not self.show_all and line.status not in ACTION:
                continue
            status, annex, committee, documents, findings = verdict_cells(line, lang)
            row = [
                cell(ws, path), cell(ws, sheet), cell(ws, line.row), cell(ws, line.code or line.code_raw),
                cell(ws, line.description), cell(ws, line.origin or ""), cell(ws, line.quantity),
                cell(ws, line.unit), cell(ws, line.value, _VALUE_FORMAT), cell(ws, line.currency),
                cell(ws, status), cell(ws, annex), cell(ws, committee), cell(ws, documents), cell(ws, findings),
            ]
            self._styles.apply(row[10], line.status, lambda c, status=line.status: _status_look(c, status))
            self._wrap(ws, row[-1:], _LINE_COLUMNS[-1][1])
            self._append(ws, row)
        end = tail()
        summary = end["summary"]
        by_status: Mapping[str, int] = summary["by_status"]  # type: ignore[index,assignment]
        permits: Mapping[str, int] = summary["permits_by_committee"]  # type: ignore[index,assignment]
        self.totals.update(by_status)
        self.applications.update(permits)
        self.file_count += 1
        notes = notes_text(end["notes"], lang)  # type: ignore[arg-type]
        files = self.files
        row = [cell(files, path), cell(files, sheet), cell(files, head["header_row"]),
               cell(files, summary["lines"])]  # type: ignore[index]
        row += [cell(files, by_status.get(s.value, 0)) for s in Status]
        row += [cell(files, permits.get(slug, 0)) for slug in COMMITTEES]
        row += [cell(files, notes), cell(files, str(end.get("error") or ""))]
        self._wrap(files, row[-2:-1], _FILE_COLUMNS[-2][1])
        self._wrap(files, row[-1:], _FILE_COLUMNS[-1][1])
        self._append(files, row)

    def close(self, errors: list[dict[str, str]]) -> None:
        ws = self.unreadable
        for error in errors:
            self._append(ws, [self._cell(ws, error["path"]), self._cell(ws, error["message"])])
        self._filter(self.lines, len(_LINE_COLUMNS))
        self._filter(self.files, len(_FILE_COLUMNS))
        self._filter(self.unreadable, len(_ERROR_COLUMNS))
        self._write_run(len({e["path"] for e in errors}))
        self.book.save(self.out)

    def _write_run(self, unreadable: int) -> None:
        ws, lang = self.run, self.lang
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 40
        fit_width(ws)
        rows: list[tuple[str, object, Status | None]] = [
            (f"permitcli {__version__}", None, None),
            (label("checked-at", lang), self.checked_at, None),
            (label("data-version", lang), self.data_version, None),
            (label("col-language", lang), lang, None),
            (label("col-files", lang), self.file_count, None),
            (label("col-unreadable", lang), unreadable, None),
            (label("col-lines", lang), sum(self.totals.values()), None),
        ]
        rows += [(label(s.value, lang), self.totals.get(s.value, 0), s) for s in Status]
        rows += [(f"{label('col-applications', lang)}: {label(slug, lang)}", self.applications.get(slug, 0), None)
                 for slug in COMMITTEES]
        for key, value, status in rows:
            a = self._cell(ws, key)
            a.font = HEADING_FONT
            if status is not None:
                a.fill = STATUS_FILL[status]
            b = self._cell(ws, value, "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else None)
            b.alignment = Alignment(horizontal="left")
            ws.append([a, b])
