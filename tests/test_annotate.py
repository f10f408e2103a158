"""The annotated copy (`check --annotate`): the broker's workbook kept, the verdicts beside the goods table."""

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from permitcli.catalog import load_catalog
from permitcli.cli import app
from permitcli.i18n import label
from permitcli.invoices import read_invoice
from permitcli.model import Status
from permitcli.render.annotate import ADDED, SheetVerdicts, annotate, annotated_path, skipped_rows
from permitcli.render.workbook import STATUS_COLOUR
from permitcli.screen import ScreenOptions, screen_invoice

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures" / "invoices"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def screened(path: Path, lang: str = "en", **read):
    invoice = read_invoice(path, lang=lang, **read)
    return screen_invoice(invoice, ScreenOptions(None, frozenset(), lang), load_catalog())


def annotated(tmp_path: Path, source: Path, lang: str = "en", skipped=None, **read):
    """The copy written by the library call, opened; and the screened file it was made from."""
    result = screened(source, lang, **read)
    target = tmp_path / "copy.xlsx"
    with target.open("wb") as fh:
        annotate(source, [SheetVerdicts(result, skipped or {})], fh, catalog=load_catalog(), lang=lang)
    return openpyxl.load_workbook(target), result


def added_start(ws, header_row: int) -> int:
    """The column of the first added heading (Status), found by its text."""
    for cell in ws[header_row]:
        if cell.value == label("status", "en"):
            return cell.column
    raise AssertionError(f"no status heading in row {header_row}")


def fill_of(cell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill.fill_type == "solid" else ""


# ------------------------------------------------------------------------------------------- the xlsx copy


def test_the_verdicts_stand_beside_each_goods_line(tmp_path):
    book, result = annotated(tmp_path, EXAMPLES / "spec_ru.xlsx")
    ws = book[result.invoice.sheet]
    header = result.invoice.header_row
    start = added_start(ws, header)
    original = openpyxl.load_workbook(EXAMPLES / "spec_ru.xlsx")[result.invoice.sheet]
    rows = original.iter_rows(min_row=header, max_row=max(line.row for line in result.lines))
    assert start == max(c.column for row in rows for c in row if c.value is not None) + 1  # right of the table
    assert [ws.cell(row=header, column=start + i).value for i in range(len(ADDED))] == [
        label(key, "en") for key in ADDED]
    for line in result.lines:
        status = ws.cell(row=line.row, column=start)
        assert status.value == label(line.status.value, "en")
        assert fill_of(status) == STATUS_COLOUR[line.status]
        assert ws.cell(row=line.row, column=start + 1).value == line.annex
        description = ws.cell(row=line.row, column=2)  # the row itself is coloured too
        assert fill_of(description) == STATUS_COLOUR[line.status]
    assert {line.status for line in result.lines} >= {Status.REFUSAL_RISK, Status.PERMIT_REQUIRED, Status.EXEMPT}


def test_the_broker_workbook_survives_formulas_sheets_and_own_fills(tmp_path):
    source = tmp_path / "own.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Invoice"
    ws.append(["No", "Description", "HS code", "Country of origin", "Qty", "Price", "Amount"])
    ws.append([1, "Server rack", "8471500000", "USA", 2, 100, "=E2*F2"])
    ws.append([2, "Cable", "8544700000", "China", 3, 10, "=E3*F3"])
    ws["B3"].fill = openpyxl.styles.PatternFill("solid", start_color="00B0F0", end_color="00B0F0")
    ws.column_dimensions["H"].hidden = True  # a template hiding every column right of the table
    ws.column_dimensions["H"].min, ws.column_dimensions["H"].max = 8, 200
    other = wb.create_sheet("Notes")
    other["A1"] = "kept as it is"
    wb.save(source)
    before = digest(source)

    book, result = annotated(tmp_path, source)
    assert digest(source) == before
    ws = book["Invoice"]
    assert ws["G2"].value == "=E2*F2" and ws["G2"].data_type == "f"
    assert book["Notes"]["A1"].value == "kept as it is"
    assert book.sheetnames[:2] == ["Invoice", "Notes"] and book.sheetnames[2:] == ["Legend", "permitcli"]
    assert book.active.title == "Invoice"
    assert added_start(ws, 1) == 8  # right after the table, in the columns the template hid
    for letter in "HIJKL":
        assert not ws.column_dimensions[letter].hidden
    assert ws.column_dimensions["M"].hidden  # the rest of the hidden range stays hidden
    assert fill_of(ws["B3"]) == "00B0F0"  # a cell's own fill is kept
    assert fill_of(ws["B2"]) == STATUS_COLOUR[result.lines[0].status]


def test_a_cell_merged_over_several_rows_is_not_coloured(tmp_path):
    source = tmp_path / "marks.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Marks", "Description", "HS code", "Country of origin", "Qty"])
    ws.append(["N/M", "Server rack", "8471500000", "USA", 2])
    ws.append([None, "Cable", "8544700000", "China", 3])
    ws.append([None, None, None, None, None])
    ws.merge_cells("A2:A4")  # shipping marks for every line, and the empty row under them
    wb.save(source)
    book, result = annotated(tmp_path, source)
    ws = book.active
    assert fill_of(ws["A2"]) == ""
    assert fill_of(ws["B2"]) == STATUS_COLOUR[result.lines[0].status]


