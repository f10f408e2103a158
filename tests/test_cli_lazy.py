"""The command tree made on demand is the tree Typer makes: the same commands, options and help."""

import typer
import typer.main
from typer._click import Context

from permitcli.cli import app
from permitcli.cli_lazy import LazyCommands, command_tree
from permitcli.cli_support import lang_after_command


def walk(command, path=()):
    yield path, command
    for name in getattr(command, "commands", {}):
        yield from walk(command.commands[name], (*path, name))


def described(command, path) -> tuple:
    ctx = Context(command, info_name=" ".join(("permitcli", *path)))
    params = [(p.name, tuple(p.opts), getattr(p, "help", None), repr(p.default), p.required, type(p.type).__name__)
              for p in command.params]
    return command.get_help(ctx), params, type(command).__name__


def test_every_command_is_made_as_typer_makes_it():
    eager, lazy = typer.main.get_command(app), command_tree(app)
    assert isinstance(lazy.commands, LazyCommands)
    for tree in (eager, lazy):
        lang_after_command(tree)  # as every run does: each command gets --lang too
    made = [(path, described(c, path)) for path, c in walk(lazy)]
    expected = [(path, described(c, path)) for path, c in walk(eager)]
    assert [path for path, _ in made] == [path for path, _ in expected]
    assert ("permits", "db", "upgrade") in [path for path, _ in made] and len(made) > 15
    assert made == expected


def test_only_the_command_that_runs_is_made(capsys):
    tree = command_tree(app)
    lang_after_command(tree)
    assert tree.commands.made() == []
    tree.main(["annexes", "--annex", "1", "--format", "csv", "--lang", "ru"], prog_name="permitcli",
              standalone_mode=False)
    assert tree.commands.made() == ["annexes"]
    assert capsys.readouterr().out.startswith("annex,entry,code")
    assert "annexes" in tree.commands and "nothing" not in tree.commands
    assert list(tree.commands)[:4] == ["lookup", "annexes", "rules", "check"]


def test_the_list_of_commands_in_help_makes_none_of_them():
    tree, eager = command_tree(app), typer.main.get_command(app)
    text = tree.get_help(Context(tree, info_name="permitcli"))
    assert tree.commands.made() == []
    assert text == eager.get_help(Context(eager, info_name="permitcli"))
    assert "  check " in text and "  permits " in text
