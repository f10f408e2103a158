"""JSON and NDJSON output of screened files (orjson: exact, fast, UTF-8)."""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from permitcli.render import CHECK_SCHEMA, line_record
from permitcli.screen import ScreenedFile


def file_record(result: ScreenedFile) -> dict[str, object]:
    """One screened file as a JSON-ready mapping."""
    inv = result.invoice
    return {
        "path": inv.path,
        "sheet": inv.sheet,
        "header_row": inv.header_row,
        "columns": inv.columns,
        "notes": [{"type": f.type, "message": f.message} for f in result.notes],
        "lines": [line_record(line) for line in result.lines],
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
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def ndjson_lines(result: ScreenedFile) -> bytes:
    """One JSON object per invoice line, each carrying its file's path and sheet."""
    path, sheet = result.invoice.path, result.invoice.sheet
    out = []
    for line in result.lines:
        rec = {"path": path, "sheet": sheet}
        rec.update(line_record(line))
        out.append(orjson.dumps(rec))
    return b"\n".join(out) + (b"\n" if out else b"")


def dumps(value: object) -> bytes:
    """Pretty JSON of any JSON-ready value, newline-terminated."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