def test_a_line_a_permit_covers_has_its_colour_and_names_the_permit(tmp_path):
    import dataclasses

    from permitcli.model import Finding

    result = screened(EXAMPLES / "spec_ru.xlsx")
    first = result.lines[0]
    covered = first.replace(status=Status.COVERED, findings=first.findings + (
        Finding("covered-by-permit", "covered by permit KZ-T-2026-0142"),))
    result = dataclasses.replace(result, lines=(covered, *result.lines[1:]))
    target = tmp_path / "covered.xlsx"
    with target.open("wb") as fh:
        annotate(EXAMPLES / "spec_ru.xlsx", [SheetVerdicts(result)], fh, catalog=load_catalog())
    ws = openpyxl.load_workbook(target)[result.invoice.sheet]
    start = added_start(ws, result.invoice.header_row)
    assert ws.cell(row=first.row, column=start).value == label("covered", "en")
    assert fill_of(ws.cell(row=first.row, column=start)) == STATUS_COLOUR[Status.COVERED]
    assert "KZ-T-2026-0142" in ws.cell(row=first.row, column=start + len(ADDED) - 1).value


def test_invoice_text_never_becomes_a_formula(tmp_path):
    source = tmp_path / "evil.csv"
    source.write_text("Description;HS code;Country of origin;Qty\n"
                      "=HYPERLINK(\"http://x\");8471500000;=1+1;2\n"
                      "+cmd;84715000;@SUM(A1);1\n", encoding="utf-8")
    book, result = annotated(tmp_path, source)
    ws = book.worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+@"]
    assert {c.value for c in cells} >= {'=HYPERLINK("http://x")', "=1+1", "+cmd", "@SUM(A1)"}
    assert all(c.data_type == "s" for c in cells)
    findings = [ws.cell(row=line.row, column=added_start(ws, 1) + 4).value for line in result.lines]
    assert any("=1+1" in (text or "") for text in findings)  # the finding quotes it, as text


def test_skipped_rows_are_marked_with_their_reason(tmp_path):
    book, result = annotated(tmp_path, EXAMPLES / "spec_ru.xlsx", skipped={11: "a section caption", 25: "totals"})
    ws = book[result.invoice.sheet]
    start = added_start(ws, result.invoice.header_row)
    for row, why in ((11, "a section caption"), (25, "totals")):
        assert ws.cell(row=row, column=start).value == label("skipped", "en")
        assert ws.cell(row=row, column=start + len(ADDED) - 1).value == why
        assert fill_of(ws.cell(row=row, column=start)) == ""
    summary = [c.value for c in book["permitcli"]["B"]]
    assert "row 11: a section caption" in summary


def test_the_readers_accounting_becomes_the_rows_marked():
    accounting = {"rows": 19, "lines": 12, "skipped": {"caption": [[11, 11], [19, 19]], "column-numbers": [[10, 10]]},
                  "end": {"row": 25, "reason": "totals"}, "after_end": [[25, 27]]}
    assert skipped_rows(accounting, "en") == {
        10: "column numbers", 11: "caption or note (no quantity or amount)",
        19: "caption or note (no quantity or amount)", 25: "the table ends here: totals"}
    assert skipped_rows(accounting, "ru")[25] == "здесь таблица заканчивается: итоги"
    assert skipped_rows({"skipped": {"a-new-reason": [[3, 4]]}, "end": None}, "kk") == {3: "a-new-reason", 4: "a-new-reason"}
    assert skipped_rows(None) == {}


def test_cli_marks_the_rows_the_reader_skipped(tmp_path):
    out = tmp_path / "checked"
    run("check", EXAMPLES / "spec_ru.xlsx", "--annotate", out)
    ws = openpyxl.load_workbook(annotated_path(out, EXAMPLES / "spec_ru.xlsx"))["Спецификация"]
    start = added_start(ws, 8)
    marks = {row: (ws.cell(row=row, column=start).value, ws.cell(row=row, column=start + len(ADDED) - 1).value)
             for row in range(9, 30) if ws.cell(row=row, column=start).value == "row skipped"}
    assert marks == {10: ("row skipped", "column numbers"),
                     11: ("row skipped", "caption or note (no quantity or amount)"),
                     19: ("row skipped", "caption or note (no quantity or amount)"),
                     25: ("row skipped", "the table ends here: totals")}


