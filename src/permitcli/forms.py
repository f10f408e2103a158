"""Form 2 application drafts (rules annex 2): group the lines that need a permit, fill fields 1–18, write xlsx or JSON."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from permitcli.codes import format_code
from permitcli.config import Profile, Shipment
from permitcli.errors import InputError, OutputError
from permitcli.files import make_folder, write_files_atomic
from permitcli.i18n import label, message, point_text, rows_text
from permitcli.model import ScreenedLine, Status
from permitcli.screen import application_key
from permitcli.units import unit_name

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from permitcli.catalog import Catalog, Rules

SCHEMA = "permitcli.draft/1"
FORMATS = ("xlsx", "json")
EXPORT = "ЭКСПОРТ"  # field 3: the permit type, as printed on the form
CENT = Decimal("0.01")
_DRAFTED = (Status.PERMIT_REQUIRED, Status.REFUSAL_RISK)
_FORMULA_START = ("=", "+", "-", "@")
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# ------------------------------------------------------------------------------------------------ grouping


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A line that needs a permit but cannot go into a draft as it stands."""

    rows: tuple[int, ...]
    message: str


@dataclass(frozen=True, slots=True)
class Group:
    """The invoice lines that make one application: one committee, code, origin and unit."""

    committee: str
    annex: int
    code: str
    origin: str
    unit: str
    quantity: Decimal
    value: Decimal
    currency: str  # the lines' currency; "" when none of them says
    lines: tuple[ScreenedLine, ...]
    documents: tuple[int, ...]

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(line.row for line in self.lines)

    @property
    def refusal_risk(self) -> bool:
        return any(line.status is Status.REFUSAL_RISK for line in self.lines)


@dataclass(frozen=True, slots=True)
class DraftPlan:
    """What the drafts will hold, and what was left out and why."""

    groups: tuple[Group, ...]
    left_out: dict[str, int]  # status -> lines not drafted
    review: tuple[ScreenedLine, ...]  # lines to fix before drafting (or to skip with --skip-review)
    problems: tuple[RowProblem, ...]  # permit lines that lack what a form needs
    left_out_rows: dict[str, tuple[int, ...]] = dc_field(default_factory=dict)  # status -> rows not drafted

    @property
    def review_rows(self) -> tuple[int, ...]:
        return tuple(line.row for line in self.review)


def _missing(line: ScreenedLine, lang: str) -> list[str]:
    missing = []
    if line.origin is None:
        missing.append(message("missing-origin", lang))
    if line.quantity is None:
        missing.append(message("missing-quantity", lang))
    if not (line.unit or "").strip():
        missing.append(message("missing-unit", lang))
    if line.value is None:
        missing.append(message("missing-value", lang))
    return missing


