"""The register's data shapes and the rules a record must keep (pure: no database, no terminal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from permitcli._paths import data_dir
from permitcli.datafiles import read_toml
from permitcli.errors import ConfigError, RefusedError, UsageError

# The permit's term as permitcli.clock computes it (rules p.10 and p.16), without loading clock's holiday
# calendars, which `check --permits` does not need; a test keeps the two equal.
REPORT_CALENDAR_DAYS = 15
KZ_TIME = timezone(timedelta(hours=5), "UTC+05:00")


def kz_today() -> date:
    """Today in Kazakhstan: the day permits are judged by."""
    return datetime.now(KZ_TIME).date()


def valid_until(issued: date) -> date:
    """A permit is valid to 31 December of the year it was issued in (rules p.10)."""
    return date(issued.year, 12, 31)


ACTIVE = "active"
TERMINATED = "terminated"
EXPIRED = "expired"
EXHAUSTED = "exhausted"


@dataclass(frozen=True, slots=True)
class Permit:
    """One issued permit as the register keeps it: Form 2's content, the issue date and its state."""

    number: str
    committee: str
    annex: int | None
    code: str
    origin: str
    quantity: Decimal
    unit: str
    unit_code: str  # the EAEU unit code when the unit is one the units table knows, else the unit as written
    issued: date
    goods: str = ""
    value: Decimal | None = None
    currency: str = ""
    destination: str = ""
    buyer: str = ""
    contract_number: str = ""
    contract_date: date | None = None
    border_crossing: str = ""
    applicant_bin: str = ""
    source_rows: tuple[int, ...] = ()
    status: str = ACTIVE  # active | terminated (as stored; see state() for expired and exhausted)
    terminated_on: date | None = None
    termination_ground: str = ""  # the letter of rules p.14

    @property
    def valid_until(self) -> date:
        """31 December of the year of issue (rules p.10)."""
        return valid_until(self.issued)

    @property
    def ends(self) -> date:
        """The last day it can be used: the termination date, if terminated, else valid_until."""
        return self.terminated_on if self.terminated_on is not None else self.valid_until

    @property
    def report_due(self) -> date:
        """The last day to report on its use: 15 calendar days after it ends (rules p.16)."""
        return self.ends + timedelta(days=REPORT_CALENDAR_DAYS)


@dataclass(frozen=True, slots=True)
class Use:
    """One entry against a permit: an export (a positive quantity) or the reversal of one (its negative)."""

    id: int
    declaration: str
    date: date
    quantity: Decimal
    value: Decimal | None = None
    reverses: int | None = None  # the id of the entry this one undoes
    recorded_at: str = ""
    recorded_by: str = ""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change to the register: when, what, by whom. The history is only ever added to."""

    id: int
    at: str  # ISO 8601, UTC
    by: str
    action: str  # add | use | reverse | terminate | import
    number: str
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PermitRecord:
    """A permit with its uses: what has been drawn and what remains."""

    permit: Permit
    uses: tuple[Use, ...] = ()

    @property
    def used(self) -> Decimal:
        return sum((u.quantity for u in self.uses), Decimal(0))

    @property
    def used_value(self) -> Decimal | None:
        values = [u.value for u in self.uses if u.value is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def remaining(self) -> Decimal:
        return self.permit.quantity - self.used

    def reversed_ids(self) -> frozenset[int]:
        return frozenset(u.reverses for u in self.uses if u.reverses is not None)

    def state(self, today: date) -> str:
        """active, exhausted (nothing left), expired (past valid_until) or terminated."""
        if self.permit.status == TERMINATED:
            return TERMINATED
        if today > self.permit.valid_until:
            return EXPIRED
        if self.remaining <= 0:
            return EXHAUSTED
        return ACTIVE


# ------------------------------------------------------------------------------------------------ checks


def parse_quantity(text: str | Decimal | int, what: str = "--quantity", *, allow_zero: bool = False) -> Decimal:
    """A positive exact decimal, as typed (`12.5`, `12,5`); anything else is a UsageError."""
    raw = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise UsageError(f"{what}: {text!r} is not a number") from None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise UsageError(f"{what}: {text!r} must be a number above 0")
    return value


def check_draw(record: PermitRecord, quantity: Decimal, day: date, unit_code: str | None = None) -> None:
    """Refuse a draw-down the permit does not allow (RefusedError); returns when it may be written."""
    permit = record.permit
    number = permit.number
    if permit.status == TERMINATED:
        raise RefusedError(f"permit {number}: terminated on {permit.terminated_on}; it cannot be used")
    if unit_code is not None and unit_code != permit.unit_code:
        raise RefusedError(f"permit {number}: issued in {permit.unit}; a use must be in that unit")
    if day < permit.issued:
        raise RefusedError(f"permit {number}: {day} is before its issue date {permit.issued}")
    if day > permit.valid_until:
        raise RefusedError(f"permit {number}: {day} is after it expired on {permit.valid_until}")
    remaining = record.remaining
    if quantity > remaining:
        raise RefusedError(f"permit {number}: {format_decimal(quantity)} {permit.unit} is more than the "
                           f"{format_decimal(remaining)} {permit.unit} that remain")


def check_reversal(record: PermitRecord, use_id: int) -> Use:
    """The entry a reversal undoes, or a RefusedError: unknown, itself a reversal, or reversed already."""
    number = record.permit.number
    target = next((u for u in record.uses if u.id == use_id), None)
    if target is None:
        raise RefusedError(f"permit {number}: it has no use {use_id}")
    if target.reverses is not None:
        raise RefusedError(f"permit {number}: use {use_id} is itself a reversal; record the use again instead")
    if use_id in record.reversed_ids():
        raise RefusedError(f"permit {number}: use {use_id} is reversed already")
    return target


def format_decimal(value: Decimal) -> str:
    """An exact decimal as people write it: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# ------------------------------------------------------------------------------------ termination grounds


@dataclass(frozen=True, slots=True)
class Ground:
    """A ground for terminating a permit (rules p.14)."""

    letter: str
    latin: str
    slug: str
    text: dict[str, str]


@lru_cache(maxsize=1)
def termination_grounds() -> tuple[Ground, ...]:
    path = data_dir() / "permits.toml"
    try:
        rows = read_toml(path)["termination_grounds"]
        return tuple(Ground(str(r["letter"]), str(r["latin"]), str(r["slug"]),
                            {lang: str(r[lang]) for lang in ("kk", "ru", "en")}) for r in rows)
    except FileNotFoundError:
        raise ConfigError(f"{path}: the register's rule table is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # ValueError: tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: cannot read the termination grounds: {exc!r}") from None


def ground_of(text: str) -> Ground:
    """The ground a letter names: Cyrillic а–ж as the rules print them, or a Latin a, b, v, g, d, e, zh."""
    key = text.strip().strip(")").lower()
    for ground in termination_grounds():
        if key in (ground.letter, ground.latin, ground.slug):
            return ground
    letters = ", ".join(g.letter for g in termination_grounds())
    raise UsageError(f"--ground: {text!r} is no ground of rules p.14 (one of {letters})")
