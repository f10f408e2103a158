"""Files written whole or not at all: a temporary file beside the target, renamed into place at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from permitcli.errors import OutputError


@contextlib.contextmanager
def atomic_output(path: Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: a temporary file in the same folder, put in place only when the
    block ends without an error, so readers never see half a file and a failed run leaves nothing behind.

    Without `overwrite`, an existing file is an OutputError and stays untouched.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        raise OutputError(f"{path.parent}: no such folder") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # POSIX: the mode a plain open() would give, not mkstemp's 0600
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fh.fileno(), 0o666 & ~umask)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: never clobbers
            except FileExistsError:
                raise OutputError(f"{path}: already exists; use --force to overwrite it") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise OutputError(f"{path}: already exists; use --force to overwrite it") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_file_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write `data` to `path` whole or not at all (see atomic_output)."""
    with atomic_output(path, overwrite=overwrite) as fh:
        fh.write(data)
