"""The cells of a file: a workbook's sheets (opened, parsed, rows from A1, merged ranges, hidden or not), a CSV
file's encoding and rows, and the xlsx cells holding a formula without a saved result."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import queue
import re
import threading
import weakref
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from xml.etree import ElementTree

import python_calamine

from permitcli.errors import InputError
from permitcli.reading.cells import _text
from permitcli.reading.columns import _column_index
from permitcli.reading.early import visible_sheets
from permitcli.reading.formats import (
    _ZIP_ERRORS,
    _Kind,
    _password,
    _sniff,
    _utf16_without_bom,
)

# Characters a Windows-1251 (1C) file legitimately holds above ASCII: Russian letters and common punctuation.
_CP1251_ODD = re.compile(r"[^\x00-\x7fА-яЁёІі«»–—‘’“”„…№°\u00a0]")


_CHUNK = 1 << 18  # bytes read at a time when a file is scanned without being held in memory


def _chunks(path: Path, label: str) -> Iterator[bytes]:
    """The bytes of a file, a chunk at a time."""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None


def _decodes(path: Path, label: str, encoding: str) -> bool | None:
    """Decode the whole file a chunk at a time: None if it does not decode, else whether it holds any non-space."""
    decoder = codecs.getincrementaldecoder(encoding)()
    filled = False
    try:
        for chunk in _chunks(path, label):
            text = decoder.decode(chunk)
            if not filled and text and not text.isspace():
                filled = True
        text = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return filled or bool(text and not text.isspace())


def _encoding(path: Path, label: str) -> tuple[str, bool]:
    """(encoding, holds any non-space) of a CSV file: UTF-8 (with or without BOM), UTF-16 (with a BOM), or
    Windows-1251. The whole file is checked, a chunk at a time, and never held in memory."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
            size = fh.seek(0, io.SEEK_END)
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    encoding: str | None = None
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and size % 4 == 0:
        encoding = "utf-32"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        encoding = _utf16_without_bom(head)
    if encoding is not None:
        filled = _decodes(path, label, encoding)
        if filled is None:
            raise InputError(f"{label}: the text is damaged: it starts like UTF-16/UTF-8 but does not decode")
        return encoding, filled
    if any(b"\x00" in chunk for chunk in _chunks(path, label)):
        raise InputError(f"{label}: is not a text (CSV) file: it holds binary data")
    filled = _decodes(path, label, "utf-8")
    if filled is not None:
        return "utf-8", filled
    # Windows-1251 when the letters above ASCII are (nearly all) Russian ones and common punctuation.
    decoder = codecs.getincrementaldecoder("cp1251")()
    length = high = odd = 0
    filled = False
    try:
        for chunk in _chunks(path, label):
            text = decoder.decode(chunk)
            length += len(text)
            high += len(text) - len(text.encode("ascii", "ignore"))
            odd += len(_CP1251_ODD.findall(text))
            if not filled and text and not text.isspace():
                filled = True
    except UnicodeDecodeError:
        length = 0
    if length and odd <= 0.05 * high:
        return "cp1251", filled
    raise InputError(
        f"{label}: unexpected text encoding (not UTF-8, UTF-16 or Windows-1251): save it as CSV UTF-8"
    )


@dataclass(frozen=True, slots=True)
class _Grid:
    """The first rows of one sheet or CSV file (enough to find the heading), from the first spreadsheet row."""

    name: str | None
    rows: list[list[object]]
    numbers: list[int] | None  # the 1-based row/line number of each row; None when it is index + 1
    merged: tuple[tuple[int, int, int, int], ...] = ()


