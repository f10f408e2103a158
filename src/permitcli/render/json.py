"""JSON and NDJSON output of screened files (orjson: exact, fast, UTF-8)."""

from __future__ import annotations

from collections.abc import Iterable

from decimal import Decimal

import orjson

from permitcli.render import CHECK_SCHEMA, decimal_text
from permitcli.screen import ScreenedFile


def _default(value: object) -> object:
    # orjson writes dataclasses, enums and tuples itself; only Decimal needs help (exact text, never 1E+3).
    if isinstance(value, Decimal):
        return decimal_text(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def file_record(result: ScreenedFile) -> dict[str, object]:
    """One screened file as a JSON-ready mapping."""
    inv = result.invoice
    return {
        "path": inv.path,
        "sheet": inv.sheet,
        "header_row": inv.header_row,
        "columns": inv.columns,
        "notes": result.notes,
        "lines": result.lines,  # ScreenedLine's fields, in order, are the line contract (render.LINE_FIELDS)
        "summary": result.summary.as_dict(),
    }


def check_document(results: Iterable[ScreenedFile], data_version: str, errors: list[dict[str, str]]) -> bytes:
    """The whole `check --format json` document."""
    doc = {
        "schema": CHECK_SCHEMA,
        "data_version": data_version,
        "files": [file_record(r) for r in results],
        "errors": errors,
    }
    return orjson.dumps(doc, default=_default, option=orjson.OPT_INDENT_2) + b"\n"


def ndjson_lines(result: ScreenedFile) -> bytes:
    """One JSON object per invoice line, each carrying its file's path and sheet."""
    head = orjson.dumps({"path": result.invoice.path, "sheet": result.invoice.sheet})[:-1] + b","
    dumps = orjson.dumps
    return b"".join(head + dumps(line, default=_default)[1:] + b"\n" for line in result.lines)


def dumps(value: object) -> bytes:
    """Pretty JSON of any JSON-ready value, newline-terminated."""
    return orjson.dumps(value, default=_default, option=orjson.OPT_INDENT_2) + b"\n"
