"""What a file is, told from its content (not its name): a workbook calamine reads (xlsx, xlsm, xlsb, xls, ods)
or text (CSV); anything else (a PDF, an image, a Word document, an encrypted workbook) is an InputError."""

from __future__ import annotations

import codecs
import enum
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from permitcli.errors import InputError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


class _Kind(enum.Enum):
    WORKBOOK = "workbook"  # anything calamine reads: xlsx, xlsm, xlsb, xls, ods
    TEXT = "text"


class _Format(NamedTuple):  # a tuple: made at import far more cheaply than a dataclass
    kind: _Kind
    name: str  # "xlsx", "xls", "ods", "xlsb", "csv"


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff(path: Path, label: str) -> _Format:
    """The real format of a file, from its content; raises InputError for anything that is not an invoice."""
    fmt, archive = _sniff_open(path, label)
    if archive is not None:
        archive.close()
    return fmt


def _sniff_open(path: Path, label: str) -> tuple[_Format, zipfile.ZipFile | None]:
    """_sniff, and for an xlsx (or xlsm) workbook the zip archive it opened to tell, still open, for the caller
    to read more from (the formula scan) and to close."""
    try:
        if path.is_dir():
            raise InputError(f"{label}: is a directory, not an invoice file")
        if not path.exists():
            raise InputError(f"{label}: no such file")
        with path.open("rb") as fh:
            head = fh.read(8192)
    except PermissionError:
        raise InputError(f"{label}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    if not head:
        raise InputError(f"{label}: the file is empty")
    if head.startswith(_ZIP_MAGICS):
        return _sniff_zip(path, label)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path, label), None
    if head.startswith(b"%PDF"):
        raise InputError(f"{label}: is a PDF document, not a spreadsheet or CSV file")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        raise InputError(f"{label}: is an image, not a spreadsheet or CSV file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _Format(_Kind.TEXT, "csv"), None
    if b"\x00" in head and _utf16_without_bom(head) is None:
        raise InputError(f"{label}: is not a spreadsheet or CSV file (binary content)")
    probe = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        raise InputError(f"{label}: is an HTML page saved as a spreadsheet: open it in Excel and save it as .xlsx")
    if probe.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise InputError(f"{label}: is an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx")
    if probe.startswith(b"{\\rtf"):
        raise InputError(f"{label}: is an RTF document, not a spreadsheet or CSV file")
    return _Format(_Kind.TEXT, "csv"), None


# What reading a damaged zip can raise: zipfile's own error, and others for a version, compression method or
# encryption it does not support.
_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, zlib.error)


def _sniff_zip(path: Path, label: str) -> tuple[_Format, zipfile.ZipFile | None]:
    zf: zipfile.ZipFile | None
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise InputError(f"{label}: the workbook is truncated or corrupt (not a readable zip archive)") from None
    try:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            kept, zf = zf, None
            return _Format(_Kind.WORKBOOK, "xlsx"), kept
        mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except _ZIP_ERRORS:
        raise InputError(f"{label}: the workbook is truncated or corrupt (not a readable zip archive)") from None
    finally:
        if zf is not None:
            zf.close()
    return _zip_format(names, mimetype, label), None


def _zip_format(names: set[str], mimetype: bytes, label: str) -> _Format:
    """What a zip archive that is no xlsx workbook holds, from its members and its "mimetype"."""
    if "xl/workbook.bin" in names:
        return _Format(_Kind.WORKBOOK, "xlsb")
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return _Format(_Kind.WORKBOOK, "ods")
    if "word/document.xml" in names:
        raise InputError(f"{label}: is a Word document, not a spreadsheet")
    if any(n.startswith("ppt/") for n in names):
        raise InputError(f"{label}: is a PowerPoint presentation, not a spreadsheet")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise InputError(f"{label}: is an OpenDocument file that is not a spreadsheet")
    raise InputError(f"{label}: is a zip archive, not a spreadsheet")


def _sniff_ole(path: Path, label: str) -> _Format:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    # An encrypted xlsx is an OLE container holding "EncryptionInfo" and "EncryptedPackage" streams.
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise _password(label)
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return _Format(_Kind.WORKBOOK, "xls")
    if _utf16("WordDocument") in data:
        raise InputError(f"{label}: is a Word document, not a spreadsheet")
    raise InputError(f"{label}: is an OLE file (old Office format) that holds no Excel workbook")


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text without a BOM, else None."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) // 2)
    odd_nul = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _password(label: str) -> InputError:
    return InputError(f"{label}: the workbook is password-protected: remove the password in Excel and save again")
