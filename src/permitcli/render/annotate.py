"""The broker's own invoice with the verdict beside every goods line: the copy `check --annotate` writes.

An .xlsx or .xlsm workbook is copied through openpyxl, its formatting, formulas and other sheets kept; an .xls,
.ods or CSV file (or a workbook openpyxl cannot take) becomes a new workbook holding the table as it was read.
Either way the goods rows keep their row numbers, so "row 19" in a finding is row 19 of the copy. Beside the
goods table of each sheet read come five columns (status, annex, committee, documents, findings), each goods
row is filled in its status's colour, rows the reader skipped are marked with the reason when it is known; a
legend sheet and a "permitcli" sheet (the summary, the notes, the rows skipped) close the workbook.
"""

from __future__ import annotations

import copy
import datetime as dt
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook import Workbook
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from permitcli import __version__
from permitcli.files import make_folder
from permitcli.catalog import Catalog
from permitcli.errors import OutputError, UsageError
from permitcli.i18n import label, message
from permitcli.model import ScreenedLine, Status
from permitcli.render.workbook import (
    HEADING_BORDER,
    HEADING_FILL,
    HEADING_FONT,
    SKIPPED_FONT,
    STATUS_FILL,
    StyleCache,
    fill_legend,
    fit_height,
    fit_width,
    notes_text,
    put,
    put_text,
    sheet_title,
    verdict_cells,
)
from permitcli.screen import ScreenedFile

SUFFIX = ".checked.xlsx"
# The columns added, left to right (their headings' label keys: none reads as an invoice heading, so a copy
# checked again gives the same lines).
ADDED = ("status", "annex", "committee", "col-documents", "col-findings")
_ADDED_WIDTHS = (20, 7, 12, 12, 64)


@dataclass(frozen=True, slots=True)
class SheetVerdicts:
    """One sheet (or CSV file) as screened, and what the copy says of it beyond its lines."""

    result: ScreenedFile
    skipped: Mapping[int, str] = field(default_factory=dict)  # row -> why it is no goods line, when the reader says
    error: str | None = None  # what stopped the reading part-way (the lines read before it are marked)


@dataclass(frozen=True, slots=True)
class CopyMade:
    """What annotate() wrote: the original workbook kept (`kept`), or the table as read; and what was left out."""

    kept: bool
    notes: tuple[str, ...]


def skipped_rows(accounting: Mapping[str, object] | None, lang: str = "en") -> dict[int, str]:
    """Row -> why it is no goods line, from a reader's accounting of rows (`InvoiceStream.accounting`): the rows
    skipped inside the table, and the row where the table ends."""
    if not accounting:
        return {}
    out: dict[int, str] = {}
    skipped = accounting.get("skipped") or {}
    for reason, ranges in skipped.items():  # type: ignore[attr-defined]
        why = _reason(str(reason), lang)
        for first, last in ranges:
            out.update(dict.fromkeys(range(int(first), int(last) + 1), why))
    end = accounting.get("end")
    if isinstance(end, Mapping) and end.get("row"):
        out.setdefault(int(end["row"]), message("table-end", lang, reason=_reason(str(end.get("reason")), lang)))
    return out


def _reason(slug: str, lang: str) -> str:
    text = label(f"skip-{slug}", lang)
    return slug if text == f"skip-{slug}" else text


def annotated_path(folder: Path, source: Path) -> Path:
    """Where the annotated copy of `source` goes: FOLDER/NAME.checked.xlsx."""
    return Path(folder) / f"{Path(source).stem}{SUFFIX}"


def annotate(
    source: Path,
    sheets: Sequence[SheetVerdicts],
    out: BinaryIO,
    *,
    catalog: Catalog,
    lang: str = "en",
    checked_at: dt.datetime | None = None,
) -> CopyMade:
    """Write the annotated copy of `source` (whose sheets were screened into `sheets`) to `out` as xlsx.

    `source` is only read. Text from the invoice never becomes a formula in the copy.
    """
    source = Path(source)
    book, made = _open_copy(source, sheets, lang)
    marked = []
    for verdicts in sheets:
        ws = book[_sheet_name(verdicts, book)]
        _mark(ws, verdicts, lang)
        marked.append(ws)
    legend = book.create_sheet(sheet_title(label("sheet-legend", lang), book.sheetnames))
    fill_legend(legend, catalog, lang)
    summary = book.create_sheet(sheet_title("permitcli", book.sheetnames))
    _fill_summary(summary, source, sheets, made, catalog, lang, checked_at or dt.datetime.now().replace(microsecond=0))
    _show(book, marked[0] if marked else summary)
    book.save(out)
    return made


