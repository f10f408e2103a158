"""Units of measure as invoices write them ("шт", "шт.", "ШТ", "pcs"), told apart by their EAEU unit code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from permitcli._paths import data_dir
from permitcli.datafiles import read_toml
from permitcli.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of the EAEU classifier: its code and the short name a draft writes."""

    code: str
    name: str


def _key(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).lower()


@lru_cache(maxsize=1)
def _table() -> dict[str, Unit]:
    path = data_dir() / "units.toml"
    try:
        units = read_toml(path)["units"]
        table: dict[str, Unit] = {}
        for code, entry in units.items():
            unit = Unit(str(code), str(entry["name"]))
            for name in [entry["name"], *entry["names"]]:
                key = _key(str(name))
                if table.get(key, unit) != unit:
                    raise ConfigError(f"{path}: unit name {name!r} is given for both {table[key].code} and {code}")
                table[key] = unit
        return table
    except FileNotFoundError:
        raise ConfigError(f"{path}: the units file is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # ValueError: tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: cannot read the units: {exc!r}") from None


def unit_of(text: str) -> Unit | None:
    """The classifier unit a unit cell names, or None when it names none this table knows."""
    return _table().get(_key(text))


def unit_key(text: str) -> str:
    """What makes two units one for grouping: the unit code when known, else the text (case and spacing aside)."""
    unit = unit_of(text)
    return unit.code if unit is not None else " ".join(text.split()).lower()


def unit_name(text: str) -> str:
    """The unit as a draft writes it: the classifier's short name when known, else the text as written."""
    unit = unit_of(text)
    return unit.name if unit is not None else " ".join(text.split())


_SCALED = frozenset({"тыс", "тысяч", "млн", "thousand", "thousands", "million", "mln", "'000"})
_HEADING_PARTS = re.compile(r"[,;:/|\\()\[\]\n\r]+")  # "Q-ty, Sets", "Quantity(SF)", "Кол-во / шт"


def unit_in_heading(text: str) -> str:
    """The unit a quantity heading names, as written there: "Sets" in "Q-ty, Sets", "шт" in "Кол-во, шт", "SF"
    in "Quantity(SF)", "штук" in "Кол-во штук"; "" when it names none this table knows, or several.

    A part of the heading between commas, brackets or slashes counts whole ("Кол-во, м"); inside a part of several
    words only a word of two letters or more counts ("Quantity in pcs"), so no stray letter is taken for a unit.
    """
    found: dict[str, str] = {}  # unit code -> the text that names it
    for part in _HEADING_PARTS.split(text):
        part = part.strip(" .-–—\t")
        if not part:
            continue
        words = [word.strip(".") for word in part.split()]
        if any(word.lower() in _SCALED for word in words):
            continue  # "тыс. шт": thousands of a unit, which no unit of the table is
        unit = unit_of(part)
        if unit is not None:
            found.setdefault(unit.code, part)
            continue
        for word in words:
            unit = unit_of(word) if len(word) >= 2 else None
            if unit is not None:
                found.setdefault(unit.code, word)
    return next(iter(found.values())) if len(found) == 1 else ""
