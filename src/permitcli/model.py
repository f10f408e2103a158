"""The data shapes shared by reading, screening, rendering and drafting (frozen dataclasses; a screened line is a
slots class, made once per invoice line)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class Status(enum.StrEnum):
    """One status per screened line; the values are stable slugs."""

    PERMIT_REQUIRED = "permit-required"
    REFUSAL_RISK = "refusal-risk"
    REVIEW = "review"
    EXEMPT = "exempt"
    NOT_LISTED = "not-listed"
    OUT_OF_SCOPE = "out-of-scope"
    COVERED = "covered"  # `check --permits`: a permit held covers it


@dataclass(frozen=True, slots=True)
class Finding:
    """Something worth telling about a line: a stable slug (`type`) and a human message."""

    type: str
    message: str


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One goods line as read from an invoice, before screening. Raw texts are kept as found."""

    row: int  # 1-based spreadsheet row or CSV line, as the broker sees it
    code_raw: object  # the cell as read: str, int, float or None
    description: str = ""
    origin_raw: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    value: Decimal | None = None
    currency: str = ""
    destination_raw: str = ""
    evidence_raw: str = ""
    origin_from_document: bool = False  # origin taken from a document-wide "Country of origin" line
    notes: tuple[Finding, ...] = ()  # reading findings (e.g. formula without a cached value)
    remarks: str = ""  # the remarks column ("Примечание"), where a certificate of origin is often named
    final_destination_raw: str = ""  # where the goods end up when they only pass the destination (transit)


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


class ScreenedLine:
    """An invoice line with its status under the order, ready to render or draft from.

    A plain slots class, not a dataclass: one is made for every invoice line, and this is the cheapest shape that
    keeps named attributes. Its fields, in order, are `FIELDS`; treat it as read-only. Lines are equal when every
    field is.
    """

    FIELDS: tuple[str, ...] = (
        "row", "code", "code_raw", "description", "origin", "quantity", "unit", "value", "currency", "destination",
        "status", "annex", "entry", "committee", "documents", "findings",
    )
    __slots__ = FIELDS

    row: int
    code: str | None  # 10 digits, or None
    code_raw: str
    description: str
    origin: str | None  # ISO 3166-1 alpha-2, or None
    quantity: Decimal | None
    unit: str | None  # as written; None when the invoice gives none
    value: Decimal | None
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
        quantity: Decimal | None, unit: str | None, value: Decimal | None, currency: str | None, destination: str | None,
        status: Status, annex: int | None = None, entry: int | None = None, committee: str | None = None,
        documents: tuple[int, ...] = (), findings: tuple[Finding, ...] = (),
    ) -> None:
        self.row = row
        self.code = code
        self.code_raw = code_raw
        self.description = description
        self.origin = origin
        self.quantity = quantity
        self.unit = unit
        self.value = value
        self.currency = currency
        self.destination = destination
        self.status = status
        self.annex = annex
        self.entry = entry
        self.committee = committee
        self.documents = documents
        self.findings = findings

    def astuple(self) -> tuple:
        """The fields in order."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def replace(self, **changes: object) -> ScreenedLine:
        """A copy with some fields changed (what dataclasses.replace does for the other result types)."""
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(changes)
        return self.__class__(**values)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.astuple() == other.astuple()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.astuple())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"ScreenedLine({shown})"
