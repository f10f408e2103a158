"""The register's rules without a database: draw-down checks, reversals, states, grounds, the report's files."""

from __future__ import annotations

import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permitcli.errors import ExitCode, RefusedError, UsageError
from permitcli.permits.model import (
    Permit,
    PermitRecord,
    Use,
    check_draw,
    format_decimal,
    ground_of,
    parse_quantity,
    termination_grounds,
)
from permitcli.permits.report import file_names

ROOT = Path(__file__).resolve().parents[2]
SEED_NAME = "000_e78d6a70b867193b.txt"


def record(quantity: str = "10", uses: tuple[Use, ...] = (), **extra: object) -> PermitRecord:
    values: dict[str, object] = {"number": "P", "committee": "aviation", "annex": 3, "code": "8807300000", "origin": "FR",
                                     "quantity": Decimal(quantity), "unit": "кг", "unit_code": "166", "issued": date(2026, 2, 1)}
    values.update(extra)
    return PermitRecord(Permit(**values), uses)  # type: ignore[arg-type]


def test_a_permit_runs_to_the_end_of_its_year_and_is_reported_on_15_days_later() -> None:
    p = record().permit
    assert (p.valid_until, p.report_due) == (date(2026, 12, 31), date(2027, 1, 15))
    ended = record(status="terminated", terminated_on=date(2026, 5, 20)).permit
    assert (ended.ends, ended.report_due) == (date(2026, 5, 20), date(2026, 6, 4))


def test_states() -> None:
    uses = (Use(1, "D", date(2026, 3, 1), Decimal(10)),)
    assert record().state(date(2026, 3, 1)) == "active"
    assert record(uses=uses).state(date(2026, 3, 1)) == "exhausted"
    assert record().state(date(2027, 1, 1)) == "expired"
    assert record(status="terminated", terminated_on=date(2026, 3, 1)).state(date(2026, 3, 1)) == "terminated"


@given(st.lists(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(5), places=3), max_size=12),
       st.decimals(min_value=Decimal("0.001"), max_value=Decimal(20), places=3))
def test_a_draw_passes_exactly_when_enough_remains(drawn: list[Decimal], ask: Decimal) -> None:
    uses = tuple(Use(i, "D", date(2026, 3, 1), q) for i, q in enumerate(drawn, start=1))
    rec = record("20", uses)
    if ask <= rec.remaining:
        check_draw(rec, ask, date(2026, 3, 2))
    else:
        with pytest.raises(RefusedError) as caught:
            check_draw(rec, ask, date(2026, 3, 2))
        assert caught.value.exit_code == ExitCode.INPUT


def test_draw_checks_the_unit_by_its_code_and_the_dates() -> None:
    check_draw(record(), Decimal(1), date(2026, 2, 1), "166")
    check_draw(record(), Decimal(1), date(2026, 12, 31))
    for args, message in (((date(2026, 3, 1), "796"), "issued in кг"), ((date(2026, 1, 31), None), "before"),
                          ((date(2027, 1, 1), None), "expired")):
        with pytest.raises(RefusedError, match=message):
            check_draw(record(), Decimal(1), *args)


@pytest.mark.parametrize(("text", "value"), [("12.5", "12.5"), ("12,5", "12.5"), (" 1 000 ", "1000"), ("3", "3")])
def test_quantities_as_typed(text: str, value: str) -> None:
    assert parse_quantity(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "0", "-1", "abc", "NaN", "Infinity", "1,000.5"])
def test_bad_quantities(text: str) -> None:
    with pytest.raises(UsageError):
        parse_quantity(text)


def test_format_decimal() -> None:
    assert [format_decimal(Decimal(t)) for t in ("1E+3", "12.500", "0.000", "-5")] == ["1000", "12.5", "0", "-5"]


def test_grounds_by_cyrillic_or_latin_letter() -> None:
    assert [g.letter for g in termination_grounds()] == list("абвгдеж")
    assert ground_of("ж").slug == ground_of("zh").slug == ground_of("ж)").slug == "court-decision"
    assert ground_of("А").letter == "а"
    with pytest.raises(UsageError, match="no ground"):
        ground_of("з")


def test_grounds_are_the_orders_words() -> None:
    env = os.environ.get("PERMITCLI_SEED")
    candidates = ([Path(env)] if env else []) + [folder / "shared" / "seeds" / SEED_NAME for folder in ROOT.parents]
    seed = next((p for p in candidates if p.is_file()), None)
    if seed is None:
        pytest.skip("seed text not found")
    text = " ".join(seed.read_text(encoding="utf-8").split())
    point14 = text[text.index("14. Рұқсаттың қолданылуын тоқтату"):text.index("15. Рұқсаттың қолданылуы")]
    for ground in termination_grounds():
        assert f"{ground.letter}) {ground.text['kk']}" in point14


def test_report_file_names_stay_in_the_folder() -> None:
    records = [record(number=n) for n in ("KZ-1", "../../etc/passwd", "KZ 1", "KZ_1", "№ 5/2026")]
    names = file_names(records)
    assert names[0] == "report-KZ-1.xlsx"
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"report-[A-Za-z0-9._-]+\.xlsx", n) and "/" not in n and ".." not in n for n in names)


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
def test_the_term_is_the_clocks(issued: date) -> None:
    from permitcli import clock

    p = record(issued=issued).permit
    assert (p.valid_until, p.report_due) == (clock.valid_until(issued), clock.report_due(issued))


def test_the_time_zone_is_the_clocks() -> None:
    from permitcli import clock
    from permitcli.permits.model import KZ_TIME

    assert KZ_TIME == clock.KZ_TIME
