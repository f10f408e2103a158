"""`check --permits`: lines a permit held covers, drawn in order within the run; the register is only read."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from permitcli.cli import app
from permitcli.clock import KZ_TIME
from permitcli.model import ScreenedLine, Status
from permitcli.permits.cover import Cover, cover_lines
from permitcli.permits.model import Permit, PermitRecord, Use
from permitcli.permits.store import Register

runner = CliRunner()
INVOICE = (
    "HS Code,Description,Country of origin,Quantity,Unit,Amount,Currency\n"
    "8471500000,Сервер Dell R650,CN,2,pcs,1000,USD\n"
    "8471500000,Сервер Dell R650,CN,1,шт,500,USD\n"
    "8471500000,Сервер Dell R650,CN,1,pcs,500,USD\n"
    "8807300000,Части самолёта,FR,12.5,kg,3200,USD\n"
    "8471500000,Сервер Dell R650,VN,1,pcs,500,USD\n"
)


def held(number: str, code: str = "8471500000", origin: str = "CN", quantity: str = "3", unit: str = "шт",
         unit_code: str = "796", committee: str = "telecom", destination: str = "RU", uses: tuple[Use, ...] = (),
         **extra: object) -> PermitRecord:
    permit = Permit(number=number, committee=committee, annex=2 if committee == "telecom" else 3, code=code,
                    origin=origin, quantity=Decimal(quantity), unit=unit, unit_code=unit_code,
                    issued=extra.pop("issued", date(2026, 3, 1)), destination=destination, **extra)  # type: ignore[arg-type]
    return PermitRecord(permit, uses)


def line(row: int, quantity: str, *, code: str = "8471500000", origin: str = "CN", unit: str = "pcs",
         destination: str | None = "RU", status: Status = Status.PERMIT_REQUIRED) -> ScreenedLine:
    return ScreenedLine(row=row, code=code, code_raw=code, description="", origin=origin, quantity=Decimal(quantity),
                        unit=unit, value=None, currency="", destination=destination, status=status, annex=2,
                        committee="telecom")


def test_lines_draw_in_order_and_the_one_that_finds_too_little_stays() -> None:
    records = [held("A", quantity="3")]
    out = cover_lines([line(1, "2"), line(2, "2"), line(3, "1")], records, date(2026, 4, 1))
    assert [(l.row, l.status.value) for l in out] == [(1, "covered"), (2, "permit-required"), (3, "covered")]
    assert out[0].permit == {"number": "A", "remaining": "1"} and out[2].permit == {"number": "A", "remaining": "0"}
    assert out[1].findings[-1].type == "permit-insufficient"
    assert out[1].findings[-1].message == "permit A has 1 шт left, the line needs 2 шт"
    assert records[0].remaining == 3  # the register's records are not drawn on


def test_what_must_match() -> None:
    cover = Cover.of([held("A", quantity="100")], date(2026, 4, 1))
    assert cover.line(line(1, "1")).status is Status.COVERED
    assert cover.line(line(2, "1", destination=None)).status is Status.COVERED  # destination assumed
    for other in (line(3, "1", origin="VN"), line(4, "1", code="8471500001"), line(5, "1", unit="кг"),
                  line(6, "1", destination="BY"), line(7, "1", status=Status.REFUSAL_RISK)):
        assert cover.line(other) == other


def test_only_active_permits_cover_and_the_first_to_expire_goes_first() -> None:
    today = date(2026, 4, 1)
    records = [
        held("spent", quantity="1", uses=(Use(1, "D", date(2026, 3, 2), Decimal(1)),)),
        held("ended", status="terminated", terminated_on=date(2026, 3, 15)),
        held("old", issued=date(2025, 3, 1)),
        held("future", issued=date(2026, 5, 1)),
        held("ok"),
    ]
    assert [h.number for h in Cover.of(records, today).holdings] == ["ok", "spent"]  # same expiry: by number
    out = Cover.of(records[:1], today).line(line(1, "1"))
    assert out.status is Status.PERMIT_REQUIRED
    assert out.findings[-1].message == "permit spent has 0 шт left, the line needs 1 шт"


def test_check_permits_end_to_end(tmp_path: Path) -> None:
    invoice = tmp_path / "invoice.csv"
    invoice.write_text(INVOICE, encoding="utf-8")
    db = tmp_path / "register.sqlite3"
    today = datetime.now(KZ_TIME).date()  # the day `check` judges permits by
    with Register.open(str(db)) as register:
        register.add(held("KZ-1", quantity="4", issued=today).permit)
        register.add(held("KZ-2", code="8807300000", origin="FR", quantity="20", unit="кг", unit_code="166",
                          committee="aviation", issued=today).permit)
        register.use("KZ-1", declaration="D", day=today, quantity=Decimal(1))
        before = register.export()
    result = runner.invoke(app, ["check", str(invoice), "--permits", "--db", str(db), "--format", "json",
                                 "--destination", "RU", "--fail-on", "permit"])
    doc = json.loads(result.stdout)
    lines = doc["files"][0]["lines"]
    assert [(l["row"], l["status"], l.get("permit")) for l in lines] == [
        (2, "covered", {"number": "KZ-1", "remaining": "1"}),
        (3, "covered", {"number": "KZ-1", "remaining": "0"}),
        (4, "permit-required", None),
        (5, "covered", {"number": "KZ-2", "remaining": "7.5"}),
        (6, "permit-required", None),
    ]
    assert doc["files"][0]["summary"]["by_status"]["covered"] == 3
    assert doc["files"][0]["summary"]["permits_by_committee"] == {"telecom": 2}  # rows 4 and 6: two origins
    assert result.exit_code == 1
    with Register.open(str(db)) as register:
        assert register.export() == before  # only read

    covered_only = tmp_path / "covered.csv"
    covered_only.write_text("\n".join(INVOICE.splitlines()[:3]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(covered_only), "--db", str(db), "--destination", "RU"])
    assert result.exit_code == 0, result.output  # KZ-1 has 3 left, rows 2 and 3 need 2 + 1: covered fails nothing
    result = runner.invoke(app, ["check", str(covered_only), "--destination", "RU"], env={"PERMITCLI_DB": str(db)})
    assert result.exit_code == 1  # without --permits nothing is covered


def test_check_permits_never_creates_a_register(tmp_path: Path) -> None:
    invoice = tmp_path / "invoice.csv"
    invoice.write_text(INVOICE, encoding="utf-8")
    result = runner.invoke(app, ["check", str(invoice), "--permits", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 5
    assert "there is none yet" in result.stderr
    assert not (tmp_path / "none.sqlite3").exists()
