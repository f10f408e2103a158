"""What a run loads: `--help` none of the reader, the rules or the heavy packages; a check no more than it needs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import runpy
import sys
sys.argv = ["permitcli", *sys.argv[1:]]
try:
    runpy.run_module("permitcli", run_name="__main__", alter_sys=True)  # the program's own entry, as installed
except SystemExit:
    pass
print("LOADED:" + ",".join(sorted(sys.modules)), file=sys.stderr)
"""

HEAVY = ("python_calamine", "openpyxl", "orjson", "pycountry", "rapidfuzz", "holidays", "rich", "sqlalchemy",
         "importlib.metadata", "permitcli.invoices", "permitcli.reading", "permitcli.catalog", "permitcli.screen",
         "permitcli.i18n")


def loaded(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False,
                            cwd=ROOT)
    line = [t for t in result.stderr.splitlines() if t.startswith("LOADED:")]
    assert line, result.stderr
    return set(line[-1].removeprefix("LOADED:").split(","))


def test_help_loads_none_of_the_heavy_modules():
    for args in (["--help"], [], ["check", "--help"], ["permits", "--help"]):
        modules = loaded(*args)
        assert "typer" in modules
        assert sorted(m for m in HEAVY if m in modules) == [], args


def test_a_check_whose_countries_data_names_loads_no_pycountry():
    modules = loaded("check", "examples/export_1c.csv", "--format", "json")
    assert {"permitcli.invoices", "permitcli.screen", "orjson"} <= modules
    assert sorted(m for m in ("pycountry", "importlib.metadata", "openpyxl", "holidays", "sqlalchemy", "rich")
                  if m in modules) == []