def group_applications(
    lines: Iterable[ScreenedLine], *, include_refusal_risk: bool = False, lang: str = "en"
) -> DraftPlan:
    """One group per (committee, 10-digit code, origin, unit) of the lines that need a permit.

    Quantities and values are summed exactly; `refusal-risk` lines join only with `include_refusal_risk`.
    Lines without an origin, quantity, unit or value, and groups whose lines use different currencies,
    become problems instead of groups.
    """
    wanted = {Status.PERMIT_REQUIRED} | ({Status.REFUSAL_RISK} if include_refusal_risk else set())
    buckets: dict[tuple[str, str, str, str], list[ScreenedLine]] = {}
    left_out: Counter[str] = Counter()
    left_rows: dict[str, list[int]] = {}
    review: list[ScreenedLine] = []
    problems: list[RowProblem] = []
    for line in lines:
        if line.status is Status.REVIEW:
            review.append(line)
        if line.status is Status.REVIEW or line.status not in wanted:
            left_out[line.status.value] += 1
            left_rows.setdefault(line.status.value, []).append(line.row)
            continue
        if line.code is None or line.committee is None or line.annex is None:
            problems.append(RowProblem((line.row,), message("problem-no-code", lang)))
            continue
        missing = _missing(line, lang)
        if missing:
            problems.append(RowProblem((line.row,), ", ".join(missing)))
            continue
        if line.quantity is not None and line.quantity <= 0:
            problems.append(RowProblem((line.row,), message("problem-quantity", lang, quantity=line.quantity)))
            continue
        if line.value is not None and line.value < 0:
            problems.append(RowProblem((line.row,), message("problem-value", lang, value=line.value)))
            continue
        buckets.setdefault(application_key(line), []).append(line)

    groups: list[Group] = []
    for (committee, code, origin, _), members in buckets.items():
        currencies = sorted({m.currency.strip().upper() for m in members if m.currency and m.currency.strip()})
        rows = tuple(m.row for m in members)
        if len(currencies) > 1:
            problems.append(RowProblem(rows, message("problem-currencies", lang, code=code, origin=origin,
                                                     currencies=", ".join(currencies))))
            continue
        first = members[0]
        groups.append(
            Group(
                committee=committee,
                annex=int(first.annex),  # type: ignore[arg-type]
                code=code,
                origin=origin,
                unit=unit_name(first.unit or ""),
                quantity=sum((m.quantity for m in members), Decimal(0)),  # type: ignore[arg-type, type-var]
                value=sum((m.value for m in members), Decimal(0)),  # type: ignore[arg-type, type-var]
                currency=currencies[0] if currencies else "",
                lines=tuple(members),
                documents=first.documents,
            )
        )
    groups.sort(key=lambda g: (g.annex, g.rows[0]))
    problems.sort(key=lambda p: p.rows[0])
    return DraftPlan(
        groups=tuple(groups),
        left_out={status.value: left_out[status.value] for status in Status if left_out[status.value]},
        left_out_rows={status: tuple(rows) for status, rows in left_rows.items()},
        review=tuple(review),
        problems=tuple(problems),
    )


# ------------------------------------------------------------------------------------------------- filling


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """One document of rules annex 1, item 8, with what in this shipment it refers to."""

    number: int
    kk: str
    ru: str
    reference: str


@dataclass(frozen=True, slots=True)
class Needed:
    """Something the application needs that is not one of documents 1)–7): the consent to access personal data,
    without which the permit is refused (rules p.11.3)."""

    slug: str
    point: str
    kk: str
    ru: str
    reference: str


@dataclass(frozen=True, slots=True)
class Application:
    """One Form 2 draft: its group, fields 1–18 as text, and the documents to attach."""

    number: int  # 1-based counter over the run
    group: Group
    fields: dict[int, str]
    documents: tuple[DocumentRef, ...]
    authority: dict[str, str]  # the committee's name by language
    description_kk: str
    period_from: date
    period_to: date
    currency: str
    statistical_value: Decimal | None
    invoice: str = ""  # the invoice's file name, for references
    applicant_source: str = "profile"  # "shipment" when the shipment names the applicant (a client), else "profile"
    also_needed: tuple[Needed, ...] = ()  # what the application needs besides documents 1)–7) (personal data consent)

    @property
    def stem(self) -> str:
        """The file name without extension: counter, committee slug, code and origin (never user text)."""
        committee = self.group.committee if _SAFE_NAME.match(self.group.committee) else "committee"
        code = self.group.code if self.group.code.isascii() and self.group.code.isdigit() else "code"
        origin = self.group.origin if re.fullmatch(r"[A-Z]{2}", self.group.origin) else "XX"
        return f"{self.number:02d}-{committee}-{code}-{origin}"

    def as_dict(self) -> dict[str, object]:
        g = self.group
        return {
            "number": self.number,
            "committee": g.committee,
            "annex": g.annex,
            "code": g.code,
            "origin": g.origin,
            "unit": g.unit,
            "quantity": _dec(g.quantity),
            "value": _money(g.value),
            "currency": self.currency,
            "statistical_value": _money(self.statistical_value) if self.statistical_value is not None else None,
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "refusal_risk": g.refusal_risk,
            "rows": list(g.rows),
            "documents": [
                {"number": d.number, "kk": d.kk, "ru": d.ru, "reference": d.reference} for d in self.documents
            ],
            "fields": {str(n): self.fields[n] for n in range(1, 19)},
            "applicant": {"source": self.applicant_source, "text": self.fields[5]},
            "also_needed": [
                {"slug": n.slug, "point": n.point, "kk": n.kk, "ru": n.ru, "reference": n.reference}
                for n in self.also_needed
            ],
        }


