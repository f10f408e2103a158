"""The report on a permit's use (rules p.16): what was permitted, every use, what was used and what remains,
and when the report is due — as JSON, and as one workbook per permit in Kazakh and Russian."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from permitcli.permits.model import PermitRecord, format_decimal

SCHEMA = "permitcli.permits-report/1"

STATUS_TEXT = {
    "active": ("қолданыста", "действует"),
    "exhausted": ("толық пайдаланылды", "использовано полностью"),
    "expired": ("қолданылу мерзімі аяқталды", "срок действия истёк"),
    "terminated": ("тоқтатылды", "прекращено"),
}


def _dec(value) -> str | None:  # type: ignore[no-untyped-def]
    return format_decimal(value) if value is not None else None


def permit_report(record: PermitRecord, today: date) -> dict[str, object]:
    """One permit's report as JSON-ready values."""
    p = record.permit
    return {
        "number": p.number,
        "committee": p.committee,
        "annex": p.annex,
        "code": p.code,
        "goods": p.goods,
        "origin": p.origin,
        "destination": p.destination or None,
        "unit": p.unit,
        "quantity": format_decimal(p.quantity),
        "value": _dec(p.value),
        "currency": p.currency or None,
        "issued": p.issued.isoformat(),
        "valid_until": p.valid_until.isoformat(),
        "status": record.state(today),
        "terminated_on": p.terminated_on.isoformat() if p.terminated_on else None,
        "termination_ground": p.termination_ground or None,
        "used": format_decimal(record.used),
        "used_value": _dec(record.used_value),
        "remaining": format_decimal(record.remaining),
        "report_due": p.report_due.isoformat(),
        "uses": [
            {"id": u.id, "declaration": u.declaration, "date": u.date.isoformat(), "quantity": format_decimal(u.quantity),
             "value": _dec(u.value), "reverses": u.reverses}
            for u in record.uses
        ],
    }


def report_document(records: Iterable[PermitRecord], today: date) -> dict[str, object]:
    return {"schema": SCHEMA, "permits": [permit_report(r, today) for r in records]}


def select(records: Sequence[PermitRecord], *, year: int | None = None, due_within: int | None = None,
           today: date | None = None) -> list[PermitRecord]:
    """The permits to report on: issued in `year`, and/or whose report falls due within `due_within` days."""
    from datetime import timedelta

    chosen = list(records)
    if year is not None:
        chosen = [r for r in chosen if r.permit.issued.year == year]
    if due_within is not None:
        assert today is not None
        last = today + timedelta(days=due_within)
        chosen = [r for r in chosen if today <= r.permit.report_due <= last]
    return chosen


# ------------------------------------------------------------------------------------------------ workbook

_TITLE = (
    "Тауарларды әкетуге арналған рұқсаттың орындалуы туралы ақпарат",
    "Информация об исполнении разрешения на вывоз товаров",
)
_POINT = "Қағидалардың 16-тармағы / пункт 16 Правил"