def write_annotated(
    source: Path,
    sheets: Sequence[SheetVerdicts],
    folder: Path,
    *,
    catalog: Catalog,
    lang: str = "en",
    force: bool = False,
    checked_at: dt.datetime | None = None,
) -> Path:
    """annotate() into FOLDER/NAME.checked.xlsx (the folder is created if missing), whole or not at all; an
    existing copy is replaced only with `force` (else OutputError, and it stays as it was)."""
    from permitcli.files import atomic_output

    make_folder(Path(folder))
    target = annotated_path(folder, source)
    if target.resolve() == Path(source).resolve():
        raise OutputError(f"{target}: is the invoice itself; annotate into another folder")
    with atomic_output(target, overwrite=force) as fh:
        annotate(source, sheets, fh, catalog=catalog, lang=lang, checked_at=checked_at)
    return target


class Annotations:
    """The annotated copies of one run: the targets checked before anything is read, then one copy per file,
    written as soon as the file's sheets are screened (the sheets of one file arrive one after another)."""

    def __init__(self, folder: Path, sources: Sequence[Path], *, catalog: Catalog, lang: str, force: bool) -> None:
        self.folder = Path(folder)
        self.catalog, self.lang, self.force = catalog, lang, force
        self.written: list[Path] = []
        self.failed: list[str] = []  # one message per file whose copy could not be made
        self._source: Path | None = None
        self._sheets: list[SheetVerdicts] = []
        self._done: set[Path] = set()
        targets: dict[Path, Path] = {}
        for source in dict.fromkeys(Path(s) for s in sources):
            target = annotated_path(self.folder, source)
            other = targets.setdefault(target, source)
            if other != source:
                raise UsageError(f"{other} and {source} would both be annotated as {target}: check them in two runs")
            if not force and target.exists():
                raise OutputError(f"{target}: already exists; use --force to overwrite it")
        make_folder(self.folder)

    def add(self, source: Path, verdicts: SheetVerdicts) -> None:
        """One sheet of `source`, screened; the copy of the file before it is written now. A file or a sheet
        given twice is annotated once."""
        source = Path(source)
        if self._source is not None and source != self._source:
            self.flush()
        if source in self._done or any(v.result.invoice.sheet == verdicts.result.invoice.sheet for v in self._sheets):
            return
        self._source = source
        self._sheets.append(verdicts)

    def flush(self) -> None:
        """Write the copy of the file whose sheets were added last (if any)."""
        source, sheets = self._source, self._sheets
        self._source, self._sheets = None, []
        if source is None or not sheets:
            return
        self._done.add(source)
        try:
            self.written.append(write_annotated(source, sheets, self.folder, catalog=self.catalog, lang=self.lang,
                                                force=self.force))
        except OutputError:  # the folder or the disk: nothing more can be written
            raise
        except Exception as exc:  # a workbook no copy can be made of: said, and the other files go on
            reason = " ".join(str(exc).split()) or type(exc).__name__
            self.failed.append(f"{annotated_path(self.folder, source)}: no annotated copy could be made of {source} "
                               f"({type(exc).__name__}: {reason[:200]})")


# ------------------------------------------------------------------------------------------ opening the copy


def _open_copy(source: Path, sheets: Sequence[SheetVerdicts], lang: str) -> tuple[Workbook, CopyMade]:
    """The workbook to annotate: the original itself when openpyxl can take it, else the table as read."""
    wanted = [v.result.invoice.sheet for v in sheets]
    text = bool(sheets) and all(name is None for name in wanted)
    parts = _zip_parts(source) if not text else set()
    notes: list[str] = []
    if "xl/workbook.xml" in parts:
        try:
            with warnings.catch_warnings():  # openpyxl warns of the extensions it drops; the copy says what it lost
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(source, rich_text=True)
        except Exception as exc:  # a workbook calamine reads and openpyxl cannot: the table as read, said so
            notes.append(message("copy-not-kept", lang, reason=_short(exc)))
        else:
            missing = [name for name in wanted if name not in book.sheetnames]
            if not missing:
                notes.insert(0, message("copy-of-workbook", lang))
                if "xl/vbaProject.bin" in parts:
                    notes.append(message("copy-no-macros", lang))
                if any(p.startswith("xl/media/") or (p.startswith("xl/drawings/drawing") and p.endswith(".xml"))
                       for p in parts):
                    notes.append(message("copy-no-pictures", lang))
                return book, CopyMade(True, tuple(notes))
            notes.append(message("copy-not-kept", lang, reason=f"no sheet {missing[0]!r}"))
    kind = "CSV" if text else (source.suffix.lstrip(".").upper() or "workbook")
    book = _table_as_read(source, sheets, text)
    return book, CopyMade(False, (message("copy-of-table", lang, format=kind), *notes))


