"""Units of measure as invoices write them ("шт", "шт.", "ШТ", "pcs"), told apart by their EAEU unit code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from permitcli._paths import data_dir
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
        with path.open("rb") as fh:
            units = tomllib.load(fh)["units"]
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
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
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
