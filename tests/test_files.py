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


def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_file_atomic(fifo, b"through the pipe", overwrite=False)  # no --force needed: nothing is replaced
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file beside it


def test_check_output_to_a_fifo_and_to_a_descriptor(tmp_path: Path) -> None:
    import json
    import stat
    import subprocess
    import sys
    import threading

    root = Path(__file__).resolve().parent.parent
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    args = [sys.executable, "-m", "permitcli", "check", "examples/export_1c.csv", "--format", "json", "--output"]
    done = subprocess.run([*args, str(fifo)], cwd=root, capture_output=True, check=False)
    reader.join(timeout=30)
    assert done.returncode == 1 and done.stdout == b"", done.stderr
    assert json.loads(received[0])["files"][0]["path"] == "examples/export_1c.csv"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    # /dev/fd/1 names standard output: written into even when that is a regular file
    with (tmp_path / "stdout.json").open("wb") as out:
        done = subprocess.run([*args, "/dev/fd/1"], cwd=root, stdout=out, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 1, done.stderr
    assert json.loads((tmp_path / "stdout.json").read_bytes()) == json.loads(received[0])


def test_is_stream_tells_devices_and_descriptors_from_files(tmp_path: Path) -> None:
    from permitcli.files import is_stream

    (tmp_path / "f").write_bytes(b"")
    (tmp_path / "d").mkdir()
    assert is_stream(Path(os.devnull)) and is_stream(Path("/dev/stdout")) and is_stream(Path("/dev/fd/1"))
    assert not is_stream(tmp_path / "f") and not is_stream(tmp_path / "d") and not is_stream(tmp_path / "new")
