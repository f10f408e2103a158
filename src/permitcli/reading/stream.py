"""Opening invoices and reading their lines: open_invoice / open_invoices (workbooks parsed ahead on a background
thread), read_invoice / read_invoices, and InvoiceStream, which reads one sheet's lines on demand."""

from __future__ import annotations

import collections
import dataclasses
import itertools
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from permitcli.errors import InputError, PermitError
from permitcli.i18n import label, message
from permitcli.model import Finding, Invoice, InvoiceLine
from permitcli.reading.columns import _split_columns, column_letter
from permitcli.reading.early import Early, Opened, sheet_order
from permitcli.reading.early import take as take_early
from permitcli.reading.formats import SPREADSHEET_SUFFIXES, _Format, _Kind, _sniff_open
from permitcli.reading.grid import (
    _choose_sheet,
    _close_workbook,
    _CsvFile,
    _formulas,
    _FormulaScan,
    _Grid,
    _is_blank,
    _open_workbook,
    _Parsed,
    _Rows,
    _sheet,
    _sheet_head,
    _sheet_merged,
    _sheet_rows,
    _sheet_source,
    _visible_sheets,
    _Worker,
)
from permitcli.reading.headings import (
    _detect_header,
    _Header,
    _header_for,
    _no_header,
    _pick_delimiter,
)
from permitcli.reading.lines import _Fill, _Found, _origin_fill, _title_values, _walk
from permitcli.reading.vocabulary import _currency_in


@dataclass(frozen=True, slots=True)
class _Plan:
    """How an opened invoice's lines are read: where the rows come from and what the first pass found."""

    rows: _Rows
    header: _Header
    formulas: Mapping[int, set[int]]  # 1-based row -> 0-based columns of formulas without a saved result
    merged: tuple[tuple[int, int, int, int], ...]  # merged ranges (0-based first row, column, last row, column)
    fill: _Fill
    origins: Mapping[int, str]  # row -> text of each "Country of origin" line the lines may take their origin from
    currency_source: str  # where the document-wide currency comes from, for the finding
    notes: tuple[Finding, ...]  # the findings known once the file is opened
    lang: str = "en"  # the language of the findings


