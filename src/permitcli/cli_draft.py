"""The `profile`, `draft` and `deadlines` commands: the applicant, Form 2 drafts and the permit's clock."""

import enum
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from permitcli.cli_support import (
    ColumnsOption,
    EvidenceOption,
    FinalDestinationOption,
    SheetOption,
    TableOrJson,
    emit,
    err,
    guarded,
    reading_options,
    state,
    stdout_console,
)
from permitcli.errors import InputError, UsageError


class DraftFormat(str, enum.Enum):
    xlsx = "xlsx"
    json = "json"


def _label(key: str) -> str:
    from permitcli.i18n import label

    return label(key, state.lang)


def _message(key: str, **params: object) -> str:
    from permitcli.i18n import message

    return message(key, state.lang, **params)


ProfileOption = Annotated[
    Optional[Path],
    typer.Option("--profile", envvar="PERMITCLI_PROFILE", help="Profile file (default: profile.toml in the user "
                                                                 "config folder; see `permitcli profile path`)."),
]


def _profile_path(path: Path | None) -> Path:
    from permitcli.config import default_profile_path

    return path if path is not None else default_profile_path()


# ---------------------------------------------------------------------------------------------------- profile

profile_app = typer.Typer(
    name="profile",
    help="The applicant's profile (Form 2 fields 5 and 17): init, show, set KEY VALUE, path.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@profile_app.command("init")
@guarded
def profile_init(
    name: Annotated[str, typer.Option("--name", prompt="Applicant's name", help="applicant.name")],
    bin_: Annotated[str, typer.Option("--bin", prompt="BIN (12 digits)", help="applicant.bin: 12 digits with a "
                                                                             "valid control digit.")],
    address: Annotated[str, typer.Option("--address", prompt="Applicant's address", help="applicant.address")],
    full_name: Annotated[str, typer.Option("--full-name", prompt="Authorized person: surname, name, patronymic",
                                           help="authorized_person.full_name")],
    position: Annotated[str, typer.Option("--position", prompt="Authorized person: position",
                                          help="authorized_person.position")],
    phone: Annotated[str, typer.Option("--phone", prompt="Authorized person: phone",
                                       help="authorized_person.phone")],
    profile: ProfileOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing profile.")] = False,
) -> None:
    """Create the profile; asks for each value not given as an option."""
    from permitcli.config import init_profile

    path = _profile_path(profile)
    init_profile(
        path,
        {
            "applicant.name": name,
            "applicant.bin": bin_,
            "applicant.address": address,
            "authorized_person.full_name": full_name,
            "authorized_person.position": position,
            "authorized_person.phone": phone,
        },
        force=force,
    )
    err(f"permitcli: profile written to {path}")


@profile_app.command("show")
@guarded
def profile_show(
    profile: ProfileOption = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """Print the profile's keys and values; a missing key is reported after them."""
    from permitcli.config import PROFILE_KEYS, load_profile, read_profile_values
    from permitcli.errors import ConfigError

    path = _profile_path(profile)
    if not path.exists():
        raise ConfigError(f"{path}: no applicant profile there; create it with: permitcli profile init")
    values = read_profile_values(path)
    if fmt is TableOrJson.json:
        from permitcli.render.json import dumps

        emit(dumps({"path": str(path), "values": values}))
    else:
        width = max(len(k) for k in PROFILE_KEYS)
        emit("".join(f"{key:<{width}} = {value}\n" for key, value in values.items()))
    load_profile(path)  # a missing key: the same one-line error as `draft` gives


@profile_app.command("set")
@guarded
def profile_set(
    key: Annotated[str, typer.Argument(help="applicant.name, applicant.bin, applicant.address, "
                                            "authorized_person.full_name, authorized_person.position, "
                                            "authorized_person.phone")],
    value: Annotated[str, typer.Argument(help="The new value.")],
    profile: ProfileOption = None,
) -> None:
    """Check one value and store it (the profile is created if missing)."""
    from permitcli.config import set_profile_value

    path = _profile_path(profile)
    stored = set_profile_value(path, key, value)
    err(f"permitcli: {path}: {key} = {stored}")


@profile_app.command("path")
@guarded
def profile_path(profile: ProfileOption = None) -> None:
    """Print where the profile is (it may not exist yet)."""
    emit(f"{_profile_path(profile)}\n")


# -------------------------------------------------------------------------------------------------- deadlines


def _parse_datetime(text: str, option: str) -> datetime:
    raw = text.strip()
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), datetime.min.time())
        return datetime.fromisoformat(raw.replace(" ", "T", 1))
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a date and time (e.g. 2026-11-30T10:00)") from None


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a date (e.g. 2026-12-07)") from None


