"""What every command shares: the stderr console, the one place errors become messages and exit codes, output.

The command modules (cli*.py) do not use `from __future__ import annotations`: Typer reads the signature of every
command at each start, and string annotations would be evaluated anew each time (a third of `--help`'s time)."""

import contextlib
import copy
import functools
import os
import sys
from collections.abc import Callable
import enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional, TypeVar

import typer
from typer.core import TyperGroup

from permitcli.errors import ExitCode, PermitError

F = TypeVar("F", bound=Callable[..., object])


class _State:
    __slots__ = ("debug", "lang")

    def __init__(self) -> None:
        self.debug = False
        self.lang = "en"


state = _State()


def err(message: str) -> None:
    """A message for the person: stderr, never stdout."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def fatal(message: str, code: ExitCode) -> NoReturn:
    """Stop the run with a one-line error and its exit code."""
    err(f"permitcli: error: {message}")
    raise typer.Exit(int(code))


def guarded(fn: F) -> F:
    """Run a command; a PermitError becomes one line and its exit code, a bug a line unless --debug."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except PermitError as exc:
            if state.debug:
                raise
            fatal(exc.message, exc.exit_code)
        except KeyboardInterrupt:
            err("permitcli: interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as exc:  # a bug: one line, the traceback only with --debug
            if state.debug:
                raise
            fatal(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)", ExitCode.INTERNAL)

    return wrapper  # type: ignore[return-value]


class OneLineErrors(TyperGroup):
    """The command group: a bad option, argument or command is one line too, like every other error; `--lang`
    is accepted after the command as well as before it."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        lang_after_command(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort as exc:  # a prompt that got no input
            if isinstance(exc.__context__, KeyboardInterrupt):
                err("permitcli: interrupted")
                sys.exit(130)
            err("permitcli: error: the input ended before a prompt was answered; give the values as options")
            sys.exit(int(ExitCode.USAGE))
        except typer.TyperException as exc:  # click's usage errors (and any other error it raises)
            if type(exc).__name__ == "NoArgsIsHelpError":  # a group run without a command: its help, as before
                exc.show()  # type: ignore[attr-defined]
                sys.exit(int(ExitCode.USAGE))
            err(f"permitcli: error: {usage_message(exc)}")
            sys.exit(getattr(exc, "exit_code", int(ExitCode.USAGE)))
        sys.exit(result if isinstance(result, int) else int(ExitCode.OK))

    def format_commands(self, ctx, formatter) -> None:  # (click.Context, click.HelpFormatter) -> None
        """The list of commands in help: from stand-ins where the commands are made on demand (cli_lazy)."""
        listing = getattr(self.commands, "listing", None)
        with listing() if listing is not None else contextlib.nullcontext():
            super().format_commands(ctx, formatter)


def lang_after_command(group) -> None:  # (click.Group) -> None
    """Give every command under `group` the group's `--lang` option too (`permitcli rules --lang ru`): the same
    choices and help, no default and no environment variable, so the group's value (or PERMITCLI_LANG) stands
    unless the command's own `--lang` is given. It is read first (eager), before any other option."""
    option = next((p for p in group.params if p.name == "lang"), None)
    if option is None:
        return

    def chosen(ctx, param, value):  # (click.Context, click.Parameter, str | None) -> None
        if value is not None:
            state.lang = getattr(value, "value", value)

    def give(command) -> None:  # the option to the command and to every command under it
        if not any(p.name == "lang" for p in command.params):
            own = copy.copy(option)
            own.default, own.envvar, own.show_envvar, own.show_default = None, None, False, False
            own.expose_value, own.is_eager, own.callback = False, True, chosen
            command.params.append(own)
        for sub in getattr(command, "commands", {}).values():
            give(sub)

    from permitcli.cli_lazy import LazyCommands

    commands = getattr(group, "commands", {})
    if isinstance(commands, LazyCommands):  # each command as it is made
        commands.when_made(give)
    else:
        for sub in commands.values():
            give(sub)


def usage_message(exc: Exception) -> str:
    """A click usage error as one line: the command, what is wrong, where the help is."""
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    text = " ".join(text.replace("Value error, ", "").split())
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return text
    path = ctx.command_path
    command = path.partition(" ")[2]
    return f"{command + ': ' if command else ''}{text[:1].lower() + text[1:].rstrip('.')}; see {path} --help"


def emit(data: str | bytes, output: Path | None = None) -> None:
    """Data to stdout, or to a file written whole."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output is None:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
    else:
        from permitcli.files import write_file_atomic

        write_file_atomic(output, raw, overwrite=True)


# Wide enough that no line sent to a file or a pipe is ever wrapped: tables take only the width they need.
UNWRAPPED_WIDTH = 100_000


def stdout_console():  # -> rich.console.Console
    """A Rich console on stdout: colour only on a terminal, and never with NO_COLOR. At a terminal lines wrap at
    its width; sent to a file or a pipe, lines are whole (no width, not even $COLUMNS, is imposed on them)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # Rich exits 1; the reader stopped early: end quietly, as other outputs do
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise BrokenPipeError

    console = _Console(highlight=False, no_color=bool(os.environ.get("NO_COLOR")) or None)
    isatty = getattr(sys.stdout, "isatty", None)
    if not (isatty and isatty()):  # the stream itself, whatever FORCE_COLOR makes Rich believe
        unwrapped(console)
    return console


def file_console(file: object):  # -> rich.console.Console
    """A Rich console writing plain text into `file` (a text stream), lines whole, no colour."""
    from rich.console import Console

    return unwrapped(Console(file=file, no_color=True, force_terminal=False, highlight=False))  # type: ignore[arg-type]


def unwrapped(console):  # (rich.console.Console) -> rich.console.Console
    """Make `console` print whole lines: texts never wrap, tables are as wide as their content."""
    console.width = UNWRAPPED_WIDTH
    console.soft_wrap = True
    return console


class TableOrJson(str, enum.Enum):
    """The two output formats of most commands."""

    table = "table"
    json = "json"


# Options that `check` and `draft` share.
SheetOption = Annotated[Optional[str], typer.Option("--sheet", help="Sheet name or 0-based index.")]
ColumnsOption = Annotated[
    Optional[str], typer.Option("--columns", help="Say where fields are: code=C,origin=E,... (letters or header texts).")
]
EvidenceOption = Annotated[
    Optional[str],
    typer.Option("--evidence", help="Evidence held for the whole file: ct-kz, ct-1, import-docs, licence, personal, "
                                    "operator-cert (CT-1 exempts only with import-docs)."),
]
FinalDestinationOption = Annotated[
    Optional[str],
    typer.Option("--final-destination", help="Where the goods end up when they only pass the destination "
                                             "(transit; ISO code or name)."),
]


def reading_options(sheet: str | None, columns: str | None) -> tuple[str | None, dict[str, str] | None]:
    """--sheet as given (the reader tries it as a name, then as a 0-based index), --columns as a mapping."""
    from permitcli.invoices import parse_columns

    return sheet, parse_columns(columns or "") or None