class InvoiceStream:
    """One invoice sheet (or CSV file), opened by open_invoice: its heading is found, its lines are read on demand.

    `path`, `sheet`, `header_row` and `columns` are those of `Invoice`. `lines()` yields the goods lines one at
    a time, keeping one row in hand, and may be called once. `notes` are the file-level findings: those known
    on opening (format, encoding, a document-wide origin that is no country), then those about the lines read
    so far; they are complete once `lines()` is exhausted. `close()` (or leaving a `with` block) ends a
    `lines()` still running and lets the sheet go.
    """

    __slots__ = (
        "path", "sheet", "header_row", "columns", "_plan", "_found", "_running", "_state", "_notes", "_origins",
        "_currency", "_lang", "_elsewhere",
    )

    def __init__(self, path: str, sheet: str | None, header_row: int | None, columns: dict[str, str], plan: _Plan):
        self.path = path
        self.sheet = sheet
        self.header_row = header_row
        self.columns = columns  # field name -> column letter
        self._plan: _Plan | None = plan
        self._found = _Found()
        self._running: Generator[InvoiceLine, None, None] | None = None
        self._state = "open"  # then "reading", "closed"
        self._notes = plan.notes
        self._origins = plan.origins
        self._currency = (plan.fill.currency, plan.currency_source)
        self._lang = plan.lang
        self._elsewhere: tuple[str | None, int] | None = None  # (sheet, -row) of an origin taken from another sheet

    def _take_origin(self, other: InvoiceStream) -> None:
        """Lines without an origin take the document-wide origin another sheet of the workbook states (a
        contract or packing-list sheet whose invoice sheet says "Country of origin"). The row is kept negated,
        apart from this sheet's own rows."""
        plan, theirs = self._plan, other._plan
        if (plan is None or theirs is None or plan.fill.origin or not theirs.fill.origin
                or theirs.fill.origin_row is None or theirs.fill.origin_sheet is not None):
            return
        row = -theirs.fill.origin_row
        fill = dataclasses.replace(plan.fill, origin=theirs.fill.origin, origin_row=row, origin_sheet=other.sheet)
        self._plan = dataclasses.replace(plan, fill=fill)
        self._origins = {**self._origins, row: theirs.fill.origin}
        self._elsewhere = (other.sheet, row)

    def __repr__(self) -> str:
        return f"InvoiceStream(path={self.path!r}, sheet={self.sheet!r}, header_row={self.header_row!r})"

    def __enter__(self) -> InvoiceStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lines(self) -> Iterator[InvoiceLine]:
        """The goods lines, in order; the same InvoiceLine objects read_invoice gives. Call it once.

        A file changed or removed after open_invoice raises InputError part-way.
        """
        plan = self._plan
        if self._state != "open" or plan is None:
            raise RuntimeError(f"{self.path}: the lines of an opened invoice can be read once, before close()")
        self._state = "reading"
        self._plan = None  # held by the running lines() alone, and let go when it ends
        self._running = _read_lines(plan, self._found)
        return self._running

    @property
    def accounting(self) -> dict[str, object]:
        """What became of every non-empty row under the heading (complete once lines() is exhausted): `rows`
        seen, `lines` read, `skipped` rows by reason (as [first, last] ranges), the table's `end` (row and
        reason, or None) and the rows `after_end`. lines + skipped + after_end = rows."""
        return self._found.accounting()

    @property
    def notes(self) -> tuple[Finding, ...]:
        """File-level findings: complete once lines() is exhausted (before, those about the lines read so far)."""
        found, lang = self._found, self._lang
        notes = list(self._notes)
        for source, filled in sorted(found.from_document.items()):
            if self._elsewhere is not None and source == self._elsewhere[1]:
                notes.append(Finding("origin-from-document", message(
                    "origin-from-sheet-rows", lang, rows=filled.text(lang), text=self._origins[source],
                    row=-source, sheet=self._elsewhere[0])))
                continue
            notes.append(Finding("origin-from-document", message(
                "origin-from-document-rows", lang, rows=filled.text(lang), text=self._origins[source], row=source)))
        if found.currency_filled:
            notes.append(Finding("currency-from-document", message(
                "currency-from-document", lang, rows=found.currency_filled.text(lang), currency=self._currency[0],
                source=self._currency[1])))
        if found.unlabelled:
            notes.append(Finding("rows-skipped", message("rows-skipped", lang, rows=found.unlabelled.text(lang))))
        if found.charges:
            notes.append(Finding("charges-skipped", message("charges-skipped", lang, rows=found.charges.text(lang))))
        if found.formula_rows:
            notes.append(Finding("formula-no-value", message(
                "formula-no-value-rows", lang, rows=found.formula_rows.text(lang))))
        return tuple(notes)

    def close(self) -> None:
        """End a lines() still running and release the sheet; idempotent."""
        running, self._running = self._running, None
        self._state = "closed"
        self._plan = None
        if running is not None:
            running.close()


def _read_lines(plan: _Plan, found: _Found) -> Generator[InvoiceLine, None, None]:
    """The second pass: the goods lines, with the document-wide values the first pass found."""
    source = plan.rows()
    start = plan.header.top + plan.header.height if plan.header.top is not None else 0
    try:
        yield from _walk(itertools.islice(source, start, None), plan.header, plan.formulas, found, plan.fill,
                         plan.lang, plan.merged)
    finally:
        source.close()


def _field_name(field: str, lang: str) -> str:
    return label(f"field-{field}", lang)


