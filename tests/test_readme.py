"""The README's Python examples run as written, on copies of the shipped example invoice."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_a_readme_python_example_runs(source: str, tmp_path: Path, monkeypatch, capsys) -> None:
    for name in set(re.findall(r'"([\w.]+\.xlsx)"', source)):
        shutil.copy(ROOT / "examples" / "spec_ru.xlsx", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    exec(compile(source, "README.md", "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out
    assert "8471" in printed or "permit-required" in printed
