"""The applicant profile and the shipment file: TOML read, checked key by key, and written atomically."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from permitcli.errors import ConfigError, OutputError, PermitError, UsageError
from permitcli.files import make_folder, write_file_atomic

APP_NAME = "permitcli"
PROFILE_FILE = "profile.toml"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_PHONE = re.compile(r"^\+?[\d\s()\-]+$")


# ---------------------------------------------------------------------------------------------- checks


def bin_control_digit(first11: str) -> int | None:
    """The 12th digit of a Kazakh IIN/BIN from its first 11, or None when the number cannot exist.

    Weights 1..11, remainder of 11; when that remainder is 10, weights 3..11, 1, 2; a second 10 means no such number.
    """
    digits = [int(c) for c in first11]
    remainder = sum(w * d for w, d in zip(range(1, 12), digits, strict=True)) % 11
    if remainder == 10:
        remainder = sum(w * d for w, d in zip((*range(3, 12), 1, 2), digits, strict=True)) % 11
        if remainder == 10:
            return None
    return remainder


def check_bin(value: str) -> str:
    """A BIN (or IIN) as 12 digits with a right control digit; ValueError says what is wrong."""
    digits = re.sub(r"[\s\u00a0]", "", value)
    if not (digits.isascii() and digits.isdigit() and len(digits) == 12):
        raise ValueError("must be 12 digits")
    control = bin_control_digit(digits[:11])
    if control is None:
        raise ValueError("not a valid BIN: no control digit fits the first 11 digits")
    if control != int(digits[11]):
        raise ValueError(f"wrong control digit: a BIN starting {digits[:11]} ends in {control}")
    return digits


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValueError("must not be empty")
    if _CONTROL.search(value.replace("\n", " ").replace("\t", " ").replace("\r", " ")):
        raise ValueError("holds control characters")
    if len(text) > 500:
        raise ValueError("longer than 500 characters")
    return text


def _phone(value: str) -> str:
    text = _text(value)
    digits = sum(c.isdigit() for c in text)
    if not _PHONE.match(text) or not 10 <= digits <= 15:
        raise ValueError("must be a phone number of 10 to 15 digits, e.g. +7 701 234 56 78")
    return text


def _bin(value: str) -> str:
    return check_bin(_text(value))


def _country(value: str) -> str:
    import pycountry  # imported here: loading it costs start-up time

    code = value.strip().upper()
    if not (len(code) == 2 and code.isascii() and code.isalpha()) or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value.strip()!r} is not an ISO 3166-1 two-letter country code (e.g. RU)")
    return code


def _currency(value: str) -> str:
    import pycountry

    code = value.strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()) or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{value.strip()!r} is not an ISO 4217 three-letter currency code (e.g. USD)")
    return code


# --------------------------------------------------------------------------------------------- profile

PROFILE_KEYS: dict[str, Callable[[str], str]] = {
    "applicant.name": _text,
    "applicant.bin": _bin,
    "applicant.address": _text,
    "authorized_person.full_name": _text,
    "authorized_person.position": _text,
    "authorized_person.phone": _phone,
}
PROFILE_LABELS: dict[str, str] = {
    "applicant.name": "Applicant's name (legal entity or individual entrepreneur)",
    "applicant.bin": "BIN (12 digits)",
    "applicant.address": "Applicant's address",
    "authorized_person.full_name": "Authorized person: surname, name, patronymic",
    "authorized_person.position": "Authorized person: position",
    "authorized_person.phone": "Authorized person: phone",
}


@dataclass(frozen=True, slots=True)
class Applicant:
    """Form 2 field 5."""

    name: str
    bin: str
    address: str


@dataclass(frozen=True, slots=True)
class AuthorizedPerson:
    """Form 2 field 17."""

    full_name: str
    position: str
    phone: str


@dataclass(frozen=True, slots=True)
class Profile:
    """The applicant and the person who signs for it."""

    applicant: Applicant
    authorized_person: AuthorizedPerson

    def as_dict(self) -> dict[str, dict[str, str]]:
        return {
            "applicant": {"name": self.applicant.name, "bin": self.applicant.bin, "address": self.applicant.address},
            "authorized_person": {
                "full_name": self.authorized_person.full_name,
                "position": self.authorized_person.position,
                "phone": self.authorized_person.phone,
            },
        }

    def flat(self) -> dict[str, str]:
        """Every key as "table.key" -> value, in the order of PROFILE_KEYS."""
        nested = self.as_dict()
        return {key: nested[key.split(".")[0]][key.split(".")[1]] for key in PROFILE_KEYS}


def default_profile_path() -> Path:
    """profile.toml in the user's config folder for permitcli (platformdirs)."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / PROFILE_FILE


def _read_toml(path: Path, what: str) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no {what} file there") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a {what} file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} file: {exc.strerror or exc}") from None