def _calendar(days_off: list[str] | None, working_days: list[str] | None):
    from permitcli.clock import WorkCalendar

    return WorkCalendar(
        extra_days_off=frozenset(_parse_date(d, "--day-off") for d in days_off or ()),
        extra_working_days=frozenset(_parse_date(d, "--working-day") for d in working_days or ()),
    )


_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),
    "kk": ("Дс", "Сс", "Ср", "Бс", "Жм", "Сн", "Жс"),
}


def _clock_lines(clock, calendar) -> list[str]:
    from datetime import timedelta

    from permitcli.clock import holiday_name

    lang = state.lang
    values = clock.as_dict()
    width = max(len(_label(k)) for k in values)
    out = []
    for key, value in values.items():
        shown = value
        if key != "filed":
            shown = f"{value} {_WEEKDAYS[lang][date.fromisoformat(value).weekday()]}"
        else:
            shown = value.replace("T", " ")
        out.append(f"{_label(key):<{width}}  {shown}")
    skipped = []
    day = clock.received + timedelta(days=1)
    while day < clock.decision_due:
        reason = calendar.day_off_reason(day)
        if reason and reason != "weekend":
            name = _label("day-off-given") if day in calendar.extra_days_off else holiday_name(day, reason, lang)
            skipped.append(f"{day.isoformat()} {name}")
        day += timedelta(days=1)
    if skipped:
        out.append(f"{_label('days-off')}: " + "; ".join(skipped))
    return out


@guarded
def deadlines(
    filed: Annotated[Optional[str], typer.Option("--filed", help="When the application is filed: "
                                                 "2026-11-30T10:00 (Kazakhstan time unless an offset is given; "
                                                 "default: now).")] = None,
    issued: Annotated[Optional[str], typer.Option("--issued", help="Date the permit was issued: adds its "
                                                  "validity and the report date.")] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
    day_off: Annotated[Optional[list[str]], typer.Option("--day-off", help="A day off the holidays data does "
                                                         "not know yet (repeatable).")] = None,
    working_day: Annotated[Optional[list[str]], typer.Option("--working-day", help="A weekend day made a working "
                                                             "day by a transfer (repeatable).")] = None,
) -> None:
    """The time limits of an application: registration, review, decision (5 working days), validity, report."""
    from permitcli.clock import KZ_TIME, deadlines as compute

    moment = _parse_datetime(filed, "--filed") if filed else datetime.now(KZ_TIME)
    issued_on = _parse_date(issued, "--issued") if issued else None
    calendar = _calendar(day_off, working_day)
    clock = compute(moment, issued_on, calendar)
    term = _pilot_term()
    if fmt is TableOrJson.json:
        from permitcli.render.json import dumps

        emit(dumps({**clock.as_dict(), "pilot_ends": term.ends.isoformat() if term.ends else None}))
    else:
        console = stdout_console()
        for text in _clock_lines(clock, calendar):
            console.print(text, markup=False)
        if clock.report_due is not None and not calendar.is_working_day(clock.report_due):
            moved = calendar.next_working_day(clock.report_due)
            console.print(f"{_label('report_due_moved')}: {moved.isoformat()} {_WEEKDAYS[state.lang][moved.weekday()]}",
                          markup=False)
        if term.ends:
            console.print(f"{_label('pilot_ends')}: {term.ends.isoformat()} ({term.source})", markup=False)
        else:
            console.print(f"{_label('pilot_ends')}: {_label('order-term-unknown')}", markup=False)
    _warn_past_pilot(term, clock.decision_due)


def _pilot_term():
    import os

    from permitcli.catalog import load_catalog
    from permitcli.clock import pilot_term

    return pilot_term(load_catalog().manifest.get("dates", {}), os.environ)


def _warn_past_pilot(term, day: date) -> None:
    if term.ends and day > term.ends:
        err(f"permitcli: warning: the pilot order is in force until {term.ends.isoformat()} ({term.source}); "
            f"{day.isoformat()} is after it")


# ------------------------------------------------------------------------------------------------------ draft


def _report_rows(title: str, lines, findings: bool = True) -> None:
    err(title)
    for line in lines:
        detail = "; ".join(f.message for f in line.findings) if findings else ""
        code = f": {line.code_raw}" if line.code_raw else ""
        err(f"  {_message('row-one', rows=line.row)}{code}" + (f" — {detail}" if detail else ""))


