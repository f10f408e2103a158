"""Renderers: one output format, one module; records shared by the machine-readable ones."""

from __future__ import annotations

from decimal import Decimal

CHECK_SCHEMA = "permitcli.check/1"

# The fields of each line in JSON, NDJSON and CSV: model.ScreenedLine's fields, in its order.
LINE_FIELDS = (
    "row", "code", "code_raw", "description", "origin", "quantity", "unit", "value", "currency", "destination",
    "status", "annex", "entry", "committee", "documents", "findings",
)


def decimal_text(value: Decimal | None) -> str | None:
    """Exact decimal as text (`1000.50`), None stays None."""
    if value is None:
        return None
    return format(value, "f")
