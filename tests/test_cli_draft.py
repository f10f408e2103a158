"""`permitcli profile`, `draft` and `deadlines` through the command line: files, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from permitcli.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "draft"
FILED = "2026-11-20T10:00"  # the drafts are counted from this filing moment, not from the day the tests run
runner = CliRunner()


def run(*args: object, env: dict[str, str] | None = None, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env, input=input)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    for name in ("invoice.csv", "shipment.toml", "profile.toml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return {name.split(".")[0]: tmp_path / name for name in ("invoice.csv", "shipment.toml", "profile.toml")} | {
        "out": tmp_path / "out"
    }


def draft(files: dict[str, Path], *extra: object, invoice: Path | None = None):
    return run("draft", invoice or files["invoice"], "--shipment", files["shipment"], "--profile", files["profile"],
               "--out", files["out"], "--period-from", "2026-12-01", "--filed", FILED, *extra)


# ---------------------------------------------------------------------------------------------------- profile


def test_profile_path_uses_the_user_config_folder(tmp_path: Path) -> None:
    result = run("profile", "path", env={"XDG_CONFIG_HOME": str(tmp_path), "PERMITCLI_PROFILE": ""})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "permitcli" / "profile.toml")
    result = run("profile", "path", "--profile", tmp_path / "other.toml")
    assert result.stdout.strip() == str(tmp_path / "other.toml")


def test_profile_init_set_show(tmp_path: Path) -> None:
    path = tmp_path / "p" / "profile.toml"
    result = run("profile", "init", "--profile", path, "--name", "ИП Ахметов", "--bin", "971240001315",
                 "--address", "Алматы", "--full-name", "Ахметов Ерлан", "--position", "ИП", "--phone", "87271234567")
    assert result.exit_code == 0, result.output
    assert path.exists()
    result = run("profile", "set", "applicant.address", "Астана, пр. Мәңгілік Ел, 8", "--profile", path)
    assert result.exit_code == 0, result.output
    result = run("profile", "show", "--profile", path, "--format", "json")
    assert result.exit_code == 0, result.output
    values = json.loads(result.stdout)["values"]
    assert values["applicant.address"] == "Астана, пр. Мәңгілік Ел, 8"
    assert values["applicant.bin"] == "971240001315"
    result = run("profile", "show", "--profile", path)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["applicant.name", "=", "ИП", "Ахметов"]
    assert len({line.index("=") for line in lines}) == 1  # values line up
    # init again: refused without --force, the file untouched
    before = path.read_bytes()
    result = run("profile", "init", "--profile", path, "--name", "x", "--bin", "971240001315", "--address", "x",
                 "--full-name", "x", "--position", "x", "--phone", "87271234567")
    assert result.exit_code == 4
    assert "already exists" in result.stderr
    assert path.read_bytes() == before


def test_profile_init_asks_for_missing_values(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    answers = "ТОО «Тест»\n123456789013\nАстана\nИванов Иван\nдиректор\n+7 701 000 00 00\n"
    result = run("profile", "init", "--profile", path, input=answers)
    assert result.exit_code == 0, result.output
    assert 'bin = "123456789013"' in path.read_text(encoding="utf-8")


def test_profile_errors_name_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    result = run("profile", "show", "--profile", path)
    assert result.exit_code == 5
    assert result.stderr.strip() == (f"permitcli: error: {path}: no applicant profile there; "
                                     "create it with: permitcli profile init")
    result = run("profile", "set", "applicant.bin", "123456789012", "--profile", path)
    assert result.exit_code == 2  # a value typed in is a usage error; one read from a file is exit 5
    assert result.stderr.startswith("permitcli: error: profile set: applicant.bin: wrong control digit")
    assert len(result.stderr.strip().splitlines()) == 1
    assert run("profile", "set", "applicant.iin", "1", "--profile", path).exit_code == 2
    assert not path.exists()
    result = run("profile", "set", "applicant.name", "ТОО «Тест»", "--profile", path)
    assert result.exit_code == 0
    result = run("profile", "show", "--profile", path)  # partial: shows what is there, then the missing key
    assert result.exit_code == 5
    assert "applicant.name" in result.stdout
    assert "applicant.bin: missing; set it with: permitcli profile set applicant.bin VALUE" in result.stderr


# ------------------------------------------------------------------------------------------------------ draft


def test_draft_json_matches_the_golden_file(files: dict[str, Path]) -> None:
    result = draft(files, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(files["out"] / "drafts.json")
    if os.environ.get("PERMITCLI_UPDATE_GOLDEN") == "1":  # rewrite the golden file, then review the diff
        shutil.copyfile(files["out"] / "drafts.json", FIXTURES / "invoice-drafts.json")
    produced = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))
    assert produced == json.loads((FIXTURES / "invoice-drafts.json").read_text(encoding="utf-8"))
    assert "2 application(s) drafted; left out: refusal-risk 1, not-listed 1" in result.stderr
    assert "decision is due by" in result.stderr


def test_draft_xlsx_workbooks(files: dict[str, Path]) -> None:
    result = draft(files)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in files["out"].iterdir())
    assert names == ["01-telecom-8471500000-CN.xlsx", "02-aviation-8807300000-FR.xlsx", "index.xlsx"]
    form = openpyxl.load_workbook(files["out"] / "02-aviation-8807300000-FR.xlsx")["Form 2"]
    cells = {form.cell(r, 1).value: form.cell(r, 4).value for r in range(6, 30)
             if isinstance(form.cell(r, 1).value, int)}
    assert cells[3] == "ЭКСПОРТ"
    assert cells[12] == "FR — Франция"
    assert cells[13] == "12.5"
    assert cells[14] == "кг"
    assert cells[15] == "8807 30 000 0 — Части самолёта"
    labels = [form.cell(r, 2).value for r in range(6, 40)]
    after_18 = labels[labels.index("электрондық цифрлық қолтаңба") + 1]
    assert after_18 == "Күні"  # field 18: the signature and, under it, its date
    index = list(openpyxl.load_workbook(files["out"] / "index.xlsx")["Өтініштер – Заявления"].iter_rows(values_only=True))
    assert [row[1] for row in index[1:]] == ["01-telecom-8471500000-CN.xlsx", "02-aviation-8807300000-FR.xlsx"]


def test_draft_never_overwrites_without_force(files: dict[str, Path]) -> None:
    assert draft(files).exit_code == 0
    stamp = (files["out"] / "index.xlsx").read_bytes()
    result = draft(files)
    assert result.exit_code == 4
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert (files["out"] / "index.xlsx").read_bytes() == stamp
    assert draft(files, "--force").exit_code == 0


def test_draft_with_refusal_risk_on_request(files: dict[str, Path]) -> None:
    result = draft(files, "--format", "json", "--include-refusal-risk")
    assert result.exit_code == 0, result.output
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert [(a["origin"], a["refusal_risk"]) for a in apps] == [("CN", False), ("US", True), ("FR", False)]
    assert "permitcli: row 5: refusal risk" in result.stderr


def test_review_lines_stop_the_run_unless_skipped(files: dict[str, Path]) -> None:
    text = files["invoice"].read_text(encoding="utf-8") + "84715,Неизвестно,CN,1,pcs,10,USD\n"
    files["invoice"].write_text(text, encoding="utf-8")
    result = draft(files, "--format", "json")
    assert result.exit_code == 3
    assert "row 7: 84715" in result.stderr
    assert "invoice.csv: row 7 needs review; fix it, or leave it out with --skip-review" in result.stderr
    assert not files["out"].exists()
    result = draft(files, "--format", "json", "--skip-review")
    assert result.exit_code == 0, result.output
    doc = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))
    assert doc["review_rows"] == [7] and len(doc["applications"]) == 2


def test_line_without_quantity_stops_the_run(files: dict[str, Path]) -> None:
    text = files["invoice"].read_text(encoding="utf-8") + "8471500000,Сервер,VN,,pcs,10,USD\n"
    files["invoice"].write_text(text, encoding="utf-8")
    result = draft(files, "--format", "json")
    assert result.exit_code == 3
    assert "row 7: no quantity (field 13)" in result.stderr


def test_draft_takes_the_unit_from_the_quantity_heading(files: dict[str, Path]) -> None:
    invoice = files["invoice"].with_name("sets.csv")
    invoice.write_text('HS Code,Description,Country of origin,"Q-ty, Sets",Amount,Currency\n'
                       "8471500000,Сервер,CN,2,1000,USD\n8471500000,Сервер,CN,1,500,USD\n", encoding="utf-8")
    result = draft(files, "--format", "json", invoice=invoice)
    assert result.exit_code == 0, result.output
    (app_,) = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert (app_["unit"], app_["quantity"], app_["fields"]["14"]) == ("компл", "3", "компл")
    checked = json.loads(run("check", invoice, "--format", "json").stdout)["files"][0]["lines"]
    assert [line["unit"] for line in checked] == ["Sets", "Sets"]  # as the heading writes it


def test_draft_unit_option_fills_lines_without_a_unit(files: dict[str, Path]) -> None:
    invoice = files["invoice"].with_name("bare.csv")
    invoice.write_text("HS Code,Description,Country of origin,Quantity,Amount,Currency\n"
                       "8471500000,Сервер,CN,2,1000,USD\n", encoding="utf-8")
    result = draft(files, "--format", "json", invoice=invoice)
    assert result.exit_code == 3 and not files["out"].exists()
    assert "  row 2: no unit of measure (field 14; draft --unit gives one)" in result.stderr.splitlines()
    assert "bare.csv: row 2 needs a permit but cannot fill a form; fix it" in result.stderr
    result = draft(files, "--format", "json", "--unit", "шт", invoice=invoice)
    assert result.exit_code == 0, result.output
    (app_,) = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert app_["unit"] == "шт"
    result = draft(files, "--format", "json", "--unit", "kg", "--force")  # the invoice's own units stand
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert result.exit_code == 0 and [a["unit"] for a in apps] == ["шт", "кг"]
    assert draft(files, "--unit", " ", "--force").exit_code == 2


def test_shipment_keys_as_options(files: dict[str, Path]) -> None:
    result = run("draft", files["invoice"], "--profile", files["profile"], "--out", files["out"], "-f", "json",
                 "--contract-number", "KZ-2026/16", "--contract-date", "2026-11-01", "--currency", "USD",
                 "--buyer-name", "ОсОО «Ала-Тоо»", "--buyer-address", "Бишкек", "--buyer-country", "KG",
                 "--destination", "KG", "--border-crossing", "Қордай", "--period-from", "2026-12-01")
    assert result.exit_code == 0, result.output
    app1 = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"][0]
    assert app1["fields"]["4"] == "01.11.2026 № KZ-2026/16"
    assert app1["fields"]["7"] == "KG — Қырғызстан / Киргизия"
    assert app1["fields"]["11"] == "1500.00"  # USD contract, no rate: the value itself
    assert app1["fields"]["16"] == "Өткізу пункті / Пункт пропуска: Қордай"


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (lambda f: f["profile"].unlink(), 5, "no applicant profile there"),
        (lambda f: f["profile"].write_text('[applicant]\nname = "x"\n', encoding="utf-8"), 5,
         "applicant.bin: missing"),
        (lambda f: f["shipment"].write_text("[contract\n", encoding="utf-8"), 5, "shipment.toml: not valid TOML"),
        (lambda f: f["shipment"].write_text(
            (FIXTURES / "shipment.toml").read_text(encoding="utf-8").replace('"USD"', '"US"'), encoding="utf-8"),
         5, "shipment.toml: contract.currency: 'US' is not an ISO 4217 three-letter"),
        (lambda f: f["invoice"].unlink(), 3, "invoice.csv"),
        (lambda f: f["invoice"].write_bytes(b"\x00\x01\x02garbage"), 3, "invoice.csv"),
    ],
)
def test_bad_inputs_stop_with_one_line(files: dict[str, Path], change, code: int, message: str) -> None:
    change(files)
    result = draft(files, "--format", "json")
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stderr.count("permitcli: error:") == 1
    assert not files["out"].exists()


def test_bad_period_from_is_a_usage_error(files: dict[str, Path]) -> None:
    result = draft(files, "--period-from", "1 Dec")
    assert result.exit_code == 2
    assert "--period-from" in result.stderr


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--destination", "XX", "--destination: 'XX' is not an ISO 3166-1 two-letter country code"),
    ("--contract-date", "2026-13-45", "--contract-date: must be a date"),
    ("--currency", "dollars", "--currency: 'dollars' is not an ISO 4217 three-letter currency code"),
])
def test_a_bad_shipment_option_is_a_usage_error(files: dict[str, Path], option: str, value: str, message: str) -> None:
    result = draft(files, option, value)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"permitcli: error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not files["out"].exists()


def test_nothing_to_draft(files: dict[str, Path]) -> None:
    files["invoice"].write_text("HS Code,Description,Country of origin,Quantity,Unit,Amount,Currency\n"
                                "0101210000,Лошади,KZ,1,pcs,100,USD\n", encoding="utf-8")
    result = draft(files)
    assert result.exit_code == 0, result.output
    assert "no line needs a drafted application (left out: not-listed 1)" in result.stderr
    assert not files["out"].exists()


# -------------------------------------------------------------------------------------------------- deadlines


def test_deadlines_json_for_the_issue_example() -> None:
    result = run("deadlines", "--filed", "2026-11-30T10:00", "--issued", "2026-12-07", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["received"] == "2026-11-30"
    assert doc["registration_due"] == "2026-12-01"
    assert doc["review_due"] == "2026-12-03"
    assert doc["decision_due"] == "2026-12-07"
    assert doc["valid_until"] == "2026-12-31"
    assert doc["report_due"] == "2027-01-15"


def test_deadlines_table_names_the_holidays_in_between() -> None:
    result = run("deadlines", "--filed", "2026-12-11 18:00")
    assert result.exit_code == 0, result.output
    assert "2026-12-22 Tue" in result.stdout
    assert "2026-12-16 Independence Day" in result.stdout
    ru = run("--lang", "ru", "deadlines", "--filed", "2026-12-11 18:00")
    assert "Решение до" in ru.stdout


def test_deadlines_with_user_days() -> None:
    result = run("deadlines", "--filed", "2026-11-30T10:00", "--day-off", "2026-12-01", "--working-day", "2026-12-05",
                 "-f", "json")
    assert json.loads(result.stdout)["decision_due"] == "2026-12-07"
    assert json.loads(result.stdout)["registration_due"] == "2026-12-02"


def test_deadlines_with_an_offset_and_a_bare_date() -> None:
    doc = json.loads(run("deadlines", "--filed", "2026-11-30T12:30:00+00:00", "-f", "json").stdout)
    assert doc["received"] == "2026-12-01"  # 17:30 in Kazakhstan
    doc = json.loads(run("deadlines", "--filed", "2026-12-16", "-f", "json").stdout)
    assert doc["received"] == "2026-12-17"


@pytest.mark.parametrize("args", [("--filed", "30.11.2026"), ("--issued", "2026-13-01"), ("--day-off", "x")])
def test_deadlines_bad_dates(args: tuple[str, str]) -> None:
    result = run("deadlines", *args)
    assert result.exit_code == 2
    assert args[0] in result.stderr


def test_deadlines_warn_when_the_decision_falls_after_the_pilot(monkeypatch) -> None:
    monkeypatch.setenv("PERMITCLI_ORDER_PUBLISHED", "2025-11-28")  # in force 2025-12-09 .. 2026-12-09
    result = runner.invoke(app, ["deadlines", "--filed", "2026-12-04T10:00", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["pilot_ends"] == "2026-12-09"
    assert "warning: the pilot order is in force until 2026-12-09" in result.stderr
    early = runner.invoke(app, ["deadlines", "--filed", "2026-11-30T10:00", "--format", "json"])
    assert "warning" not in early.stderr
    monkeypatch.setenv("PERMITCLI_ORDER_PUBLISHED", "yesterday")
    bad = runner.invoke(app, ["deadlines"])
    assert bad.exit_code == 5 and "PERMITCLI_ORDER_PUBLISHED" in bad.stderr


def test_the_readme_draft_command_on_the_shipped_examples(tmp_path: Path, monkeypatch) -> None:
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["draft", "examples/export_1c.csv", "--shipment", "examples/shipment.toml",
                                 "--profile", "examples/profile.toml", "--out", str(tmp_path / "drafts")])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "drafts").iterdir())
    assert names == ["01-telecom-8517620009-CN.xlsx", "02-aviation-8529101100-TW.xlsx",
                     "03-aviation-8807300000-RU.xlsx", "index.xlsx"]
    assert "left out: refusal-risk 2, not-listed 3" in result.stderr


def test_deadlines_speak_the_language_and_say_what_is_unknown(monkeypatch) -> None:
    monkeypatch.delenv("PERMITCLI_ORDER_PUBLISHED", raising=False)
    monkeypatch.delenv("PERMITCLI_ORDER_IN_FORCE", raising=False)
    args = ["deadlines", "--filed", "2026-12-29 16:00", "--issued", "2027-01-08"]
    en = runner.invoke(app, args).stdout
    assert "2027-01-08 Fri" in en and "2027-01-07 Orthodox Christmas" in en
    assert "moves to: 2028-01-17 Mon" in " ".join(en.split())  # 15 January 2028 is a Saturday
    assert "unknown: the order's text does not give its publication date" in " ".join(en.split())
    ru = runner.invoke(app, ["--lang", "ru", *args]).stdout
    assert "2027-01-08 Пт" in ru and "2027-01-01 Новый год" in ru and "Fri" not in ru
    kk = runner.invoke(app, ["--lang", "kk", *args]).stdout
    assert "2027-01-08 Жм" in kk and "Жаңа жыл" in kk and "New Year" not in kk


def test_a_draft_run_writes_all_its_files_or_none(files: dict[str, Path]) -> None:
    (files["out"] / "02-aviation-8807300000-FR.xlsx").mkdir(parents=True)  # a folder where a draft must go
    result = draft(files, "--force")
    assert result.exit_code == 4 and "is a folder" in result.stderr
    assert sorted(p.name for p in files["out"].iterdir()) == ["02-aviation-8807300000-FR.xlsx"]  # nothing else


def test_the_folder_always_matches_its_index(files: dict[str, Path]) -> None:
    files["out"].mkdir()
    (files["out"] / "07-industry-8502204000-KZ.xlsx").write_bytes(b"an earlier run's draft")
    (files["out"] / "notes.txt").write_text("the broker's own file")
    refused = draft(files)
    assert refused.exit_code == 4 and "holds drafts of another run" in refused.stderr
    assert draft(files, "--force").exit_code == 0
    names = sorted(p.name for p in files["out"].iterdir())
    assert names == ["01-telecom-8471500000-CN.xlsx", "02-aviation-8807300000-FR.xlsx", "index.xlsx", "notes.txt"]


def test_draft_warns_of_what_the_form_will_lack(files: dict[str, Path]) -> None:
    early = draft(files, "--period-from", "2026-01-01")
    assert early.exit_code == 0
    assert "warning: field 2 starts on 2026-01-01, before the decision on the application is due (2026-11-27)" in early.stderr
    for name in ("invoice", "shipment"):
        text = files[name].read_text(encoding="utf-8").replace("USD", "EUR")
        files[name].write_text(text.replace("statistical_value_rate = 1.0\n", ""), encoding="utf-8")
    euros = draft(files, "--force", "--format", "json")
    assert euros.exit_code == 0, euros.stderr
    assert "field 11 (statistical value in USD) is left empty: the contract is in EUR" in euros.stderr
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert all(a["fields"]["11"] == "" for a in apps)
