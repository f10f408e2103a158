"""The register on both engines (SQLite and a real PostgreSQL server): every write, every refusal, the history,
export and import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from permitcli.errors import ExitCode, InputError, RefusedError
from permitcli.permits.model import Permit
from permitcli.permits.store import Register


def permit(number: str = "KZ-2026-0001", quantity: str = "60", **extra: object) -> Permit:
    values: dict[str, object] = {"number": number, "committee": "telecom", "annex": 2, "code": "8517620009", "origin": "CN",
                                     "quantity": Decimal(quantity), "unit": "шт", "unit_code": "796", "issued": date(2026, 3, 2),
                                     "value": Decimal("7443.50"), "currency": "USD", "destination": "RU", "source_rows": (3, 4)}
    values.update(extra)
    return Permit(**values)  # type: ignore[arg-type]


@pytest.fixture
def register(register_url: str):
    with Register.open(register_url) as reg:
        yield reg


def test_a_permit_is_kept_whole(register: Register) -> None:
    register.add(permit(goods="Коммутатор «Huawei»", buyer="ООО «Ветер»", contract_number="KZ-2026/15",
                        contract_date=date(2026, 1, 10), border_crossing="Жайсан", applicant_bin="123456789013"),
                 by="Айгерім")
    record = register.get("KZ-2026-0001")
    p = record.permit
    assert (p.code, p.origin, p.quantity, p.unit, p.value, p.source_rows) == (
        "8517620009", "CN", Decimal("60"), "шт", Decimal("7443.5"), (3, 4))
    assert (p.goods, p.buyer, p.contract_date, p.valid_until, p.report_due) == (
        "Коммутатор «Huawei»", "ООО «Ветер»", date(2026, 1, 10), date(2026, 12, 31), date(2027, 1, 15))
    assert record.remaining == 60 and record.uses == ()
    (entry,) = register.history("KZ-2026-0001")
    assert (entry.action, entry.by, entry.detail["quantity"]) == ("add", "Айгерім", "60")


def test_a_duplicate_number_is_refused(register: Register) -> None:
    register.add(permit())
    with pytest.raises(RefusedError, match="already in the register") as caught:
        register.add(permit(code="8471500000"))
    assert caught.value.exit_code == ExitCode.INPUT
    assert [r.permit.code for r in register.records()] == ["8517620009"]


def test_uses_draw_down_and_a_reversal_gives_back(register: Register) -> None:
    register.add(permit())
    first = register.use("KZ-2026-0001", declaration="50508/020326/0000001", day=date(2026, 3, 3),
                         quantity=Decimal("12.5"), value=Decimal("1000"), by="broker")
    register.use("KZ-2026-0001", declaration="50508/050326/0000002", day=date(2026, 3, 5), quantity=Decimal(7))
    assert register.get("KZ-2026-0001").remaining == Decimal("40.5")
    back = register.reverse("KZ-2026-0001", first.id)
    assert (back.quantity, back.value, back.reverses) == (Decimal("-12.5"), Decimal("-1000"), first.id)
    record = register.get("KZ-2026-0001")
    assert record.remaining == 53 and len(record.uses) == 3  # nothing deleted
    assert [h.action for h in register.history("KZ-2026-0001")] == ["add", "use", "use", "reverse"]
    with pytest.raises(RefusedError, match="reversed already"):
        register.reverse("KZ-2026-0001", first.id)
    with pytest.raises(RefusedError, match="itself a reversal"):
        register.reverse("KZ-2026-0001", back.id)
    with pytest.raises(RefusedError, match="has no use 99"):
        register.reverse("KZ-2026-0001", 99)


@pytest.mark.parametrize(
    ("quantity", "day", "unit", "message"),
    [
        ("60.001", date(2026, 3, 3), None, "more than the 60 шт that remain"),
        ("1", date(2026, 3, 1), None, "before its issue date 2026-03-02"),
        ("1", date(2027, 1, 1), None, "after it expired on 2026-12-31"),
        ("1", date(2026, 3, 3), "166", "issued in шт; a use must be in that unit"),
    ],
)
def test_refused_draws_write_nothing(register: Register, quantity: str, day: date, unit: str | None,
                                     message: str) -> None:
    register.add(permit())
    with pytest.raises(RefusedError, match=message):
        register.use("KZ-2026-0001", declaration="D", day=day, quantity=Decimal(quantity), unit_code=unit)
    assert register.get("KZ-2026-0001").uses == ()
    assert [h.action for h in register.history()] == ["add"]


def test_the_whole_remainder_can_be_drawn_and_no_more(register: Register) -> None:
    register.add(permit(quantity="2"))
    register.use("KZ-2026-0001", declaration="D1", day=date(2026, 4, 1), quantity=Decimal(2))
    with pytest.raises(RefusedError, match="0 шт that remain"):
        register.use("KZ-2026-0001", declaration="D2", day=date(2026, 4, 1), quantity=Decimal("0.001"))
    assert register.get("KZ-2026-0001").state(date(2026, 4, 2)) == "exhausted"


def test_unknown_and_terminated_permits_are_refused(register: Register) -> None:
    with pytest.raises(RefusedError, match="KZ-9: not in the register"):
        register.use("KZ-9", declaration="D", day=date(2026, 3, 3), quantity=Decimal(1))
    register.add(permit())
    register.use("KZ-2026-0001", declaration="D1", day=date(2026, 5, 1), quantity=Decimal(1))
    with pytest.raises(RefusedError, match="use 1 of 2026-05-01 is after 2026-04-30"):
        register.terminate("KZ-2026-0001", ground="а", day=date(2026, 4, 30))
    terminated = register.terminate("KZ-2026-0001", ground="г", day=date(2026, 6, 1), by="lead")
    assert terminated.report_due == date(2026, 6, 16)  # 15 days after it ended, not after 31 December
    with pytest.raises(RefusedError, match="terminated on 2026-06-01"):
        register.use("KZ-2026-0001", declaration="D2", day=date(2026, 5, 2), quantity=Decimal(1))
    with pytest.raises(RefusedError, match="terminated already"):
        register.terminate("KZ-2026-0001", ground="а", day=date(2026, 6, 2))
    record = register.get("KZ-2026-0001")
    assert (record.permit.status, record.permit.termination_ground, record.state(date(2026, 6, 2))) == (
        "terminated", "г", "terminated")
    assert register.history("KZ-2026-0001")[-1].detail == {"date": "2026-06-01", "ground": "г"}


def test_uses_and_history_cannot_be_changed_in_the_database(register: Register) -> None:
    register.add(permit())
    register.use("KZ-2026-0001", declaration="D1", day=date(2026, 5, 1), quantity=Decimal(1))
    for statement in ("UPDATE history SET by = 'someone else'", "DELETE FROM history",
                      "UPDATE uses SET quantity = '0'", "DELETE FROM uses"):
        with pytest.raises(sa.exc.DBAPIError, match="can only be added to"):
            with register.engine.begin() as conn:
                conn.execute(sa.text(statement))
    assert len(register.history()) == 2 and register.get("KZ-2026-0001").used == 1


def test_active_permits(register: Register) -> None:
    register.add(permit("A"))
    register.add(permit("B", quantity="1"))
    register.add(permit("C", issued=date(2025, 12, 1)))
    register.add(permit("D"))
    register.use("B", declaration="D1", day=date(2026, 5, 1), quantity=Decimal(1))
    register.terminate("D", ground="а", day=date(2026, 5, 1))
    assert [r.permit.number for r in register.active(date(2026, 5, 2))] == ["A"]
    assert [r.permit.number for r in register.active(date(2025, 12, 15))] == ["C"]  # the others are not issued yet


def test_export_and_import_move_a_register_between_engines(register: Register, tmp_path, request) -> None:
    register.add(permit("A", goods="Сервер «Dell»\nR650"))
    register.add(permit("B", quantity="3.25", value=None, currency=""))
    use = register.use("A", declaration="D1", day=date(2026, 5, 1), quantity=Decimal("0.5"), value=Decimal("12.30"))
    register.reverse("A", use.id)
    register.terminate("B", ground="ж", day=date(2026, 7, 1))
    exported = register.export()
    other_engine = "postgresql" if register.location.dialect == "sqlite" else "sqlite"
    if other_engine == "postgresql":
        target = request.getfixturevalue("pg_server").new_database()
    else:
        target = str(tmp_path / "other.sqlite3")
    with Register.open(target) as other:
        counts = other.import_(exported, source="export.json", by="mover")
        assert counts == {"permits": 2, "uses": 2, "history": 5}
        again = other.export()
        assert {k: again[k] for k in ("permits", "uses")} == {k: exported[k] for k in ("permits", "uses")}
        assert again["history"][:-1] == exported["history"]
        assert again["history"][-1]["action"] == "import"
        assert other.get("A").remaining == 60 and other.get("B").permit.status == "terminated"
        nxt = other.use("A", declaration="D2", day=date(2026, 5, 2), quantity=Decimal(1))
        assert nxt.id == 3  # ids go on after the imported ones
        with pytest.raises(RefusedError, match="not empty"):
            other.import_(exported)


def test_import_refuses_what_is_not_an_export(register: Register) -> None:
    with pytest.raises(InputError, match="not a permitcli register export"):
        register.import_({"schema": "something/1"})
    bad = {"schema": "permitcli.permits-export/1", "permits": [{"number": "A", "issued": "tomorrow"}]}
    with pytest.raises(InputError, match="'committee' is missing"):
        register.import_(bad)
    assert register.records() == []
