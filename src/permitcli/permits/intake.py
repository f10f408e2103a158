"""A permit as it enters the register: read from a Form 2 draft (`draft --format json`, or one application's
workbook), completed by what the broker types, and checked field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from permitcli.errors import InputError, UsageError
from permitcli.permits.model import Permit, parse_quantity

FIELDS = (
    "committee", "annex", "code", "goods", "origin", "quantity", "unit", "value", "currency", "destination",
    "buyer", "contract_number", "contract_date", "border_crossing", "applicant_bin", "source_rows",
)

_ALPHA2 = re.compile(r"^\s*([A-Z]{2})\b")
_BIN = re.compile(r"(?:БСН/БИН|БИН|БСН|BIN)\s*(\d{12})")
_CONTRACT = re.compile(r"^\s*(\d{2})\.(\d{2})\.(\d{4})\s*№\s*(.+?)\s*$")
_ROWS_NOTE = re.compile(r"(?:жолдар / строки|жол / строка)\s+([\d,\s]+)$")


@dataclass(frozen=True, slots=True)
class DraftValues:
    """What a draft tells about the permit applied for: field name -> value (strings and row numbers)."""

    values: dict[str, object]
    source: str


# ------------------------------------------------------------------------------------------------- drafts


def read_draft(path: Path, application: int | None = None) -> DraftValues:
    """The permit fields of one application in a draft: drafts.json (choose with `application`, its `number`,
    when it holds several) or one application's .xlsx. Anything else is an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    head = path.read_bytes()[:4]
    if head == b"PK\x03\x04":
        if application not in (None, 1):
            raise UsageError(f"--application: {path.name} is one application's workbook; leave --application out")
        return DraftValues(_from_workbook(path), str(path))
    return DraftValues(_from_json(path, application), str(path))


