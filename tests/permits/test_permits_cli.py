"""`permitcli permits` through the command line: from a draft to the report, refusals, register errors."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from permitcli.cli import app

DRAFT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "draft"
runner = CliRunner()


def run(*args: object, env: dict[str, str] | None = None, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], env={"PERMITCLI_DB": "", **(env or {})}, input=input)


def one_error(result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("permitcli: error: "), result.stderr
    return lines[0]


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    """drafts.json and the draft workbooks of the draft fixture's invoice (two applications)."""
    for name in ("invoice.csv", "shipment.toml", "profile.toml"):
        shutil.copy(DRAFT_FIXTURES / name, tmp_path / name)
    common = ("draft", tmp_path / "invoice.csv", "--shipment", tmp_path / "shipment.toml", "--profile",
              tmp_path / "profile.toml", "--period-from", "2026-12-01")
    for out, fmt in (("json", "json"), ("xlsx", "xlsx")):
        result = run(*common, "--out", tmp_path / out, "--format", fmt)
        assert result.exit_code == 0, result.stderr
    return tmp_path


def test_from_draft_to_report(drafts: Path, register_url: str, tmp_path: Path) -> None:
    db = ("--db", register_url)
    result = run("permits", "add", "--from-draft", drafts / "json" / "drafts.json", "--number", "KZ-2026-0001",
                 "--issued", "2026-12-08", *db)
    one_error(result, 2)  # two applications: which one?
    assert "choose one with --application N" in result.stderr
    result = run("permits", "add", "--from-draft", drafts / "json" / "drafts.json", "--application", "1",
                 "--number", "KZ-2026-0001", "--issued", "2026-12-08", "--by", "Айгерім", *db)
    assert result.exit_code == 0, result.stderr
    (workbook,) = sorted((drafts / "xlsx").glob("02-*.xlsx"))
    result = run("permits", "add", "--from-draft", workbook, "--number", "KZ-2026-0002", "--issued", "2026-12-09", *db)
    assert result.exit_code == 0, result.stderr

    shown = json.loads(run("permits", "show", "KZ-2026-0001", "--format", "json", "--as-of", "2026-12-10", *db).stdout)
    assert {k: shown[k] for k in ("committee", "code", "origin", "quantity", "unit", "value", "currency",
                                  "destination", "contract_number", "contract_date", "applicant_bin",
                                  "source_rows", "valid_until", "report_due", "status")} == {
        "committee": "telecom", "code": "8471500000", "origin": "CN", "quantity": "3", "unit": "шт",
        "value": "1500", "currency": "USD", "destination": "RU", "contract_number": "KZ-2026/15",
        "contract_date": "2026-10-01", "applicant_bin": "123456789013", "source_rows": [2, 3],
        "valid_until": "2026-12-31", "report_due": "2027-01-15", "status": "active"}
    assert shown["goods"] == "Сервер Dell R650"
    second = json.loads(run("permits", "show", "KZ-2026-0002", "--format", "json", *db).stdout)
    assert {k: second[k] for k in ("committee", "code", "origin", "quantity", "unit", "source_rows",
                                   "border_crossing")} == {
        "committee": "aviation", "code": "8807300000", "origin": "FR", "quantity": "12.5", "unit": "кг",
        "source_rows": [4], "border_crossing": "Жайсан (автомобильный)"}

    for declaration, day, quantity in (("50508/101226/0000001", "2026-12-10", "2"),
                                       ("50508/151226/0000002", "2026-12-15", "1")):
        result = run("permits", "use", "KZ-2026-0001", "--declaration", declaration, "--date", day,
                     "--quantity", quantity, "--value", "500", *db)
        assert result.exit_code == 0, result.stderr
    result = run("permits", "use", "KZ-2026-0001", "--declaration", "X", "--date", "2026-12-16", "--quantity", "1",
                 *db)
    assert "0 шт that remain" in one_error(result, 3)

    result = run("permits", "report", "KZ-2026-0001", "--format", "json", "--as-of", "2027-01-02", *db)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == "permitcli.permits-report/1"
    (entry,) = report["permits"]
    assert {k: entry[k] for k in ("number", "committee", "code", "quantity", "used", "remaining", "report_due",
                                  "status")} == {
        "number": "KZ-2026-0001", "committee": "telecom", "code": "8471500000", "quantity": "3", "used": "3",
        "remaining": "0", "report_due": "2027-01-15", "status": "expired"}
    assert [(u["declaration"], u["date"], u["quantity"], u["value"]) for u in entry["uses"]] == [
        ("50508/101226/0000001", "2026-12-10", "2", "500"), ("50508/151226/0000002", "2026-12-15", "1", "500")]

    result = run("permits", "report", "--year", "2026", "--out", tmp_path / "reports", *db)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["report-KZ-2026-0001.xlsx",
                                                                         "report-KZ-2026-0002.xlsx"]
    sheet = openpyxl.load_workbook(tmp_path / "reports" / "report-KZ-2026-0001.xlsx").active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Пайдаланылған саны", "Использовано", "3"] in cells
    assert ["Есеп беру мерзімі", "Срок представления отчёта", "2027-01-15"] in cells
    assert [1, "50508/101226/0000001", "2026-12-10", "2", "500"] in cells
    result = run("permits", "report", "--year", "2026", "--out", tmp_path / "reports", *db)
    assert "already exists" in one_error(result, 4)


