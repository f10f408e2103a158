"""Renderers: one output format, one module; records shared by the machine-readable ones."""

from __future__ import annotations

import enum
from decimal import Decimal

from permitcli.model import ScreenedLine

CHECK_SCHEMA = "permitcli.check/1"

LINE_FIELDS = (
    "row", "code", "code_raw", "description", "origin", "quantity", "unit", "value", "currency", "destination",
    "status", "annex", "entry", "committee", "documents", "findings",
)


class Format(enum.StrEnum):
    """Output formats of `check`."""

    TABLE = "table"
    JSON = "json"
    NDJSON = "ndjson"
    CSV = "csv"


def decimal_text(value: Decimal | None) -> str | None:
    """Exact decimal as text (`1000.50`), None stays None."""
    if value is None:
        return None
    return format(value, "f")


def line_record(line: ScreenedLine) -> dict[str, object]:
    """One screened line as a JSON-ready mapping (keys are the stable contract)."""
    return {
        "row": line.row,
        "code": line.code,
        "code_raw": line.code_raw,
        "description": line.description,
        "origin": line.origin,
        "quantity": decimal_text(line.quantity),
        "unit": line.unit,
        "value": decimal_text(line.value),
        "currency": line.currency,
        "destination": line.destination,
        "status": line.status.value,
        "annex": line.annex,
        "entry": line.entry,
        "committee": line.committee,
        "documents": list(line.documents),
        "findings": [{"type": f.type, "message": f.message} for f in line.findings],
    }
