"""A large workbook's parse started before the command line interface is imported.

python-calamine parses a sheet whole, on its own thread and without the GIL, before its first row can be read:
for a large file that is most of a `check`. `permitcli.launch` reads the command line and starts the parse
here before Typer and the reader are imported, so that it runs while they are; the reader takes it (`take`)
when it opens the same file, unchanged since. Only calamine is imported here, so that starting costs nothing;
the order in which the reader tries a workbook's sheets is kept here for the same reason. Nothing is reported
from here: a file that cannot be parsed this way is parsed again, and its error told, when it is opened.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import python_calamine

LARGE = 1 << 20  # bytes: smaller files parse in less time than the imports take, and are not worth a thread
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

_Parsed = tuple[python_calamine.CalamineWorkbook, str, python_calamine.CalamineSheet]


# The reader's order of sheets is here, where starting a parse needs it with nothing more imported.
def visible_sheets(book: python_calamine.CalamineWorkbook) -> list[str]:
    """The names of the workbook's visible sheets, in its order."""
    return [m.name for m in book.sheets_metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]


def sheet_order(book: python_calamine.CalamineWorkbook, names: Sequence[str]) -> list[str]:
    """The sheets in the order they are tried for a heading: the visible ones first."""
    visible = visible_sheets(book)
    return visible + [n for n in names if n not in visible]


class _Early:
    __slots__ = ("path", "stamp", "parsed", "done")

    def __init__(self, path: str, stamp: tuple[int, ...]) -> None:
        self.path = path
        self.stamp = stamp
        self.parsed: _Parsed | None = None
        self.done = threading.Event()
        threading.Thread(target=self._run, name="permitcli-early-parse", daemon=True).start()

    def _run(self) -> None:
        try:
            book = python_calamine.CalamineWorkbook.from_path(self.path)
            first = sheet_order(book, book.sheet_names)[0]  # the sheet the reader tries first
            self.parsed = (book, first, book.get_sheet_by_name(first))
        except BaseException:  # noqa: BLE001 - told when the file is opened
            pass
        finally:
            self.done.set()


_started: dict[str, _Early] = {}


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
        _started[key] = _Early(key, stamp)
    return True


def take(path: os.PathLike[str] | str) -> _Parsed | None:
    """The workbook at `path` and its first visible sheet (name, parsed sheet), if its parse was started early
    and the file is unchanged since; handed over once. Waits for the parse to end."""
    early = _started.pop(os.path.abspath(path), None)
    if early is None:
        return None
    early.done.wait()
    if early.parsed is None or _stamp(early.path) != early.stamp:
        return None
    return early.parsed