def _sample_rows(text: str, delimiter: str, limit: int) -> list[list[object]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    try:
        for record in reader:
            rows.append(list(record))
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


_SAMPLE_CHARS = 65536  # the start of a CSV file that the delimiter is chosen from


class _CsvFile:
    """A CSV file read as text, lazily: every call to `rows()` reads it again from the start.

    `delimiter` chooses the delimiter from the start of the text (headings._pick_delimiter: the one under which
    a heading is found)."""

    __slots__ = ("_path", "_label", "encoding", "filled", "delimiter")

    def __init__(self, path: Path, label: str, delimiter: Callable[[str], str]) -> None:
        self._path = path
        self._label = label
        self.encoding, self.filled = _encoding(path, label)
        self.delimiter = ","
        if self.filled:
            try:
                with path.open(encoding=self.encoding, newline="") as fh:
                    sample = fh.read(_SAMPLE_CHARS)
            except (OSError, UnicodeDecodeError) as exc:
                raise self._failure(exc) from None
            self.delimiter = delimiter(sample)

    def _failure(self, exc: BaseException) -> InputError:
        if isinstance(exc, UnicodeDecodeError):
            return InputError(f"{self._label}: the text does not decode as {self.encoding} (was the file changed?)")
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return InputError(f"{self._label}: cannot read the file ({reason})")

    def rows(self) -> Generator[tuple[int, list[object]], None, None]:
        """(line number, record) from the first record; a quoted line break makes a record span several lines."""
        previous = 0
        try:
            with self._path.open(encoding=self.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter)
                for record in reader:
                    yield previous + 1, record  # type: ignore[misc]
                    previous = reader.line_num
        except csv.Error as exc:
            raise InputError(f"{self._label}: line {previous + 1}: malformed CSV ({exc})") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise self._failure(exc) from None


def _library_failure(exc: BaseException) -> bool:
    """An error raised by calamine on bad input: any Exception, or a Rust panic (a BaseException)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _mentions_password(exc: BaseException) -> bool:
    """calamine reports an encrypted xls (BIFF "FILEPASS") as a plain error that names the password."""
    text = str(exc).lower()
    return "password" in text or "encrypt" in text


def _open_workbook(path: Path, label: str) -> python_calamine.CalamineWorkbook:
    try:
        with path.open("rb") as fh:
            return python_calamine.CalamineWorkbook.from_filelike(fh)
    except python_calamine.PasswordError:
        raise _password(label) from None
    except python_calamine.ZipError:
        raise InputError(f"{label}: the workbook is truncated or corrupt (zip error)") from None
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        if _mentions_password(exc):
            raise _password(label) from None
        raise InputError(f"{label}: the workbook cannot be read: {_short(exc)}") from None


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 120 else message[:119] + "…"


def _sheet(book: python_calamine.CalamineWorkbook, name: str, label: str) -> python_calamine.CalamineSheet:
    """One sheet, parsed once (calamine parses the whole sheet here)."""
    try:
        return book.get_sheet_by_name(name)
    except python_calamine.PasswordError:
        raise _password(label) from None
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        if _mentions_password(exc):
            raise _password(label) from None
        raise InputError(f"{label}: sheet {name!r} cannot be read (the workbook is corrupt?): {_short(exc)}") from None


def _sheet_rows(
    sheet: python_calamine.CalamineSheet, label: str
) -> Generator[tuple[int, list[object]], None, None]:
    """(row number, cells) one row at a time from cell A1: the rows `to_python(skip_empty_area=False)` gives."""
    try:
        start = sheet.start  # None for an empty sheet (iter_rows cannot start there)
        if start is None:
            return
        pad: list[object] = [""] * start[1]  # calamine's rows begin at the first filled column
        if pad:
            for number, row in enumerate(sheet.iter_rows(), 1):
                yield number, pad + row
        else:
            yield from enumerate(sheet.iter_rows(), 1)
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        raise InputError(f"{label}: sheet {sheet.name!r} cannot be read: {_short(exc)}") from None


def _sheet_merged(sheet: python_calamine.CalamineSheet) -> tuple[tuple[int, int, int, int], ...]:
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # merged cells only help to read a heading: a sheet without them still reads
        return ()
    return tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges or ())


def _is_blank(rows: Iterable[Sequence[object]]) -> bool:
    return not any(_text(c) for row in rows for c in row)


def _choose_sheet(names: Sequence[str], sheet: str | int | None, label: str) -> str | None:
    if sheet is None:
        return None
    listing = ", ".join(repr(n) for n in names)
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise InputError(f"{label}: no sheet number {sheet} (counting from 0); sheets: {listing}")
    text = str(sheet)
    if text in names:
        return text
    folded = [n for n in names if n.strip().casefold() == text.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if text.strip().isdigit():
        if int(text) < len(names):
            return names[int(text)]
        count = "the only sheet is 0" if len(names) == 1 else f"0 to {len(names) - 1}"
        raise InputError(f"{label}: no sheet named {text!r} and no sheet number {int(text)} (counting from 0: "
                         f"{count}); sheets: {listing}")
    raise InputError(f"{label}: no sheet named {text!r}; sheets: {listing}")


def _visible_sheets(book: python_calamine.CalamineWorkbook) -> set[str]:
    return set(visible_sheets(book))


def _sheet_head(ws: python_calamine.CalamineSheet, label: str, nrows: int) -> list[list[object]]:
    rows = _sheet_rows(ws, label)
    try:
        return [row for _, row in itertools.islice(rows, nrows)]
    finally:
        rows.close()


_Rows = Callable[[], Generator[tuple[int, list[object]], None, None]]  # a fresh pass: (row number, cells)


def _sheet_source(ws: python_calamine.CalamineSheet, label: str) -> _Rows:
    def rows() -> Generator[tuple[int, list[object]], None, None]:
        return _sheet_rows(ws, label)

    return rows


def _close_workbook(book: python_calamine.CalamineWorkbook) -> None:
    try:
        book.close()
    except Exception:  # closing only frees memory early; a workbook that will not close is dropped anyway
        pass


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook in order; [] for a CSV file."""
    path = Path(path)
    fmt = _sniff(path, str(path))
    if fmt.kind is _Kind.TEXT:
        return []
    book = _open_workbook(path, str(path))
    return list(book.sheet_names)


# Formulas without a cached value (xlsx written by a program and never opened in Excel)

_T = TypeVar("_T")

_FORMULA_NO_VALUE = re.compile(rb"<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _formula_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The sheet's XML part when the workbook may hold formulas without saved results, else None.

    Excel and LibreOffice save every result; programs that write formulas without results (openpyxl,
    XlsxWriter) ask for a full recalculation on load instead, and only those workbooks are scanned.
    """
    try:
        book_xml = archive.read("xl/workbook.xml")
        if b"fullCalcOnLoad" not in book_xml:
            return None
        return _sheet_part(book_xml, archive.read("xl/_rels/workbook.xml.rels"), sheet)
    except (*_ZIP_ERRORS, KeyError, ElementTree.ParseError):
        return None


@lru_cache(maxsize=16)  # the workbooks of one program in a batch often hold the very same two parts
def _sheet_part(book_xml: bytes, rels_xml: bytes, sheet: str) -> str | None:
    """The part a sheet is stored in, from the workbook part and its relationships."""
    book = ElementTree.fromstring(book_xml)
    rels = ElementTree.fromstring(rels_xml)
    rel_id = next((n.get(f"{_NS_REL}id") for n in book.iter(f"{_NS_MAIN}sheet") if n.get("name") == sheet), None)
    target = next((n.get("Target") for n in rels.iter(f"{_NS_PKG}Relationship") if n.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _formula_cells(archive: zipfile.ZipFile, member: str, stop: threading.Event | None = None) -> dict[int, set[int]]:
    """Cells of an xlsx sheet part that hold a formula but no saved result (calamine reads them as empty).

    The part is read a chunk at a time, cut after the last complete cell (`</c>`), so that a sheet of any
    size is scanned in bounded memory; `stop` ends the scan early (with no result) when it is no longer wanted.
    """
    found: dict[int, set[int]] = {}
    try:
        with archive.open(member) as part:
            rest = b""
            while chunk := part.read(_CHUNK):
                if stop is not None and stop.is_set():
                    return {}
                xml = rest + chunk if rest else chunk
                end = xml.rfind(b"</c>")
                if end < 0:
                    rest = xml
                    continue
                end += 4
                if b"<f" in xml:
                    for m in _FORMULA_NO_VALUE.finditer(xml, 0, end):
                        start = xml.rfind(b"<c", 0, m.start())
                        ref = _CELL_REF.match(xml, start) if start >= 0 else None
                        if ref:
                            found.setdefault(int(ref.group(2)), set()).add(_column_index(ref.group(1).decode()))
                rest = xml[end:]
    except (*_ZIP_ERRORS, KeyError):
        return {}
    return found


class _Worker:
    """One background thread that runs the jobs given to it in turn; a daemon, so that it never holds up the
    end of the program. The thread starts with the first job, and ends after the jobs given before stop(); a job
    given after stop() runs at once, on the caller's thread."""

    __slots__ = ("_jobs", "_name", "_lock", "_started", "_stopped", "__weakref__")

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = queue.SimpleQueue()
        self._name = name
        self._lock = threading.Lock()  # jobs may come from two threads (the read-ahead starts formula scans)
        self._started = False
        self._stopped = False

    def submit(self, job: Callable[[], _T]) -> Future[_T]:
        future: Future[_T] = Future()
        with self._lock:
            if not self._stopped:
                if not self._started:
                    self._started = True
                    threading.Thread(target=_Worker._run, args=(self._jobs,), name=self._name, daemon=True).start()
                    weakref.finalize(self, self._jobs.put, None)  # a worker dropped without stop() lets it go
                self._jobs.put((future, job))
                return future
        _Worker._run_one(future, job)
        return future

    def stop(self) -> None:
        """End the thread once the jobs given so far are done."""
        with self._lock:
            if self._started and not self._stopped:
                self._jobs.put(None)
            self._stopped = True

    @staticmethod
    def _run(jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None]) -> None:
        while (item := jobs.get()) is not None:
            _Worker._run_one(*item)
            del item

    @staticmethod
    def _run_one(future: Future[_T], job: Callable[[], _T]) -> None:
        if not future.set_running_or_notify_cancel():
            return  # cancelled before it started
        try:
            result = job()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            future.set_exception(exc)
        else:
            future.set_result(result)


class _FormulaScan:
    """The scans of one xlsx workbook's sheets for formulas without results, run on a worker thread while
    calamine parses the same sheet. The workbook's zip archive (opened once, by formats._sniff_open) is read by
    the worker alone, and closed by close(); with no archive (any other format) nothing is scanned."""

    __slots__ = ("_archive", "_worker", "_stops")

    def __init__(self, archive: zipfile.ZipFile | None, worker: _Worker) -> None:
        self._archive = archive
        self._worker = worker
        self._stops: dict[Future[dict[int, set[int]]], threading.Event] = {}

    def start(self, sheet: str) -> Future[dict[int, set[int]]] | None:
        archive = self._archive
        if archive is None:
            return None
        stop = threading.Event()

        def scan() -> dict[int, set[int]]:
            member = _formula_member(archive, sheet)
            return _formula_cells(archive, member, stop) if member else {}

        pending = self._worker.submit(scan)
        self._stops[pending] = stop
        return pending

    def cancel(self, pending: Future[dict[int, set[int]]] | None) -> None:
        """Stop a scan whose result is no longer wanted."""
        if pending is not None:
            self._stops.get(pending, _STOPPED).set()
            pending.cancel()

    def close(self) -> None:
        """Stop the scans still running (their results are no longer wanted) and close the archive once the
        worker is done with it; idempotent."""
        for pending in self._stops:
            self.cancel(pending)
        self._stops.clear()
        archive, self._archive = self._archive, None
        if archive is not None:
            self._worker.submit(archive.close)


_STOPPED = threading.Event()


_Parsed = tuple[python_calamine.CalamineSheet, "Future[dict[int, set[int]]] | None"]  # a sheet, its formula scan


def _formulas(pending: Future[dict[int, set[int]]] | None) -> dict[int, set[int]]:
    return pending.result() if pending is not None else {}
