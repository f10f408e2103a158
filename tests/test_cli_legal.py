"""The command line on what the order provides beyond the annexes: `rules` prints it all, `check` takes a final
destination, `draft` keeps field 2 inside the year of issue and the pilot and names the applicant."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from permitcli.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "draft"
FILED = "2026-11-20T10:00"
runner = CliRunner()


def run(*args: object, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


# --- rules: everything the act provides, with its point, in three languages and in JSON


@pytest.mark.parametrize("lang, expected", [
    ("en", ["rules p.7", "KEDEN", "order p.8", "State Revenue Committee", "rules p.12", "not even a technical one",
            "rules p.13", "rules p.14", "rules annex 4", "ж) a court decision", "rules p.15", "terminated",
            "rules annex 5", "reasoned refusal", "rules p.11.3", "personal data", "free of charge",
            "www.egov.kz", "www.elicense.kz", "1414"]),
    ("ru", ["п.7 правил", "КЕДЕН", "п.8 приказа", "Комитет", "п.12 правил", "технического характера",
            "п.13 правил", "п.14 правил", "прил. 4 к правилам", "ж) наличие решения суда", "п.15 правил",
            "прил. 5 к правилам", "Мотивированный отказ", "п.11.3 правил", "персональным данным", "бесплатной"]),
    ("kk", ["қағидалардың 7-т.", "КЕДЕН", "бұйрықтың 8-т.", "Мемлекеттік кірістер комитеті", "қағидалардың 12-т.",
            "техникалық сипаттағы", "қағидалардың 13-т.", "қағидалардың 14-т.", "қағидаларға 4-қосымша",
            "ж) сот шешімінің болуы", "қағидалардың 15-т.", "\"тоқтатылды\"", "қағидаларға 5-қосымша",
            "Дәлелді бас тарту", "қағидалардың 11.3-т.", "ақысыз"]),
])
def test_rules_prints_what_the_act_provides_beyond_the_tables(lang, expected):
    result = run("--lang", lang, "rules", env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert [text for text in expected if text not in flat] == []


def test_rules_json_carries_the_provisions_the_service_and_the_territories():
    doc = json.loads(run("rules", "--format", "json").stdout)
    provisions = {p["slug"]: p for p in doc["provisions"]}
    assert {"permit-delivery", "revenue-control", "no-amendments", "reapply-on-change", "termination",
            "terminated-status", "reasoned-refusal", "personal-data-consent"} <= set(provisions)
    assert provisions["no-amendments"]["point"] == "rules p.12"
    assert set(provisions["termination"]["text"]) == {"en", "ru", "kk"}
    assert [i["letter"] for i in provisions["termination"]["items"]] == list("абвгдеж")
    assert "тоқтатылды" in provisions["terminated-status"]["text"]["kk"]
    assert doc["service"]["portals"] == ["www.egov.kz", "www.elicense.kz"]
    assert doc["service"]["fee"]["en"].endswith("free of charge")
    assert doc["sanctioned_territories"]["PR"] == "US"
    assert {e["slug"]: e["requires"] for e in doc["exemptions"]}["ct-1"] == ["ct-1", "import-docs"]


# --- check: the final destination


def test_check_final_destination_option_and_column(tmp_path: Path):
    invoice = tmp_path / "transit.csv"
    invoice.write_text(
        "Код ТН ВЭД;Наименование;Страна происхождения;Кол-во;Ед.;Сумма;Валюта;Страна конечного назначения\n"
        "8471500000;Сервер;Китай;2;шт;1000;USD;Германия\n"
        "8471500000;Сервер;Китай;2;шт;1000;USD;\n",
        encoding="utf-8",
    )
    result = run("check", invoice, "--destination", "KG", "--format", "json")
    lines = json.loads(result.stdout)["files"][0]["lines"]
    assert [("transit-unsettled" in {f["type"] for f in line["findings"]}) for line in lines] == [True, False]
    result = run("check", invoice, "--destination", "KG", "--final-destination", "TR", "--format", "json")
    lines = json.loads(result.stdout)["files"][0]["lines"]
    assert all("transit-unsettled" in {f["type"] for f in line["findings"]} for line in lines)
    bad = run("check", invoice, "--final-destination", "Атлантида")
    assert bad.exit_code == 2 and "--final-destination" in bad.stderr


def test_check_evidence_option_takes_the_new_kinds(tmp_path: Path):
    invoice = tmp_path / "a.csv"
    invoice.write_text("Код ТН ВЭД;Страна происхождения;Кол-во;Ед.;Сумма\n8471500000;Россия;1;шт;10\n"
                       "8807300000;Китай;1;шт;10\n", encoding="utf-8")
    alone = json.loads(run("check", invoice, "--evidence", "ct-1", "--format", "json").stdout)
    assert [line["status"] for line in alone["files"][0]["lines"]] == ["permit-required", "refusal-risk"]
    both = json.loads(run("check", invoice, "--evidence", "ct-1,import-docs,operator-cert", "--format",
                          "json").stdout)
    assert [line["status"] for line in both["files"][0]["lines"]] == ["exempt", "permit-required"]


# --- draft: field 2, the applicant, the checklist


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    for name in ("invoice.csv", "shipment.toml", "profile.toml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return {name.split(".")[0]: tmp_path / name for name in ("invoice.csv", "shipment.toml", "profile.toml")} | {
        "out": tmp_path / "out"
    }


def draft(files: dict[str, Path], *extra: object, env: dict[str, str] | None = None):
    return run("draft", files["invoice"], "--shipment", files["shipment"], "--profile", files["profile"],
               "--out", files["out"], "--filed", FILED, *extra, env=env)


def test_a_contract_in_the_next_year_cannot_give_field_2_in_the_year_of_issue(files):
    result = draft(files, "--contract-date", "2027-01-15", "--format", "json")
    assert result.exit_code == 3
    assert "warning: field 2 would start on 2027-01-15, outside 2026" in result.stderr
    assert "rules p.10" in result.stderr
    assert not files["out"].exists()  # nothing written


def test_a_period_from_in_another_year_is_refused_too(files):
    result = draft(files, "--period-from", "2027-02-01")
    assert result.exit_code == 3 and "outside 2026" in result.stderr


def test_field_2_ends_with_the_pilot_when_the_pilot_ends_first(files):
    env = {"PERMITCLI_ORDER_IN_FORCE": "2025-12-15"}  # one year: the pilot's last day is 2026-12-15
    result = draft(files, "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert {(a["period"]["from"], a["period"]["to"]) for a in apps} == {("2026-11-27", "2026-12-15")}
    assert {a["fields"]["2"] for a in apps} == {"2026.27.11 – 2026.15.12"}


def test_a_period_after_the_pilot_is_refused(files):
    result = draft(files, env={"PERMITCLI_ORDER_IN_FORCE": "2025-11-01"})  # the pilot ends 2026-11-01
    assert result.exit_code == 3
    assert "after 2026-11-01" in result.stderr and "order p.11" in result.stderr


def test_the_client_named_in_the_shipment_is_the_applicant(files):
    shipment = files["shipment"].read_text(encoding="utf-8")
    files["shipment"].write_text(shipment + '\n[applicant]\nname = "ТОО «Клиент»"\nbin = "971240001315"\n'
                                            'address = "Алматы, ул. Абая, 1"\n', encoding="utf-8")
    result = draft(files, "--format", "json")
    assert result.exit_code == 0, result.stderr
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert {a["fields"]["5"] for a in apps} == {"ТОО «Клиент», БСН/БИН 971240001315, Алматы, ул. Абая, 1"}
    assert {a["applicant"]["source"] for a in apps} == {"shipment"}
    assert "applicant (field 5): ТОО «Клиент», BIN 971240001315, from the shipment" in result.stderr


def test_the_applicant_options_and_what_the_profile_case_says(files):
    result = draft(files, "--applicant", "ИП Ахметов", "--applicant-bin", "971240001315", "--applicant-address",
                   "Шымкент", "--format", "json")
    assert result.exit_code == 0, result.stderr
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    assert apps[0]["fields"]["5"].startswith("ИП Ахметов")
    partial = draft(files, "--applicant", "ИП Ахметов", "--force")
    assert partial.exit_code == 2 and "applicant.bin: missing" in partial.stderr
    own = draft(files, "--force", "--format", "json")
    assert "from the profile; the applicant must be the foreign-trade participant" in own.stderr
    assert {a["applicant"]["source"] for a in json.loads((files["out"] / "drafts.json").read_text(
        encoding="utf-8"))["applications"]} == {"profile"}


def test_the_workbook_says_who_the_applicant_is_and_lists_the_consent(files):
    result = draft(files, "--applicant", "ТОО «Клиент»", "--applicant-bin", "971240001315", "--applicant-address",
                   "Алматы")
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(files["out"] / "01-telecom-8471500000-CN.xlsx")
    form_text = " ".join(str(c) for row in book["Form 2"].iter_rows(values_only=True) for c in row if c)
    assert "сыртқы сауда қызметіне қатысушы" in form_text and "участник внешнеторговой деятельности" in form_text
    assert "действует от имени заявителя" in form_text
    docs = " ".join(str(c) for row in book["Documents"].iter_rows(values_only=True) for c in row if c)
    assert "Согласие на доступ к персональным данным (п.11.3 правил)" in docs


def test_kazakh_goods_document_3_says_there_was_no_import(files):
    text = files["invoice"].read_text(encoding="utf-8").replace(",CN,", ",KZ,")
    files["invoice"].write_text(text, encoding="utf-8")
    result = draft(files, "--format", "json")
    assert result.exit_code == 0, result.stderr
    apps = json.loads((files["out"] / "drafts.json").read_text(encoding="utf-8"))["applications"]
    kz = [a for a in apps if a["origin"] == "KZ"]
    assert kz, "the fixture has a line that becomes Kazakh"
    (doc3,) = [d for d in kz[0]["documents"] if d["number"] == 3]
    assert "товар не ввозился" in doc3["reference"] and "2.1" in doc3["reference"]


def test_a_shipment_file_with_half_an_applicant_is_a_config_error(files):
    shipment = files["shipment"].read_text(encoding="utf-8")
    files["shipment"].write_text(shipment + '\n[applicant]\nname = "ТОО «Клиент»"\n', encoding="utf-8")
    result = draft(files)
    assert result.exit_code == 5
    assert "applicant.bin: missing" in result.stderr and str(files["shipment"]) in result.stderr
