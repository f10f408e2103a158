"""The permit register: permits, their uses and an append-only history, in one SQL database.

Every change is one transaction that also writes its history row. A draw-down reads what remains and writes the
use under a lock (SELECT … FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), so two brokers drawing on one
permit at once can never overdraw it.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection

from permitcli.errors import InputError, RefusedError, RegisterError
from permitcli.permits import database
from permitcli.permits.database import Location
from permitcli.permits.model import (
    ACTIVE,
    TERMINATED,
    HistoryEntry,
    Permit,
    PermitRecord,
    Use,
    check_draw,
    check_reversal,
    format_decimal,
)
from permitcli.permits.schema import TABLES, history, metadata, permits, uses

EXPORT_SCHEMA = "permitcli.permits-export/1"


def who(by: str | None = None) -> str:
    """Who makes a change: `--by`, else the operating system's user name."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def _dec_text(value: Decimal | None) -> str | None:
    return format_decimal(value) if value is not None else None


class Register:
    """An open register. Use `Register.open(db)` (or as a context manager); every method is one transaction."""

    def __init__(self, location: Location, engine: sa.Engine) -> None:
        self.location = location
        self.engine = engine
        self.upgraded = False  # whether opening it brought its schema up to date

    # ------------------------------------------------------------------------------------------ opening

    @classmethod
    def open(cls, db: str | None = None, *, environ: dict[str, str] | None = None, upgrade: bool = True,
             create: bool = True) -> Register:
        """Open the register at `db` (a URL or a SQLite file; else PERMITCLI_DB, else the default file), bringing
        its schema up to date on first use. A register newer than this program is refused untouched. With
        `upgrade=False, create=False` nothing is created or changed: a missing or older register is an error."""
        location = database.resolve(db, environ)
        register = cls(location, database.create_engine(location, create=create))
        try:
            with register._errors():
                if upgrade:
                    register.upgraded = database.upgrade(register.engine)
                else:
                    current, heads = database.schema_state(register.engine)
                    if current != heads:
                        raise RegisterError("it has no tables or an older schema; run: permitcli permits db upgrade")
        except BaseException:
            register.close()
            raise
        return register

    def revision(self) -> str:
        """The schema revision the register is at."""
        with self._errors():
            current, _ = database.schema_state(self.engine)
        return ", ".join(sorted(current))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            with database.translated(self.location):
                yield
        except RegisterError as err:
            prefix = f"register {self.location.shown}: "
            if not err.message.startswith(prefix):
                raise RegisterError(prefix + err.message) from None
            raise

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect().execution_options(write=True) as conn:
            with conn.begin():
                yield conn

    # --------------------------------------------------------------------------------------------- reads

    def get(self, number: str) -> PermitRecord:
        """One permit with its uses; an unknown number is a RefusedError."""
        with self._read() as conn:
            return self._record(conn, number)

    def records(self, numbers: Iterable[str] | None = None) -> list[PermitRecord]:
        """Permits with their uses, in order of issue (all of them, or those numbered; unknown ones refused)."""
        with self._read() as conn:
            if numbers is not None:
                return [self._record(conn, n) for n in numbers]
            rows = conn.execute(sa.select(permits).order_by(permits.c.issued, permits.c.number)).mappings().all()
            by_permit: dict[int, list[Use]] = {}
            for row in conn.execute(sa.select(uses).order_by(uses.c.id)).mappings():
                by_permit.setdefault(row["permit_id"], []).append(_use(row))
            return [PermitRecord(_permit(r), tuple(by_permit.get(r["id"], ()))) for r in rows]

    def active(self, today: date) -> list[PermitRecord]:
        """The permits that can be drawn on today: not terminated, in their term, something left."""
        return [r for r in self.records() if r.state(today) == ACTIVE and r.permit.issued <= today]

    def history(self, number: str | None = None) -> list[HistoryEntry]:
        with self._read() as conn:
            query = sa.select(history).order_by(history.c.id)
            if number is not None:
                query = query.where(history.c.number == number)
            return [HistoryEntry(r["id"], r["at"], r["by"], r["action"], r["number"], orjson.loads(r["detail"]))
                    for r in conn.execute(query).mappings()]

    # -------------------------------------------------------------------------------------------- writes

    def add(self, permit: Permit, *, by: str | None = None) -> PermitRecord:
        """Store an issued permit; a number already in the register is refused."""
        values = _permit_row(permit)
        try:
            with self._write() as conn:
                if conn.execute(sa.select(permits.c.id).where(permits.c.number == permit.number)).first():
                    raise RefusedError(f"permit {permit.number}: already in the register")
                conn.execute(permits.insert().values(**values))
                self._log(conn, by, "add", permit.number, {k: _jsonable(v) for k, v in values.items()})
        except exc.IntegrityError:  # the same number added by someone else in the meantime
            raise RefusedError(f"permit {permit.number}: already in the register") from None
        return PermitRecord(permit)

    def use(self, number: str, *, declaration: str, day: date, quantity: Decimal, value: Decimal | None = None,
            unit_code: str | None = None, by: str | None = None) -> Use:
        """Record an export against a permit: refused (nothing written) when the permit does not allow it."""
        declaration = declaration.strip()
        if not declaration:
            raise RefusedError(f"permit {number}: a use needs the declaration's number")
        with self._write() as conn:
            record = self._record(conn, number, lock=True)
            check_draw(record, quantity, day, unit_code)
            row = {"declaration": declaration, "date": day, "quantity": format_decimal(quantity),
                   "value": _dec_text(value), "reverses": None}
            entry = self._insert_use(conn, record, row, by)
            self._log(conn, by, "use", number, {"use": entry.id, **{k: _jsonable(v) for k, v in row.items()}})
        return entry

    def reverse(self, number: str, use_id: int, *, day: date | None = None, by: str | None = None) -> Use:
        """Undo a mistaken use with a reversing entry (its negative); nothing is ever deleted."""
        with self._write() as conn:
            record = self._record(conn, number, lock=True)
            target = check_reversal(record, use_id)
            row = {"declaration": target.declaration, "date": day or target.date,
                   "quantity": format_decimal(-target.quantity),
                   "value": _dec_text(-target.value) if target.value is not None else None, "reverses": use_id}
            entry = self._insert_use(conn, record, row, by)
            self._log(conn, by, "reverse", number, {"use": entry.id, **{k: _jsonable(v) for k, v in row.items()}})
        return entry

    def terminate(self, number: str, *, ground: str, day: date, by: str | None = None) -> Permit:
        """Mark a permit terminated (rules p.14) from `day`; further use is refused."""
        with self._write() as conn:
            record = self._record(conn, number, lock=True)
            permit = record.permit
            if permit.status == TERMINATED:
                raise RefusedError(f"permit {number}: terminated already on {permit.terminated_on}")
            if day < permit.issued:
                raise RefusedError(f"permit {number}: {day} is before its issue date {permit.issued}")
            later = [u for u in record.uses if u.date > day and u.reverses is None]
            if later:
                raise RefusedError(f"permit {number}: use {later[0].id} of {later[0].date} is after {day}; "
                                   f"reverse it first")
            conn.execute(permits.update().where(permits.c.number == number)
                         .values(status=TERMINATED, terminated_on=day, termination_ground=ground))
            self._log(conn, by, "terminate", number, {"date": day.isoformat(), "ground": ground})
        return replace(permit, status=TERMINATED, terminated_on=day, termination_ground=ground)

    # ---------------------------------------------------------------------------------- export / import

    def export(self) -> dict[str, object]:
        """Every row of every table, as JSON-ready values: `import_` into another register gives the same rows."""
        with self._read() as conn:
            doc: dict[str, object] = {"schema": EXPORT_SCHEMA}
            for name in TABLES:
                table = metadata.tables[name]
                rows = conn.execute(sa.select(table).order_by(table.c.id)).mappings()
                doc[name] = [{str(k): _jsonable(v) for k, v in row.items()} for row in rows]
            return doc

    def import_(self, doc: Mapping[str, object], *, source: str = "", by: str | None = None) -> dict[str, int]:
        """Load an export into this register, which must be empty; ids, dates and texts are kept as they were."""
        if not isinstance(doc, Mapping) or doc.get("schema") != EXPORT_SCHEMA:
            raise InputError(f"{source or 'import'}: not a permitcli register export (schema {EXPORT_SCHEMA})")
        tables = {name: _import_rows(doc, name, source) for name in TABLES}
        with self._write() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(permits)).scalar():
                raise RefusedError(f"register {self.location.shown}: not empty; import into a new register")
            try:
                for name in TABLES:
                    if tables[name]:
                        conn.execute(metadata.tables[name].insert(), tables[name])
            except (exc.IntegrityError, exc.StatementError) as err:
                raise InputError(f"{source or 'import'}: rows the register cannot take: "
                                 f"{str(getattr(err, 'orig', err)).splitlines()[0]}") from None
            if conn.dialect.name == "postgresql":  # the next id after the imported ones
                for name in TABLES:
                    conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                         f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
            counts = {name: len(tables[name]) for name in TABLES}
            self._log(conn, by, "import", "", {"source": source, **counts})
        return counts

    # ---------------------------------------------------------------------------------------- internals

    def _record(self, conn: Connection, number: str, *, lock: bool = False) -> PermitRecord:
        query = sa.select(permits).where(permits.c.number == number)
        if lock:
            query = query.with_for_update()  # PostgreSQL: a row lock; SQLite holds the database's (BEGIN IMMEDIATE)
        row = conn.execute(query).mappings().first()
        if row is None:
            raise RefusedError(f"permit {number}: not in the register")
        found = conn.execute(sa.select(uses).where(uses.c.permit_id == row["id"]).order_by(uses.c.id)).mappings()
        return PermitRecord(_permit(row), tuple(_use(u) for u in found))

    def _insert_use(self, conn: Connection, record: PermitRecord, row: dict[str, Any], by: str | None) -> Use:
        permit_id = conn.execute(sa.select(permits.c.id).where(permits.c.number == record.permit.number)).scalar_one()
        at, name = _now(), who(by)
        result = conn.execute(uses.insert().values(permit_id=permit_id, recorded_at=at, recorded_by=name, **row))
        assert result.inserted_primary_key is not None
        (use_id,) = result.inserted_primary_key
        return Use(int(use_id), str(row["declaration"]), row["date"], Decimal(str(row["quantity"])),
                   _dec(row["value"]), row["reverses"], at, name)

    def _log(self, conn: Connection, by: str | None, action: str, number: str, detail: dict[str, object]) -> None:
        conn.execute(history.insert().values(at=_now(), by=who(by), action=action, number=number,
                                             detail=orjson.dumps(detail).decode("utf-8")))


