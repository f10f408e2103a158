"""Files written whole or not at all."""

import os
from pathlib import Path

import pytest

from permitcli.errors import OutputError
from permitcli.files import atomic_output, write_file_atomic


def test_write_file_atomic_never_clobbers_without_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_text("old")
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_file_atomic(path, b"new", overwrite=False)
    assert path.read_text() == "old"
    write_file_atomic(path, b"new", overwrite=True)
    assert path.read_bytes() == b"new"
    write_file_atomic(tmp_path / "fresh.bin", b"x", overwrite=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.bin", "out.bin"]
    with pytest.raises(OutputError, match="no such folder"):
        write_file_atomic(tmp_path / "missing" / "x.bin", b"x", overwrite=True)


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_file_atomic(tmp_path / "a.bin", b"x", overwrite=False)
        write_file_atomic(tmp_path / "b.bin", b"x", overwrite=True)
    finally:
        os.umask(old)
    assert (tmp_path / "a.bin").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.bin").stat().st_mode & 0o777 == 0o644


def test_a_failed_block_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError):
        with atomic_output(target, overwrite=True) as fh:
            fh.write(b"half of a new")
            raise RuntimeError("stopped half-way")
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_writing_over_a_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match="cannot write"):
        write_file_atomic(tmp_path / "sub", b"x", overwrite=True)
    assert (tmp_path / "sub").is_dir() and [p.name for p in tmp_path.iterdir()] == ["sub"]
