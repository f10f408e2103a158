"""Renderers: streamed JSON is exactly orjson's document; CSV is safe; document ranges."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

from permitcli.invoices import read_invoice
from permitcli.model import Finding, Invoice, InvoiceLine, ScreenedLine, Status
from permitcli.render import LINE_FIELDS
from permitcli.render.csv import CheckCsvWriter, safe_cell
from permitcli.render.json import CheckJsonWriter, NdjsonWriter, _default, check_document, line_record
from permitcli.render.table import documents_text
from permitcli.screen import screen_invoice

ROOT = Path(__file__).resolve().parent.parent


def fields(line):
    return {name: getattr(line, name) for name in ScreenedLine.FIELDS}


def whole(results, errors):
    doc = {
        "schema": "permitcli.check/1",
        "data_version": "v",
        "files": [
            {"path": r.invoice.path, "sheet": r.invoice.sheet, "header_row": r.invoice.header_row,
             "columns": r.invoice.columns, "lines": [fields(line) for line in r.lines], "notes": r.notes,
             "summary": r.summary.as_dict()}
            for r in results
        ],
        "errors": errors,
    }
    return orjson.dumps(doc, default=_default, option=orjson.OPT_INDENT_2) + b"\n"


@pytest.mark.parametrize("paths", [[], ["spec_ru.xlsx"], ["spec_ru.xlsx", "export_1c.csv", "invoice_en.xlsx"]])
def test_streamed_json_is_byte_for_byte_the_whole_document(paths):
    results = [screen_invoice(read_invoice(ROOT / "examples" / p)) for p in paths]
    errors = [{"path": "x.xlsx", "message": "broken"}] if paths else []
    assert check_document(results, "v", errors) == whole(results, errors)


def test_file_without_lines():
    result = screen_invoice(Invoice(path="empty.csv", sheet=None, header_row=1))
    text = check_document([result], "v", [])
    assert text == whole([result], [])
    assert json.loads(text)["files"][0]["lines"] == []


def test_line_fields_are_the_screened_line_fields_in_order():
    line = ScreenedLine(2, "8471500000", "8471 50 000 0", "d", "CN", Decimal("1E+3"), "шт", Decimal("0.10"), "USD",
                        None, Status.PERMIT_REQUIRED, 2, 1, "telecom", (1, 2), (Finding("t", "m"),))
    rec = json.loads(orjson.dumps(line_record(line)))
    assert tuple(rec) == LINE_FIELDS == ScreenedLine.FIELDS
    assert rec["quantity"] == "1000" and rec["value"] == "0.10"  # exact, never in exponent form
    assert rec["findings"] == [{"type": "t", "message": "m"}] and rec["status"] == "permit-required"


def test_ndjson_and_csv_writers_stream_every_line():
    result = screen_invoice(Invoice(path="a.csv", sheet=None, header_row=1, lines=tuple(
        InvoiceLine(row=i, code_raw="8471500000", origin_raw="CN") for i in range(2, 5003))))
    head = {"path": "a.csv", "sheet": None}
    out = io.BytesIO()
    NdjsonWriter(out).write_file(head, result.lines)
    recs = [json.loads(l) for l in out.getvalue().splitlines()]
    assert [r["row"] for r in recs] == list(range(2, 5003)) and recs[0]["path"] == "a.csv"
    out = io.BytesIO()
    writer = CheckCsvWriter(out)
    writer.write_file(head, result.lines)
    writer.close([])
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert len(rows) == 5001 and rows[-1]["row"] == "5002" and rows[0]["documents"] == "1 2 3 4 5 7"


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+7 701", "'+7 701"), ("-x", "'-x"), ("@a", "'@a"),
                                         ("ok", "ok"), ("— — дефис", "— — дефис"), (3, 3), (None, None)])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


@pytest.mark.parametrize("docs, text", [((1, 2, 3, 4, 5, 7), "1–5,7"), ((1, 2, 3, 4, 6, 7), "1–4,6,7"),
                                        ((), ""), ((6,), "6"), ((1, 2), "1,2")])
def test_documents_text(docs, text):
    assert documents_text(docs) == text


def test_streamed_json_across_many_chunks_is_still_the_whole_document():
    lines = tuple(InvoiceLine(row=i, code_raw=c, origin_raw=o, quantity=Decimal(i), value=Decimal("0.5"))
                  for i, (c, o) in enumerate([("8471500000", "CN"), ("8481808199", "DE"), (None, "")] * 500, start=2))
    result = screen_invoice(Invoice(path="big.csv", sheet=None, header_row=1, lines=lines))
    assert len(result.lines) == 1500 > 2 * CheckJsonWriter.CHUNK
    assert check_document([result], "v", []) == whole([result], [])