def _zip_parts(source: Path) -> set[str]:
    try:
        with zipfile.ZipFile(source) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def _sheet_name(verdicts: SheetVerdicts, book: Workbook) -> str:
    name = verdicts.result.invoice.sheet
    return name if name is not None and name in book.sheetnames else book.sheetnames[0]


def _table_as_read(source: Path, sheets: Sequence[SheetVerdicts], text: bool) -> Workbook:
    """A new workbook holding each sheet read (or the CSV file) cell by cell, at the rows and columns the reader
    numbered: values as read (numbers and dates as such, text as text), merged ranges merged."""
    book = Workbook()
    book.remove(book.active)
    if text:
        name = sheet_title(source.stem, ())
        _fill_grid(book.create_sheet(name), _csv_rows(source, sheets[0].result.invoice.columns), ())
        return book
    import python_calamine

    with source.open("rb") as fh:  # read by content, as the reader reads it, whatever the file's extension says
        calamine = python_calamine.CalamineWorkbook.from_filelike(fh)
    try:
        for verdicts in sheets:
            name = verdicts.result.invoice.sheet or ""
            if name in book.sheetnames:
                continue
            ws = calamine.get_sheet_by_name(name)
            try:
                merged = tuple(ws.merged_cell_ranges or ())
            except Exception:  # merged ranges only shape the look of the copy
                merged = ()
            _fill_grid(book.create_sheet(sheet_title(name, book.sheetnames)), _calamine_rows(ws), merged)
    finally:
        calamine.close()
    return book


def _calamine_rows(ws) -> Iterator[tuple[int, list[object]]]:
    """(row number, cells) from A1, numbered as the reader numbers them."""
    start = ws.start
    if start is None:
        return
    pad: list[object] = [""] * start[1]
    for number, row in enumerate(ws.iter_rows(), 1):
        yield number, pad + list(row)


def _csv_rows(source: Path, columns: Mapping[str, str]) -> Iterator[tuple[int, list[object]]]:
    """The CSV file's records with the line numbers the reader gives them, read as the reader reads them (the
    same encoding, and the delimiter under which it found the columns it reported)."""
    from openpyxl.utils import column_index_from_string

    from permitcli.reading.grid import _CsvFile
    from permitcli.reading.headings import _pick_delimiter

    fixed = {f: column_index_from_string(letter) - 1 for f, letter in columns.items()
             if letter.isalpha() and len(letter) <= 2}
    suffix = source.suffix.lower()
    return _CsvFile(source, str(source), lambda sample: _pick_delimiter(sample, suffix, 30, fixed)).rows()


def _fill_grid(ws: Worksheet, rows: Iterable[tuple[int, Sequence[object]]],
               merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    widths: dict[int, int] = {}
    for number, row in rows:
        for col, value in enumerate(row, 1):
            if value is None or value == "":
                continue
            put(ws.cell(row=number, column=col), value)
            size = max((len(part) for part in str(value).splitlines()), default=0)
            widths[col] = max(widths.get(col, 0), size)
    for (r1, c1), (r2, c2) in merged:
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    for col, size in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(size + 2, 6), 60)


# ------------------------------------------------------------------------------------------ marking a sheet


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _table_span(ws: Worksheet, top: int, bottom: int, header: int | None) -> tuple[int, int]:
    """(first, last) column of the goods table: the heading's first filled cell, and the last cell filled (or
    merged) anywhere from the heading down to the last row marked, so nothing there is ever written over."""
    first, last = None, 0
    for (row, col), cell in ws._cells.items():  # the cells that exist, not every coordinate up to the far corner
        if top <= row <= bottom and _filled(cell.value):
            last = max(last, col)
            if row == header:
                first = col if first is None else min(first, col)
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= bottom and rng.max_row >= top:
            last = max(last, rng.max_col)
    return first or 1, last