# ------------------------------------------------------------------------------------------- row mapping


def _permit_row(p: Permit) -> dict[str, object]:
    return {
        "number": p.number, "committee": p.committee, "annex": p.annex, "code": p.code, "goods": p.goods,
        "origin": p.origin, "quantity": format_decimal(p.quantity), "unit": p.unit, "unit_code": p.unit_code,
        "value": _dec_text(p.value), "currency": p.currency, "destination": p.destination, "buyer": p.buyer,
        "contract_number": p.contract_number, "contract_date": p.contract_date,
        "border_crossing": p.border_crossing, "applicant_bin": p.applicant_bin,
        "source_rows": " ".join(str(r) for r in p.source_rows), "issued": p.issued, "valid_until": p.valid_until,
        "status": p.status, "terminated_on": p.terminated_on, "termination_ground": p.termination_ground,
    }


def _permit(row: Mapping[Any, Any]) -> Permit:
    return Permit(
        number=str(row["number"]), committee=str(row["committee"]), annex=row["annex"],
        code=str(row["code"]), origin=str(row["origin"]), quantity=Decimal(str(row["quantity"])),
        unit=str(row["unit"]), unit_code=str(row["unit_code"]), issued=row["issued"],
        goods=str(row["goods"]), value=_dec(row["value"]), currency=str(row["currency"]),
        destination=str(row["destination"]), buyer=str(row["buyer"]), contract_number=str(row["contract_number"]),
        contract_date=row["contract_date"], border_crossing=str(row["border_crossing"]),
        applicant_bin=str(row["applicant_bin"]),
        source_rows=tuple(int(r) for r in str(row["source_rows"]).split()),
        status=str(row["status"]), terminated_on=row["terminated_on"],
        termination_ground=str(row["termination_ground"]),
    )


