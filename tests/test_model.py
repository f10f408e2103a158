"""The screened line: named fields in order, equal when every field is, usable as a key."""

import inspect
from decimal import Decimal

from permitcli.model import Finding, ScreenedLine, Status


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