def report_workbook(record: PermitRecord, today: date, authority: dict[str, str] | None = None) -> bytes:
    """One permit's report as an .xlsx: the permit, every use, the totals; labels in Kazakh and Russian."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    from permitcli.codes import format_code
    from permitcli.forms import _a4, _fit_rows, _workbook_bytes, country_label, put

    report = permit_report(record, today)
    p = record.permit
    wb = Workbook()
    ws = wb.active
    ws.title = "Есеп – Отчёт"
    _a4(ws, {"A": 6, "B": 30, "C": 30, "D": 16, "E": 16, "F": 30})
    put(ws, 1, 1, _TITLE[0], bold=True)
    put(ws, 2, 1, _TITLE[1], bold=True)
    put(ws, 3, 1, _POINT)
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    state = str(report["status"])
    ground = f" ({p.termination_ground})" if p.termination_ground else ""
    facts = [
        ("Рұқсаттың нөмірі", "Номер разрешения", p.number),
        ("Рұқсат берген орган", "Выдавший орган",
         f"{authority.get('kk', '')} / {authority.get('ru', '')}" if authority else p.committee),
        ("Берілген күні", "Дата выдачи", p.issued.isoformat()),
        ("Қолданылу мерзімі", "Срок действия", p.valid_until.isoformat()),
        ("Мәртебесі", "Статус", " / ".join(STATUS_TEXT.get(state, (state, state)))
         + (f", {p.terminated_on.isoformat()}{ground}" if p.terminated_on else "")),
        ("Тауардың коды", "Код товара", format_code(p.code)),
        ("Тауардың сипаттамасы", "Описание товара", p.goods),
        ("Шығарылған елі", "Страна происхождения", country_label(p.origin) if p.origin else ""),
        ("Өлшем бірлігі", "Единица измерения", p.unit),
        ("Рұқсат етілген саны", "Разрешённое количество", report["quantity"]),
        ("Рұқсат етілген құны", "Разрешённая стоимость",
         f"{report['value']} {p.currency}".strip() if report["value"] is not None else ""),
        ("Пайдаланылған саны", "Использовано", report["used"]),
        ("Қалдық", "Остаток", report["remaining"]),
        ("Есеп беру мерзімі", "Срок представления отчёта", report["report_due"]),
    ]
    row = 5
    for kk, ru, value in facts:
        put(ws, row, 1, kk, bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        put(ws, row, 3, ru, bold=True)
        put(ws, row, 4, value)
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
        row += 1
    row += 1
    put(ws, row, 1, "Пайдалану / Использование", bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    row += 1
    header = ("№", "Декларация / Декларация на товары", "Күні / Дата", "Саны / Количество", "Құны / Стоимость",
              "Ескерту / Примечание")
    first = row
    for c, text in enumerate(header, start=1):
        put(ws, row, c, text, bold=True)
    row += 1
    for u in record.uses:
        put(ws, row, 1, u.id)
        put(ws, row, 2, u.declaration)
        put(ws, row, 3, u.date.isoformat())
        put(ws, row, 4, format_decimal(u.quantity))
        put(ws, row, 5, format_decimal(u.value) if u.value is not None else "")
        put(ws, row, 6, f"{u.reverses} жазбасының түзетуі / сторно записи {u.reverses}" if u.reverses else "")
        row += 1
    put(ws, row, 2, "Барлығы / Итого", bold=True)
    put(ws, row, 4, report["used"], bold=True)
    put(ws, row, 5, report["used_value"] or "", bold=True)
    thin = Side(style="thin")
    for r in range(first, row + 1):
        for c in range(1, 7):
            ws.cell(row=r, column=c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.print_area = f"A1:F{row}"
    _fit_rows(ws)
    return _workbook_bytes(wb)


def file_names(records: Sequence[PermitRecord], suffix: str = ".xlsx") -> list[str]:
    """One file name per permit, from its number with anything but ASCII letters, digits and '-' made '_' (so no
    number can reach outside the folder); names that would clash get a counter."""
    names: list[str] = []
    for record in records:
        stem = re.sub(r"[^A-Za-z0-9-]", "_", record.permit.number) or "permit"
        name = f"report-{stem[:80]}{suffix}"
        n = 2
        while name in names:
            name = f"report-{stem[:80]}-{n}{suffix}"
            n += 1
        names.append(name)
    return names


def write_json_report(records: Sequence[PermitRecord], out: Path, today: date, *, force: bool) -> Path:
    """report.json in `out`, written whole or not at all."""
    from permitcli.files import make_folder, write_file_atomic
    from permitcli.render.json import dumps

    path = make_folder(out) / "report.json"
    write_file_atomic(path, dumps(report_document(records, today)), overwrite=force)
    return path


def write_reports(records: Sequence[PermitRecord], out: Path, today: date, *, force: bool,
                  authorities: dict[str, dict[str, str]] | None = None) -> list[Path]:
    """One workbook per permit in `out` (created if missing), all written or none."""
    from permitcli.files import make_folder, write_files_atomic

    make_folder(out)
    authorities = authorities or {}
    items = [(out / name, report_workbook(r, today, authorities.get(r.permit.committee)))
             for name, r in zip(file_names(records), records)]
    write_files_atomic(items, overwrite=force)
    return [path for path, _ in items]
