"""The data shapes shared by reading, screening, rendering and drafting (frozen dataclasses; a line as read and a
screened line are slots classes, made once per invoice line)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Self


class Status(enum.StrEnum):
    """One status per screened line; the values are stable slugs."""

    PERMIT_REQUIRED = "permit-required"
    REFUSAL_RISK = "refusal-risk"
    REVIEW = "review"
    EXEMPT = "exempt"
    NOT_LISTED = "not-listed"
    OUT_OF_SCOPE = "out-of-scope"
    COVERED = "covered"  # `check --permits`: a permit held covers it


Number = int | float | Decimal  # a quantity or value as read: a spreadsheet's int or float, or text read exactly


def exact(number: Number | None) -> Decimal | None:
    """A number as a line holds it, as an exact decimal: a float is the decimal of its shortest text (what the
    spreadsheet shows), never its binary expansion."""
    kind = number.__class__
    if kind is float:
        return Decimal(int(number)) if number.is_integer() else Decimal(repr(number))  # type: ignore[union-attr, arg-type]
    if kind is int:
        return Decimal(number)  # type: ignore[arg-type]
    return number  # type: ignore[return-value]


def number_text(number: Number | None) -> str | None:
    """A number as exact text, never in exponent form (`1000.50`, `0.00001`); None stays None. The same text as
    `format(exact(number), "f")`, without making a Decimal for the common int and float."""
    kind = number.__class__
    if kind is int:
        return str(number)
    if kind is float:
        if number.is_integer():  # type: ignore[union-attr]
            return str(int(number))  # type: ignore[arg-type]
        text = repr(number)
        return text if "e" not in text else format(Decimal(text), "f")
    if kind is Decimal:
        return format(number, "f")
    return number  # type: ignore[return-value]  # None, or text already exact


@dataclass(frozen=True, slots=True)
class Finding:
    """Something worth telling about a line: a stable slug (`type`) and a human message."""

    type: str
    message: str


def _slots(fields: tuple[str, ...]) -> tuple[str, ...]:
    """A line record's slots: its fields, with the numbers held as read under `_quantity` and `_value`."""
    return tuple("_" + name if name in ("quantity", "value") else name for name in fields)


class _Record:
    """A line as a slots class whose fields, in order, are `FIELDS`: compared, hashed, shown and copied by them.
    One is made for every invoice line, and this is the cheapest shape that keeps named attributes (a frozen
    dataclass costs several times as much to make). Treat one as read-only: `replace()` gives a changed copy.
    Its `quantity` and `value` are held as read (`_quantity`, `_value`: int, float or Decimal) and made exact on
    access."""

    FIELDS: tuple[str, ...] = ()
    __slots__ = ()
    _quantity: Number | None
    _value: Number | None

    @property
    def quantity(self) -> Decimal | None:
        return exact(self._quantity)

    @property
    def value(self) -> Decimal | None:
        return exact(self._value)

    def astuple(self) -> tuple:
        """The fields in order."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def replace(self, **changes: object) -> Self:
        """A copy with some fields changed (what dataclasses.replace does for the other result types)."""
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(changes)
        return self.__class__(**values)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.astuple() == other.astuple()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.astuple())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{self.__class__.__name__}({shown})"


class InvoiceLine(_Record):
    """One goods line as read from an invoice, before screening. Raw texts are kept as found."""

    FIELDS: tuple[str, ...] = (
        "row", "code_raw", "description", "origin_raw", "quantity", "unit", "value", "currency", "destination_raw",
        "evidence_raw", "origin_from_document", "notes", "remarks", "final_destination_raw",
    )
    __slots__ = _slots(FIELDS)

    row: int  # 1-based spreadsheet row or CSV line, as the broker sees it
    code_raw: object  # the cell as read: str, int, float or None
    description: str
    origin_raw: str
    unit: str
    currency: str
    destination_raw: str
    evidence_raw: str
    origin_from_document: bool  # origin taken from a document-wide "Country of origin" line
    notes: tuple[Finding, ...]  # reading findings (e.g. formula without a cached value)
    remarks: str  # the remarks column ("Примечание"), where a certificate of origin is often named
    final_destination_raw: str  # where the goods end up when they only pass the destination (transit)

    def __init__(
        self, row: int, code_raw: object, description: str = "", origin_raw: str = "",
        quantity: Number | None = None, unit: str = "", value: Number | None = None, currency: str = "",
        destination_raw: str = "", evidence_raw: str = "", origin_from_document: bool = False,
        notes: tuple[Finding, ...] = (), remarks: str = "", final_destination_raw: str = "",
    ) -> None:
        self.row = row
        self.code_raw = code_raw
        self.description = description
        self.origin_raw = origin_raw
        self._quantity = quantity
        self.unit = unit
        self._value = value
        self.currency = currency
        self.destination_raw = destination_raw
        self.evidence_raw = evidence_raw
        self.origin_from_document = origin_from_document
        self.notes = notes
        self.remarks = remarks
        self.final_destination_raw = final_destination_raw


@dataclass(frozen=True, slots=True)
class Invoice:
    """One sheet of one file, read into lines."""

    path: str
    sheet: str | None
    header_row: int | None
    columns: dict[str, str] = field(default_factory=dict)  # field name -> column letter or CSV header
    lines: tuple[InvoiceLine, ...] = ()
    notes: tuple[Finding, ...] = ()  # file-level findings (document origin used, encoding guessed, ...)
    accounting: dict[str, object] | None = None  # what became of every row under the heading (see InvoiceStream)


class ScreenedLine(_Record):
    """An invoice line with its status under the order, ready to render or draft from.

    Its fields, in order, are `FIELDS`; treat it as read-only. Lines are equal when every field is.
    """

    FIELDS: tuple[str, ...] = (
        "row", "code", "code_raw", "description", "origin", "quantity", "unit", "value", "currency", "destination",
        "status", "annex", "entry", "committee", "documents", "findings",
    )
    __slots__ = _slots(FIELDS)

    row: int
    code: str | None  # 10 digits, or None
    code_raw: str
    description: str
    origin: str | None  # ISO 3166-1 alpha-2, or None
    unit: str | None  # as written; None when the invoice gives none
    currency: str | None  # ISO 4217 when the text names one currency, else as written; None when none is given
    destination: str | None  # ISO alpha-2, or None when assumed to be a CIS state
    status: Status
    annex: int | None
    entry: int | None
    committee: str | None  # "industry" | "telecom" | "aviation"
    documents: tuple[int, ...]
    findings: tuple[Finding, ...]

    def __init__(
        self, row: int, code: str | None, code_raw: str, description: str, origin: str | None,
        quantity: Number | None, unit: str | None, value: Number | None, currency: str | None, destination: str | None,
        status: Status, annex: int | None = None, entry: int | None = None, committee: str | None = None,
        documents: tuple[int, ...] = (), findings: tuple[Finding, ...] = (),
    ) -> None:
        self.row = row
        self.code = code
        self.code_raw = code_raw
        self.description = description
        self.origin = origin
        self._quantity = quantity
        self.unit = unit
        self._value = value
        self.currency = currency
        self.destination = destination
        self.status = status
        self.annex = annex
        self.entry = entry
        self.committee = committee
        self.documents = documents
        self.findings = findings
