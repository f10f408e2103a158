"""Exit codes and the one exception hierarchy of permitcli."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes; the README documents each one."""

    OK = 0  # nothing needs a permit or review
    FINDINGS = 1  # at least one line crosses the --fail-on threshold
    USAGE = 2  # bad options or arguments (also Typer/Click's own usage errors)
    INPUT = 3  # an input file could not be read; the permit register refuses a record
    OUTPUT = 4  # an output could not be written (exists without --force, disk error)
    CONFIG = 5  # profile, shipment or data files are missing or broken; the permit register cannot be used
    INTERNAL = 70  # a bug: please report it (run again with --debug)


class PermitError(Exception):
    """Base class for every error that stops a run (or a file) with a one-line message."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(PermitError):
    """Options or arguments that make no sense."""

    exit_code = ExitCode.USAGE


class InputError(PermitError):
    """An input file (invoice) that cannot be read."""

    exit_code = ExitCode.INPUT


class OutputError(PermitError):
    """An output that cannot be written."""

    exit_code = ExitCode.OUTPUT


class ConfigError(PermitError):
    """A profile, shipment or data file that is missing or broken."""

    exit_code = ExitCode.CONFIG


class RefusedError(InputError):
    """The permit register refuses a record: an unknown or duplicate number, a draw-down beyond what remains,
    a unit that is not the permit's, a date outside the permit's term, a terminated permit. Nothing is written."""


class RegisterError(ConfigError):
    """The permit register cannot be used: an unreachable server, a wrong password, a locked or corrupt file, a
    schema newer than this program. The message never holds a password."""
