"""Kazakhstan's working days and the permit's time limits (rules p.8–10, p.16; rules annex 1, items 3 and 7)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import holidays

from permitcli.errors import ConfigError

# Kazakhstan has had one time zone, UTC+5, since 1 March 2024; the pilot runs from late 2025.
KZ_TIME = timezone(timedelta(hours=5), "UTC+05:00")
OPENS = time(9, 0)  # rules annex 1, item 7: Monday–Friday 9:00–17:30, lunch 12:30–14:30
CLOSES = time(17, 30)
REGISTRATION_DAYS = 1  # rules p.9.1: register within 1 working day of receipt
REVIEW_DAYS = 2  # rules p.9.2: check completeness within 2 working days
DECISION_DAYS = 2  # rules p.9.3: draft, approve and sign the permit or the refusal within 2 working days
REPORT_CALENDAR_DAYS = 15  # rules p.16: report on the permit's use within 15 calendar days after it expires


@functools.cache
def _kz() -> holidays.HolidayBase:
    # One lazily expanding calendar for the process: years are added the first time a date in them is asked.
    return holidays.country_holidays("KZ", language="en_US")


def _populated(day: date) -> holidays.HolidayBase:
    calendar = _kz()
    # A transfer can make a weekend day of the previous year a working day (e.g. 28 Dec 2013 for 3 Jan 2014):
    # the holidays package records that day when it fills the later year, so fill the next year too.
    for year in (day.year, day.year + 1):
        if year not in calendar.years:
            _ = date(year, 1, 1) in calendar
    return calendar


@functools.cache
def _kz_kazakh() -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", language="kk")


_RU_HOLIDAYS = {
    "New Year's Day": "Новый год", "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день", "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества", "Victory Day": "День Победы",
    "Capital Day": "День Столицы", "Eid al-Adha": "Курбан айт", "Constitution Day": "День Конституции",
    "Republic Day": "День Республики", "Independence Day": "День Независимости",
}
_RU_MARKS = {"observed": "перенесённый выходной", "estimated": "ориентировочно"}


_SUBSTITUTED = re.compile(r"Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)")  # the package writes MM/DD/YYYY


def holiday_name(day: date, english: str, lang: str) -> str:
    """A holiday's name in a language: the holidays package's own Kazakh names; Russian ones kept here."""
    if lang == "kk":
        return (_kz_kazakh().get(day) or english).replace("(бағаланған)", "(болжамды)")
    if lang == "ru":
        moved = _SUBSTITUTED.fullmatch(english)
        if moved:
            month, day_, year = moved.groups()
            return f"Выходной (перенесён с {day_}.{month}.{year})"
        base, _, mark = english.partition(" (")
        name = _RU_HOLIDAYS.get(base, base)
        mark = mark.rstrip(")")
        return f"{name} ({_RU_MARKS.get(mark, mark)})" if mark else name
    return english


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Kazakhstan's working days, with days the user knows better than the holidays package."""

    extra_days_off: frozenset[date] = frozenset()  # e.g. a transfer decreed after the package was released
    extra_working_days: frozenset[date] = frozenset()  # e.g. a Saturday made a working day by a transfer

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return _populated(day).is_working_day(day)

    def day_off_reason(self, day: date) -> str | None:
        """Why a day is not a working day (a holiday's English name, "weekend", "day off"), or None."""
        if day in self.extra_working_days:
            return None
        if day in self.extra_days_off:
            return "day off (given by the user)"
        calendar = _populated(day)
        if calendar.is_working_day(day):
            return None
        return calendar.get(day) or "weekend"

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day`; `day` itself is not counted."""
        if count < 0:
            raise ValueError("count must not be negative")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days(self, start: date, end: date) -> tuple[date, ...]:
        """The working days from `start` to `end`, both included."""
        days = []
        day = start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return tuple(days)


KZ_CALENDAR = WorkCalendar()


def is_working_day(day: date, calendar: WorkCalendar = KZ_CALENDAR) -> bool:
    """True when Kazakhstan's service providers work on `day` (weekends, holidays and transfers counted)."""
    return calendar.is_working_day(day)


def working_days(start: date, end: date, calendar: WorkCalendar = KZ_CALENDAR) -> tuple[date, ...]:
    """Kazakhstan's working days from `start` to `end`, both included."""
    return calendar.working_days(start, end)


def kz_local(moment: datetime) -> datetime:
    """A moment as Kazakhstan's wall-clock time; a naive datetime is taken to be Kazakhstan time already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(KZ_TIME).replace(tzinfo=None)


def received_on(filed: datetime, calendar: WorkCalendar = KZ_CALENDAR) -> date:
    """The day the provider receives an application filed at `filed`.

    The portal takes applications round the clock; one filed after 17:30, on a weekend or on a holiday is
    received on the next working day (rules annex 1, item 7). One filed before 9:00 on a working day is
    received that day.
    """
    local = kz_local(filed)
    day = local.date()
    if calendar.is_working_day(day) and local.time() < CLOSES:
        return day
    return calendar.next_working_day(day)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The clock of one application: when it is received, decided, valid until, and reported on."""

    filed: datetime  # Kazakhstan wall-clock time, naive
    received: date
    registration_due: date
    review_due: date
    decision_due: date
    # Rules annex 1 item 3 counts the 5 working days from registration (p.9 from receipt): the later reading
    decision_due_latest: date | None = None
    valid_until: date | None = None
    report_due: date | None = None
    issued: date | None = None

    def as_dict(self) -> dict[str, str]:
        """JSON-ready: ISO dates; `valid_until` and `report_due` only when the issue date is known."""
        out = {
            "filed": self.filed.isoformat(timespec="minutes"),
            "received": self.received.isoformat(),
            "registration_due": self.registration_due.isoformat(),
            "review_due": self.review_due.isoformat(),
            "decision_due": self.decision_due.isoformat(),
        }
        if self.decision_due_latest is not None:
            out["decision_due_latest"] = self.decision_due_latest.isoformat()
        if self.issued is not None and self.valid_until is not None and self.report_due is not None:
            out["issued"] = self.issued.isoformat()
            out["valid_until"] = self.valid_until.isoformat()
            out["report_due"] = self.report_due.isoformat()
        return out


def valid_until(issued: date) -> date:
    """A permit is valid to the end of the calendar year it was issued in (rules p.10)."""
    return date(issued.year, 12, 31)


def report_due(issued: date) -> date:
    """The last day of the 15 calendar days after the permit expires (rules p.16)."""
    return valid_until(issued) + timedelta(days=REPORT_CALENDAR_DAYS)


def deadlines(filed: datetime | date, issued: date | None = None, calendar: WorkCalendar = KZ_CALENDAR) -> Deadlines:
    """The time limits for an application filed at `filed` (Kazakhstan time if naive; a date alone is 9:00).

    The day of receipt is not counted: registration is due on the 1st working day after it, the completeness
    review 2 working days later, the decision 2 more (5 working days in all, rules p.8–9). Rules annex 1
    item 3 counts the 5 days from the day of registration instead: `decision_due_latest` is that reading, from
    the last day registration may take.
    """
    if not isinstance(filed, datetime):
        filed = datetime.combine(filed, time(9, 0))
    if isinstance(issued, datetime):
        issued = issued.date()
    received = received_on(filed, calendar)
    registration = calendar.add_working_days(received, REGISTRATION_DAYS)
    review = calendar.add_working_days(registration, REVIEW_DAYS)
    decision = calendar.add_working_days(review, DECISION_DAYS)
    return Deadlines(
        filed=kz_local(filed),
        received=received,
        registration_due=registration,
        review_due=review,
        decision_due=decision,
        decision_due_latest=calendar.add_working_days(registration, REGISTRATION_DAYS + REVIEW_DAYS + DECISION_DAYS),
        valid_until=valid_until(issued) if issued else None,
        report_due=report_due(issued) if issued else None,
        issued=issued,
    )


# ------------------------------------------------------------------------------------------ the pilot's term

PUBLISHED_ENV = "PERMITCLI_ORDER_PUBLISHED"
IN_FORCE_ENV = "PERMITCLI_ORDER_IN_FORCE"


@dataclass(frozen=True, slots=True)
class PilotTerm:
    """When the order runs (order p.11): in force ten calendar days after the day of first official publication,
    for one year. None where the date is not known (the order's text does not give its publication date)."""

    published: date | None
    in_force: date | None
    ends: date | None  # the last day in force
    source: str  # where the dates come from: the manifest, an environment variable, or "unknown"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "published": self.published.isoformat() if self.published else None,
            "in_force": self.in_force.isoformat() if self.in_force else None,
            "ends": self.ends.isoformat() if self.ends else None,
            "source": self.source,
        }


def _one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the last day of that month
        return day.replace(year=day.year + 1, day=28)


def pilot_term(manifest_dates: Mapping[str, object], environ: Mapping[str, str]) -> PilotTerm:
    """The order's dates: the environment variables win over `[dates]` in manifest.toml; either may be unset."""

    def read(env: str, key: str) -> tuple[date | None, str]:
        for text, source in ((environ.get(env, ""), env), (str(manifest_dates.get(key) or ""), f"manifest {key}")):
            if text.strip():
                try:
                    return date.fromisoformat(text.strip()), source
                except ValueError:
                    raise ConfigError(f"{source}: {text.strip()!r} is not a date (YYYY-MM-DD)") from None
        return None, ""

    published, p_source = read(PUBLISHED_ENV, "published")
    in_force, f_source = read(IN_FORCE_ENV, "in_force")
    if in_force is None and published is not None:
        # "ten calendar days after the day of publication": the days after it are counted, the eleventh is in force
        in_force = published + timedelta(days=11)
    # a term in years runs out on the same month and day of its last year (Civil Code, art. 176)
    ends = _one_year_later(in_force) if in_force else None
    return PilotTerm(published, in_force, ends, f_source or p_source or "unknown")
