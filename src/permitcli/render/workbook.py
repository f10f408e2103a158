"""What the two workbooks permitcli writes share: status colours, safe cell text, headings, sheet names, the
texts of a screened line's cells, and the legend of statuses, committees and documents."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from permitcli.catalog import Catalog
from permitcli.i18n import finding_name, label, message
from permitcli.model import Finding, ScreenedLine, Status
from permitcli.render import FILE_LEVEL, documents_text

# One fill per status (light enough to read black text on), the same in the annotated copy and the report.
STATUS_COLOUR = {
    Status.REFUSAL_RISK: "FFC7CE",
    Status.PERMIT_REQUIRED: "FFEB9C",
    Status.REVIEW: "E4D7F5",
    Status.EXEMPT: "C6EFCE",
    Status.NOT_LISTED: "EDEDED",
    Status.OUT_OF_SCOPE: "DDEBF7",
    Status.COVERED: "B4E5D9",
}
STATUS_FILL = {status: PatternFill("solid", start_color=colour, end_color=colour)
               for status, colour in STATUS_COLOUR.items()}
HEADING_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
HEADING_FONT = Font(bold=True)
SKIPPED_FONT = Font(italic=True, color="7F7F7F")
THIN = Side(style="thin", color="A6A6A6")
HEADING_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")

MAX_CELL_TEXT = 32_767  # the longest text a spreadsheet cell holds
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 cannot carry
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def clean_text(text: str) -> str:
    """Text a cell can hold: no control characters, no longer than a cell allows."""
    text = _ILLEGAL.sub("", text)
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


class StyleCache:
    """Styles set through a cache. openpyxl looks a style up by hashing it on every assignment, which for a
    long invoice or report is most of the run; a cell's new style depends only on its old one and on `how`
    (what `setup` applies)."""

    def __init__(self) -> None:
        self._made: dict[tuple[object, ...], object] = {}

    def apply(self, cell, how: object, setup) -> None:
        key = (tuple(cell._style or ()), how)  # the cell's style ids (openpyxl keeps them in _style)
        made = self._made.get(key)
        if made is None:
            setup(cell)
            self._made[key] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(made)


def put_text(cell, text: str) -> None:
    """Text into a cell as text: one that starts with "=" stays the characters it is and never runs."""
    cell.value = clean_text(text)
    cell.data_type = "s"


def put(cell, value: object) -> None:
    """Any value into a cell: text as text (see put_text), numbers and dates as themselves."""
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


def sheet_title(wanted: str, taken: Iterable[str]) -> str:
    """A valid sheet name close to `wanted` that no sheet in `taken` has (names compare without case)."""
    base = _SHEET_NAME_BAD.sub("_", wanted).strip("'") or "Sheet"
    used = {name.casefold() for name in taken}
    title, n = base[:31], 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def set_widths(ws: Worksheet, widths: Sequence[float], first: int = 1) -> None:
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(first + i)].width = width


def fit_width(ws: Worksheet) -> None:
    """Print landscape, all the columns on one page's width (as many pages down as it takes)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def fit_height(ws: Worksheet, row: int, text: object, width: float, size: float | None) -> None:
    """Make the row tall enough for `text` wrapped in a column `width` wide (taller, never shorter)."""
    if not isinstance(text, str) or not text:
        return
    size = float(size or 11)
    per_line = max(10.0, width * 1.1 * 11 / size)  # in letters (see _text_width)
    lines = sum(_wrapped_lines(part, per_line) for part in text.split("\n"))
    if lines <= 1:
        return
    lines += lines // 4  # the estimate errs on the tall side: a row cut short hides text
    needed = round(lines * size * 1.25 + 3, 1)
    dim = ws.row_dimensions[row]
    if dim.height is None or dim.height < needed:
        dim.height = needed


def _text_width(word: str) -> float:
    """A word's width in letters (the font's proportions are not known: a letter is a letter)."""
    return float(len(word))


def _wrapped_lines(text: str, per_line: float) -> int:
    """How many lines `text` takes wrapped at word breaks into lines `per_line` wide."""
    lines, used = 1, 0.0
    for word in text.split():
        size = _text_width(word)
        if used and used + 0.6 + size > per_line:  # a space is narrower than a letter
            lines, used = lines + 1, 0.0
        used = used + 0.6 + size if used else size
        while used > per_line:  # a word longer than a line breaks inside it
            lines, used = lines + 1, used - per_line
    return lines


# ---------------------------------------------------------------------------------------------- line cells


def line_findings(line: ScreenedLine, sep: str = "\n") -> str:
    """The messages of a line's own findings; those said once for the file are left to its notes."""
    return sep.join(f.message for f in line.findings if f.type not in FILE_LEVEL)


def verdict_cells(line: ScreenedLine, lang: str, sep: str = "\n") -> tuple[str, int | None, str, str, str]:
    """What is written beside a line: status, annex, committee, documents, findings (joined by `sep`)."""
    return (
        label(line.status.value, lang),
        line.annex,
        label(line.committee, lang) if line.committee else "",
        documents_text(line.documents),
        line_findings(line, sep),
    )


def notes_text(notes: Iterable[Finding], lang: str, sep: str = "\n") -> str:
    return sep.join(f"{finding_name(n.type, lang)}: {n.message}" for n in notes)


# --------------------------------------------------------------------------------------------------- legend


def legend_rows(catalog: Catalog, lang: str) -> list[tuple[str, str, Status | None]]:
    """The legend: (name, meaning, status to colour by) for the statuses, a skipped row, committees, documents.

    A row with an empty meaning is a heading."""
    rows: list[tuple[str, str, Status | None]] = [(label("status", lang), "", None)]
    for status in STATUS_COLOUR:
        rows.append((label(status.value, lang), message(f"status-means-{status.value}", lang), status))
    rows.append((label("skipped", lang), message("status-means-skipped", lang), None))
    rules = catalog.rules
    rows.append((label("committees", lang), "", None))
    for slug, committee in rules.committees.items():
        rows.append((label(slug, lang), f"{message('annex-n', lang, n=committee.annex)}: {committee.name[lang]} "
                                        f"({committee.ministry[lang]})", None))
    rows.append((label("documents", lang), "", None))
    for number, texts in rules.documents.items():
        rows.append((f"{number})", texts[lang], None))
    return rows


def fill_legend(ws: Worksheet, catalog: Catalog, lang: str) -> None:
    """Write the legend into an empty worksheet (of a workbook opened for editing)."""
    set_widths(ws, (24, 110))
    fit_width(ws)
    for r, (name, meaning, status) in enumerate(legend_rows(catalog, lang), 1):
        a, b = ws.cell(row=r, column=1), ws.cell(row=r, column=2)
        put_text(a, name)
        if not meaning:
            a.font = HEADING_FONT
            continue
        put_text(b, meaning)
        b.alignment = WRAP_TOP
        fit_height(ws, r, meaning, 110, None)
        a.alignment = Alignment(vertical="top")
        if status is not None:
            a.fill = STATUS_FILL[status]
        elif name == label("skipped", lang):
            a.font = SKIPPED_FONT
