"""The `permitcli` command (and `python -m permitcli`): a large workbook given to `check` starts parsing before
the command line interface is imported (reading.early), then the command runs."""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    from permitcli.reading.early import start_from_argv

    start_from_argv(sys.argv[1:])
    from permitcli.cli import main as run

    run()