def _open_stream(
    label: str,
    grid: _Grid,
    header: _Header,
    rows: _Rows,
    formulas: Mapping[int, set[int]],
    notes: list[Finding],
    lang: str = "en",
    comma_delimited: bool = False,
) -> InvoiceStream:
    """The first pass: the document-wide origin and currency (which may come after the lines that need them),
    and what the number cells say of commas."""
    found = _Found()
    top = header.top if header.top is not None else 0
    start = header.top + header.height if header.top is not None else 0
    _title_values(grid, top, found)
    source = rows()
    try:
        for _ in _walk(itertools.islice(source, start, None), header, formulas, found, None, lang, grid.merged):
            pass
        for _ in source:  # past the table: a damaged record there is reported now, not part-way through lines()
            pass
    finally:
        source.close()

    fill = _origin_fill(found, notes, lang)
    if header.inferred:
        notes.append(Finding("columns-from-content", message(
            "columns-from-content", lang, fields=", ".join(
                f"{_field_name(f, lang)} ({column_letter(header.columns[f])})" for f in header.inferred))))
    currency_text, currency_source = "", ""
    vi, cui = header.columns.get("value"), header.columns.get("currency")
    if cui is None and vi is not None:
        currency_text = _currency_in(header.texts.get(vi, "")) or ""
        if currency_text:
            currency_source = message("currency-source-heading", lang, text=header.texts.get(vi, ""),
                                      column=column_letter(vi))
    if not currency_text and found.currency is not None:
        currency_text = _currency_in(found.currency.text) or ""
        currency_source = (message("currency-source-row", lang, row=found.currency.row, text=found.currency.text)
                           if currency_text else "")

    header_row = None
    if header.top is not None:
        header_row = grid.numbers[header.top] if grid.numbers else header.top + 1
    if found.commas:
        styles = found.commas
        if "groups" in styles:
            commas = "groups" if len(styles) == 1 else None  # both kinds: the file tells nothing
        else:
            commas = "dot-groups" if "dot-groups" in styles else "decimal"
    else:
        commas = "groups" if comma_delimited else None  # "1,500" in a comma-separated file was quoted: 1500
    fill = _Fill(fill.origin, currency_text, fill.origin_row, fill.sections, fill.stop, commas, found.quantities)
    origins = {r.row: r.text for r in found.origin_rows}
    if found.marks_origin is not None:
        origins[found.marks_origin.row] = found.marks_origin.text
    if found.origin is not None:
        origins[found.origin.row] = found.origin.text
    plan = _Plan(rows, header, formulas, grid.merged, fill, origins, currency_source, tuple(notes), lang)
    columns = {field: column_letter(col) for field, col in sorted(header.columns.items(), key=lambda kv: kv[1])}
    return InvoiceStream(label, grid.name, header_row, columns, plan)