def test_legend_and_summary_speak_the_run_language(tmp_path):
    book, result = annotated(tmp_path, EXAMPLES / "spec_ru.xlsx", lang="kk")
    assert book.sheetnames[-2:] == [label("sheet-legend", "kk"), "permitcli"]
    legend = [c.value for c in book[label("sheet-legend", "kk")]["A"]]
    for status in Status:
        assert label(status.value, "kk") in legend
    ws = book[result.invoice.sheet]
    start = next(c.column for c in ws[result.invoice.header_row] if c.value == label("status", "kk"))
    assert ws.cell(row=result.lines[0].row, column=start).value == label(result.lines[0].status.value, "kk")
    summary = book["permitcli"]
    values = {row[0].value: row[1].value for row in summary.iter_rows() if row[0].value}
    assert values[label("col-lines", "kk")] == len(result.lines)
    assert values[label("source-file", "kk")] == str(EXAMPLES / "spec_ru.xlsx")


def test_print_area_and_filter_reach_the_added_columns(tmp_path):
    source = tmp_path / "printed.xlsx"
    shutil.copy(EXAMPLES / "invoice_en.xlsx", source)
    wb = openpyxl.load_workbook(source)
    ws = wb["Invoice"]
    ws.print_area = "A1:H30"
    ws.auto_filter.ref = "A9:H16"
    wb.save(source)
    book, result = annotated(tmp_path, source)
    ws = book["Invoice"]
    start = added_start(ws, result.invoice.header_row)
    last = openpyxl.utils.get_column_letter(start + len(ADDED) - 1)
    assert ws.print_area.endswith(f"$A$1:${last}$30")
    assert ws.auto_filter.ref == f"A9:{last}16"


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_copy_checked_again_reads_the_same_lines(tmp_path, lang):
    source = EXAMPLES / "spec_ru.xlsx"
    result = screened(source, lang)
    target = tmp_path / "again.xlsx"
    with target.open("wb") as fh:
        annotate(source, [SheetVerdicts(result)], fh, catalog=load_catalog(), lang=lang)
    again = read_invoice(target, lang=lang)
    assert again.columns == result.invoice.columns  # no added heading is taken for an invoice column
    assert again.lines == read_invoice(source, lang=lang).lines


# --------------------------------------------------------------------------- other formats: the table as read


@pytest.mark.parametrize("source", [FIXTURES / "spec_ru.xls", FIXTURES / "spec_ru.ods", EXAMPLES / "export_1c.csv"])
def test_other_formats_become_the_table_as_read(tmp_path, source):
    book, result = annotated(tmp_path, source)
    ws = book.worksheets[0]
    assert ws.title == (result.invoice.sheet or source.stem)
    invoice = read_invoice(source)
    start = added_start(ws, result.invoice.header_row)
    letter = result.invoice.columns["description"]
    for read, line in zip(invoice.lines, result.lines):
        assert ws[f"{letter}{read.row}"].value == read.description  # the same rows as the original
        assert ws.cell(row=line.row, column=start).value == label(line.status.value, "en")
    notes = [c.value for c in book["permitcli"]["B"] if c.value]
    assert any(str(text).startswith("the table of the") for text in notes)


def test_a_workbook_named_as_another_format_is_read_by_its_content(tmp_path):
    source = tmp_path / "old.xlsx"
    shutil.copy(FIXTURES / "spec_ru.xls", source)  # an .xls saved under an .xlsx name
    book, result = annotated(tmp_path, source)
    ws = book[result.invoice.sheet]
    start = added_start(ws, result.invoice.header_row)
    assert [ws.cell(row=line.row, column=start).value for line in result.lines] == [
        label(line.status.value, "en") for line in result.lines]


# ---------------------------------------------------------------------------------------------------- CLI


def test_cli_writes_one_copy_per_invoice_and_leaves_the_originals(tmp_path):
    sources = [EXAMPLES / "spec_ru.xlsx", EXAMPLES / "export_1c.csv"]
    before = [digest(p) for p in sources]
    out = tmp_path / "checked"
    result = run("check", *sources, "--annotate", out, "--format", "json")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["export_1c.checked.xlsx", "spec_ru.checked.xlsx"]
    assert [digest(p) for p in sources] == before
    assert "annotated copies written to" in result.stderr