def test_refusals_are_one_line_and_write_nothing(register_url: str) -> None:
    db = ("--db", register_url)
    add = ("permits", "add", "--number", "P-1", "--issued", "2026-03-02", "--code", "8517 62 000 9", "--origin",
           "Китай", "--quantity", "10", "--unit", "pcs", *db)
    assert run(*add).exit_code == 0
    assert "already in the register" in one_error(run(*add), 3)
    use = ("permits", "use", "P-1", "--declaration", "D", *db)
    refusals = [
        (("--date", "2026-03-03", "--quantity", "11"), "10 шт that remain"),
        (("--date", "2026-03-03", "--quantity", "1", "--unit", "кг"), "a use must be in that unit"),
        (("--date", "2026-03-01", "--quantity", "1"), "before its issue date"),
        (("--date", "2027-01-01", "--quantity", "1"), "after it expired on 2026-12-31"),
    ]
    for extra, message in refusals:
        assert message in one_error(run(*use, *extra), 3)
    assert "not in the register" in one_error(run("permits", "use", "P-2", "--declaration", "D", "--date",
                                                  "2026-03-03", "--quantity", "1", *db), 3)
    assert run(*use, "--date", "2026-03-03", "--quantity", "1", "--unit", "шт.").exit_code == 0
    assert run("permits", "terminate", "P-1", "--ground", "zh", "--date", "2026-04-01", *db).exit_code == 0
    assert "terminated on 2026-04-01" in one_error(run(*use, "--date", "2026-03-05", "--quantity", "1"), 3)
    shown = json.loads(run("permits", "show", "P-1", "--format", "json", *db).stdout)
    assert (shown["used"], shown["termination_ground"], [h["action"] for h in shown["history"]]) == (
        "1", "ж", ["add", "use", "terminate"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("use", "P-1", "--declaration", "D", "--date", "3 March", "--quantity", "1"), "is not a date"),
        (("use", "P-1", "--declaration", "D", "--date", "2026-03-03", "--quantity", "-1"), "must be a number above 0"),
        (("use", "P-1", "--date", "2026-03-03"), "missing --declaration, --quantity"),
        (("use", "P-1", "--reverse", "1", "--quantity", "1"), "--reverse: takes only"),
        (("terminate", "P-1", "--ground", "з", "--date", "2026-03-03"), "no ground of rules p.14"),
        (("add", "--number", "P-2", "--issued", "2026-03-02", "--code", "0101210000", "--origin", "CN",
          "--quantity", "1", "--unit", "шт"), "in no annex"),
        (("add", "--number", "P-2", "--issued", "2026-03-02", "--code", "8517620009", "--origin", "CN"),
         "--quantity: the quantity permitted is required"),
        (("list", "--expiring", "-1"), "give 0 or more"),
        (("report",), "--out DIR is required"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run("permits", *args, "--db", tmp_path / "r.sqlite3")
    assert message in one_error(result, 2)


def test_list_filters_and_formats(tmp_path: Path) -> None:
    db = ("--db", tmp_path / "r.sqlite3")
    for number, issued, code in (("A", "2026-03-02", "8517620009"), ("B", "2026-03-02", "8471500000"),
                                 ("C", "2025-06-01", "8517620009")):
        result = run("permits", "add", "--number", number, "--issued", issued, "--code", code, "--origin", "CN",
                     "--quantity", "5", "--unit", "шт", *db)
        assert result.exit_code == 0, result.stderr
    run("permits", "use", "B", "--declaration", "D", "--date", "2026-03-03", "--quantity", "5", *db)

    def numbers(*extra: str) -> list[str]:
        result = run("permits", "list", "--format", "json", *extra, *db)
        assert result.exit_code == 0, result.stderr
        return [p["number"] for p in json.loads(result.stdout)]

    assert numbers("--as-of", "2026-03-10") == ["C", "A", "B"]
    assert numbers("--as-of", "2026-03-10", "--active") == ["A"]
    assert numbers("--as-of", "2026-12-01", "--expiring", "30") == ["A"]
    assert numbers("--as-of", "2026-12-01", "--expiring", "29") == []
    assert numbers("--as-of", "2026-01-05", "--report-due", "10") == ["C"]  # due 2026-01-15
    assert numbers("--as-of", "2026-03-10", "--code", "8517 62 000 9") == ["C", "A"]
    result = run("permits", "list", "--format", "csv", "--as-of", "2026-03-10", *db)
    assert result.stdout.splitlines()[0] == ("number,committee,code,origin,quantity,used,remaining,unit,issued,"
                                             "valid_until,report_due,status")
    assert "B,telecom,8471500000,CN,5,5,0,шт,2026-03-02,2026-12-31,2027-01-15,exhausted" in result.stdout


def test_export_import_through_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    run("permits", "add", "--number", "A", "--issued", "2026-03-02", "--code", "8517620009", "--origin", "CN",
        "--quantity", "5", "--unit", "шт", "--db", first)
    run("permits", "use", "A", "--declaration", "D", "--date", "2026-03-03", "--quantity", "2", "--db", first)
    assert run("permits", "export", "-o", tmp_path / "export.json", "--db", first).exit_code == 0
    result = run("permits", "import", tmp_path / "export.json", "--db", second)
    assert result.exit_code == 0, result.stderr
    assert "1 permit(s), 1 use(s), 2 history entries" in result.stderr
    shown = json.loads(run("permits", "show", "A", "--format", "json", "--db", second).stdout)
    assert shown["remaining"] == "3"
    assert "not empty" in one_error(run("permits", "import", tmp_path / "export.json", "--db", second), 3)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert "not JSON" in one_error(run("permits", "import", tmp_path / "bad.json", "--db", second), 3)


# ------------------------------------------------------------------------------------------- the database


def test_default_register_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    result = run("permits", "db", "upgrade", env=env)
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "data" / "permitcli" / "permits.sqlite3"
    assert f"register {path}: upgraded to schema 0001" in result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    result = run("permits", "db", "upgrade", env=env)
    assert "already at schema 0001" in result.stderr
    result = run("permits", "list", "--format", "json", env={**env, "PERMITCLI_DB": str(tmp_path / "env.sqlite3")})
    assert result.exit_code == 0 and (tmp_path / "env.sqlite3").exists()


def test_a_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"this is no database, only some text " * 100)
    before = path.read_bytes()
    message = one_error(run("permits", "list", "--db", path), 5)
    assert "not a permitcli register or a corrupt file" in message
    assert path.read_bytes() == before


def test_a_newer_register_is_refused_untouched(register_url: str) -> None:
    assert run("permits", "db", "upgrade", "--db", register_url).exit_code == 0
    import sqlalchemy as sa

    from permitcli.permits.database import create_engine, resolve

    engine = create_engine(resolve(register_url))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for args in (("list",), ("db", "upgrade")):
        message = one_error(run("permits", *args, "--db", register_url), 5)
        assert "schema (revision 9999) is newer than this permitcli knows" in message
    engine = create_engine(resolve(register_url))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


def test_an_unreachable_server_never_shows_the_password() -> None:
    url = "postgresql://broker:s3cr%21t-pass@127.0.0.1:1/register"
    result = run("permits", "list", "--db", url)
    message = one_error(result, 5)
    assert message.startswith("permitcli: error: register postgresql://broker:***@127.0.0.1:1/register: ")
    for text in (result.stdout, result.stderr):
        assert "s3cr" not in text and "pass" not in text.replace("password", "")
    result = run("permits", "list", env={"PERMITCLI_DB": url})
    assert "s3cr" not in result.stderr and result.exit_code == 5


def test_a_wrong_password_is_one_line_without_it(pg_server) -> None:
    with pg_server.admin() as conn:
        conn.execute("DROP ROLE IF EXISTS clerk")
        conn.execute("CREATE ROLE clerk LOGIN PASSWORD 'right-one'")
    url = f"postgresql://clerk:wrong-one@127.0.0.1:{pg_server.port}/postgres"
    result = run("permits", "list", "--db", url)
    message = one_error(result, 5)
    assert message == (f"permitcli: error: register postgresql://clerk:***@127.0.0.1:{pg_server.port}/postgres: "
                       f"the server refused the user name or password")
    assert "wrong-one" not in result.stderr + result.stdout
    good = run("permits", "list", "--format", "json", "--db", url.replace("wrong-one", "right-one"))
    assert "permission denied" in one_error(good, 5)  # in, but clerk may not create the register's tables


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://u:pw@host/db", "--db: mysql is not supported"),
    ("sqlite://", "a SQLite register needs a file"),
])
def test_unsupported_urls_are_usage_errors(url: str, message: str) -> None:
    result = run("permits", "list", "--db", url)
    assert message in one_error(result, 2)
    assert "pw@" not in result.stderr


