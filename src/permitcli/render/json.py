"""JSON and NDJSON output of screened files, written line by line (orjson: exact, fast, UTF-8)."""

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import BinaryIO

import orjson

from permitcli.model import ScreenedLine
from permitcli.render import CHECK_SCHEMA, decimal_text
from permitcli.screen import ScreenedFile

_INDENT = orjson.OPT_INDENT_2


def _default(value: object) -> object:
    # orjson writes dataclasses, enums and tuples itself; only Decimal needs help (exact text, never 1E+3).
    if isinstance(value, Decimal):
        return decimal_text(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: object) -> bytes:
    """Pretty JSON of any JSON-ready value (dataclasses and Decimals included), newline-terminated."""
    return orjson.dumps(value, default=_default, option=_INDENT) + b"\n"


def _nested(value: object, depth: int) -> bytes:
    """`value` as pretty JSON that sits `depth` spaces deep inside a larger document."""
    return orjson.dumps(value, default=_default, option=_INDENT).replace(b"\n", b"\n" + b" " * depth)


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
        dump, opts, first = orjson.dumps, _INDENT, True
        source = iter(lines)
        while chunk := list(itertools.islice(source, self.CHUNK)):
            # "[\n  {...},\n  {...}\n]" without its brackets, six spaces deeper: the lines as the document has them
            body = dump(chunk, default=_default, option=opts)[1:-2].replace(b"\n", b"\n      ")
            write(body if first else b"," + body)
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
        write, dump = self.out.write, orjson.dumps
        for line in lines:
            write(prefix + dump(line, default=_default)[1:] + b"\n")
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
