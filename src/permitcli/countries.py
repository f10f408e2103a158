"""Country names and codes as invoices write them, resolved to ISO 3166-1 alpha-2 (never guessed)."""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from permitcli._paths import data_dir
from permitcli.datafiles import read_toml
from permitcli.errors import ConfigError

LANGUAGES = ("en", "ru", "kk")

_NOT_WORD = re.compile(r"[\W_]+")
_QUALIFIER = re.compile(r"^(?P<base>.*?)\s*\((?P<inner>[^()]*)\)\s*$", re.DOTALL)
_SIDES = re.compile(r"[/|\\\n\r]+")
_AMBIGUOUS = ""  # marks a key that names two countries: resolve to None rather than guess


def fold(text: str) -> str:
    """The matching key of a name: casefolded, accents and "ё" dots dropped, punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = decomposed if decomposed.isascii() else "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


class _Index(NamedTuple):  # tuples, not dataclasses: made at import far more cheaply
    exact: dict[str, str]  # folded name -> alpha-2 (or _AMBIGUOUS)
    compact: dict[str, str]  # folded name without spaces -> alpha-2 (or _AMBIGUOUS): "U. S. A." = "USA"
    prefixes: tuple[str, ...]  # folded words that may precede a name ("made in")
    harmless: frozenset[str]  # folded words that may follow a name in brackets ("(Республика)")


def _countries_file() -> Path:
    return data_dir() / "countries.toml"


@lru_cache(maxsize=1)
def _config() -> dict[str, object]:
    path = _countries_file()
    try:
        return read_toml(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: country data file is missing") from None
    except (OSError, ValueError) as exc:  # ValueError: tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: cannot read country data: {exc}") from None


def _pycountry():  # -> the pycountry module
    """pycountry, imported on first use: importing it costs start-up time (it reads its own package metadata),
    and the names in data/countries.toml answer most invoices without it."""
    import pycountry

    return pycountry


@lru_cache(maxsize=len(LANGUAGES))
def _translation(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    pycountry = _pycountry()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()  # a pycountry build without that locale: English names only


def _add(table: dict[str, str], key: str, alpha2: str) -> None:
    if not key:
        return
    known = table.get(key)
    if known is None:
        table[key] = alpha2
    elif known != alpha2:
        table[key] = _AMBIGUOUS


def _claim(owner: dict[str, str], names: list[str], alpha2: str, path: Path) -> None:
    for name in names:
        key = fold(name)
        if owner.get(key, alpha2) != alpha2:
            raise ConfigError(f"{path}: alias {name!r} is given for both {owner[key]} and {alpha2}")
        owner[key] = alpha2


class _Own(NamedTuple):
    """What data/countries.toml alone settles, without pycountry."""

    names: dict[str, str]  # folded alias or union name -> alpha-2 (these win over pycountry's names)
    codes: dict[str, str]  # folded [aliases] key ("cn") -> the alpha-2 code it is
    prefixes: tuple[str, ...]
    harmless: frozenset[str]


@lru_cache(maxsize=1)
def _own() -> _Own:
    config = _config()
    path = _countries_file()
    aliases = config.get("aliases", {})
    if not isinstance(aliases, dict):
        raise ConfigError(f"{path}: [aliases] must be a table of alpha-2 code = [names]")
    unions = config.get("unions", {})
    if not isinstance(unions, dict):
        raise ConfigError(f"{path}: [unions] must be a table of code = [names]")
    owner: dict[str, str] = {}
    for table, entries in (("aliases", aliases), ("unions", unions)):
        for alpha2, names in entries.items():
            if len(alpha2) != 2 or alpha2 != alpha2.upper() or not alpha2.isascii() or not alpha2.isalpha():
                raise ConfigError(f"{path}: [{table}] key {alpha2!r} is not a two-letter upper-case code")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ConfigError(f"{path}: [{table}] {alpha2} must be a list of names")
            _claim(owner, names, alpha2, path)
    raw_prefixes = config.get("prefixes", {})
    words = raw_prefixes.get("ignore", []) if isinstance(raw_prefixes, dict) else []
    prefixes = tuple(sorted({fold(w) for w in words if isinstance(w, str) and fold(w)}, key=len, reverse=True))
    raw_qualifiers = config.get("qualifiers", {})
    harmless = raw_qualifiers.get("harmless", []) if isinstance(raw_qualifiers, dict) else []
    return _Own(owner, {alpha2.lower(): alpha2 for alpha2 in aliases}, prefixes,
                frozenset(fold(w) for w in harmless if isinstance(w, str) and fold(w)))


@lru_cache(maxsize=1)
def _index() -> _Index:
    own = _own()
    pycountry = _pycountry()
    for alpha2 in own.codes.values():
        if pycountry.countries.get(alpha_2=alpha2) is None:
            raise ConfigError(f"{_countries_file()}: [aliases] key {alpha2!r} is not an ISO 3166-1 alpha-2 code")
    exact: dict[str, str] = {}
    compact: dict[str, str] = {}

    def add(name: str, alpha2: str, table_exact: dict[str, str], table_compact: dict[str, str]) -> None:
        key = fold(name)
        _add(table_exact, key, alpha2)
        _add(table_compact, key.replace(" ", ""), alpha2)

    # Codes first, then short names, then official names: a later, weaker kind never overrides or clouds an
    # earlier one (pycountry's Kazakh file gives Nepal's official name the short name of the Central African
    # Republic, for one).
    translations = [_translation(lang) for lang in LANGUAGES]
    countries = list(pycountry.countries)
    for attrs in (("alpha_2", "alpha_3"), ("name", "common_name"), ("official_name",)):
        layer_exact: dict[str, str] = {}
        layer_compact: dict[str, str] = {}
        for country in countries:
            for attr in attrs:
                name = getattr(country, attr, None)
                if not name:
                    continue
                if attr.startswith("alpha"):
                    add(name, country.alpha_2, layer_exact, layer_compact)
                    continue
                for tr in translations:
                    add(tr.gettext(name), country.alpha_2, layer_exact, layer_compact)
        for key, value in layer_exact.items():
            exact.setdefault(key, value)
        for key, value in layer_compact.items():
            compact.setdefault(key, value)
    for country in countries:
        exact.setdefault(country.numeric, country.alpha_2)
    for key, alpha2 in own.names.items():  # aliases win over pycountry, including over ambiguous keys
        exact[key] = alpha2
        compact[key.replace(" ", "")] = alpha2
    return _Index(exact, compact, own.prefixes, own.harmless)


def _lookup(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    own = _own()  # a name or a code countries.toml gives is what the whole index would say: pycountry waits
    found = own.names.get(key) or own.codes.get(key)
    if found:
        return found
    index = _index()
    if key.isdigit():
        return index.exact.get(key.zfill(3)) if len(key) <= 3 else None
    found = index.exact.get(key)
    if found is None:
        found = index.compact.get(key.replace(" ", ""))
    if found is None:
        for prefix in index.prefixes:  # "Made in China"
            if key.startswith(prefix + " "):
                found = index.exact.get(key[len(prefix) + 1 :])
                break
    return found or None  # _AMBIGUOUS is falsy


def _resolve_one(text: str) -> str | None:
    found = _lookup(text)
    if found:
        return found
    m = _QUALIFIER.match(text)  # "Корея (Республика)": the qualifier tried with, then without
    if not (m and m.group("base").strip()):
        return None
    base = _lookup(m.group("base"))
    inner = m.group("inner")
    if base is None or fold(inner) in _own().harmless or _lookup(inner) in (base, "EU"):
        return base  # "Германия (ЕС)": a member state with its union
    return None  # "Корея (КНДР)", "Китай (Тайвань)", "Корея (Северная)": the bracket changes the country


@lru_cache(maxsize=4096)
def resolve_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country written as a code, an English, Russian or Kazakh name, or an alias.

    Returns None for anything unknown or ambiguous. "CHINA/КИТАЙ" resolves when every side that names a
    country names the same one. The European Union itself ("Made in EU") gives "EU", ISO 3166-1's
    exceptionally reserved code, which is not a country: callers that need a country must check for it.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text.strip()
    if not text:
        return None
    found = _resolve_one(text)
    if found:
        return found
    sides = [s for s in _SIDES.split(text) if s.strip()]
    if len(sides) < 2:
        return None
    results = {r for r in (_resolve_one(s) for s in sides) if r}
    return results.pop() if len(results) == 1 else None


def country_name(alpha2: str, lang: str = "en") -> str:
    """The country's short name in English, Russian or Kazakh; an unknown code comes back as given."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    code = alpha2.strip().upper()
    names = _config().get("names", {})
    if isinstance(names, dict):
        override = names.get(lang, {})
        if isinstance(override, dict) and isinstance(override.get(code), str):
            return override[code]
    country = _pycountry().countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return alpha2
    if lang == "en":
        return getattr(country, "common_name", None) or country.name
    return _translation(lang).gettext(country.name)
