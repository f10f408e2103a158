"""The register's packages load only when a `permits` command runs: `--help` and `check` never import them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

PROBE = r"""
import sys
from permitcli.cli import main
sys.argv = ["permitcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in ("sqlalchemy", "alembic", "psycopg") if m in sys.modules)
print("LOADED:" + ",".join(heavy), file=sys.stderr)
"""


def loaded(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False)
    line = [t for t in result.stderr.splitlines() if t.startswith("LOADED:")]
    assert line, result.stderr
    return [m for m in line[-1].removeprefix("LOADED:").split(",") if m]


def test_help_and_check_do_not_import_the_database_packages() -> None:
    assert loaded("--help") == []
    assert loaded("permits", "--help") == []
    assert loaded("check", str(EXAMPLES / "spec_ru.xlsx"), "--format", "json") == []


def test_a_permits_command_does_import_them(tmp_path: Path) -> None:
    assert "sqlalchemy" in loaded("permits", "list", "--db", str(tmp_path / "r.sqlite3"))
