"""The command tree of a Typer app, each command made when it is first looked up.

Typer makes the click command of every command before it reads the command line: reading a command's
signature and making its options takes about a millisecond, some 20 ms a run for this app's twenty commands,
though one runs. `command_tree(app)` makes the group with its own options only; a command is made by Typer,
the same as it would have made it, when the command line names it or help lists it.
"""

import contextlib
import copy
import functools
import inspect
from collections.abc import Callable, Iterator, MutableMapping

import typer
import typer.main
from typer._click import Command
from typer.core import TyperCommand, TyperGroup


class LazyCommands(MutableMapping[str, Command]):
    """A group's commands by name, in the order they were registered; each made on first access.

    While help lists them (`listing()`), a command not made yet is given as a stand-in that has only what the
    list shows: its name, help and short help, whether it is hidden or deprecated.
    """

    def __init__(self, makers: dict[str, Callable[[], Command]],
                 stand_ins: dict[str, Callable[[], Command]] | None = None) -> None:
        self._makers = dict(makers)
        self._stand_ins = dict(stand_ins or {})
        self._made: dict[str, Command] = {}
        self._when_made: list[Callable[[Command], None]] = []
        self._listing = False

    @contextlib.contextmanager
    def listing(self) -> Iterator[None]:
        """Stand-ins for the commands not made yet, while the block runs."""
        self._listing = True
        try:
            yield
        finally:
            self._listing = False

    def made(self) -> list[str]:
        """The names of the commands made so far."""
        return list(self._made)

    def when_made(self, hook: Callable[[Command], None]) -> None:
        """Run `hook` on every command made from now on, and on those made already."""
        self._when_made.append(hook)
        for command in self._made.values():
            hook(command)

    def __getitem__(self, name: str) -> Command:
        command = self._made.get(name)
        if command is None and self._listing and name in self._stand_ins:
            return self._stand_ins[name]()
        if command is None:
            command = self._makers[name]()  # KeyError: no such command
            self._made[name] = command
            for hook in self._when_made:
                hook(command)
        return command

    def __setitem__(self, name: str, command: Command) -> None:
        self._makers.pop(name, None)
        self._stand_ins.pop(name, None)
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        self._stand_ins.pop(name, None)
        if self._makers.pop(name, None) is None:
            del self._made[name]
        else:
            self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._makers
        yield from (name for name in self._made if name not in self._makers)

    def __len__(self) -> int:
        return len(self._makers.keys() | self._made.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._makers or name in self._made


def command_tree(app: typer.Typer) -> Command:
    """What `typer.main.get_command(app)` gives, with the commands and sub-groups made on first access."""
    names = [info.name for info in app.registered_groups]
    if app._add_completion or not app.registered_callback or not all(isinstance(n, str) and n for n in names):
        return typer.main.get_command(app)  # a shape this does not cover: Typer makes it all
    shell = copy.copy(app)  # the group itself: its callback and options, none of its commands
    shell.registered_commands = []
    shell.registered_groups = []
    group = typer.main.get_group(shell)
    makers: dict[str, Callable[[], Command]] = {}
    stand_ins: dict[str, Callable[[], Command]] = {}
    for command in app.registered_commands:
        assert command.callback is not None
        name = command.name or typer.main.get_command_name(command.callback.__name__)
        makers[name] = functools.partial(typer.main.get_command_from_info, command,
                                         pretty_exceptions_short=app.pretty_exceptions_short,
                                         rich_markup_mode=app.rich_markup_mode)
        # the help Typer gives the command (get_command_from_info): its own, else the function's docstring
        text = inspect.getdoc(command.callback) if command.help is None else inspect.cleandoc(command.help)
        stand_ins[name] = functools.partial(TyperCommand, name, help=text, short_help=command.short_help,
                                            hidden=command.hidden, deprecated=command.deprecated)
    for sub, sub_name in zip(app.registered_groups, names):
        makers[str(sub_name)] = functools.partial(typer.main.get_group_from_info, sub,
                                                  pretty_exceptions_short=app.pretty_exceptions_short,
                                                  rich_markup_mode=app.rich_markup_mode,
                                                  suggest_commands=app.suggest_commands)
        solved = typer.main.solve_typer_info_defaults(sub)
        stand_ins[str(sub_name)] = functools.partial(TyperCommand, str(sub_name), help=solved.help,
                                                     short_help=solved.short_help, hidden=solved.hidden,
                                                     deprecated=solved.deprecated)
    assert isinstance(group, TyperGroup)
    group.commands = LazyCommands(makers, stand_ins)
    return group
