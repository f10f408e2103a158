"""`permitcli check` end to end: golden outputs for the shipped examples, formats, exit codes, bad input."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from permitcli.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "check"
EXAMPLES = ["spec_ru.xlsx", "invoice_en.xlsx", "export_1c.csv"]
UPDATE = os.environ.get("PERMITCLI_UPDATE_GOLDEN") == "1"

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)  # golden files hold paths as the README types them: examples/...


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with PERMITCLI_UPDATE_GOLDEN=1 once and review it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_match_their_golden_json(example):
    result = run("check", f"examples/{example}", "--format", "json")
    assert result.exit_code == 1  # every example has lines that need a permit
    golden(f"{example}.json", result.stdout)


def test_example_csv_matches_golden():
    result = run("check", "examples/export_1c.csv", "--format", "csv")
    golden("export_1c.csv.csv", result.stdout)


def test_json_document_shape():
    doc = json.loads(run("check", "examples/spec_ru.xlsx", "examples/export_1c.csv", "--format", "json").stdout)
    assert doc["schema"] == "permitcli.check/1" and doc["data_version"] and doc["errors"] == []
    assert [f["path"] for f in doc["files"]] == ["examples/spec_ru.xlsx", "examples/export_1c.csv"]
    required = {"row", "code", "code_raw", "description", "origin", "quantity", "unit", "value", "currency",
                "status", "annex", "entry", "committee", "documents", "findings"}
    for f in doc["files"]:
        assert {"path", "sheet", "header_row", "columns", "lines", "summary"} <= set(f)
        assert sum(f["summary"]["by_status"].values()) == len(f["lines"]) == f["summary"]["lines"]
        for line in f["lines"]:
            assert required <= set(line)
            assert line["code"] is None or (len(line["code"]) == 10 and line["code"].isdigit())
            assert all(set(x) == {"type", "message"} for x in line["findings"])


def test_ndjson_has_one_object_per_line_with_its_file():
    out = run("check", "examples/export_1c.csv", "examples/invoice_en.xlsx", "--format", "ndjson").stdout
    recs = [json.loads(l) for l in out.splitlines()]
    assert len(recs) == 8 + 6
    assert recs[0]["path"] == "examples/export_1c.csv" and recs[-1]["path"] == "examples/invoice_en.xlsx"
    assert recs[0]["row"] == 2 and recs[0]["status"] == "refusal-risk"


def test_table_lists_action_lines_and_all_lines_with_all():
    short = run("check", "examples/export_1c.csv").stdout
    full = run("check", "examples/export_1c.csv", "--all").stdout
    assert "refusal risk" in short and "not listed" not in short.split("Summary")[0]
    assert "not listed" in full.split("Summary")[0]
    assert "Summary: 8 lines" in short
    assert "6) Operator's certificate" in " ".join(short.split())  # the legend of the documents column


@pytest.mark.parametrize("fail_on, code", [("never", 0), ("refusal", 1), ("permit", 1), ("review", 1)])
def test_fail_on_moves_the_threshold(fail_on, code):
    assert run("check", "examples/export_1c.csv", "--fail-on", fail_on).exit_code == code


def write_csv(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


HEAD = ["Наименование товара", "Код ТН ВЭД", "Страна происхождения", "Кол-во", "Сумма"]


def test_fail_on_refusal_passes_a_file_with_only_permits(tmp_path):
    f = write_csv(tmp_path / "a.csv", [HEAD, ["Сервер", "8471500000", "Китай", "1", "10"]])
    assert run("check", f, "--fail-on", "refusal").exit_code == 0
    assert run("check", f, "--fail-on", "permit").exit_code == 1


def test_nothing_to_do_exits_0(tmp_path):
    f = write_csv(tmp_path / "a.csv", [HEAD, ["Ноутбук", "8471300000", "Китай", "1", "10"]])
    result = run("check", f)
    assert result.exit_code == 0 and "no line needs a permit or review" in result.stdout


def test_absent_unit_currency_and_destination_are_null_in_json(tmp_path):
    f = write_csv(tmp_path / "a.csv", [HEAD, ["Сервер", "8471500000", "Китай", "1", "10"]])
    (line,) = json.loads(run("check", f, "--format", "json").stdout)["files"][0]["lines"]
    assert (line["unit"], line["currency"], line["destination"]) == (None, None, None)
    (record,) = [json.loads(l) for l in run("check", f, "--format", "ndjson").stdout.splitlines()]
    assert (record["unit"], record["currency"], record["destination"]) == (None, None, None)
    row = next(csv.DictReader(io.StringIO(run("check", f, "--format", "csv").stdout)))
    assert (row["unit"], row["currency"], row["destination"]) == ("", "", "")  # CSV has no null: an empty cell
    given = write_csv(tmp_path / "b.csv", [HEAD + ["Ед.", "Валюта", "Страна назначения"],
                                           ["Сервер", "8471500000", "Китай", "1", "10", "шт", "USD", "Россия"]])
    (line,) = json.loads(run("check", given, "--format", "json").stdout)["files"][0]["lines"]
    assert (line["unit"], line["currency"], line["destination"]) == ("шт", "USD", "RU")


def test_destination_and_evidence_options(tmp_path):
    f = write_csv(tmp_path / "a.csv", [HEAD, ["Генератор", "8502204000", "Казахстан", "1", "10"]])
    assert run("check", f, "--destination", "Германия").exit_code == 0  # out of scope
    line = json.loads(run("check", f, "--evidence", "ct-kz", "--format", "json").stdout)["files"][0]["lines"][0]
    assert line["status"] == "exempt"
    assert run("check", f, "--evidence", "bogus").exit_code == 2
    assert run("check", f, "--destination", "Нарния").exit_code == 2


def test_columns_override(tmp_path):
    f = write_csv(tmp_path / "a.csv", [["a", "b", "c"], ["Сервер", "8471500000", "CN"]])
    result = run("check", f, "--columns", "description=A,code=B,origin=C", "--format", "json")
    line = json.loads(result.stdout)["files"][0]["lines"][0]
    assert (line["code"], line["origin"], line["status"]) == ("8471500000", "CN", "permit-required")
    bad = run("check", f, "--columns", "colour=A")
    assert bad.exit_code == 2 and "unknown field 'colour'" in bad.stderr


def test_one_unreadable_file_does_not_stop_the_others(tmp_path):
    good = write_csv(tmp_path / "good.csv", [HEAD, ["Сервер", "8471500000", "Китай", "1", "10"]])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run("check", broken, tmp_path / "missing.xlsx", good, "--format", "json")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert [f["path"] for f in doc["files"]] == [str(good)]
    assert [e["path"] for e in doc["errors"]] == [str(broken), str(tmp_path / "missing.xlsx")]
    errors = [l for l in result.stderr.splitlines() if l.startswith("permitcli: error:")]
    assert len(errors) == 2 and "Traceback" not in result.output


def test_directory_is_an_input_error(tmp_path):
    result = run("check", tmp_path)
    assert result.exit_code == 3 and result.stderr.count("\n") == 1


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "report.json"
    result = run("check", "examples/export_1c.csv", "--format", "json", "--output", out)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["files"][0]["summary"]["lines"] == 8
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind
    assert run("check", "examples/export_1c.csv", "--output", tmp_path).exit_code == 4


def test_csv_cells_never_start_a_formula(tmp_path):
    f = write_csv(tmp_path / "a.csv", [HEAD, ["=HYPERLINK(\"http://x\")", "8471500000", "Китай", "1", "10"],
                                       ["@SUM(A1)", "+8471500000", "-CN", "1", "10"]])
    out = run("check", f, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert rows[0]["description"] == "'=HYPERLINK(\"http://x\")"


def test_xlsx_with_a_title_block(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Спецификация № 1"])
    ws.append([])
    ws.append(["Наименование", "Код ТН ВЭД ЕАЭС", "Страна происхождения", "Кол-во", "Сумма"])
    ws.append(["Клапан", "8481 80 819 1", "США", 2, 100.5])
    wb.save(tmp_path / "s.xlsx")
    doc = json.loads(run("check", tmp_path / "s.xlsx", "--format", "json").stdout)
    f = doc["files"][0]
    assert f["header_row"] == 3
    line = f["lines"][0]
    assert (line["row"], line["code"], line["annex"], line["committee"], line["status"], line["value"]) == (
        4, "8481808191", 3, "aviation", "permit-required", "100.5")


def test_a_file_that_fails_part_way_keeps_its_lines_and_is_reported(tmp_path, monkeypatch):
    import permitcli.invoices as invoices
    from permitcli.errors import InputError

    f = write_csv(tmp_path / "a.csv", [HEAD, ["Сервер", "8471500000", "Китай", "1", "10"],
                                       ["Коммутатор", "8517620009", "Китай", "1", "10"]])
    real = invoices.InvoiceStream.lines

    def failing_lines(self):  # the real lines, then an error after the last one
        yield from real(self)
        raise InputError(f"{self.path}: the file changed while it was read")

    monkeypatch.setattr(invoices.InvoiceStream, "lines", failing_lines)
    result = run("check", f, "--format", "json")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    (entry,) = doc["files"]
    assert [l["row"] for l in entry["lines"]] == [2, 3]
    assert entry["error"].endswith("the file changed while it was read")
    assert doc["errors"] == [{"path": str(f), "message": entry["error"]}]
    assert result.stderr.count("permitcli: error:") == 1


def test_sheet_by_name_even_when_the_name_is_a_number(tmp_path):
    wb = Workbook()
    wb.active.title = "0"
    wb.active.append(["нет"])
    data = wb.create_sheet("2025")
    data.append(["Наименование", "Код ТН ВЭД", "Страна происхождения", "Кол-во"])
    data.append(["Клапан", "8481808191", "Китай", 1])
    wb.save(tmp_path / "s.xlsx")
    for sheet in ("2025", "1"):
        doc = json.loads(run("check", tmp_path / "s.xlsx", "--sheet", sheet, "--format", "json").stdout)
        assert doc["files"][0]["sheet"] == "2025" and doc["files"][0]["lines"][0]["annex"] == 3
    missing = run("check", tmp_path / "s.xlsx", "--sheet", "7")
    assert missing.exit_code == 3
    assert "no sheet named '7' and no sheet number 7 (counting from 0: 0 to 1); sheets: '0', '2025'" in missing.stderr


def test_several_files_end_with_totals():
    result = run("check", "examples/export_1c.csv", "examples/invoice_en.xlsx", "missing.csv")
    assert result.exit_code == 3
    text = " ".join(result.stdout.split())
    assert "All files: 3 files (unreadable 1), 14 lines — permit required 6, refusal risk 3, not listed 5" in text
    single = " ".join(run("check", "examples/export_1c.csv").stdout.split())
    assert "All files" not in single

_CELLS = st.one_of(
    st.sampled_from(["8471500000", "8481 80 819 1", "8529 10", "", "Итого", "Китай", "США", "=1+1", "1 000,50",
                     "Код ТН ВЭД", "Страна происхождения", "Наименование", "Кол-во", "ct-kz", "RU", "Грузия"]),
    st.text(max_size=12),
    st.integers(min_value=-10, max_value=10**11).map(str),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELLS, min_size=1, max_size=7), max_size=12), fmt=st.sampled_from(["json", "csv", "table"]))
def test_any_csv_ends_with_a_documented_exit_code_and_never_a_traceback(tmp_path, rows, fmt):
    path = tmp_path / "fuzz.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([HEAD, *rows])
    result = run("check", path, "--format", fmt)
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if fmt == "json":
        json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_reader_that_stops_early_ends_the_run_quietly(fmt):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "permitcli", "check", "examples/spec_ru.xlsx", "--all",
                             "--format", fmt], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first byte (`| head -0`)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr
