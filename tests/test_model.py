"""The line as read and the screened line: named fields in order, equal when every field is, usable as a key;
numbers kept as read and given exact."""

import inspect
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from permitcli.model import Finding, InvoiceLine, ScreenedLine, Status, exact, number_text


def make(**changed):
    fields = {"row": 2, "code": "8471500000", "code_raw": "8471 50 000 0", "description": "d", "origin": "CN",
                  "quantity": Decimal("2"), "unit": "шт", "value": Decimal("0.10"), "currency": "USD", "destination": None,
                  "status": Status.PERMIT_REQUIRED, "annex": 2, "entry": 1, "committee": "telecom", "documents": (1, 2),
                  "findings": (Finding("t", "m"),)}
    return ScreenedLine(**{**fields, **changed})


def test_fields_are_the_constructor_parameters_in_order():
    assert tuple(inspect.signature(ScreenedLine).parameters) == ScreenedLine.FIELDS
    line = make()
    assert line.astuple() == tuple(getattr(line, name) for name in ScreenedLine.FIELDS)
    assert ScreenedLine(*line.astuple()) == line


def test_lines_are_equal_when_every_field_is():
    assert make() == make() and hash(make()) == hash(make())
    for name, other in (("row", 3), ("status", Status.REVIEW), ("findings", ()), ("quantity", None)):
        assert make() != make(**{name: other}), name
    assert len({make(), make(), make(row=3)}) == 2
    assert make() != make().astuple()


def test_defaults_and_repr_name_the_fields():
    line = ScreenedLine(5, None, "", "", None, None, "", None, "", None, Status.REVIEW)
    assert (line.annex, line.entry, line.committee, line.documents, line.findings) == (None, None, None, (), ())
    assert repr(line).startswith("ScreenedLine(row=5, code=None, code_raw=''")


def test_the_line_as_read_has_the_same_record_shape():
    line = InvoiceLine(7, 8471500000, "Ноутбук", "Китай", quantity=3, unit="шт", value=12.5, currency="USD")
    assert tuple(inspect.signature(InvoiceLine).parameters) == InvoiceLine.FIELDS
    assert InvoiceLine(*line.astuple()) == line
    assert line.replace(unit="кг").unit == "кг" and line.unit == "шт"
    assert repr(line).startswith("InvoiceLine(row=7, code_raw=8471500000, description='Ноутбук'")
    assert line != line.replace(notes=(Finding("t", "m"),))


def test_numbers_are_kept_as_read_and_given_exact():
    # A spreadsheet's float is the decimal it shows, not its binary expansion; an int stays whole.
    line = make(quantity=3, value=0.1)
    assert line.quantity == Decimal(3) and type(line.quantity) is Decimal
    assert line.value == Decimal("0.1") and type(line.value) is Decimal
    assert line == make(quantity=Decimal(3), value=Decimal("0.1"))
    read = InvoiceLine(1, None, quantity=2.0, value=Decimal("1.50"))
    assert (read.quantity, read.value) == (Decimal(2), Decimal("1.50"))
    assert exact(None) is None and exact(Decimal("1.0")) == Decimal("1.0")


@given(st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
                 st.decimals(allow_nan=False, allow_infinity=False), st.none()))
def test_number_text_is_the_exact_decimal_written_out(number):
    expected = None if number is None else format(exact(number), "f")
    assert number_text(number) == expected
    if expected is not None:
        assert "e" not in expected.lower()
