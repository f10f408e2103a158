"""Read invoices and specifications (xlsx, xlsm, xls, ods, csv, tsv) into Invoice lines, as brokers get them.

The public face of the reader; the work is done in stages in `permitcli.reading`: formats (what a file is),
grid (a workbook's sheets, a CSV file's rows), numbers and cells, vocabulary (data/headers.toml), headings
(where the table starts, which column is which field), rows (what kind each row is: totals, charges,
captions …), lines (the walk that builds the goods lines and accounts for every row) and stream (opening files,
read-ahead, InvoiceStream).
"""

from __future__ import annotations

from permitcli.model import Invoice, InvoiceLine
from permitcli.reading.columns import FIELDS, column_letter, parse_columns
from permitcli.reading.formats import SPREADSHEET_SUFFIXES
from permitcli.reading.grid import sheet_names
from permitcli.reading.numbers import comma_style, parse_number
from permitcli.reading.stream import (
    InvoiceStream,
    open_invoice,
    open_invoices,
    read_invoice,
    read_invoices,
)
from permitcli.reading.vocabulary import currency_code

__all__ = [
    "FIELDS",
    "SPREADSHEET_SUFFIXES",
    "Invoice",
    "InvoiceLine",
    "InvoiceStream",
    "column_letter",
    "comma_style",
    "currency_code",
    "open_invoice",
    "open_invoices",
    "parse_columns",
    "parse_number",
    "read_invoice",
    "read_invoices",
    "sheet_names",
]