def _use(row: Mapping[Any, Any]) -> Use:
    return Use(int(row["id"]), str(row["declaration"]), row["date"], Decimal(str(row["quantity"])),
               _dec(row["value"]), row["reverses"], str(row["recorded_at"]), str(row["recorded_by"]))


def _jsonable(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_decimal(value)
    return value


def _import_rows(doc: Mapping[str, object], name: str, source: str) -> list[dict[str, object]]:
    rows = doc.get(name, [])
    table = metadata.tables[name]
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError(f"{source or 'import'}: {name!r} must be a list of objects")
    columns = {c.name: c for c in table.columns}
    out = []
    for i, row in enumerate(rows, start=1):
        unknown = set(row) - set(columns)
        if unknown:
            raise InputError(f"{source or 'import'}: {name} row {i}: unknown field {sorted(unknown)[0]!r}")
        values: dict[str, object] = {}
        for key, column in columns.items():
            value = row.get(key)
            if value is None and not column.nullable and key != "id" and column.default is None:
                raise InputError(f"{source or 'import'}: {name} row {i}: {key!r} is missing")
            if value is not None and isinstance(column.type, sa.Date):
                try:
                    value = date.fromisoformat(str(value))
                except ValueError:
                    raise InputError(f"{source or 'import'}: {name} row {i}: {key} {value!r} is not a date") from None
            values[key] = value if value is not None else getattr(column.default, "arg", None)
        out.append(values)
    return out
