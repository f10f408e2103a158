"""Files written whole or not at all: a temporary file beside the target, renamed into place at the end.
An output that is no regular file (a device such as /dev/null, a FIFO, /dev/stdout) is written into directly."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from permitcli.errors import OutputError


def _stage(path: Path) -> tuple[int, str]:
    """A temporary file beside `path`, with the mode a plain open() would give (not mkstemp's 0600)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        raise OutputError(f"{path.parent}: no such folder") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if hasattr(os, "fchmod"):  # POSIX
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
    return fd, tmp


def _put_in_place(tmp: str, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile: never clobbers
    except FileExistsError:
        raise OutputError(f"{path}: already exists; use --force to overwrite it") from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise OutputError(f"{path}: already exists; use --force to overwrite it") from None
        os.replace(tmp, path)


def is_stream(path: Path) -> bool:
    """Is `path` to be written into rather than replaced: a device, a FIFO or a socket, or a name of an open
    descriptor (/dev/stdout, /dev/fd/1, /proc/self/fd/1) even when it points at a regular file? Replacing any of
    them would swap the thing itself for a regular file (run as root, /dev/null would become one)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # a new file (or one that cannot be looked at: writing it says why)
    if stat.S_ISDIR(mode):
        return False
    if not stat.S_ISREG(mode):
        return True
    folder = os.path.realpath(Path(path).parent)  # /dev/fd is /proc/self/fd
    return folder == "/dev" or folder.startswith("/proc/")


@contextlib.contextmanager
def _direct_output(path: Path) -> Iterator[BinaryIO]:
    try:
        with open(path, "wb") as fh:
            yield fh
            fh.flush()
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


@contextlib.contextmanager
def atomic_output(path: Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: a temporary file in the same folder, put in place only when the
    block ends without an error, so readers never see half a file and a failed run leaves nothing behind.

    Without `overwrite`, an existing file is an OutputError and stays untouched. An output that is no regular
    file (is_stream: /dev/null, a FIFO, /dev/stdout) is opened and written as it is, whatever `overwrite` says.
    """
    path = Path(path)
    if is_stream(path):
        with _direct_output(path) as fh:
            yield fh
        return
    if not overwrite and path.exists():
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    fd, tmp = _stage(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _put_in_place(tmp, path, overwrite)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def make_folder(folder: Path) -> Path:
    """A folder outputs go to, made (with its parents) if missing; OutputError when it is a file or cannot be
    made."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    return folder


def write_file_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write `data` to `path` whole or not at all (see atomic_output)."""
    with atomic_output(path, overwrite=overwrite) as fh:
        fh.write(data)


def write_files_atomic(items: Sequence[tuple[Path, bytes]], *, overwrite: bool) -> None:
    """Write several files as one: all are staged beside their targets first and put in place only once every
    one is staged, so a run that fails part-way leaves none of them (and a target that is a folder, or exists
    without `overwrite`, stops the run before any file is touched)."""
    for path, _ in items:
        if path.is_dir():
            raise OutputError(f"{path}: is a folder, not a file")
        if not overwrite and path.exists():
            raise OutputError(f"{path}: already exists; use --force to overwrite it")
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            fd, tmp = _stage(path)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            _put_in_place(tmp, path, overwrite)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