def _from_json(path: Path, application: int | None) -> dict[str, object]:
    import orjson

    try:
        doc = orjson.loads(path.read_bytes())
    except (orjson.JSONDecodeError, OSError) as exc:
        raise InputError(f"{path}: not a draft (neither drafts.json nor a draft workbook): {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != "permitcli.draft/1":
        raise InputError(f"{path}: not a draft: a drafts.json has the schema permitcli.draft/1")
    apps = [a for a in doc.get("applications", []) if isinstance(a, dict)]
    if not apps:
        raise InputError(f"{path}: the draft holds no application")
    if application is None:
        if len(apps) > 1:
            numbers = ", ".join(str(a.get("number")) for a in apps)
            raise UsageError(f"{path.name} holds {len(apps)} applications ({numbers}); choose one with --application N")
        app = apps[0]
    else:
        found = [a for a in apps if a.get("number") == application]
        if not found:
            raise UsageError(f"--application: {path.name} has no application {application}")
        app = found[0]
    fields = {str(k): str(v) for k, v in (app.get("fields") or {}).items()}
    found_contract = doc.get("contract")
    contract: dict[str, object] = found_contract if isinstance(found_contract, dict) else {}
    values: dict[str, object] = {
        "committee": app.get("committee"),
        "annex": app.get("annex"),
        "code": app.get("code"),
        "origin": app.get("origin"),
        "unit": app.get("unit"),
        "quantity": app.get("quantity"),
        "value": app.get("value"),
        "currency": app.get("currency"),
        "source_rows": tuple(int(r) for r in app.get("rows", ()) if isinstance(r, int)),
        "contract_number": contract.get("number"),
        "contract_date": contract.get("date"),
    }
    values.update({k: v for k, v in _from_fields(fields).items() if values.get(k) in (None, "")})
    return {k: v for k, v in values.items() if v not in (None, "")}


def _from_fields(fields: Mapping[str, str]) -> dict[str, object]:
    """Form 2's fields as the draft wrote them, back into values."""
    out: dict[str, object] = {}

    def after(text: str, sep: str) -> str:
        return text.split(sep, 1)[1].strip() if sep in text else ""

    field15 = fields.get("15", "")
    code = re.sub(r"\D", "", field15.split(" — ", 1)[0])
    if code:
        out["code"] = code
    out["goods"] = after(field15, " — ")
    m = _CONTRACT.match(fields.get("4", ""))
    if m:
        out["contract_date"] = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
        out["contract_number"] = m.group(4)
    m = _BIN.search(fields.get("5", ""))
    if m:
        out["applicant_bin"] = m.group(1)
    out["buyer"] = fields.get("6", "").strip()
    for key, number in (("destination", "7"), ("origin", "12")):
        m = _ALPHA2.match(fields.get(number, ""))
        if m:
            out[key] = m.group(1)
    out["currency"] = fields.get("9", "").strip()
    out["value"] = fields.get("10", "").strip()
    out["quantity"] = fields.get("13", "").strip()
    out["unit"] = fields.get("14", "").strip()
    out["border_crossing"] = after(fields.get("16", ""), ": ")
    return {k: v for k, v in out.items() if v not in (None, "")}


def _from_workbook(path: Path) -> dict[str, object]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if "Form 2" not in book.sheet_names:
            raise InputError(f"{path}: not one application's draft (no 'Form 2' sheet); an index.xlsx lists "
                             f"drafts, give one of them or drafts.json")
        rows = book.get_sheet_by_name("Form 2").to_python()
    except InputError:
        raise
    except Exception as exc:  # calamine's own errors on a broken file
        raise InputError(f"{path}: cannot read the workbook: {exc}") from None
    fields: dict[str, str] = {}
    source_rows: tuple[int, ...] = ()
    for row in rows:
        cells = list(row) + [""] * 4
        first = cells[0]
        if isinstance(first, (int, float)) and not isinstance(first, bool) and float(first).is_integer():
            number = int(first)
            if 1 <= number <= 18 and str(number) not in fields:
                fields[str(number)] = "" if cells[3] is None else str(cells[3])
        elif isinstance(first, str):
            m = _ROWS_NOTE.search(first.strip())
            if m:
                source_rows = tuple(int(r) for r in re.findall(r"\d+", m.group(1)))
    if len(fields) < 18:
        raise InputError(f"{path}: not a complete Form 2 draft (fields 1–18 not all found)")
    values = _from_fields(fields)
    if source_rows:
        values["source_rows"] = source_rows
    return values


# --------------------------------------------------------------------------------------------- checking


def make_permit(number: str, issued: date, values: Mapping[str, object], catalog=None) -> Permit:
    """A Permit from loose values (a draft's, overridden by options), each checked: a UsageError names the
    first that is wrong or missing. Committee and annex come from the annexes when the code is listed there."""
    if catalog is None:
        from permitcli.catalog import load_catalog

        catalog = load_catalog()
    from permitcli.codes import parse_code
    from permitcli.countries import resolve_country
    from permitcli.units import unit_key, unit_name

    number = " ".join(str(number or "").split())
    if not number:
        raise UsageError("--number: the permit's number is required")

    def text(key: str) -> str:
        value = values.get(key)
        return " ".join(str(value).split()) if value not in (None, "") else ""

    raw_code = text("code")
    if not raw_code:
        raise UsageError("--code: the permit's 10-digit code is required (or --from-draft)")
    parsed = parse_code(raw_code)
    if not parsed.is_code or parsed.digits is None:
        raise UsageError(f"--code: {raw_code!r} is not a 10-digit code")
    code = parsed.digits
    entry = catalog.entry_for(code)
    if entry is None:
        raise UsageError(f"--code: {code} is in no annex of the order; permits are issued for listed goods only")
    committee = catalog.rules.committee_for(entry.annex).slug
    if text("committee") and text("committee") != committee:
        raise UsageError(f"--committee: {code} is Annex {entry.annex} goods, whose permits the {committee} "
                         f"committee issues, not {text('committee')}")

    def country(key: str, option: str, required: bool) -> str:
        raw = text(key)
        if not raw:
            if required:
                raise UsageError(f"{option}: required (ISO code or name)")
            return ""
        alpha2 = resolve_country(raw)
        if alpha2 is None or alpha2 == "EU":
            raise UsageError(f"{option}: {raw!r} is not a country permitcli knows")
        return alpha2

    origin = country("origin", "--origin", True)
    destination = country("destination", "--destination", False)
    if values.get("quantity") in (None, ""):
        raise UsageError("--quantity: the quantity permitted is required")
    quantity = parse_quantity(str(values["quantity"]), "--quantity")
    unit_text = text("unit")
    if not unit_text:
        raise UsageError("--unit: the permit's unit is required (шт, кг, …)")
    value = parse_quantity(str(values["value"]), "--value", allow_zero=True) if text("value") else None
    currency = text("currency").upper()
    if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise UsageError(f"--currency: {currency!r} is not an ISO 4217 three-letter code (e.g. USD)")
    contract_date = None
    if text("contract_date"):
        try:
            contract_date = date.fromisoformat(text("contract_date"))
        except ValueError:
            raise UsageError(f"--contract-date: {text('contract_date')!r} is not a date (e.g. 2026-10-01)") from None
    applicant_bin = text("applicant_bin")
    if applicant_bin:
        from permitcli.config import check_bin

        try:
            applicant_bin = check_bin(applicant_bin)
        except ValueError as exc:
            raise UsageError(f"--applicant-bin: {exc}") from None
    found_rows = values.get("source_rows")
    rows = found_rows if isinstance(found_rows, (list, tuple)) else ()
    return Permit(
        number=number, committee=committee, annex=entry.annex, code=code, origin=origin, quantity=quantity,
        unit=unit_name(unit_text), unit_code=unit_key(unit_text), issued=issued, goods=text("goods"),
        value=value, currency=currency, destination=destination, buyer=text("buyer"),
        contract_number=text("contract_number"), contract_date=contract_date,
        border_crossing=text("border_crossing"), applicant_bin=applicant_bin,
        source_rows=tuple(int(r) for r in rows),
    )
