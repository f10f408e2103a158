"""The `permitcli` command (and `python -m permitcli`): a large workbook given to `check` starts parsing before
the command line interface is imported (reading.early), then the command runs. Only the standard library is
imported here until a `check` names a file."""

from __future__ import annotations

import os
import sys

# `check`'s options that take a value: what follows them is no invoice.
_VALUED = frozenset({"--format", "-f", "--output", "-o", "--sheet", "--columns", "--destination", "-d", "--evidence",
                     "--final-destination", "--fail-on", "--db", "--annotate", "--lang"})


def first_invoice(argv: list[str]) -> str | None:
    """For `permitcli [--lang X] check [options] FILE …`: the first FILE; None for any other command line."""
    args = iter(argv)
    for arg in args:
        if arg == "check":
            break
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return None  # another command
    else:
        return None
    for arg in args:
        if arg == "--":
            return next(args, None)
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def start_early(argv: list[str]) -> None:
    """Start parsing the first invoice of a `check` if it is a large workbook (reading.early decides). Any other
    command line starts nothing and imports nothing more; the command runs the same either way."""
    path = first_invoice(argv)
    if path is not None and os.path.isfile(path):
        from permitcli.reading import early

        early.start(path)


def main() -> None:
    """Console-script entry point."""
    start_early(sys.argv[1:])
    from permitcli.cli import main as run

    run()
