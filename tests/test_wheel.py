"""The built wheel carries the data: install it into a fresh virtual environment and run it from there."""

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("permitcli-*.whl")
    return path


def test_wheel_contains_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"permitcli/_data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}  # not the parsed tables kept there (datafiles.py)
    assert shipped and shipped <= names
    assert not [n for n in names if "__pycache__" in n]


def test_installed_wheel_runs_lookup(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    result = subprocess.run(
        [str(bindir / "permitcli"), "lookup", "8807 30 000 0", "8481 80 819 9", "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr
    recs = json.loads(result.stdout)
    assert [(r["annex"], r["committee"]) for r in recs] == [(3, "aviation"), (1, "industry")]
    listing = subprocess.run([str(bindir / "permitcli"), "annexes", "--format", "json"], capture_output=True,
                             text=True, cwd=tmp_path, check=True)
    assert len(json.loads(listing.stdout)) == 66 + 79 + 19
