"""JSON and NDJSON output of screened files, written line by line (orjson: exact, fast, UTF-8)."""

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import BinaryIO

import orjson

from permitcli.model import ScreenedLine, number_text
from permitcli.render import CHECK_SCHEMA
from permitcli.screen import ScreenedFile

_INDENT = orjson.OPT_INDENT_2


def _default(value: object) -> object:
    # orjson writes dataclasses, enums and tuples itself; only Decimal needs help (exact text, never 1E+3).
    if isinstance(value, Decimal):
        return number_text(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: object) -> bytes:
    """Pretty JSON of any JSON-ready value (dataclasses and Decimals included), newline-terminated."""
    return orjson.dumps(value, default=_default, option=_INDENT) + b"\n"


def line_record(line: ScreenedLine) -> dict[str, object]:
    """One line as the JSON and NDJSON documents have it: its fields in order, numbers as exact text (made from
    the numbers as read, with no Decimal made on the way)."""
    quantity, value = line._quantity, line._value
    record: dict[str, object] = {
        "row": line.row, "code": line.code, "code_raw": line.code_raw, "description": line.description,
        "origin": line.origin,
        "quantity": number_text(quantity), "unit": line.unit, "value": number_text(value),
        "currency": line.currency, "destination": line.destination, "status": line.status, "annex": line.annex,
        "entry": line.entry, "committee": line.committee, "documents": line.documents, "findings": line.findings,
    }
    if line.__class__ is not ScreenedLine:  # a kind of line with fields of its own after these (a covered line's permit)
        for name in line.FIELDS[len(ScreenedLine.FIELDS):]:
            record[name] = getattr(line, name)
    return record


def _wrap(value: object, levels: int) -> object:
    for _ in range(levels):
        value = [value]
    return value


def _cut(levels: int) -> tuple[int, int]:
    """Where a value held `levels` lists deep starts in pretty JSON, and how many bytes close it after its end."""
    text = orjson.dumps(_wrap(0, levels), option=_INDENT)
    start = text.index(b"0")
    return start, len(text) - start - 1


_CUTS = {levels: _cut(levels) for levels in (1, 3)}
_LINES_FRONT = _CUTS[3][0] + 1  # after the "[" of the lines list, itself held three lists deep (six spaces in)
_LINES_BACK = _CUTS[3][1] + len(b"\n      ]")  # before the "]" that closes it


def _nested(value: object, depth: int) -> bytes:
    """`value` as pretty JSON that sits `depth` (2 or 6) spaces deep inside a larger document: orjson writes it
    held as deep in lists, so that it is indented as the document has it, and it is cut out."""
    levels = depth // 2
    front, back = _CUTS[levels]
    return orjson.dumps(_wrap(value, levels), default=_default, option=_INDENT)[front:-back]


class CheckJsonWriter:
    """Writes the `check --format json` document as the files stream past; the same bytes orjson would write
    for the whole document at once, without ever holding it."""

    CHUNK = 512  # lines serialised per orjson call

    def __init__(self, out: BinaryIO, data_version: str) -> None:
        self.out = out
        self.files = 0
        out.write(b'{\n  "schema": ' + orjson.dumps(CHECK_SCHEMA) + b',\n  "data_version": '
                  + orjson.dumps(data_version) + b',\n  "files": [')

    def write_file(self, head: Mapping[str, object], lines: Iterable[ScreenedLine],
                   tail: Callable[[], Mapping[str, object]]) -> None:
        """One file: `head` keys, then `lines` as they come, then the `tail` keys (known once lines are done)."""
        write = self.out.write
        write((b",\n" if self.files else b"\n") + b"    {")
        self.files += 1
        for key, value in head.items():
            write(b"\n      " + orjson.dumps(key) + b": " + _nested(value, 6) + b",")
        write(b'\n      "lines": [')
        dump, opts, record, first = orjson.dumps, _INDENT, line_record, True
        front, back = _LINES_FRONT, _LINES_BACK
        source = iter(lines)
        while chunk := [record(line) for line in itertools.islice(source, self.CHUNK)]:
            # The chunk written three lists deep, as the document holds it: orjson indents every line as there;
            # what is cut out is "\n        {...},\n        {...}", the lines without their brackets.
            text = dump([[[chunk]]], default=_default, option=opts)
            if not first:
                write(b",")
            write(text[front:len(text) - back])
            first = False
        write(b"]" if first else b"\n      ]")
        for key, value in tail().items():
            write(b",\n      " + orjson.dumps(key) + b": " + _nested(value, 6))
        write(b"\n    }")

    def close(self, errors: list[dict[str, str]]) -> None:
        self.out.write((b"\n  ]" if self.files else b"]") + b',\n  "errors": ' + _nested(errors, 2) + b"\n}\n")


class NdjsonWriter:
    """One JSON object per invoice line, each carrying its file's path and sheet."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write_file(self, head: Mapping[str, object], lines: Iterable[ScreenedLine],
                   tail: Callable[[], Mapping[str, object]] | None = None) -> None:
        prefix = orjson.dumps({"path": head["path"], "sheet": head["sheet"]})[:-1] + b","
        write, dump, record = self.out.write, orjson.dumps, line_record
        for line in lines:
            write(prefix + dump(record(line), default=_default)[1:] + b"\n")
        if tail is not None:
            tail()

    def close(self, errors: list[dict[str, str]]) -> None:
        pass  # errors go to stderr only: every NDJSON line is an invoice line


def file_head(result: ScreenedFile) -> dict[str, object]:
    inv = result.invoice
    return {"path": inv.path, "sheet": inv.sheet, "header_row": inv.header_row, "columns": inv.columns}


def _file_tail(result: ScreenedFile) -> dict[str, object]:
    return {"notes": result.notes, "summary": result.summary.as_dict()}


def check_document(results: Iterable[ScreenedFile], data_version: str, errors: list[dict[str, str]]) -> bytes:
    """The whole `check --format json` document for files already screened."""
    buf = io.BytesIO()
    writer = CheckJsonWriter(buf, data_version)
    for r in results:
        writer.write_file(file_head(r), r.lines, functools.partial(_file_tail, r))
    writer.close(errors)
    return buf.getvalue()
