"""A large workbook's parse started before the command line interface is imported.

python-calamine parses a sheet whole, on its own thread and without the GIL, before its first row can be read:
for a large file that is most of a `check`. `permitcli.launch` reads the command line and starts the parse
here before Typer and the reader are imported, so that it runs while they are. The reader takes it (`take`)
when it opens the same file: the workbook as soon as it is open, so that the formula scan starts beside the
parse as it does for any file, and the sheet once parsed, if the file is unchanged since. Only calamine is
imported here, so that starting costs nothing; the order in which the reader tries a workbook's sheets is kept
here for the same reason. Nothing is reported from here: a file that cannot be parsed this way is parsed again,
and its error told, when it is opened.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import python_calamine

LARGE = 1 << 20  # bytes: smaller files parse in less time than the imports take, and are not worth a thread
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

# The reader's order of sheets is here, where starting a parse needs it with nothing more imported.
def visible_sheets(book: python_calamine.CalamineWorkbook) -> list[str]:
    """The names of the workbook's visible sheets, in its order."""
    return [m.name for m in book.sheets_metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]


def sheet_order(book: python_calamine.CalamineWorkbook, names: Sequence[str]) -> list[str]:
    """The sheets in the order they are tried for a heading: the visible ones first."""
    visible = visible_sheets(book)
    return visible + [n for n in names if n not in visible]


Opened = tuple[python_calamine.CalamineWorkbook, list[str], list[str]]  # a workbook, its sheets, the reader's order


class Early:
    """A workbook whose first sheet is being parsed on a thread of its own since start-up."""

    __slots__ = ("path", "stamp", "_opened_as", "_sheet", "_opened", "_done")

    def __init__(self, path: str, stamp: tuple[int, ...]) -> None:
        self.path = path
        self.stamp = stamp
        self._opened_as: Opened | None = None
        self._sheet: python_calamine.CalamineSheet | None = None
        self._opened = threading.Event()  # the workbook is open (or could not be): its sheets are known
        self._done = threading.Event()  # the parse is over
        threading.Thread(target=self._run, name="permitcli-early-parse", daemon=True).start()

    def _run(self) -> None:
        try:
            book = python_calamine.CalamineWorkbook.from_path(self.path)
            names = list(book.sheet_names)
            order = sheet_order(book, names)
            self._opened_as = (book, names, order)
            self._opened.set()
            self._sheet = book.get_sheet_by_name(order[0])  # the sheet the reader tries first
        except BaseException:  # noqa: BLE001 - told when the file is opened
            pass
        finally:
            self._opened.set()
            self._done.set()

    def unchanged(self) -> bool:
        """Is the file still the one that was opened (device, inode, size, time)?"""
        return _stamp(self.path) == self.stamp

    def opened(self) -> Opened | None:
        """The workbook, its sheets' names and the order in which the reader tries them, once it is open, while
        its first sheet may still be parsing (so that what needs only a sheet's name can start). Touch the
        workbook only once sheet() has answered: calamine takes no other call on it meanwhile. None when it
        could not be opened, or the file has changed since."""
        self._opened.wait()
        return self._opened_as if self.unchanged() else None

    def sheet(self, name: str) -> python_calamine.CalamineSheet | None:
        """The sheet `name` once parsed, if it is the one parsed here and the file is unchanged; handed over once.
        Otherwise None, and the sheet parsed here is let go. Waits for the parse to end."""
        self._done.wait()
        sheet, self._sheet = self._sheet, None
        if sheet is None or self._opened_as is None or name != self._opened_as[2][0] or not self.unchanged():
            return None
        return sheet


_started: dict[str, Early] = {}


def _stamp(path: str) -> tuple[int, ...] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not (st.st_mode & 0o170000 == 0o100000):  # a regular file only
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def start(path: str) -> bool:
    """Start parsing `path` if it is a workbook of LARGE bytes or more (its first visible sheet); True if
    started."""
    if not path.lower().endswith(WORKBOOK_SUFFIXES):
        return False
    stamp = _stamp(path)
    if stamp is None or stamp[2] < LARGE:
        return False
    key = os.path.abspath(path)
    if key not in _started:
        _started[key] = Early(key, stamp)
    return True


def take(path: os.PathLike[str] | str) -> Early | None:
    """The parse of `path` started early, if any; handed over once, without waiting for it."""
    return _started.pop(os.path.abspath(path), None)
