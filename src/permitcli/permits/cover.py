"""`check --permits`: invoice lines that need a permit, matched against the permits held.

A `permit-required` line whose committee, code, origin, unit and destination match an active permit with enough
left becomes `covered`, and what it draws is set aside for the lines after it in the same run (the register
itself is never written). A line that matches only permits without enough left stays `permit-required` with a
`permit-insufficient` finding (a used-up permit too). Pure: the permits come in as records, the lines as screened lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from datetime import date
from decimal import Decimal

from permitcli.model import Finding, ScreenedLine, Status
from permitcli.permits.model import ACTIVE, EXHAUSTED, PermitRecord, format_decimal

_MESSAGES = {
    "covered-by-permit": (
        "covered by permit {number}: {remaining} {unit} left after this line",
        "покрыто разрешением {number}: после этой строки остаётся {remaining} {unit}",
        "{number} рұқсатымен қамтылған: осы жолдан кейін {remaining} {unit} қалады",
    ),
    "permit-insufficient": (
        "permit {number} has {remaining} {unit} left, the line needs {needed} {unit}",
        "по разрешению {number} осталось {remaining} {unit}, для строки нужно {needed} {unit}",
        "{number} рұқсаты бойынша {remaining} {unit} қалды, жолға {needed} {unit} қажет",
    ),
}


def _message(key: str, lang: str, **params: object) -> str:
    texts = _MESSAGES[key]
    return texts[("en", "ru", "kk").index(lang) if lang in ("en", "ru", "kk") else 0].format(**params)


class CoveredLine(ScreenedLine):
    """A screened line that a permit held covers: `permit` is {"number", "remaining"} (after this line), the
    field JSON writes after the others."""

    FIELDS = (*ScreenedLine.FIELDS, "permit")
    __slots__ = ("permit",)

    def __init__(self, *args: Any, permit: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permit = permit


@dataclass(slots=True)
class _Holding:
    number: str
    committee: str
    code: str
    origin: str
    destination: str
    unit: str
    unit_code: str
    valid_until: date
    remaining: Decimal


@dataclass
class Cover:
    """The active permits of the register as one run of `check` draws on them, line after line."""

    holdings: list[_Holding] = field(default_factory=list)
    lang: str = "en"
    _by_code: dict[str, list[_Holding]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for holding in self.holdings:
            self._by_code.setdefault(holding.code, []).append(holding)

    @classmethod
    def of(cls, records: Iterable[PermitRecord], today: date, lang: str = "en") -> Cover:
        """The permits in their term on `today` (used up ones too: a line they cannot cover is told so), those
        that expire first first."""
        held = [
            _Holding(p.number, p.committee, p.code, p.origin, p.destination, p.unit, p.unit_code, p.valid_until,
                     r.remaining)
            for r in records
            for p in (r.permit,)
            if r.state(today) in (ACTIVE, EXHAUSTED) and p.issued <= today
        ]
        held.sort(key=lambda h: (h.valid_until, h.number))
        return cls(held, lang)

    def line(self, line: ScreenedLine) -> ScreenedLine:
        """The line as the permits held leave it: covered, short of a permit, or as it was."""
        if line.status is not Status.PERMIT_REQUIRED or line.quantity is None:
            return line
        candidates = self._by_code.get(line.code or "")
        if not candidates:
            return line
        from permitcli.units import unit_key

        unit = unit_key(line.unit or "")
        matching = [h for h in candidates
                    if h.committee == line.committee and h.origin == line.origin and h.unit_code == unit
                    and (line.destination is None or h.destination in ("", line.destination))]
        if not matching:
            return line
        for holding in matching:
            if holding.remaining >= line.quantity:
                holding.remaining -= line.quantity
                left = format_decimal(holding.remaining)
                finding = Finding("covered-by-permit", _message("covered-by-permit", self.lang, number=holding.number,
                                                                remaining=left, unit=holding.unit))
                values = {name: getattr(line, name) for name in ScreenedLine.FIELDS}
                values.update(status=Status.COVERED, findings=line.findings + (finding,),
                              permit={"number": holding.number, "remaining": left})
                return CoveredLine(**values)
        best = max(matching, key=lambda h: h.remaining)
        finding = Finding("permit-insufficient", _message(
            "permit-insufficient", self.lang, number=best.number, remaining=format_decimal(best.remaining),
            needed=format_decimal(line.quantity), unit=best.unit))
        values = {name: getattr(line, name) for name in ScreenedLine.FIELDS}
        values["findings"] = line.findings + (finding,)
        return ScreenedLine(**values)

    def lines(self, lines: Iterable[ScreenedLine]) -> Iterator[ScreenedLine]:
        """Each line as the permits held leave it, in order: earlier lines draw first."""
        for line in lines:
            yield self.line(line)


def cover_lines(lines: Iterable[ScreenedLine], records: Iterable[PermitRecord], today: date,
                lang: str = "en") -> list[ScreenedLine]:
    """Screened lines, updated by the permits held (see Cover)."""
    return list(Cover.of(records, today, lang).lines(lines))