def test_a_missing_folder_is_a_register_error(tmp_path: Path) -> None:
    message = one_error(run("permits", "list", "--db", tmp_path / "no" / "such" / "r.sqlite3"), 5)
    assert "no such folder" in message


def test_the_by_option_and_the_os_user_are_recorded(tmp_path: Path) -> None:
    db = ("--db", tmp_path / "r.sqlite3")
    run("permits", "add", "--number", "A", "--issued", "2026-03-02", "--code", "8517620009", "--origin", "CN",
        "--quantity", "5", "--unit", "шт", "--by", "Ержан", *db)
    result = run("permits", "use", "A", "--declaration", "D", "--date", "2026-03-03", "--quantity", "2", *db,
                 env={"USER": "clerk-on-duty", "LOGNAME": "clerk-on-duty"})
    assert result.exit_code == 0, result.stderr
    history = json.loads(run("permits", "show", "A", "--format", "json", *db).stdout)["history"]
    assert [(h["action"], h["by"]) for h in history] == [("add", "Ержан"), ("use", "clerk-on-duty")]
    assert os.environ.get("USER") != "clerk-on-duty"


def test_a_password_given_as_a_query_parameter_is_hidden_too() -> None:
    result = run("permits", "list", "--db", "postgresql://broker@127.0.0.1:1/register?password=qq-secret")
    one_error(result, 5)
    assert "qq-secret" not in result.stderr + result.stdout