def _flatten(doc: dict, source: str, known: Mapping[str, object]) -> dict[str, object]:
    """{"a": {"b": 1}} -> {"a.b": 1}; unknown tables or keys are errors naming the key."""
    tables = {key.split(".")[0] for key in known}
    flat: dict[str, object] = {}
    for table, content in doc.items():
        if table not in tables:
            raise ConfigError(f"{source}: {table}: unknown table (known: {', '.join(sorted(tables))})")
        if not isinstance(content, dict):
            raise ConfigError(f"{source}: {table}: must be a table ([{table}])")
        for key, value in content.items():
            full = f"{table}.{key}"
            if full not in known:
                names = ", ".join(k for k in known if k.startswith(table + "."))
                raise ConfigError(f"{source}: {full}: unknown key (known in [{table}]: {names})")
            flat[full] = value
    return flat


def _profile_value(source: str, key: str, value: object, error: type[PermitError] = ConfigError) -> str:
    """One value checked; a bad one raises `error` (ConfigError for a file, UsageError for what was typed)."""
    if isinstance(value, bool) or not isinstance(value, str):
        kind = "a number" if isinstance(value, (int, float)) else type(value).__name__
        hint = " (a number loses leading zeros)" if key == "applicant.bin" else ""
        raise error(f'{source}: {key}: must be text in quotes, not {kind}{hint}')
    try:
        return PROFILE_KEYS[key](value)
    except ValueError as exc:
        raise error(f"{source}: {key}: {exc}") from None


def profile_from_values(
    values: Mapping[str, object], source: str, error: type[PermitError] = ConfigError
) -> Profile:
    """A Profile from "table.key" -> value; every key is required and checked (a bad one raises `error`)."""
    unknown = sorted(k for k in values if k not in PROFILE_KEYS)
    if unknown:
        raise error(f"{source}: {unknown[0]}: unknown key (known: {', '.join(PROFILE_KEYS)})")
    checked: dict[str, str] = {}
    for key in PROFILE_KEYS:
        if key not in values or values[key] is None:
            raise error(f"{source}: {key}: missing; set it with: permitcli profile set {key} VALUE")
        checked[key] = _profile_value(source, key, values[key], error)
    return Profile(
        applicant=Applicant(checked["applicant.name"], checked["applicant.bin"], checked["applicant.address"]),
        authorized_person=AuthorizedPerson(
            checked["authorized_person.full_name"],
            checked["authorized_person.position"],
            checked["authorized_person.phone"],
        ),
    )


def load_profile(path: Path | None = None) -> Profile:
    """Read and check the profile; a missing file or key is a ConfigError naming the file and the key."""
    path = Path(path) if path is not None else default_profile_path()
    if not path.exists():
        raise ConfigError(f"{path}: no applicant profile there; create it with: permitcli profile init")
    flat = _flatten(_read_toml(path, "profile"), str(path), PROFILE_KEYS)
    return profile_from_values(flat, str(path))


def read_profile_values(path: Path) -> dict[str, str]:
    """The keys a profile file holds, checked one by one but not required to be complete (for `profile show`)."""
    flat = _flatten(_read_toml(path, "profile"), str(path), PROFILE_KEYS)
    return {key: _profile_value(str(path), key, flat[key]) for key in PROFILE_KEYS if key in flat}


def _nest(flat: Mapping[str, object]) -> dict[str, dict[str, object]]:
    doc: dict[str, dict[str, object]] = {}
    for key in PROFILE_KEYS:
        if key in flat:
            table, name = key.split(".")
            doc.setdefault(table, {})[name] = flat[key]
    return doc


def _dump(flat: Mapping[str, object]) -> bytes:
    import tomli_w

    return tomli_w.dumps(_nest(flat)).encode("utf-8")


def save_profile(path: Path, profile: Profile, *, overwrite: bool = True) -> Path:
    """Write the profile as TOML (atomically), creating its folder."""
    path = Path(path)
    make_folder(path.parent)
    write_file_atomic(path, _dump(profile.flat()), overwrite=overwrite)
    return path


