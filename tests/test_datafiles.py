"""Data files parsed once and kept like bytecode: the same tables, parsed anew when the file changes."""

import sys
import tomllib
from pathlib import Path

import pytest

from permitcli import datafiles
from permitcli._paths import data_dir
from permitcli.datafiles import read_toml


@pytest.fixture
def keeping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Parsed files kept under a prefix in tmp_path, as PYTHONPYCACHEPREFIX would put them."""
    prefix = tmp_path / "kept"
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return prefix


def test_every_shipped_table_reads_as_tomllib_parses_it_and_then_without_parsing(keeping, monkeypatch):
    paths = sorted(data_dir().rglob("*.toml"))
    assert len(paths) >= 6
    expected = {}
    for path in paths:
        with path.open("rb") as fh:
            expected[path] = tomllib.load(fh)
        assert read_toml(path) == expected[path]
        assert datafiles._kept_at(path).is_relative_to(keeping) and datafiles._kept_at(path).exists()

    def no_parsing(text: str) -> dict:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", no_parsing)
    assert {path: read_toml(path) for path in paths} == expected  # what was kept


def test_a_changed_file_is_parsed_anew(keeping, tmp_path):
    path = tmp_path / "table.toml"
    path.write_text('[a]\nname = "first"\n', encoding="utf-8")
    assert read_toml(path) == {"a": {"name": "first"}}
    path.write_text('[a]\nname = "second"\nn = 2\n', encoding="utf-8")
    assert read_toml(path) == {"a": {"name": "second", "n": 2}}
    assert read_toml(path) == {"a": {"name": "second", "n": 2}}


def test_a_damaged_kept_table_is_ignored_and_replaced(keeping, tmp_path):
    path = tmp_path / "table.toml"
    path.write_text('x = ["один", 2, 3.5, true]\n', encoding="utf-8")
    assert read_toml(path) == {"x": ["один", 2, 3.5, True]}
    kept = datafiles._kept_at(path)
    kept.write_bytes(b"\x00garbage")
    assert read_toml(path) == {"x": ["один", 2, 3.5, True]}
    assert kept.read_bytes() != b"\x00garbage"


def test_nothing_is_kept_when_bytecode_is_not_written(keeping, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "table.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    assert read_toml(path) == {"x": 1}
    assert not datafiles._kept_at(path).exists()


def test_dates_are_parsed_each_time_and_bad_toml_is_a_value_error(keeping, tmp_path):
    dated = tmp_path / "dated.toml"
    dated.write_text("day = 2025-01-02\n", encoding="utf-8")
    assert str(read_toml(dated)["day"]) == "2025-01-02"
    assert not datafiles._kept_at(dated).exists()  # marshal holds no dates
    bad = tmp_path / "bad.toml"
    bad.write_text("[a\n", encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        read_toml(bad)
    assert not datafiles._kept_at(bad).exists()
    with pytest.raises(FileNotFoundError):
        read_toml(tmp_path / "none.toml")