@guarded
def draft(
    invoice: Annotated[Path, typer.Argument(help="The invoice: .xlsx .xlsm .xls .ods .csv .tsv", show_default=False,
                                            metavar="FILE")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the drafts (created if missing).")],
    shipment_file: Annotated[Optional[Path], typer.Option("--shipment", "-s", help="Shipment TOML: [contract], "
                                                          "[buyer], [shipment].")] = None,
    profile: ProfileOption = None,
    fmt: Annotated[DraftFormat, typer.Option("--format", "-f", help="xlsx (one workbook per application and "
                                             "index.xlsx) or json (drafts.json).")] = DraftFormat.xlsx,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that exist.")] = False,
    include_refusal_risk: Annotated[bool, typer.Option("--include-refusal-risk", help="Draft refusal-risk lines "
                                                       "too.")] = False,
    skip_review: Annotated[bool, typer.Option("--skip-review", help="Leave out lines that need review instead of "
                                              "stopping.")] = False,
    sheet: SheetOption = None,
    columns: ColumnsOption = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Unit of measure (field 14) for the lines whose "
                                                "invoice gives none, neither in a unit column nor in the quantity "
                                                "heading: шт, кг, компл...")] = None,
    evidence: EvidenceOption = None,
    period_from: Annotated[Optional[str], typer.Option("--period-from", help="First day of the period applied for "
                                                       "(field 2; default: the day a decision on an application "
                                                       "filed today is due, or the contract date if later).")] = None,
    contract_number: Annotated[Optional[str], typer.Option("--contract-number", help="contract.number")] = None,
    contract_date: Annotated[Optional[str], typer.Option("--contract-date", help="contract.date (2026-10-01)")] = None,
    currency: Annotated[Optional[str], typer.Option("--currency", help="contract.currency (ISO 4217)")] = None,
    buyer_name: Annotated[Optional[str], typer.Option("--buyer-name", help="buyer.name")] = None,
    buyer_address: Annotated[Optional[str], typer.Option("--buyer-address", help="buyer.address")] = None,
    buyer_country: Annotated[Optional[str], typer.Option("--buyer-country", help="buyer.country (ISO alpha-2)")] = None,
    destination: Annotated[Optional[str], typer.Option("--destination", help="shipment.destination (ISO alpha-2)")] = None,
    border_crossing: Annotated[Optional[str], typer.Option("--border-crossing", help="shipment.border_crossing "
                                                           "(field 16)")] = None,
    statistical_value_rate: Annotated[Optional[str], typer.Option("--statistical-value-rate", help="shipment."
                                                                  "statistical_value_rate: contract currency -> USD "
                                                                  "(field 11)")] = None,
    final_destination: FinalDestinationOption = None,
    filed: Annotated[Optional[str], typer.Option("--filed", help="When the application will be filed: "
                                                 "2026-11-30T10:00 (default: now); field 2 and the decision date "
                                                 "are counted from it.")] = None,
    applicant_name: Annotated[Optional[str], typer.Option("--applicant", help="applicant.name: the client whose "
                                                          "contract is in field 4, when not the profile's company "
                                                          "(field 5)")] = None,
    applicant_bin: Annotated[Optional[str], typer.Option("--applicant-bin", help="applicant.bin")] = None,
    applicant_address: Annotated[Optional[str], typer.Option("--applicant-address", help="applicant.address")] = None,
) -> None:
    """Draft one Form 2 application per committee, code, origin and unit of the lines that need a permit."""
    from permitcli.clock import KZ_TIME, deadlines as compute
    from permitcli.config import load_profile, load_shipment
    from permitcli.forms import group_applications, permit_period, prepare_applications, write_drafts
    from permitcli.i18n import rows_text

    start = _parse_date(period_from, "--period-from") if period_from else None
    applicant = load_profile(_profile_path(profile))
    shipment = load_shipment(shipment_file, {
        "contract.number": contract_number,
        "contract.date": contract_date,
        "contract.currency": currency,
        "buyer.name": buyer_name,
        "buyer.address": buyer_address,
        "buyer.country": buyer_country,
        "shipment.destination": destination,
        "shipment.border_crossing": border_crossing,
        "shipment.statistical_value_rate": statistical_value_rate,
        "shipment.final_destination": final_destination,
        "applicant.name": applicant_name,
        "applicant.bin": applicant_bin,
        "applicant.address": applicant_address,
    })

    from permitcli.catalog import load_catalog
    from permitcli.invoices import read_invoices
    from permitcli.screen import ScreenOptions, evidence_option, screen_invoice

    sheet_arg, column_map = reading_options(sheet, columns)
    catalog = load_catalog()
    options = ScreenOptions(destination=shipment.destination, evidence=evidence_option(evidence), lang=state.lang,
                            final_destination=shipment.final_destination)
    invoices = read_invoices(invoice, sheet=sheet_arg, columns=column_map, lang=state.lang)
    if len(invoices) > 1:  # an invoice, a contract and a packing list of the same goods: draft from one of them
        names = ", ".join(repr(inv.sheet) for inv in invoices)
        raise UsageError(f"{invoice}: several sheets hold goods ({names}); choose one with --sheet, so that no goods "
                         "are drafted twice")
    screened = screen_invoice(invoices[0], options, catalog)

    lines = screened.lines
    if unit is not None:
        if not unit.strip():
            raise UsageError("--unit: give a unit of measure, e.g. шт, кг, компл")
        lines = tuple(line if line.unit else line.replace(unit=unit.strip()) for line in lines)
    plan = group_applications(lines, include_refusal_risk=include_refusal_risk, lang=state.lang)
    if plan.review and not skip_review:
        _report_rows(_message("review-before-drafting", invoice=invoice, n=len(plan.review)), plan.review)
        one = len(plan.review_rows) == 1
        raise InputError(f"{invoice}: {rows_text(plan.review_rows)} need{'s' if one else ''} review; fix "
                         f"{'it' if one else 'them'}, or leave {'it' if one else 'them'} out with --skip-review")
    if plan.problems:
        for problem in plan.problems:
            err(f"  {rows_text(problem.rows, state.lang)}: {problem.message}")
        rows = sorted({r for p in plan.problems for r in p.rows})
        one = len(rows) == 1
        raise InputError(f"{invoice}: {rows_text(rows)} need{'s' if one else ''} a permit but cannot fill a form; "
                         f"fix {'it' if one else 'them'}")

    # the same moment the period and the decision date below are counted from
    now = _parse_datetime(filed, "--filed") if filed else datetime.now(KZ_TIME).replace(tzinfo=None)
    term = _pilot_term()
    if plan.groups:
        period = permit_period(now, shipment.contract_date, period_from=start, pilot_ends=term.ends, lang=state.lang)
        if period.problem:  # field 2 cannot stay inside the year of issue and the pilot
            err(f"permitcli: warning: {period.problem}")
            raise InputError(f"{invoice}: field 2 (the period) cannot lie inside the year of issue and the pilot")
    applications = prepare_applications(plan, applicant, shipment, today=now, catalog=catalog,
                                        invoice=Path(invoice).name, period_from=start, pilot_ends=term.ends)
    left = ", ".join(f"{status if state.lang == 'en' else _label(status)} {count}"
                     for status, count in plan.left_out.items())
    if not applications:
        err("permitcli: " + _message("nothing-drafted", invoice=invoice)
            + (f" ({_message('left-out', items=left)})" if left else ""))
        return
    written = write_drafts(applications, out, fmt=fmt.value, force=force, profile=applicant, plan=plan,
                           shipment=shipment, catalog=catalog)
    emit("".join(f"{path}\n" for path in written))
    err("permitcli: " + _message("drafted", n=len(applications)) + (f"; {_message('left-out', items=left)}" if left else ""))
    if any(a.group.refusal_risk for a in applications):
        rows = sorted(r for a in applications if a.group.refusal_risk for r in a.group.rows)
        points = sorted({"rules p.11.7" if a.group.annex == 3 else "rules p.11.6"
                         for a in applications if a.group.refusal_risk})
        from permitcli.i18n import point_text

        err("permitcli: " + _message("refusal-drafted", rows=rows_text(rows, state.lang),
                                     point="; ".join(point_text(p, state.lang) for p in points)))
    who = shipment.applicant or applicant.applicant
    err("permitcli: " + _message("applicant-from-shipment" if shipment.applicant else "applicant-from-profile",
                                 name=who.name, bin=who.bin))
    transit = sorted(r for a in applications for line in a.group.lines for r in (line.row,)
                     if any(f.type == "transit-unsettled" for f in line.findings))
    if transit:
        err("permitcli: warning: " + _message("transit-drafted", rows=rows_text(transit, state.lang),
                                              dest=shipment.destination, final=shipment.final_destination or "?"))
    clock = compute(now)
    err("permitcli: " + _message("decision-due-now" if filed is None else "decision-due-filed", due=clock.decision_due.isoformat(),
                                 received=clock.received.isoformat()))
    if applications and applications[0].statistical_value is None:
        err("permitcli: " + _message("no-statistical-value", currency=shipment.currency))
    if start is not None and start < clock.decision_due:
        err("permitcli: " + _message("period-before-decision", start=start.isoformat(),
                                     due=clock.decision_due.isoformat()))
    _warn_past_pilot(term, clock.decision_due)


# --------------------------------------------------------------------------------------------------- register


def register(app: typer.Typer) -> None:
    """Add `profile`, `draft` and `deadlines` to the main application."""
    app.add_typer(profile_app, name="profile")
    app.command("draft")(draft)
    app.command("deadlines")(deadlines)
