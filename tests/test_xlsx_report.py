"""`check --format xlsx -o FILE`: one workbook for a batch, its sheets, headings, filters, numbers and text."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from permitcli.cli import app
from permitcli.i18n import label
from permitcli.model import Status

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
SOURCES = ["examples/spec_ru.xlsx", "examples/invoice_en.xlsx", "examples/export_1c.csv"]
ACTION = {"permit-required", "refusal-risk", "review"}


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def report(tmp_path, *args, sources=SOURCES):
    out = tmp_path / "report.xlsx"
    result = run("check", *sources, "--format", "xlsx", "-o", out, *args)
    return result, openpyxl.load_workbook(out)


def as_json(*sources):
    return json.loads(run("check", *sources, "--format", "json").stdout)


def records(ws):
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_lines_needing_action_across_files(tmp_path):
    result, book = report(tmp_path)
    assert result.exit_code == 1
    assert book.sheetnames == ["Lines needing action", "Files", "Unreadable files", "permitcli"]
    heading, rows = records(book["Lines needing action"])
    assert heading[:6] == ("File", "Sheet", "Row", "Code", "Description", "Origin")
    expected = [(f["path"], line["row"], line["status"]) for f in as_json(*SOURCES)["files"] for line in f["lines"]
                if line["status"] in ACTION]
    status_of = {label(s.value, "en"): s.value for s in Status}
    at = heading.index("Status")
    assert [(r[0], r[2], status_of[r[at]]) for r in rows] == expected


def test_numbers_are_numbers_and_text_is_text(tmp_path):
    _, book = report(tmp_path)
    ws = book["Lines needing action"]
    heading = [c.value for c in ws[1]]
    doc = as_json(*SOURCES)
    line = next(l for f in doc["files"] for l in f["lines"] if l["status"] in ACTION and l["value"])
    row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == line["row"] and r[0].value == doc["files"][0]["path"])
    value, quantity = row[heading.index("Value")], row[heading.index("Quantity")]
    assert isinstance(row[2].value, int)
    assert value.data_type == "n" and Decimal(str(value.value)) == Decimal(line["value"])
    assert value.number_format == "#,##0.00"
    assert quantity.data_type == "n" and Decimal(str(quantity.value)) == Decimal(line["quantity"])
    code = row[heading.index("Code")]
    assert code.data_type == "s"  # a code keeps its leading zero and is never summed
    run_sheet = {r[0]: r[1] for r in book["permitcli"].iter_rows(values_only=True)}
    assert isinstance(run_sheet["Checked"], dt.datetime)


def test_headings_frozen_filtered_and_sized(tmp_path):
    _, book = report(tmp_path)
    for name in ("Lines needing action", "Files", "Unreadable files"):
        ws = book[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        assert all(cell.font.b for cell in ws[1])
        assert ws.column_dimensions["A"].width >= 30


def test_status_counts_per_file(tmp_path):
    _, book = report(tmp_path)
    heading, rows = records(book["Files"])
    doc = as_json(*SOURCES)
    assert [r[0] for r in rows] == [f["path"] for f in doc["files"]]
    for row, f in zip(rows, doc["files"]):
        assert row[heading.index("Goods lines")] == f["summary"]["lines"]
        for status in Status:
            assert row[heading.index(label(status.value, "en"))] == f["summary"]["by_status"][status.value]
        assert row[heading.index("Applications: Aviation")] == f["summary"]["permits_by_committee"].get("aviation", 0)


def test_unreadable_files_are_listed_with_their_errors(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result, book = report(tmp_path, sources=[bad, "examples/invoice_en.xlsx"])
    assert result.exit_code == 3
    _, rows = records(book["Unreadable files"])
    assert len(rows) == 1 and rows[0][0] == str(bad) and "corrupt" in rows[0][1]
    _, files = records(book["Files"])
    assert [r[0] for r in files] == ["examples/invoice_en.xlsx"]


def test_all_lists_every_line(tmp_path):
    _, book = report(tmp_path, "--all")
    _, rows = records(book["Lines"])
    assert len(rows) == sum(len(f["lines"]) for f in as_json(*SOURCES)["files"])


def test_russian_report(tmp_path):
    result = run("--lang", "ru", "check", *SOURCES, "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames[0] == "Строки к действию"
    statuses = {r[10] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert statuses <= {label(s, "ru") for s in ACTION} and label("refusal-risk", "ru") in statuses


def test_invoice_text_stays_text(tmp_path):
    source = tmp_path / "evil.csv"
    source.write_text("Description;HS code;Country of origin\n=1+1;8471500000;USA\n@SUM(A1);;=2+2\n", encoding="utf-8")
    run("check", source, "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert {c.value for c in cells} == {"=1+1", "@SUM(A1)"}
    assert all(c.data_type == "s" for c in cells)


def test_xlsx_needs_an_output_file(tmp_path):
    result = run("check", "examples/spec_ru.xlsx", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--output FILE" in result.stderr
    assert result.stdout == ""
