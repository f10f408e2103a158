"""The `permits` commands: the register of issued permits — add, list, show, use, terminate, report, export,
import, db upgrade. The register itself (permitcli.permits) is imported only when one of them runs."""

import enum
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from permitcli.cli_support import TableOrJson, emit, err, guarded, state, stdout_console
from permitcli.errors import UsageError

permits_app = typer.Typer(
    name="permits",
    help="The register of issued permits: add, list, show, use, terminate, report, export, import, db upgrade.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(name="db", help="The register's database: upgrade.", no_args_is_help=True,
                     add_completion=False, rich_markup_mode=None)
permits_app.add_typer(db_app, name="db")


class ListFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(str, enum.Enum):
    xlsx = "xlsx"
    json = "json"


DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="The register: a SQLite file or sqlite:///FILE, or postgresql://USER@HOST/DB "
                              "(default: PERMITCLI_DB, else permits.sqlite3 in the user data folder).",
                 show_default=False),
]
ByOption = Annotated[Optional[str], typer.Option("--by", help="Who makes the change (default: the OS user).")]
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", help="Judge states and due dates as of this date "
                                                                   "(default: today in Kazakhstan).")]

_LABELS: dict[str, tuple[str, str, str]] = {
    "number": ("Number", "Номер", "Нөмірі"),
    "committee": ("Committee", "Комитет", "Комитет"),
    "code": ("Code", "Код", "Код"),
    "goods": ("Goods", "Товар", "Тауар"),
    "origin": ("Origin", "Происх.", "Шығ. елі"),
    "destination": ("Destination", "Назначение", "Баратын елі"),
    "quantity": ("Permitted", "Разрешено", "Рұқсат етілген"),
    "qty": ("Quantity", "Количество", "Саны"),
    "used": ("Used", "Использовано", "Пайдаланылған"),
    "remaining": ("Remaining", "Остаток", "Қалдық"),
    "unit": ("Unit", "Ед.", "Бірлік"),
    "value": ("Value", "Стоимость", "Құны"),
    "issued": ("Issued", "Выдано", "Берілген"),
    "valid_until": ("Valid until", "Действует до", "Мерзімі"),
    "report_due": ("Report due", "Отчёт до", "Есеп мерзімі"),
    "status": ("Status", "Статус", "Мәртебе"),
    "buyer": ("Buyer", "Покупатель", "Сатып алушы"),
    "contract": ("Contract", "Контракт", "Келісімшарт"),
    "border_crossing": ("Border crossing", "Пункт пропуска", "Өткізу пункті"),
    "applicant_bin": ("Applicant BIN", "БИН заявителя", "Өтініш берушінің БСН"),
    "source_rows": ("Invoice rows", "Строки инвойса", "Инвойс жолдары"),
    "terminated": ("terminated", "прекращено", "тоқтатылды"),
    "terminated-on": ("Terminated", "Прекращено", "Тоқтатылды"),
    "uses": ("Uses", "Использование", "Пайдалану"),
    "history": ("History", "История", "Тарих"),
    "declaration": ("Declaration", "Декларация", "Декларация"),
    "date": ("Date", "Дата", "Күні"),
    "reverses": ("Reverses", "Сторно", "Түзету"),
    "recorded": ("Recorded", "Записано", "Жазылды"),
    "at": ("When", "Когда", "Қашан"),
    "by": ("By", "Кто", "Кім"),
    "action": ("Action", "Действие", "Әрекет"),
    "active": ("active", "действует", "қолданыста"),
    "exhausted": ("exhausted", "исчерпано", "пайдаланылды"),
    "expired": ("expired", "истёк", "мерзімі өтті"),
    "no-permits": ("No permits.", "Разрешений нет.", "Рұқсаттар жоқ."),
}


def _label(key: str) -> str:
    texts = _LABELS.get(key)
    if texts is None:
        return key
    return texts[("en", "ru", "kk").index(state.lang)] if state.lang in ("en", "ru", "kk") else texts[0]


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a date (e.g. 2026-12-07)") from None


def _today(as_of: str | None) -> date:
    given = _date(as_of, "--as-of")
    if given is not None:
        return given
    from permitcli.permits.model import kz_today

    return kz_today()


