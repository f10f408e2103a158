"""CSV output of screened files, safe to open in spreadsheet programs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from permitcli.render import LINE_FIELDS, line_record
from permitcli.screen import ScreenedFile

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def check_csv(results: Iterable[ScreenedFile]) -> str:
    """One row per invoice line, with the file path and sheet first."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("path", "sheet", *LINE_FIELDS))
    for result in results:
        path, sheet = result.invoice.path, result.invoice.sheet
        for line in result.lines:
            rec = line_record(line)
            rec["documents"] = " ".join(str(d) for d in line.documents)
            rec["findings"] = "; ".join(f"{f.type}: {f.message}" for f in line.findings)
            writer.writerow([safe_cell(v) for v in (path, sheet, *(rec[k] for k in LINE_FIELDS))])
    return buf.getvalue()


def rows_csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """Any table as safe CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
