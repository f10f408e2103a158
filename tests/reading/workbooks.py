"""Building the workbooks the reading tests read (openpyxl, and .ods by hand), and looking at what was read."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from permitcli.invoices import read_invoice
from permitcli.model import Invoice, InvoiceLine

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def put_rows(ws: Worksheet, rows: Sequence[Sequence[object]], first_row: int = 1, first_col: int = 1) -> None:
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                ws.cell(row=first_row + r, column=first_col + c, value=value)


def save(wb: Workbook, path: Path) -> Path:
    wb.properties.created = datetime.datetime(2026, 1, 20)
    wb.save(path)
    return path


def xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Лист1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    put_rows(ws, rows)
    return save(wb, path)


def _rows_of(path: Path) -> list[list[object]]:
    """The cells of a workbook's first sheet, row by row (for building a variant of a test file)."""
    import openpyxl

    return [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def by_row(invoice: Invoice) -> dict[int, InvoiceLine]:
    return {line.row: line for line in invoice.lines}


def note_types(invoice: Invoice) -> list[str]:
    return [n.type for n in invoice.notes]


def _ods(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Товары">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


H = ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Кол-во", "Ед. изм.", "Сумма, USD"]


def _lines(tmp_path: Path, rows: list[list[object]], merges: Sequence[str] = ()) -> list[tuple]:
    wb = Workbook()
    put_rows(wb.active, rows)
    for cells in merges:
        wb.active.merge_cells(cells)
    inv = read_invoice(save(wb, tmp_path / "t.xlsx"))
    return [(line.row, line.code_raw, line.origin_raw, line.quantity) for line in inv.lines]


HEADING = ["№", "Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Кол-во", "Ед. изм.", "Сумма, USD"]