def _days(value: int | None, option: str) -> int | None:
    if value is not None and value < 0:
        raise UsageError(f"{option}: {value} days: give 0 or more")
    return value


def _open(db: str | None, *, upgrade: bool = True):  # -> permitcli.permits.store.Register
    from permitcli.permits.store import Register

    return Register.open(db, upgrade=upgrade)


# -------------------------------------------------------------------------------------------------------- add


@permits_app.command("add")
@guarded
def add(
    number: Annotated[str, typer.Option("--number", help="The permit's number, as issued (Form 2 field 1).")],
    issued: Annotated[str, typer.Option("--issued", help="The date it was issued; it is valid to 31 December of "
                                                         "that year.")],
    from_draft: Annotated[Optional[Path], typer.Option("--from-draft", help="A `draft` result: drafts.json or one "
                                                       "application's .xlsx; options below override it.")] = None,
    application: Annotated[Optional[int], typer.Option("--application", help="Which application of a drafts.json "
                                                       "that holds several (its number).")] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="10-digit TN VED code.")] = None,
    goods: Annotated[Optional[str], typer.Option("--goods", help="The goods as the permit describes them.")] = None,
    origin: Annotated[Optional[str], typer.Option("--origin", help="Country of origin (ISO code or name).")] = None,
    quantity: Annotated[Optional[str], typer.Option("--quantity", help="Quantity permitted.")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Unit of measure (шт, кг, …).")] = None,
    value: Annotated[Optional[str], typer.Option("--value", help="Value permitted.")] = None,
    currency: Annotated[Optional[str], typer.Option("--currency", help="Currency of the value (ISO 4217).")] = None,
    destination: Annotated[Optional[str], typer.Option("--destination", help="Country of destination.")] = None,
    buyer: Annotated[Optional[str], typer.Option("--buyer", help="The buyer.")] = None,
    contract_number: Annotated[Optional[str], typer.Option("--contract-number", help="Contract number.")] = None,
    contract_date: Annotated[Optional[str], typer.Option("--contract-date", help="Contract date.")] = None,
    border_crossing: Annotated[Optional[str], typer.Option("--border-crossing", help="Border crossing point.")] = None,
    applicant_bin: Annotated[Optional[str], typer.Option("--applicant-bin", help="The applicant's BIN.")] = None,
    committee: Annotated[Optional[str], typer.Option("--committee", help="industry, telecom or aviation (checked "
                                                     "against the code's annex).")] = None,
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Add an issued permit to the register (a number already there is refused)."""
    from permitcli.permits.intake import make_permit, read_draft

    issued_on = _date(issued, "--issued")
    assert issued_on is not None
    values: dict[str, object] = {}
    if from_draft is not None:
        values.update(read_draft(from_draft, application).values)
    elif application is not None:
        raise UsageError("--application: goes with --from-draft")
    typed = {"code": code, "goods": goods, "origin": origin, "quantity": quantity, "unit": unit, "value": value,
             "currency": currency, "destination": destination, "buyer": buyer, "contract_number": contract_number,
             "contract_date": contract_date, "border_crossing": border_crossing, "applicant_bin": applicant_bin,
             "committee": committee}
    values.update({k: v for k, v in typed.items() if v is not None})
    permit = make_permit(number, issued_on, values)
    with _open(db) as register:
        register.add(permit, by=by)
    from permitcli.permits.model import format_decimal

    err(f"permitcli: permit {permit.number} added: {permit.code} {permit.origin}, {format_decimal(permit.quantity)} "
        f"{permit.unit}, valid until {permit.valid_until}")


# ------------------------------------------------------------------------------------------------------- list


@permits_app.command("list")
@guarded
def list_(
    active: Annotated[bool, typer.Option("--active", help="Only permits that can be drawn on.")] = False,
    expiring: Annotated[Optional[int], typer.Option("--expiring", help="Only active permits that expire within "
                                                    "DAYS days.", metavar="DAYS")] = None,
    report_due: Annotated[Optional[int], typer.Option("--report-due", help="Only permits whose report (rules p.16) "
                                                      "is due within DAYS days.", metavar="DAYS")] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="Only permits for this code.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table, json or csv.")] = ListFormat.table,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """List the permits in the register, with what was used and what remains."""
    from datetime import timedelta

    from permitcli.permits.model import ACTIVE
    from permitcli.permits.report import permit_report

    today = _today(as_of)
    _days(expiring, "--expiring")
    _days(report_due, "--report-due")
    digits = None
    if code is not None:
        from permitcli.codes import parse_code

        digits = parse_code(code).digits
        if digits is None:
            raise UsageError(f"--code: {code!r} is not a code")
    with _open(db) as register:
        records = register.records()
    if active or expiring is not None:
        records = [r for r in records if r.state(today) == ACTIVE and r.permit.issued <= today]
    if expiring is not None:
        records = [r for r in records if r.permit.valid_until <= today + timedelta(days=expiring)]
    if report_due is not None:
        records = [r for r in records if today <= r.permit.report_due <= today + timedelta(days=report_due)]
    if digits is not None:
        records = [r for r in records if r.permit.code.startswith(digits)]
    reports = [permit_report(r, today) for r in records]
    keys = ("number", "committee", "code", "origin", "quantity", "used", "remaining", "unit", "issued",
            "valid_until", "report_due", "status")
    if fmt is ListFormat.json:
        from permitcli.render.json import dumps

        emit(dumps([{k: v for k, v in rep.items() if k != "uses"} for rep in reports]))
    elif fmt is ListFormat.csv:
        from permitcli.render.csv import rows_csv

        emit(rows_csv(keys, ([rep[k] for k in keys] for rep in reports)))
    else:
        console = stdout_console()
        if not reports:
            console.print(_label("no-permits"), markup=False)
            return
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True, pad_edge=False)
        for key in ("number", "code", "origin", "used", "remaining", "valid_until", "report_due", "status"):
            table.add_column(_label(key), justify="right" if key in ("used", "remaining") else "left",
                             no_wrap=key in ("code", "valid_until", "report_due", "status"), overflow="fold")
        for rep in reports:
            table.add_row(str(rep["number"]), str(rep["code"]), str(rep["origin"]),
                          f"{rep['used']} / {rep['quantity']}", f"{rep['remaining']} {rep['unit']}",
                          str(rep["valid_until"]), str(rep["report_due"]), _label(str(rep["status"])))
        console.print(table)


# ------------------------------------------------------------------------------------------------------- show


@permits_app.command("show")
@guarded
def show(
    number: Annotated[str, typer.Argument(help="The permit's number.")],
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """One permit: what it permits, its uses, what remains, and its history."""
    from permitcli.permits.model import format_decimal
    from permitcli.permits.report import permit_report

    today = _today(as_of)
    with _open(db) as register:
        record = register.get(number)
        entries = register.history(number)
    rep = permit_report(record, today)
    p = record.permit
    if fmt is TableOrJson.json:
        from permitcli.render.json import dumps

        rep.update({
            "buyer": p.buyer, "contract_number": p.contract_number,
            "contract_date": p.contract_date.isoformat() if p.contract_date else None,
            "border_crossing": p.border_crossing, "applicant_bin": p.applicant_bin,
            "source_rows": list(p.source_rows),
            "history": [{"id": h.id, "at": h.at, "by": h.by, "action": h.action, "detail": h.detail} for h in entries],
        })
        emit(dumps(rep))
        return
    from rich.table import Table

    console = stdout_console()
    facts = [
        ("number", p.number), ("committee", f"{p.committee} (Annex {p.annex})"), ("code", p.code),
        ("goods", p.goods), ("origin", p.origin), ("destination", p.destination),
        ("quantity", f"{rep['quantity']} {p.unit}"), ("value", f"{rep['value']} {p.currency}" if rep["value"] else ""),
        ("used", f"{rep['used']} {p.unit}"), ("remaining", f"{rep['remaining']} {p.unit}"),
        ("issued", rep["issued"]), ("valid_until", rep["valid_until"]), ("report_due", rep["report_due"]),
        ("status", _label(str(rep["status"]))),
        ("terminated-on", f"{p.terminated_on}, {_ground_text(p.termination_ground)}" if p.terminated_on else ""),
        ("buyer", p.buyer), ("contract", f"{p.contract_number} {p.contract_date or ''}".strip()),
        ("border_crossing", p.border_crossing), ("applicant_bin", p.applicant_bin),
        ("source_rows", " ".join(str(r) for r in p.source_rows)),
    ]
    width = max(len(_label(k)) for k, _ in facts)
    for key, text in facts:
        if text:
            console.print(f"{_label(key):<{width}}  {text}", markup=False)
    if record.uses:
        table = Table(title=_label("uses"), title_justify="left")
        for key in ("#", "declaration", "date", "qty", "value", "reverses", "recorded", "by"):
            table.add_column(_label(key) if key != "#" else "#", justify="right" if key in ("#", "qty", "value") else "left",
                             overflow="fold")
        for u in record.uses:
            table.add_row(str(u.id), u.declaration, u.date.isoformat(), format_decimal(u.quantity),
                          format_decimal(u.value) if u.value is not None else "", str(u.reverses or ""),
                          u.recorded_at, u.recorded_by)
        console.print(table)
    table = Table(title=_label("history"), title_justify="left")
    for key in ("at", "by", "action"):
        table.add_column(_label(key))
    for h in entries:
        table.add_row(h.at, h.by, h.action)
    console.print(table)


def _ground_text(letter: str) -> str:
    from permitcli.permits.model import ground_of

    try:
        ground = ground_of(letter)
    except UsageError:  # a letter this program does not know (an imported register): shown as stored
        return letter
    return f"{ground.letter}) {ground.text.get(state.lang, ground.text['en'])}"


# -------------------------------------------------------------------------------------------------------- use


@permits_app.command("use")
@guarded
def use(
    number: Annotated[str, typer.Argument(help="The permit's number.")],
    declaration: Annotated[Optional[str], typer.Option("--declaration", help="The goods declaration's number.")] = None,
    on: Annotated[Optional[str], typer.Option("--date", help="The export's date (the declaration's release).")] = None,
    quantity: Annotated[Optional[str], typer.Option("--quantity", help="Quantity exported, in the permit's unit.")] = None,
    value: Annotated[Optional[str], typer.Option("--value", help="Value exported.")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="The unit of --quantity, if you want it checked "
                                                "against the permit's.")] = None,
    reverse: Annotated[Optional[int], typer.Option("--reverse", help="Undo use ID with a reversing entry "
                                                   "(nothing is deleted).", metavar="ID")] = None,
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Record an export against a permit (refused, with nothing written, if the permit does not allow it)."""
    from permitcli.permits.model import format_decimal, parse_quantity

    day = _date(on, "--date")
    if reverse is not None:
        if declaration is not None or quantity is not None or value is not None or unit is not None:
            raise UsageError("--reverse: takes only the permit's number (and --date for the reversal)")
        with _open(db) as register:
            entry = register.reverse(number, reverse, day=day, by=by)
            remaining = register.get(number).remaining
        err(f"permitcli: permit {number}: use {reverse} reversed by entry {entry.id}; "
            f"{format_decimal(remaining)} remain")
        return
    missing = [name for name, v in (("--declaration", declaration), ("--date", on), ("--quantity", quantity)) if v is None]
    if missing:
        raise UsageError(f"use: missing {', '.join(missing)} (or --reverse ID)")
    assert day is not None and declaration is not None and quantity is not None
    amount = parse_quantity(quantity, "--quantity")
    worth = parse_quantity(value, "--value", allow_zero=True) if value is not None else None
    unit_code = None
    if unit is not None:
        from permitcli.units import unit_key

        unit_code = unit_key(unit)
    with _open(db) as register:
        entry = register.use(number, declaration=declaration, day=day, quantity=amount, value=worth,
                             unit_code=unit_code, by=by)
        record = register.get(number)
    err(f"permitcli: permit {number}: use {entry.id} recorded ({format_decimal(amount)} {record.permit.unit}, "
        f"{declaration}); {format_decimal(record.remaining)} {record.permit.unit} remain")


# -------------------------------------------------------------------------------------------------- terminate


@permits_app.command("terminate")
@guarded
def terminate(
    number: Annotated[str, typer.Argument(help="The permit's number.")],
    ground: Annotated[str, typer.Option("--ground", help="The ground of rules p.14: а, б, в, г, д, е, ж "
                                                         "(or a, b, v, g, d, e, zh).")],
    on: Annotated[str, typer.Option("--date", help="The date of the decision to terminate.")],
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Record that a permit was terminated (rules p.14); it cannot be used after that."""
    from permitcli.permits.model import ground_of

    chosen = ground_of(ground)
    day = _date(on, "--date")
    assert day is not None
    with _open(db) as register:
        register.terminate(number, ground=chosen.letter, day=day, by=by)
    err(f"permitcli: permit {number}: terminated on {day}, ground {_ground_text(chosen.letter)}")


# ----------------------------------------------------------------------------------------------------- report


@permits_app.command("report")
@guarded
def report(
    numbers: Annotated[Optional[list[str]], typer.Argument(help="Permit numbers (default: every permit the other "
                                                           "options choose).", show_default=False)] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Only permits issued in this year.")] = None,
    due: Annotated[Optional[int], typer.Option("--due", help="Only permits whose report is due within DAYS days.",
                                               metavar="DAYS")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for the reports (xlsx: required; "
                                                "json: report.json there, else stdout).")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="xlsx (one workbook per permit, Kazakh and "
                                              "Russian) or json.")] = ReportFormat.xlsx,
    force: Annotated[bool, typer.Option("--force", help="Overwrite reports that exist.")] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """The report on each permit's use (rules p.16): permitted, every use, used, remaining, the date it is due."""
    from permitcli.permits import report as rep

    today = _today(as_of)
    _days(due, "--due")
    if fmt is ReportFormat.xlsx and out is None:
        raise UsageError("report: --out DIR is required for xlsx reports")
    with _open(db) as register:
        records = register.records(numbers or None)
    records = rep.select(records, year=year, due_within=due, today=today)
    if fmt is ReportFormat.json:
        if out is None:
            from permitcli.render.json import dumps

            emit(dumps(rep.report_document(records, today)))
            return
        path = rep.write_json_report(records, out, today, force=force)
        err(f"permitcli: {len(records)} permit(s) reported in {path}")
        return
    assert out is not None
    if not records:
        err("permitcli: no permit to report on")
        return
    from permitcli.catalog import load_catalog

    committees = load_catalog().rules.committees
    authorities = {slug: {lang: f"{c.name.get(lang, '')} ({c.ministry.get(lang, '')})" for lang in ("kk", "ru")}
                   for slug, c in committees.items()}
    paths = rep.write_reports(records, out, today, force=force, authorities=authorities)
    for path in paths:
        emit(f"{path}\n")


# --------------------------------------------------------------------------------------------- export/import


@permits_app.command("export")
@guarded
def export(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of "
                                                   "stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Every permit, use and history entry as JSON, for `permits import` into another register."""
    from permitcli.render.json import dumps

    with _open(db) as register:
        doc = register.export()
    emit(dumps(doc), output)


@permits_app.command("import")
@guarded
def import_(
    source: Annotated[Path, typer.Argument(help="A `permits export` file (- for standard input).", metavar="FILE")],
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Load an export into an empty register (SQLite to PostgreSQL or back), keeping every row as it was."""
    import sys

    import orjson

    from permitcli.errors import InputError

    try:
        raw = sys.stdin.buffer.read() if str(source) == "-" else source.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{source}: not JSON: {exc}") from None
    with _open(db) as register:
        counts = register.import_(doc, source=str(source), by=by)
        shown = register.location.shown
    err(f"permitcli: imported into {shown}: {counts['permits']} permit(s), {counts['uses']} use(s), "
        f"{counts['history']} history entries")


# ----------------------------------------------------------------------------------------------------- db


@db_app.command("upgrade")
@guarded
def db_upgrade(db: DbOption = None) -> None:
    """Create the register, or bring its schema up to this permitcli's (it is also done on first use)."""
    with _open(db) as register:
        revision = register.revision()
        changed = register.upgraded
        shown = register.location.shown
    err(f"permitcli: register {shown}: {'upgraded to' if changed else 'already at'} schema {revision}")


def permit_cover(db: str | None):  # -> permitcli.permits.cover.Cover
    """The active permits of the register, for `check --permits`; the register is only read, never created."""
    from permitcli.permits.cover import Cover
    from permitcli.permits.store import Register

    with Register.open(db, upgrade=False, create=False) as register:
        records = register.records()
    return Cover.of(records, _today(None), state.lang)


def register(app: typer.Typer) -> None:
    """Add `permits` to the main application."""
    app.add_typer(permits_app, name="permits")