def init_profile(path: Path, values: Mapping[str, str], *, force: bool = False) -> Profile:
    """Check every key and write a new profile; an existing file needs `force`."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputError(f"{path}: a profile already exists; use --force to replace it, or: permitcli profile set")
    profile = profile_from_values(values, "profile init", UsageError)  # typed in: a bad value is a usage error
    save_profile(path, profile, overwrite=True)
    return profile


def set_profile_value(path: Path, key: str, value: str) -> str:
    """Check one value and store it in the profile (created when missing); returns the value as stored."""
    path = Path(path)
    if key not in PROFILE_KEYS:
        raise UsageError(f"profile set: {key}: unknown key (known: {', '.join(PROFILE_KEYS)})")
    checked = _profile_value("profile set", key, value, UsageError)
    flat: dict[str, object] = {}
    if path.exists():
        flat = _flatten(_read_toml(path, "profile"), str(path), PROFILE_KEYS)
    flat[key] = checked
    make_folder(path.parent)
    write_file_atomic(path, _dump(flat), overwrite=True)  # other keys are kept as they were, even if wrong
    return checked


# -------------------------------------------------------------------------------------------- shipment


def _contract_date(value: object) -> date:
    if isinstance(value, datetime):
        raise ValueError("must be a date (2026-10-01), not a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", text)
        try:
            if m:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError("must be a date: 2026-10-01 (or 01.10.2026)")


def _rate(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("must be a number, e.g. 1.0")
    try:
        rate = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a number, e.g. 1.0") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError("must be a number greater than 0")
    return rate


def _as_text(check: Callable[[str], object]) -> Callable[[object], object]:
    def run(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError("must be text in quotes")
        return check(value)

    return run


# key -> (check, required, CLI option)
SHIPMENT_KEYS: dict[str, tuple[Callable[[object], object], bool, str]] = {
    "contract.number": (_as_text(_text), True, "--contract-number"),
    "contract.date": (_contract_date, True, "--contract-date"),
    "contract.currency": (_as_text(_currency), True, "--currency"),
    "buyer.name": (_as_text(_text), True, "--buyer-name"),
    "buyer.address": (_as_text(_text), True, "--buyer-address"),
    "buyer.country": (_as_text(_country), True, "--buyer-country"),
    "shipment.destination": (_as_text(_country), True, "--destination"),
    "shipment.border_crossing": (_as_text(_text), True, "--border-crossing"),
    "shipment.statistical_value_rate": (_rate, False, "--statistical-value-rate"),
    "shipment.final_destination": (_as_text(_country), False, "--final-destination"),
    # The applicant (field 5) when it is not the profile's company: the foreign-trade participant whose
    # contract is in field 4 (rules p.2.2, p.5), e.g. the broker's client. All three keys, or none.
    "applicant.name": (_as_text(_text), False, "--applicant"),
    "applicant.bin": (_as_text(_bin), False, "--applicant-bin"),
    "applicant.address": (_as_text(_text), False, "--applicant-address"),
}
_APPLICANT_KEYS = ("applicant.name", "applicant.bin", "applicant.address")


@dataclass(frozen=True, slots=True)
class Shipment:
    """The contract, the buyer and the route: Form 2 fields 4, 6–9, 11 and 16."""

    contract_number: str
    contract_date: date
    currency: str
    buyer_name: str
    buyer_address: str
    buyer_country: str
    destination: str
    border_crossing: str
    statistical_value_rate: Decimal | None = None  # contract currency -> USD, for field 11
    final_destination: str | None = None  # where the goods end up when they only pass the destination (transit)
    applicant: Applicant | None = None  # field 5 when it is not the profile's company (a client)


def load_shipment(path: Path | None, overrides: Mapping[str, object] | None = None) -> Shipment:
    """Read the shipment TOML (optional) and lay the options over it; every key is checked.

    `overrides` maps "table.key" to a value given on the command line (None: not given).
    """
    values: dict[str, tuple[object, str, type[PermitError]]] = {}
    if path is not None:
        path = Path(path)
        flat = _flatten(_read_toml(path, "shipment"), str(path), SHIPMENT_KEYS)
        values = {key: (value, f"{path}: {key}", ConfigError) for key, value in flat.items()}
    for key, value in (overrides or {}).items():
        if key not in SHIPMENT_KEYS:
            raise ValueError(f"unknown shipment key {key!r}")
        if value is not None:
            values[key] = (value, SHIPMENT_KEYS[key][2], UsageError)  # an option: a bad value is a usage error
    checked: dict[str, object] = {}
    for key, (check, required, option) in SHIPMENT_KEYS.items():
        if key not in values:
            if required:
                if path is None:  # no file: the option is what is missing
                    raise UsageError(f"shipment: {key}: missing; put it in a shipment file (--shipment) or give {option}")
                raise ConfigError(f"{path}: {key}: missing; put it in the shipment file or give {option}")
            checked[key] = None
            continue
        value, where, error = values[key]
        try:
            checked[key] = check(value)
        except ValueError as exc:
            raise error(f"{where}: {exc}") from None
    given = [k for k in _APPLICANT_KEYS if checked.get(k) is not None]
    if given and len(given) < len(_APPLICANT_KEYS):
        key = next(k for k in _APPLICANT_KEYS if checked.get(k) is None)
        error = values[given[0]][2]
        where = f"{path}: " if error is ConfigError else "shipment: "
        raise error(f"{where}{key}: missing; the applicant needs its name, BIN and address "
                    f"(or none of them, and the profile's company is the applicant)")
    applicant = Applicant(*(str(checked[k]) for k in _APPLICANT_KEYS)) if given else None
    return Shipment(
        contract_number=str(checked["contract.number"]),
        contract_date=checked["contract.date"],  # type: ignore[arg-type]
        currency=str(checked["contract.currency"]),
        buyer_name=str(checked["buyer.name"]),
        buyer_address=str(checked["buyer.address"]),
        buyer_country=str(checked["buyer.country"]),
        destination=str(checked["shipment.destination"]),
        border_crossing=str(checked["shipment.border_crossing"]),
        statistical_value_rate=checked["shipment.statistical_value_rate"],  # type: ignore[arg-type]
        final_destination=checked["shipment.final_destination"],  # type: ignore[arg-type]
        applicant=applicant,
    )