def test_cli_replaces_an_existing_copy_only_with_force(tmp_path):
    out = tmp_path / "checked"
    out.mkdir()
    target = annotated_path(out, EXAMPLES / "spec_ru.xlsx")
    target.write_bytes(b"an older copy")
    result = run("check", EXAMPLES / "spec_ru.xlsx", "--annotate", out)
    assert result.exit_code == 4
    assert "already exists; use --force" in result.stderr
    assert target.read_bytes() == b"an older copy"
    result = run("check", EXAMPLES / "spec_ru.xlsx", "--annotate", out, "--force")
    assert result.exit_code == 1
    assert openpyxl.load_workbook(target).sheetnames[-1] == "permitcli"


def test_cli_annotates_a_file_given_twice_once(tmp_path):
    out = tmp_path / "checked"
    source = EXAMPLES / "invoice_en.xlsx"
    result = run("check", source, EXAMPLES / "export_1c.csv", source, "--annotate", out)
    assert result.exit_code == 1, result.output
    ws = openpyxl.load_workbook(annotated_path(out, source))["Invoice"]
    assert [c.value for c in ws[9]].count("Status") == 1


def test_cli_refuses_two_invoices_that_would_share_a_copy(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(EXAMPLES / "spec_ru.xlsx", tmp_path / "a" / "x.xlsx")
    shutil.copy(EXAMPLES / "export_1c.csv", tmp_path / "b" / "x.csv")
    result = run("check", tmp_path / "a" / "x.xlsx", tmp_path / "b" / "x.csv", "--annotate", tmp_path / "out")
    assert result.exit_code == 2
    assert "would both be annotated as" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_unreadable_file_gets_no_copy_and_the_others_do(tmp_path):
    bad = tmp_path / "empty.xlsx"
    bad.write_bytes(b"")
    out = tmp_path / "checked"
    result = run("check", bad, EXAMPLES / "invoice_en.xlsx", "--annotate", out)
    assert result.exit_code == 3
    assert [p.name for p in out.iterdir()] == ["invoice_en.checked.xlsx"]


def test_cli_a_copy_that_cannot_be_made_is_said_and_the_others_are_made(tmp_path, monkeypatch):
    import permitcli.render.annotate as module

    real = module._open_copy

    def failing(source, sheets, lang):
        if source.name == "invoice_en.xlsx":
            raise ValueError("a workbook no library can copy")
        return real(source, sheets, lang)

    monkeypatch.setattr(module, "_open_copy", failing)
    out = tmp_path / "checked"
    result = run("check", EXAMPLES / "invoice_en.xlsx", EXAMPLES / "export_1c.csv", "--annotate", out)
    assert result.exit_code == 4
    assert "no annotated copy could be made of" in result.stderr and "a workbook no library can copy" in result.stderr
    assert [p.name for p in out.iterdir()] == ["export_1c.checked.xlsx"]


def test_cli_annotate_into_a_file_is_refused(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = run("check", EXAMPLES / "invoice_en.xlsx", "--annotate", not_a_folder)
    assert result.exit_code == 4
    assert "is not a folder" in result.stderr


# ------------------------------------------------------------------------------------------ the real corpus

CORPUS = next((folder / "shared" / "corpus" / "files" for folder in ROOT.parents  # ../shared, ../../shared…
               if (folder / "shared" / "corpus" / "files").is_dir()), Path("/nonexistent"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus is not beside the repository (../shared/corpus)")
def test_every_corpus_file_read_gets_its_verdicts(tmp_path):
    files = sorted(CORPUS.iterdir())
    out = tmp_path / "checked"
    result = run("check", *files, "--annotate", out, "--format", "json", "-o", tmp_path / "r.json")
    assert result.exit_code in (1, 3), result.output
    import json

    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in doc["files"]} | {e["path"] for e in doc["errors"]} == {str(f) for f in files}
    for entry in doc["files"]:
        copy = annotated_path(out, Path(entry["path"]))
        book = openpyxl.load_workbook(copy)
        ws = book[entry["sheet"]]  # every sheet read, under its own name
        if entry["header_row"]:
            start = added_start(ws, entry["header_row"])
        else:  # a table without a heading row (columns told from their cells): found by its first line's status
            first = entry["lines"][0]
            start = max(c.column for c in ws[first["row"]] if c.value == label(first["status"], "en"))
        for line in entry["lines"]:
            assert ws.cell(row=line["row"], column=start).value == label(line["status"], "en"), (copy, line["row"])
    for error in doc["errors"]:
        assert not annotated_path(out, Path(error["path"])).exists()