def open_invoice(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> InvoiceStream:
    """Open one invoice sheet (or CSV file) to read its lines one at a time, in bounded memory.

    The options are those of read_invoice. Everything that makes the file unreadable raises InputError here,
    before any line: the whole file is read once to check it and to find a document-wide origin or currency
    (a footer under the table names the origin of the lines above it); `lines()` then reads it again. A CSV
    file is never held in memory; a workbook's sheet is, once, as calamine parses it, but its rows become
    Python objects one at a time.
    """
    by_letter, by_text = _split_columns(columns)
    return _open(Path(path), sheet, by_letter, by_text, max(1, max_header_scan), lang, None)[0]


def open_invoices(
    paths: Iterable[str | Path],
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> Iterator[tuple[Path, InvoiceStream | InputError]]:
    """Open invoices one after another: (path, stream), or (path, the InputError that stops that file).

    The options are those of open_invoice, and a bad `columns` raises UsageError here. Workbooks are read
    ahead: the first starts parsing on a background thread at once (calamine lets other Python work go on
    meanwhile), and each next one while the lines of the one before are read. At most two parsed sheets are
    held at a time (three when the two files ahead are small: 1 MiB together). The iterator belongs to one
    thread; several threads each open their own.
    """
    by_letter, by_text = _split_columns(columns)
    queue = [Path(p) for p in paths]
    run = _Run()
    first = _ReadAhead(queue[0], sheet, run) if queue else None
    return _open_each(queue, first, sheet, by_letter, by_text, max(1, max_header_scan), lang, run)


_DONE: Future[None] = Future()  # the background work of a file that has none
_DONE.set_result(None)


class _Run:
    """The two background threads of one run over many files (open_invoices): one reads ahead, one scans for
    formulas without results. Each starts with its first job."""

    __slots__ = ("reader", "scans")

    def __init__(self) -> None:
        self.reader = _Worker("permitcli-read-ahead")
        self.scans = _Worker("permitcli-formula-scan")

    def stop(self) -> None:
        self.reader.stop()
        self.scans.stop()


def _open_each(
    queue: list[Path],
    ahead: _ReadAhead | None,
    sheet: str | int | None,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    scan: int,
    lang: str,
    run: _Run,
) -> Iterator[tuple[Path, InvoiceStream | InputError]]:
    ahead_of = collections.deque([ahead] if ahead is not None else [])  # the files read ahead, in order
    try:
        for i, path in enumerate(queue):
            current = ahead_of.popleft() if ahead_of else None
            try:
                opened: list[InvoiceStream] | list[InputError] = _open(
                    path, sheet, by_letter, by_text, scan, lang, current, every_sheet=True, run=run)
            except InputError as exc:
                opened = [exc]
            del current  # the stream holds what it needs; a sheet parsed ahead and not used goes
            following = i + 1 + len(ahead_of)
            while following < len(queue) and (not ahead_of or (
                    len(ahead_of) < 2 and sum(a.size for a in ahead_of) + _size(queue[following]) <= _AHEAD_BYTES)):
                ahead_of.append(_ReadAhead(queue[following], sheet, run))
                following += 1
            for one in opened:
                yield path, one
    finally:
        for left in ahead_of:
            left.discard()
        run.stop()


# Small files are read two ahead (the background thread gets its turn at Python only now and then while the
# caller's thread is busy); larger ones one ahead, so that at most two parsed sheets are held.
_AHEAD_BYTES = 1 << 20


def _size(path: Path) -> int:
    """The size of a file on disk; a file that cannot be looked at counts as large (it is not read ahead far)."""
    try:
        return path.stat().st_size
    except OSError:
        return _AHEAD_BYTES + 1


class _ReadAhead:
    """A file read ahead: sniffed here (on the caller's thread), then its workbook opened and the sheet
    open_invoice tries first parsed, its formula scan started beside the parse, on the run's read-ahead thread.

    What makes the file unreadable is told when it is opened: the format's InputError is kept for then, and a
    workbook calamine cannot open here is opened again, and its error told, then. CSV files are not read ahead
    (they are streamed).
    """

    __slots__ = ("path", "size", "_sheet", "_fmt", "_error", "_scanner", "_book", "_parsed", "_done")

    def __init__(self, path: Path, sheet: str | int | None, run: _Run) -> None:
        self.path = path
        self.size = _size(path)
        self._sheet = sheet
        self._fmt: _Format | None = None
        self._error: InputError | None = None
        self._scanner: _FormulaScan | None = None
        self._book: python_calamine.CalamineWorkbook | None = None
        self._parsed: tuple[str, _Parsed] | None = None
        try:
            self._fmt, archive = _sniff_open(path, str(path))
        except InputError as exc:
            self._error = exc
        if self._fmt is not None and self._fmt.kind is _Kind.WORKBOOK:
            self._scanner = _FormulaScan(archive, run.scans)
            self._done = run.reader.submit(self._run)
        else:
            self._done = _DONE

    def _run(self) -> None:
        # Only calls into calamine here: they let the GIL go, where Python file and zip reading would wait for
        # it (each read) while the caller's thread is busy.
        try:
            early = take_early(self.path)  # parsing since start-up (reading.early)
            opened = early.opened() if early is not None else None  # while its first sheet may still parse
            if opened is None or not self._parse(opened, early):  # (not open early, or the file changed since)
                book = python_calamine.CalamineWorkbook.from_path(self.path)
                names = list(book.sheet_names)
                self._parse((book, names, sheet_order(book, names)), None)
        except BaseException:  # noqa: BLE001 - told again, properly, when the file is opened
            pass

    def _parse(self, opened: Opened, early: Early | None) -> bool:
        """Parse the sheet open_invoice tries first, with its formula scan beside; from `early` when that is
        the sheet parsed there. False, with nothing kept, when the file has changed since it was parsed there."""
        assert self._scanner is not None
        book, names, order = opened
        name = _choose_sheet(names, self._sheet, "") if self._sheet is not None else order[0]
        if name is not None:
            pending = self._scanner.start(name)  # alongside the parse, as when the file is opened
            try:
                ws = early.sheet(name) if early is not None else None
                if early is not None and ws is None and not early.unchanged():
                    self._scanner.cancel(pending)
                    return False
                if ws is None:  # another sheet asked for: the one parsed early is let go before this one is parsed
                    ws = book.get_sheet_by_name(name)
                self._parsed = (name, (ws, pending))
            except BaseException:
                self._scanner.cancel(pending)
                raise
        self._book = book
        return True

    def opened(self) -> tuple[_Format, _FormulaScan | None]:
        """The file's format and its formula scanner, once the background work is over; raises the format's
        InputError."""
        self._done.result()
        if self._error is not None:
            raise self._error
        assert self._fmt is not None
        return self._fmt, self._scanner

    def book(self) -> python_calamine.CalamineWorkbook | None:
        """The workbook, once the background work is over; None when it could not be opened."""
        self._done.result()
        return self._book

    def take(self, name: str) -> _Parsed | None:
        """The sheet `name` and its formula scan, if it is the sheet parsed ahead (handed over once)."""
        self._done.result()
        parsed, self._parsed = self._parsed, None
        if parsed is None:
            return None
        sheet, got = parsed
        if sheet != name:
            if self._scanner is not None:
                self._scanner.cancel(got[1])
            return None
        return got

    def discard(self) -> None:
        """Not opened after all (the run ended first): background work not begun is dropped, and the scanner is
        closed once the work begun is over."""
        self._done.cancel()
        self._done.add_done_callback(lambda _: self._scanner.close() if self._scanner is not None else None)


def _open(
    path: Path,
    sheet: str | int | None,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    scan: int,
    lang: str,
    ahead: _ReadAhead | None,
    every_sheet: bool = False,
    run: _Run | None = None,
) -> list[InvoiceStream]:
    """The sheet asked for, or the first with a goods table (`every_sheet`: each sheet with one, in order).
    `run`: the threads of a run over many files, else the formula scans get a thread of their own."""
    label = str(path)
    if ahead is not None and ahead.path != path:
        ahead = None
    scans = run.scans if run is not None else _Worker("permitcli-formula-scan")
    if ahead is not None:
        fmt, got = ahead.opened()  # the format was told when the file was read ahead
        scanner = got if got is not None else _FormulaScan(None, scans)
    else:
        fmt, archive = _sniff_open(path, label)
        scanner = _FormulaScan(archive, scans)
    try:
        notes: list[Finding] = []
        suffix = path.suffix.lower()
        expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods"}.get(suffix)
        if (
            (fmt.kind is _Kind.TEXT and suffix in SPREADSHEET_SUFFIXES)
            or (fmt.kind is _Kind.WORKBOOK and suffix in (".csv", ".tsv", ".txt"))
            or (expected and expected != fmt.name)
        ):
            notes.append(Finding("format-mismatch", message("format-mismatch", lang, format=fmt.name, suffix=suffix)))
        if fmt.kind is _Kind.TEXT:
            if sheet is not None and sheet not in (0, "0"):
                raise InputError(f"{label}: a CSV file has no sheets (asked for sheet {sheet!r})")
            return [_open_csv(path, label, scan, by_letter, by_text, notes, lang)]
        return _open_sheet(path, label, sheet, scan, by_letter, by_text, notes, lang, ahead, scanner, every_sheet)
    finally:
        scanner.close()  # every result wanted has been taken: the streams hold them
        if run is None:
            scans.stop()


def _open_csv(
    path: Path,
    label: str,
    scan: int,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    notes: list[Finding],
    lang: str = "en",
) -> InvoiceStream:
    suffix = path.suffix.lower()
    text = _CsvFile(path, label, lambda sample: _pick_delimiter(sample, suffix, scan, by_letter))
    if text.encoding == "cp1251":
        notes.append(Finding("csv-encoding", message("csv-encoding", lang)))
    if not text.filled:
        raise InputError(f"{label}: the file holds no data")
    records = text.rows()
    try:
        head = list(itertools.islice(records, scan + 1))
        blank = _is_blank([row for _, row in head]) and _is_blank(row for _, row in records)
    finally:
        records.close()
    if blank:
        raise InputError(f"{label}: the file holds no data")
    grid = _Grid(None, [row for _, row in head], [number for number, _ in head])
    try:
        header = _header_for(grid, scan, by_letter, by_text, label)
        if header is None:
            raise _no_header(label, grid, scan)
    except PermitError:
        for _ in text.rows():  # a malformed record further down is the first thing to report
            pass
        raise
    return _open_stream(label, grid, header, text.rows, {}, notes, lang, comma_delimited=text.delimiter == ",")


def _open_sheet(
    path: Path,
    label: str,
    sheet: str | int | None,
    scan: int,
    by_letter: dict[str, int],
    by_text: dict[str, str],
    notes: list[Finding],
    lang: str,
    ahead: _ReadAhead | None,
    scanner: _FormulaScan,
    every_sheet: bool = False,
) -> list[InvoiceStream]:
    book = ahead.book() if ahead is not None else None
    if book is None:
        ahead = None
        book = _open_workbook(path, label)

    def parse(name: str) -> _Parsed:
        got = ahead.take(name) if ahead is not None else None
        if got is not None:
            return got
        pending = scanner.start(name)  # the scan runs while calamine parses
        return _sheet(book, name, label), pending

    try:
        names = list(book.sheet_names)
        if not names:
            raise InputError(f"{label}: the workbook has no sheets")
        chosen = _choose_sheet(names, sheet, label)
        if chosen is not None:
            ws, pending = parse(chosen)
            head = _sheet_head(ws, label, scan + 1)
            rest = itertools.islice(_sheet_rows(ws, label), len(head), None)
            if _is_blank(head) and _is_blank(row for _, row in rest):
                raise InputError(f"{label}: sheet {chosen!r} is empty")
            grid = _Grid(ws.name, head, None, _sheet_merged(ws))
            header = _header_for(grid, scan, by_letter, by_text, label)
            if header is None:
                raise _no_header(label, grid, scan)
            return [_open_stream(label, grid, header, _sheet_source(ws, label), _formulas(pending), notes, lang)]

        first_filled: _Grid | None = None
        order = sheet_order(book, names)
        visible = _visible_sheets(book)
        streams: list[InvoiceStream] = []
        for name in order:
            if streams and name not in visible:
                break  # hidden sheets are read only when no visible one holds goods
            ws, pending = parse(name)
            head = _sheet_head(ws, label, scan + 1)
            probe = _Grid(ws.name, head, None, _sheet_merged(ws))
            header = None if _is_blank(head) else _header_for(probe, scan, by_letter, by_text, label)
            if header is None:
                scanner.cancel(pending)
                if first_filled is None and not _is_blank(head):
                    first_filled = _Grid(name, head, None, probe.merged)
                continue
            if every_sheet:
                streams.append(_open_stream(label, probe, header, _sheet_source(ws, label), _formulas(pending),
                                            list(notes), lang))
                if name not in visible:
                    break
                continue
            others = _other_goods_sheets(book, order[order.index(name) + 1 :], scan, label)
            if others:
                notes.append(Finding("other-sheets", message(
                    "other-sheets", lang, sheets=", ".join(repr(n) for n in others), sheet=name)))
            return [_open_stream(label, probe, header, _sheet_source(ws, label), _formulas(pending), notes, lang)]
    finally:
        _close_workbook(book)  # the sheet chosen is parsed already and outlives the workbook
    if streams:
        for stream in streams:
            for other in streams:
                if other is not stream:
                    stream._take_origin(other)
        return streams
    if first_filled is None:
        raise InputError(f"{label}: the workbook is empty (no sheet holds any data)")
    raise _no_header(label, first_filled, scan)


def _other_goods_sheets(
    book: python_calamine.CalamineWorkbook, names: Sequence[str], scan: int, label: str
) -> list[str]:
    """The visible sheets among `names` that hold a goods table of their own (a heading is found there)."""
    visible = _visible_sheets(book)
    found = []
    for name in names:
        if name not in visible:
            continue
        try:
            ws = _sheet(book, name, label)
            head = _sheet_head(ws, label, scan + 1)
        except InputError:  # a sheet that cannot be read holds no table to point at
            continue
        if not _is_blank(head) and _detect_header(head, scan, {}, _sheet_merged(ws)) is not None:
            found.append(name)
    return found


def read_invoices(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> list[Invoice]:
    """Read every sheet of a workbook that holds a goods table (or the one `sheet`, or a CSV file): one Invoice
    each, in the workbook's order. The options are those of read_invoice."""
    by_letter, by_text = _split_columns(columns)
    streams = _open(Path(path), sheet, by_letter, by_text, max(1, max_header_scan), lang, None, every_sheet=True)
    return [_read_whole(stream) for stream in streams]


def read_invoice(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    max_header_scan: int = 30,
    lang: str = "en",
) -> Invoice:
    """Read one invoice sheet (or CSV file) into lines.

    `sheet`: a name or a 0-based index; by default the first sheet with a recognisable heading.
    `columns`: field -> column letter (`C`) or heading text; given ones win, the others are detected.
    Raises InputError (one line, naming the file) for anything that cannot be read.
    Every line is held in memory: open_invoice reads them one at a time.
    """
    return _read_whole(open_invoice(path, sheet=sheet, columns=columns, max_header_scan=max_header_scan, lang=lang))


def _read_whole(stream: InvoiceStream) -> Invoice:
    """An opened sheet read to its end into an Invoice."""
    with stream:
        lines = tuple(stream.lines())
        return Invoice(path=stream.path, sheet=stream.sheet, header_row=stream.header_row,
                       columns=dict(stream.columns), lines=lines, notes=stream.notes, accounting=stream.accounting)