def test_a_locked_file_is_one_line_and_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    from permitcli.permits import database

    db = tmp_path / "r.sqlite3"
    run("permits", "add", "--number", "A", "--issued", "2026-03-02", "--code", "8517620009", "--origin", "CN",
        "--quantity", "5", "--unit", "шт", "--db", db)
    monkeypatch.setattr(database, "SQLITE_BUSY_SECONDS", 0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        result = run("permits", "use", "A", "--declaration", "D", "--date", "2026-03-03", "--quantity", "1", "--db", db)
        assert one_error(result, 5) == f"permitcli: error: register {db}: locked by another program; try again"
    finally:
        other.execute("ROLLBACK")
        other.close()
    shown = json.loads(run("permits", "show", "A", "--format", "json", "--db", db).stdout)
    assert (shown["used"], [h["action"] for h in shown["history"]]) == ("0", ["add"])


def test_json_report_into_a_folder(tmp_path: Path) -> None:
    db = ("--db", tmp_path / "r.sqlite3")
    run("permits", "add", "--number", "A", "--issued", "2026-03-02", "--code", "8517620009", "--origin", "CN",
        "--quantity", "5", "--unit", "шт", *db)
    result = run("permits", "report", "--format", "json", "--out", tmp_path / "out", "--as-of", "2026-03-03", *db)
    assert result.exit_code == 0, result.stderr
    doc = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [(p["number"], p["remaining"], p["status"]) for p in doc["permits"]] == [("A", "5", "active")]
    again = run("permits", "report", "--format", "json", "--out", tmp_path / "out", *db)
    assert "already exists" in one_error(again, 4)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert "not a folder" in one_error(run("permits", "report", "--out", tmp_path / "file", *db), 4)


def test_what_is_not_a_draft(drafts: Path, tmp_path: Path) -> None:
    db = ("--db", tmp_path / "r.sqlite3")
    add = ("permits", "add", "--number", "A", "--issued", "2026-12-08", *db)
    message = one_error(run(*add, "--from-draft", drafts / "xlsx" / "index.xlsx"), 3)
    assert "not one application's draft" in message
    (tmp_path / "other.json").write_text('{"schema": "permitcli.check/1"}', encoding="utf-8")
    assert "not a draft" in one_error(run(*add, "--from-draft", tmp_path / "other.json"), 3)
    assert "no such file" in one_error(run(*add, "--from-draft", tmp_path / "none.json"), 3)
    assert "has no application 7" in one_error(run(*add, "--from-draft", drafts / "json" / "drafts.json",
                                                   "--application", "7"), 2)
    result = run(*add, "--from-draft", drafts / "json" / "drafts.json", "--application", "2", "--quantity", "10")
    assert result.exit_code == 0, result.stderr  # an option overrides the draft
    result = run("--lang", "ru", "permits", "terminate", "A", "--ground", "в", "--date", "2026-12-09", *db)
    assert result.stderr.strip() == ("permitcli: permit A: terminated on 2026-12-09, ground в) выявление "
                                     "недостоверных сведений в документах")
    shown = run("permits", "show", "A", *db, env={"COLUMNS": "200"})  # wide enough for any line
    assert "2026-12-09, в) false information is found in the documents" in shown.stdout
    assert json.loads(run("permits", "show", "A", "--format", "json", *db).stdout)["quantity"] == "10"