def _own_fill(cell) -> bool:
    """Whether a cell has a fill of its own (other than plain white), which the status colour then leaves be."""
    fill = cell.fill
    if fill is None or fill.fill_type in (None, "none"):
        return False
    colour = fill.fgColor
    if fill.fill_type == "solid" and colour is not None:
        if colour.type == "rgb" and str(colour.rgb).upper() in ("FFFFFFFF", "00FFFFFF"):
            return False
        if colour.type == "theme" and colour.theme == 0 and not colour.tint:
            return False
    return True


def _mark(ws: Worksheet, verdicts: SheetVerdicts, lang: str) -> None:
    result = verdicts.result
    lines: dict[int, ScreenedLine] = {}
    for line in result.lines:
        lines.setdefault(line.row, line)
    skipped = {row: why for row, why in verdicts.skipped.items() if row not in lines}
    rows = sorted(lines.keys() | skipped.keys())
    header = result.invoice.header_row
    if not rows:
        return
    top = min(rows[0], header) if header else rows[0]
    bottom = max(rows[-1], header or 0)
    first, edge = _table_span(ws, top, bottom, header)
    start = edge + 1
    end = start + len(ADDED) - 1
    _make_room(ws, start, end)
    heading = header if header else (top - 1 if top > 1 else None)
    if heading is not None and all(not _filled(ws.cell(row=heading, column=c).value) for c in range(start, end + 1)):
        for i, key in enumerate(ADDED):
            cell = ws.cell(row=heading, column=start + i)
            put_text(cell, label(key, lang))
            cell.font, cell.fill, cell.border = HEADING_FONT, HEADING_FILL, HEADING_BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    styles = StyleCache()
    # A cell merged over several rows (a "Marks" column, say) is left as it is: coloured, it would paint rows
    # that are not this line's.
    tall = {(r, c) for rng in ws.merged_cells.ranges if rng.max_row > rng.min_row and rng.min_row <= bottom
            and rng.max_row >= top for r in range(rng.min_row, rng.max_row + 1)
            for c in range(rng.min_col, rng.max_col + 1)}
    last = len(ADDED) - 1
    for row, line in lines.items():
        fill = STATUS_FILL[line.status]
        name, size, vertical = _row_look(ws, row, first, start)

        def added(cell, i=0, fill=fill, name=name, size=size, vertical=vertical) -> None:
            cell.fill = fill
            cell.font = Font(name=name, size=size, bold=i == 0)
            cell.alignment = Alignment(wrap_text=i == last, vertical=vertical)

        for i, value in enumerate(verdict_cells(line, lang)):
            cell = ws.cell(row=row, column=start + i)
            put(cell, value if value != "" else None)
            styles.apply(cell, (line.status, name, size, vertical, i), lambda c, i=i: added(c, i))
        fit_height(ws, row, ws.cell(row=row, column=end).value, _ADDED_WIDTHS[-1], size)

        def coloured(cell, fill=fill) -> None:
            if not _own_fill(cell):
                cell.fill = fill

        for col in range(first, start):
            if (row, col) not in tall:
                styles.apply(ws.cell(row=row, column=col), line.status, coloured)
    for row, why in skipped.items():
        status, reason = ws.cell(row=row, column=start), ws.cell(row=row, column=end)
        put_text(status, label("skipped", lang))
        put_text(reason, why)
        status.font = reason.font = SKIPPED_FONT
    _widen_print_area(ws, top, bottom, first, end)
    _widen_filter(ws, heading, first, end)
    fit_width(ws)


def _row_look(ws: Worksheet, row: int, first: int, start: int) -> tuple[str | None, float | None, str | None]:
    """The font name and size and the vertical alignment of the row's own cells: the added cells match them."""
    for col in range(first, start):
        cell = ws.cell(row=row, column=col)
        if _filled(cell.value):
            return cell.font.name, cell.font.size, cell.alignment.vertical
    return None, None, None


def _make_room(ws: Worksheet, start: int, end: int) -> None:
    """Give the added columns their widths, and let no column setting of the original (a hidden range, a width
    set for "all the columns to the right") cover them."""
    for key, dim in list(ws.column_dimensions.items()):
        low, high = dim.min or 0, dim.max or 0
        if not low or high < start or low > end:
            continue
        if low < start:  # keep its part left of the added columns
            dim.max = start - 1
            if high > end:
                _copy_dimension(ws, dim, end + 1, high)
        else:
            del ws.column_dimensions[key]
            if high > end:
                _copy_dimension(ws, dim, end + 1, high)
    for i, width in enumerate(_ADDED_WIDTHS):
        letter = get_column_letter(start + i)
        ws.column_dimensions[letter] = ColumnDimension(ws, index=letter, width=width)


