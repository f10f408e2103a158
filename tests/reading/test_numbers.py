"""Numbers as brokers type them, and what a file's number cells say of its commas."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from workbooks import HEADING, xlsx

from permitcli.invoices import parse_number, read_invoice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", Decimal("1000")),
        ("1 000,50", Decimal("1000.50")),
        ("1\u00a0000,50", Decimal("1000.50")),
        ("1\u202f000,50", Decimal("1000.50")),
        ("1,000.50", Decimal("1000.50")),
        ("1.000,50", Decimal("1000.50")),
        ("1,000,000", Decimal("1000000")),
        ("1.000.000", Decimal("1000000")),
        ("12,5", Decimal("12.5")),
        ("-5", Decimal("-5")),
        ("\u22123,5", Decimal("-3.5")),
        (".5", Decimal("0.5")),
        ("$12.00", Decimal("12.00")),
        ("12 USD", Decimal("12")),
        ("  7 ", Decimal("7")),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "12,5 шт", "1.2.3", "12,34,5", "1,000.5.5", "1e5", "--5", "5-", "2 5", "USD"]
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


@given(
    st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["plain", "ru", "ru-nbsp", "en", "de"]),
    st.booleans(),
)
def test_parse_number_round_trips(value: Decimal, style: str, negative: bool) -> None:
    value = -value if negative else value
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    text = {
        "plain": f"{sign}{whole}.{frac}",
        "ru": f"{sign}{_group(whole, ' ')},{frac}",
        "ru-nbsp": f"{sign}{_group(whole, chr(0xA0))},{frac}",
        "en": f"{sign}{_group(whole, ',')}.{frac}",
        "de": f"{sign}{_group(whole, '.')},{frac}",
    }[style]
    assert parse_number(text) == value


def test_unreadable_number_keeps_the_line(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "text_qty.xlsx",
        [["Код ТН ВЭД", "Наименование", "Количество"], ["8471500000", "Сервер", "около 5"]],
    )
    line = read_invoice(path).lines[0]
    assert line.quantity is None
    assert [n.type for n in line.notes] == ["unreadable-number"]
    assert "'около 5'" in line.notes[0].message and "C2" in line.notes[0].message


@pytest.mark.parametrize(("others", "expected", "said"), [
    (["1,234.50"], Decimal("1500"), False),  # the file groups thousands with commas
    (["12,5"], Decimal("1.500"), False),  # the file writes decimal commas
    ([], Decimal("1.500"), True),  # nothing tells: a decimal comma, and the line says so
])
def test_a_comma_before_three_digits_is_read_as_the_file_writes_numbers(
    tmp_path: Path, others: list[str], expected: Decimal, said: bool
) -> None:
    rows = [HEADING[:3] + ["Кол-во", "Сумма"], [1, "Сервер", "8471500000", "1,500", "10"]]
    rows += [[i + 2, "Кабель", "8544429007", "1", value] for i, value in enumerate(others)]
    inv = read_invoice(xlsx(tmp_path / "n.xlsx", rows))
    first = inv.lines[0]
    assert first.quantity == expected
    ambiguous = [n for n in first.notes if n.type == "number-ambiguous"]
    assert bool(ambiguous) is said
    if said:
        assert ambiguous[0].message.startswith("D2: '1,500' is read as 1.500 (a decimal comma)")


def test_a_comma_separated_file_groups_thousands_with_commas(tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    path.write_text('HS Code,Description,Qty,Amount\n8471500000,Server,"1,200","4,500"\n', encoding="utf-8")
    (line,) = read_invoice(path).lines
    assert (line.quantity, line.value, line.notes) == (Decimal("1200"), Decimal("4500"), ())
    semicolons = tmp_path / "ru.csv"
    semicolons.write_text("Код ТН ВЭД;Наименование;Кол-во\n8471500000;Сервер;1,200\n", encoding="utf-8")
    (line,) = read_invoice(semicolons).lines
    assert line.quantity == Decimal("1.200") and [n.type for n in line.notes] == ["number-ambiguous"]


@pytest.mark.parametrize(("values", "expected"), [
    (["$1,234.50", "$1,500"], [Decimal("1234.50"), Decimal("1500")]),  # a sign does not hide the file's style
    (["1.234,50", "1.500"], [Decimal("1234.50"), Decimal("1500")]),  # dots group thousands where commas are decimal
])
def test_the_file_s_number_style_reaches_every_number(tmp_path: Path, values: list[str], expected: list[Decimal]) -> None:
    path = tmp_path / "n.csv"
    path.write_text("Код ТН ВЭД;Наименование;Сумма\n" + "".join(f"8471500000;Товар;{v}\n" for v in values),
                    encoding="utf-8")
    assert [line.value for line in read_invoice(path).lines] == expected