def _dec(value: Decimal) -> str:
    return format(value, "f")


def _money(value: Decimal) -> str:
    """At least two decimals (3200 -> 3200.00), never fewer digits than given: money stays exact."""
    if value.as_tuple().exponent > -2:  # type: ignore[operator]
        value = value.quantize(CENT)
    return format(value, "f")


def form_date(day: date) -> str:
    """A date as the form's legend defines ЖЖЖЖ.КК.АА: year, DAY, month (1 December 2026 -> 2026.01.12)."""
    return f"{day.year:04d}.{day.day:02d}.{day.month:02d}"


def _ddmmyyyy(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


@dataclass(frozen=True, slots=True)
class PermitPeriod:
    """Field 2: the period applied for, inside the year the permit would be issued in (rules p.10) and the
    pilot's term (order p.11). `problem` says why no such period exists (the start falls outside both)."""

    start: date
    end: date
    issue_year: int
    problem: str | None = None


def permit_period(
    today: date | datetime,
    contract_date: date,
    *,
    period_from: date | None = None,
    pilot_ends: date | None = None,
    lang: str = "en",
) -> PermitPeriod:
    """The period applied for. It starts on `period_from`, or else on the day a decision on an application filed
    today is due (a permit cannot be used before it is issued) or the contract date if later. A permit is valid
    only in the calendar year it is issued in (rules p.10), and the order lapses a year after it enters into
    force (order p.11): the period ends on 31 December of the year the decision falls in, or on the pilot's last
    day if earlier. A start outside that is a problem: no field 2 can be written for it."""
    from permitcli.clock import deadlines

    filed = today if isinstance(today, datetime) else datetime.combine(today, time(9, 0))  # a date: filed at 9:00
    decided = deadlines(filed).decision_due
    start = period_from if period_from is not None else max(decided, contract_date)
    year = decided.year
    end = date(year, 12, 31)
    if pilot_ends is not None and pilot_ends < end:
        end = pilot_ends
    problem = None
    if start.year != year:
        problem = message("period-outside-year", lang, start=start.isoformat(), year=year, due=decided.isoformat())
    elif start > end:
        problem = message("period-after-pilot", lang, start=start.isoformat(), ends=end.isoformat())
    return PermitPeriod(start, max(start, end) if problem else end, year, problem)


def application_period(today: date | datetime, contract_date: date) -> tuple[date, date]:
    """The period applied for as (start, end): see permit_period (here without the pilot's end)."""
    period = permit_period(today, contract_date)
    return period.start, period.end


def country_label(alpha2: str) -> str:
    """"RU — Ресей / Российская Федерация": the code with its Kazakh and Russian names."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2) if alpha2 else None
    if country is None:
        return alpha2
    names = []
    for lang in ("kk", "ru"):
        try:
            names.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext(country.name))
        except OSError:
            names.append(country.name)
    kk, ru = names
    return f"{alpha2} — {kk} / {ru}" if kk != ru else f"{alpha2} — {kk}"


def _rows_text(rows: Sequence[int]) -> str:
    return ", ".join(str(r) for r in rows)


def _rows_kk_ru(rows: Sequence[int]) -> str:
    """"жол / строка 4", "жолдар / строки 2, 3": the invoice's rows as the bilingual form names them."""
    return ("жол / строка " if len(rows) == 1 else "жолдар / строки ") + _rows_text(rows)


TO_FILL = "өтініш беруші толтырады / заполняет заявитель"  # a reference only the broker can give
# Document 3 for goods made in Kazakhstan: the rules define the goods as previously imported (rules p.2.1), but
# these were never imported; order p.3.1 exempts them only with the CT-KZ or the register extract.
KZ_NOT_IMPORTED = ("шығарылған елі KZ: тауар әкелінбеген, ал қағидалар тауар деп бұрын әкелінген тауарды атайды "
                   "(2.1-т.); комитетте нақтылаңыз / происхождение KZ: товар не ввозился, а правила называют "
                   "товаром ранее ввезённый (п.2.1); уточните в комитете")
CONSENT_REFERENCE = "порталда өтініш беру кезінде / на портале при подаче заявления"


def _goods(group: Group, limit: int = 1000) -> str:
    """The group's goods as the invoice describes them, each description once."""
    descriptions: list[str] = []
    for line in group.lines:
        text = " ".join(line.description.split())
        if text and text not in descriptions:
            descriptions.append(text)
    text = "; ".join(descriptions)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _references(group: Group, shipment: Shipment, invoice: str) -> dict[int, str]:
    """What each document refers to, as far as the invoice and shipment tell; blank where only the broker knows
    (3: the import, 5: the certificate of origin itself — the invoice's country is no certificate, 6: the
    operator's certificate)."""
    return {
        1: f"№ {shipment.contract_number}, {_ddmmyyyy(shipment.contract_date)}",
        2: f"{invoice or 'invoice'}: {_rows_kk_ru(group.rows)}",
        3: KZ_NOT_IMPORTED if group.origin == "KZ" else "",
        4: _goods(group),
        5: "",
        6: "",
        7: f"16-өріс / поле 16: {shipment.border_crossing}",
    }


def _statistical_value(value: Decimal, currency: str, rate: Decimal | None) -> Decimal | None:
    if currency == "USD" and (rate is None or rate == 1):
        return value  # already in US dollars, exactly as field 10
    if rate is not None:
        return (value * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return None


def fill_fields(
    group: Group,
    profile: Profile,
    shipment: Shipment,
    *,
    period: tuple[date, date],
    description_kk: str,
    statistical_value: Decimal | None,
) -> dict[int, str]:
    """Fields 1–18 of Form 2 as text. Field 1 (the permit's number) is the authority's; field 18 (the applicant's
    electronic signature and its date) is left blank to be signed. Field 5 is the shipment's applicant when it
    names one (a broker's client: the foreign-trade participant whose contract is in field 4), else the
    profile's company; field 17 is the profile's authorized person, who acts for it. Field 15 is the code and the goods as the
    invoice describes them (the annex's wording only when the invoice has none: the order prints it for
    convenience, not as a description)."""
    applicant, person = shipment.applicant or profile.applicant, profile.authorized_person
    code = format_code(group.code)
    return {
        1: "",
        2: f"{form_date(period[0])} – {form_date(period[1])}",
        3: EXPORT,
        4: f"{_ddmmyyyy(shipment.contract_date)} № {shipment.contract_number}",
        5: f"{applicant.name}, БСН/БИН {applicant.bin}, {applicant.address}",
        6: f"{shipment.buyer_name}, {shipment.buyer_address}",
        7: country_label(shipment.destination),
        8: country_label(shipment.buyer_country),
        9: shipment.currency,
        10: _money(group.value),
        11: _money(statistical_value) if statistical_value is not None else "",
        12: country_label(group.origin),
        13: _dec(group.quantity),
        14: group.unit,
        15: f"{code} — {_goods(group) or description_kk}" if (_goods(group) or description_kk) else code,
        16: f"Өткізу пункті / Пункт пропуска: {shipment.border_crossing}",
        17: f"{person.full_name}; {person.position}; {person.phone}",
        18: "",
    }


def prepare_applications(
    plan: DraftPlan,
    profile: Profile,
    shipment: Shipment,
    *,
    today: date | datetime,
    catalog: Catalog | None = None,
    invoice: str = "",
    period_from: date | None = None,
    pilot_ends: date | None = None,
) -> tuple[Application, ...]:
    """Fill one Form 2 per group from the invoice lines, the shipment and the profile.

    The period applied for (field 2) is `permit_period`'s: inside the year of issue and the pilot, or an
    InputError saying why not. A group whose lines name a currency other than the contract's is an InputError
    naming its rows.
    """
    if catalog is None:
        from permitcli.catalog import load_catalog

        catalog = load_catalog()
    rules = catalog.rules
    found = permit_period(today, shipment.contract_date, period_from=period_from, pilot_ends=pilot_ends)
    if found.problem:
        raise InputError(f"{invoice or 'invoice'}: {found.problem}")
    period = (found.start, found.end)
    apps = []
    for number, group in enumerate(plan.groups, start=1):
        if group.currency and group.currency != shipment.currency:
            raise InputError(f"{invoice or 'invoice'}: {rows_text(group.rows)}: values in {group.currency}, "
                             f"but the contract currency is {shipment.currency}")
        entry = catalog.entry_for(group.code)
        description = entry.description_kk.lstrip("—–- ") if entry is not None else ""  # no hierarchy dashes
        committee = rules.committees.get(group.committee)
        authority = (
            {lang: f"{committee.name.get(lang, '')} ({committee.ministry.get(lang, '')})" for lang in ("kk", "ru", "en")}
            if committee is not None
            else {"kk": group.committee, "ru": group.committee, "en": group.committee}
        )
        documents = group.documents or rules.documents_by_annex.get(group.annex, ())
        refs = _references(group, shipment, invoice)
        docs = tuple(
            DocumentRef(n, rules.documents.get(n, {}).get("kk", ""), rules.documents.get(n, {}).get("ru", ""),
                        refs.get(n, ""))
            for n in documents
        )
        stat = _statistical_value(group.value, shipment.currency, shipment.statistical_value_rate)
        consent = next((p for p in rules.provisions if p.slug == "personal-data-consent"), None)
        also = (Needed(consent.slug, consent.point, consent.title["kk"], consent.title["ru"], CONSENT_REFERENCE),) \
            if consent is not None else ()
        apps.append(
            Application(
                number=number,
                group=group,
                fields=fill_fields(group, profile, shipment, period=period, description_kk=description,
                                   statistical_value=stat),
                documents=docs,
                authority=authority,
                description_kk=description,
                period_from=period[0],
                period_to=period[1],
                currency=shipment.currency,
                statistical_value=stat,
                invoice=invoice,
                applicant_source="shipment" if shipment.applicant is not None else "profile",
                also_needed=also,
            )
        )
    return tuple(apps)


# ------------------------------------------------------------------------------------------------- writing


def drafts_document(
    applications: Sequence[Application], plan: DraftPlan | None = None, shipment: Shipment | None = None
) -> dict[str, object]:
    """The JSON form of a run: schema, the applications, and what was left out."""
    doc: dict[str, object] = {"schema": SCHEMA}
    if shipment is not None:
        doc["contract"] = {
            "number": shipment.contract_number,
            "date": shipment.contract_date.isoformat(),
            "currency": shipment.currency,
        }
    doc["applications"] = [app.as_dict() for app in applications]
    if plan is not None:
        doc["left_out"] = dict(plan.left_out)
        doc["review_rows"] = list(plan.review_rows)
    return doc


def drafts_json(applications: Sequence[Application], plan: DraftPlan | None = None,
                shipment: Shipment | None = None) -> bytes:
    import orjson

    return orjson.dumps(drafts_document(applications, plan, shipment), option=orjson.OPT_INDENT_2) + b"\n"


def safe_text(value: str) -> str:
    """Text a spreadsheet can hold: no control characters, at most 32767 characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(" ", value)[:32767]


def put(ws: Worksheet, row: int, column: int, value: object, *, bold: bool = False, wrap: bool = True) -> Cell:
    """Write one cell; text is always stored as text, never as a formula or an error code."""
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        if cell.data_type != "s":  # "=..." became a formula, "#N/A" an error: store the text itself
            cell.data_type = "s"
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    else:
        cell.value = value
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return cell


def _a4(ws: Worksheet, columns: dict[str, float], landscape: bool = False) -> None:
    for letter, width in columns.items():
        ws.column_dimensions[letter].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6




def _fit_rows(ws: Worksheet) -> None:
    """Give every row the height its wrapped text needs: spreadsheet programs do not grow merged cells."""
    import math

    from openpyxl.utils import get_column_letter

    spans = {(r.min_row, r.min_col): (r.min_col, r.max_col) for r in ws.merged_cells.ranges}

    def width(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 8.43

    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            first, last = spans.get((cell.row, cell.column), (cell.column, cell.column))
            chars = max(sum(width(c) for c in range(first, last + 1)) - 1, 1)
            needed = sum(max(1, math.ceil(len(part) * 1.15 / chars)) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(15 * lines, 409)  # 409 points: the most a row can be


def _form_sheet(ws: Worksheet, app: Application, rules: Rules, profile: Profile) -> None:
    from openpyxl.styles import Border, Side

    ws.title = "Form 2"
    _a4(ws, {"A": 5, "B": 36, "C": 36, "D": 52})
    title = rules.form2_title
    put(ws, 1, 1, title.get("kk", ""), bold=True)
    put(ws, 2, 1, title.get("ru", ""), bold=True)
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:D2")
    put(ws, 3, 1, "Уәкілетті орган / Уполномоченный орган", bold=True)
    ws.merge_cells("A3:C3")
    put(ws, 3, 4, f"{app.authority.get('kk', '')} / {app.authority.get('ru', '')}")
    put(ws, 5, 1, "№", bold=True)
    put(ws, 5, 2, "Қазақша", bold=True)
    put(ws, 5, 3, "По-русски", bold=True)
    put(ws, 5, 4, "Мәні / Значение", bold=True)
    thin = Side(style="thin")
    row = 6
    person = profile.authorized_person
    for n in range(1, 19):
        labels = rules.form2_fields.get(n, {})
        put(ws, row, 1, n)
        put(ws, row, 2, labels.get("kk", ""))
        put(ws, row, 3, labels.get("ru", ""))
        parts = rules.form2_parts.get(n, ())
        put(ws, row, 4, "" if parts else app.fields[n])  # a field printed in parts is filled in on their lines
        row += 1
        values = (person.full_name, person.position, person.phone) if n == 17 else ("",) * len(parts)
        for part, value in zip(parts, values, strict=True):  # 18: the date beside the signature, left blank
            put(ws, row, 2, part["kk"])
            put(ws, row, 3, part["ru"])
            put(ws, row, 4, value)
            row += 1
    last = row - 1
    for r in range(5, last + 1):
        for c in range(1, 5):
            ws.cell(row=r, column=c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    row += 1
    legend = rules.form2_legend
    p_from, p_to = app.period_from, app.period_to
    notes = [
        rules.form2_note.get("kk", ""),
        rules.form2_note.get("ru", ""),
        legend.get("kk", ""),
        legend.get("ru", ""),
        f"2-өріс / поле 2: {_ddmmyyyy(p_from)} – {_ddmmyyyy(p_to)} (КК.АА.ЖЖЖЖ / ДД.ММ.ГГГГ)",
        f"{app.invoice or 'invoice'}: {_rows_kk_ru(app.group.rows)}",
    ]
    notes.append(APPLICANT_NOTE + (APPLICANT_FOR_CLIENT if app.applicant_source == "shipment" else ""))
    if app.group.refusal_risk and app.group.annex == 3:
        notes.append("! Бас тарту қаупі / Риск отказа: rules p.11.7 (эксплуатант сертификаты / сертификат "
                     "эксплуатанта)")
    elif app.group.refusal_risk:
        notes.append("! Бас тарту қаупі / Риск отказа: rules p.11.6 (шығарылған елі / страна происхождения "
                     f"{app.group.origin})")
    for text in notes:
        if text:
            put(ws, row, 1, text)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            row += 1
    ws.print_area = f"A1:D{row - 1}"
    _fit_rows(ws)


APPLICANT_NOTE = ("5-өріс: өтініш беруші — сыртқы сауда қызметіне қатысушы, 4-өрістегі келісімшарттың тарапы "
                  "(қағидалардың 2.2, 5-т.) / поле 5: заявитель — участник внешнеторговой деятельности, сторона "
                  "контракта из поля 4 (пп.2.2, 5 правил)")
APPLICANT_FOR_CLIENT = ("; 17-өрістегі адам өтініш беруші атынан әрекет етеді / лицо в поле 17 действует от имени "
                        "заявителя")


def _documents_sheet(ws: Worksheet, app: Application) -> None:
    ws.title = "Documents"
    _a4(ws, {"A": 6, "B": 34, "C": 34, "D": 16, "E": 10, "F": 8, "G": 14, "H": 8}, landscape=True)
    put(ws, 1, 1, "Өтінішке қоса берілетін құжаттар / Документы к заявлению", bold=True)
    ws.merge_cells("A1:H1")
    put(ws, 2, 1, f"{app.authority.get('kk', '')} / {app.authority.get('ru', '')}")
    ws.merge_cells("A2:H2")
    put(ws, 4, 1, "№", bold=True)
    put(ws, 4, 2, "Құжат", bold=True)
    put(ws, 4, 3, "Документ", bold=True)
    put(ws, 4, 4, "Сілтеме / Ссылка", bold=True)
    ws.merge_cells("D4:H4")
    row = 5
    for doc in app.documents:
        put(ws, row, 1, f"{doc.number})")
        put(ws, row, 2, doc.kk)
        put(ws, row, 3, doc.ru)
        put(ws, row, 4, doc.reference or TO_FILL)
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=8)
        row += 1
    for needed in app.also_needed:  # not a document, but the permit is refused without it
        put(ws, row, 1, "+")
        put(ws, row, 2, f"{needed.kk} ({point_text(needed.point, 'kk')})")
        put(ws, row, 3, f"{needed.ru} ({point_text(needed.point, 'ru')})")
        put(ws, row, 4, needed.reference)
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=8)
        row += 1
    row += 1
    put(ws, row, 1, "Инвойс жолдары / Строки инвойса", bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    row += 1
    header = ("Жол / Стр.", "Сипаттамасы / Наименование", "Жазылған код / Код в инвойсе", "Код",
              "Саны / Кол-во", "Бірлік / Ед.", "Құны / Стоимость", "Валюта")
    for c, text in enumerate(header, start=1):
        put(ws, row, c, text, bold=True)
    row += 1
    for line in app.group.lines:
        put(ws, row, 1, line.row)
        put(ws, row, 2, line.description)
        put(ws, row, 3, line.code_raw)
        put(ws, row, 4, format_code(line.code or ""))
        put(ws, row, 5, _dec(line.quantity) if line.quantity is not None else "")
        put(ws, row, 6, line.unit or "")
        put(ws, row, 7, _money(line.value) if line.value is not None else "")
        put(ws, row, 8, line.currency or app.currency)
        row += 1
    put(ws, row, 4, "Барлығы / Итого", bold=True)
    put(ws, row, 5, _dec(app.group.quantity), bold=True)
    put(ws, row, 6, app.group.unit, bold=True)
    put(ws, row, 7, _money(app.group.value), bold=True)
    put(ws, row, 8, app.currency, bold=True)
    ws.print_area = f"A1:H{row}"
    _fit_rows(ws)


def _workbook_bytes(wb: object) -> bytes:
    import io

    buffer = io.BytesIO()
    wb.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def application_workbook(app: Application, rules: Rules, profile: Profile) -> bytes:
    """One application as an .xlsx: the form, then the documents and invoice rows."""
    from openpyxl import Workbook

    wb = Workbook()
    _form_sheet(wb.active, app, rules, profile)
    _documents_sheet(wb.create_sheet(), app)
    return _workbook_bytes(wb)


INDEX_HEADER = (
    "№", "Файл", "Комитет", "Қосымша / Приложение", "Код", "Шығарылған елі / Страна происхождения",
    "Өлшем бірлігі / Ед. изм.", "Саны / Количество", "Құны / Стоимость", "Валюта",
    "Статистикалық құны (USD) / Статистическая стоимость (USD)", "Жолдар / Строки", "Бас тарту қаупі / Риск отказа",
)


def index_workbook(applications: Sequence[Application], plan: DraftPlan | None, names: Sequence[str]) -> bytes:
    """index.xlsx: one row per draft, then what was left out."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Өтініштер – Заявления"
    _a4(ws, {"A": 5, "B": 40, "C": 12, "D": 7, "E": 14, "F": 8, "G": 8, "H": 12, "I": 14, "J": 9, "K": 14,
             "L": 18, "M": 8}, landscape=True)
    for c, text in enumerate(INDEX_HEADER, start=1):
        put(ws, 1, c, text, bold=True)
    for r, (app, name) in enumerate(zip(applications, names, strict=True), start=2):
        g = app.group
        names_ = (app.authority.get(lang, "").split(" (")[0] for lang in ("kk", "ru"))  # without the ministry
        authority = " / ".join(t for t in names_ if t)
        values = (app.number, name, authority or g.committee, g.annex, format_code(g.code), g.origin, g.unit,
                  g.quantity, g.value, app.currency, app.statistical_value if app.statistical_value is not None
                  else "", _rows_text(g.rows), "иә / да" if g.refusal_risk else "")
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value)
            if isinstance(value, Decimal):  # a number the broker can add up, shown as written
                cell.number_format = "0.00" if c in (9, 11) else "General"
    ws.freeze_panes = "A2"
    if plan is not None:
        left = wb.create_sheet("Енгізілмеген – Не включены")
        for c, text in enumerate(("Мәртебесі / Статус", "Жолдар саны / Кол-во строк", "Жолдар / Строки"), start=1):
            put(left, 1, c, text, bold=True)
        for r, (status, count) in enumerate(plan.left_out.items(), start=2):
            put(left, r, 1, " / ".join(label(status, lang) for lang in ("kk", "ru")))  # the form's two languages
            put(left, r, 2, count)
            put(left, r, 3, _rows_text(plan.left_out_rows.get(status, ())))
    return _workbook_bytes(wb)


def output_names(applications: Sequence[Application], fmt: str) -> list[str]:
    """The file names a run writes, in order."""
    if fmt == "json":
        return ["drafts.json"]
    return [f"{app.stem}.xlsx" for app in applications] + ["index.xlsx"]


def write_drafts(
    applications: Sequence[Application],
    out_dir: Path,
    *,
    fmt: str = "xlsx",
    force: bool = False,
    profile: Profile,
    plan: DraftPlan | None = None,
    shipment: Shipment | None = None,
    catalog: Catalog | None = None,
) -> list[Path]:
    """Write one .xlsx per application and index.xlsx (or drafts.json); returns the paths written.

    The files are put in place together or not at all. Without `force`, nothing is written when a target
    exists or the folder holds drafts of another run; with it, the earlier run's drafts that this run does not
    write again are removed, so the folder always matches its index.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown draft format {fmt!r}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: not a folder")
    names = output_names(applications, fmt)
    targets = [out_dir / name for name in names]
    if not force:
        existing = [t for t in targets if t.exists()]
        if existing:
            more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
            raise OutputError(f"{existing[0]}: already exists{more}; use --force to overwrite")
    stale = _earlier_drafts(out_dir, set(names))
    if stale and not force:
        raise OutputError(f"{out_dir}: holds drafts of another run ({stale[0].name}…); use --force to replace them, "
                          "or another --out folder")
    if fmt == "json":
        contents = [drafts_json(applications, plan, shipment)]
    else:
        if catalog is None:
            from permitcli.catalog import load_catalog

            catalog = load_catalog()
        contents = [application_workbook(app, catalog.rules, profile) for app in applications]
        contents.append(index_workbook(applications, plan, names[:-1]))
    make_folder(out_dir)
    write_files_atomic(list(zip(targets, contents, strict=True)), overwrite=force)  # all of them, or none
    for path in stale:  # --force: the drafts of the run before go, so the folder matches its index
        with contextlib.suppress(OSError):
            path.unlink()
    return targets


_DRAFT_NAME = re.compile(r"\d{2}-[a-z]+-\d{10}-[A-Z]{2}\.xlsx|index\.xlsx|drafts\.json")


def _earlier_drafts(folder: Path, keep: set[str]) -> list[Path]:
    """Files a draft run writes (named as it names them) that this run will not write again."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in keep and _DRAFT_NAME.fullmatch(p.name))