def _copy_dimension(ws: Worksheet, dim: ColumnDimension, low: int, high: int) -> None:
    letter = get_column_letter(low)
    moved = copy.copy(dim)
    moved.index, moved.min, moved.max = letter, low, high
    ws.column_dimensions[letter] = moved


def _ranges(text: str) -> list[tuple[int, int, int, int]]:
    out = []
    for part in text.split(","):
        ref = part.rsplit("!", 1)[-1].replace("$", "").strip()
        if ref:
            try:
                out.append(range_boundaries(ref))
            except ValueError:
                continue
    return out


def _widen_print_area(ws: Worksheet, top: int, bottom: int, first: int, end: int) -> None:
    """A print area that holds the goods table reaches the added columns too (else they would not print)."""
    area = ws.print_area
    if not area:
        return
    ranges = _ranges(area if isinstance(area, str) else ",".join(area))
    if not ranges:
        return
    widened = []
    for c1, r1, c2, r2 in ranges:
        if r1 <= bottom and r2 >= top and c2 >= first and c2 < end:
            c2 = end
        widened.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
    ws.print_area = widened


def _widen_filter(ws: Worksheet, heading: int | None, first: int, end: int) -> None:
    """An autofilter on the heading reaches the added columns, so the lines can be filtered by status."""
    ref = ws.auto_filter.ref
    if not ref or heading is None:
        return
    try:
        c1, r1, c2, r2 = range_boundaries(ref)
    except ValueError:
        return
    if r1 == heading and c2 < end:
        ws.auto_filter.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(end)}{r2}"


def _show(book: Workbook, ws: Worksheet) -> None:
    """Open the copy on `ws`, the one tab selected (several selected tabs would be grouped for editing)."""
    if ws.sheet_state != "visible":
        ws.sheet_state = "visible"
    for other in book.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    book.active = book.worksheets.index(ws)


# --------------------------------------------------------------------------------------- the summary sheet


def _fill_summary(ws: Worksheet, source: Path, sheets: Sequence[SheetVerdicts], made: CopyMade, catalog: Catalog,
                  lang: str, checked_at: dt.datetime) -> None:
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    fit_width(ws)
    rows: list[tuple[str, object, Status | None]] = [
        (f"permitcli {__version__}", "", None),
        (label("source-file", lang), str(source), None),
        (label("checked-at", lang), checked_at, None),
        (label("data-version", lang), catalog.data_version, None),
    ]
    rows += [(label("this-copy", lang) if i == 0 else "", note, None) for i, note in enumerate(made.notes)]
    for verdicts in sheets:
        result = verdicts.result
        inv, summary = result.invoice, result.summary
        rows.append(("", "", None))
        rows.append((label("col-sheet", lang), inv.sheet or source.name, None))
        rows.append((label("col-header-row", lang), inv.header_row, None))
        rows.append((label("columns-read", lang),
                     ", ".join(f"{label('field-' + f, lang)} {letter}" for f, letter in inv.columns.items()), None))
        rows.append((label("col-lines", lang), summary.lines, None))
        for status in Status:
            count = summary.by_status.get(status.value, 0)
            if count:
                rows.append((label(status.value, lang), count, status))
        for slug, n in summary.permits_by_committee.items():
            rows.append(("", message("applications-to", lang, committee=catalog.rules.committees[slug].name[lang],
                                     n=n), None))
        for i, note in enumerate(result.notes):
            rows.append((label("col-notes", lang) if i == 0 else "", notes_text([note], lang), None))
        for i, (row, why) in enumerate(sorted(verdicts.skipped.items())):
            said = message("row-one", lang, rows=row)
            rows.append((label("rows-skipped-heading", lang) if i == 0 else "", f"{said}: {why}", None))
        if verdicts.error:
            rows.append((label("col-error", lang), verdicts.error, None))
    for r, (key, value, colour_by) in enumerate(rows, 1):
        a, b = ws.cell(row=r, column=1), ws.cell(row=r, column=2)
        put_text(a, key)
        a.font = HEADING_FONT
        a.alignment = Alignment(vertical="top")
        if value is not None and value != "":
            put(b, value)
            b.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            fit_height(ws, r, value, 110, None)
        if isinstance(value, dt.datetime):
            b.number_format = "yyyy-mm-dd hh:mm"
        if colour_by is not None:
            a.fill = STATUS_FILL[colour_by]
