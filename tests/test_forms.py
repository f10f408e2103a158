"""Form 2 drafts: grouping, the fields, the workbooks as openpyxl reads them back, JSON, safe writing."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from permitcli.catalog import load_catalog
from permitcli.config import load_shipment, profile_from_values
from permitcli.errors import InputError, OutputError
from permitcli.forms import (
    SCHEMA,
    TO_FILL,
    application_period,
    drafts_json,
    form_date,
    group_applications,
    prepare_applications,
    write_drafts,
)
from permitcli.model import Finding, ScreenedLine, Status

FIXTURES = Path(__file__).parent / "fixtures" / "draft"

PROFILE = profile_from_values(
    {
        "applicant.name": "ТОО «Астана Трейд Логистик»",
        "applicant.bin": "123456789013",
        "applicant.address": "010000, Астана, ул. Кенесары, 40",
        "authorized_person.full_name": "Сейтқали Айгерім Нұрланқызы",
        "authorized_person.position": "директор",
        "authorized_person.phone": "+7 701 234 56 78",
    },
    "profile.toml",
)
SHIPMENT_VALUES = {
    "contract.number": "KZ-2026/15",
    "contract.date": "2026-10-01",
    "contract.currency": "USD",
    "buyer.name": "ООО «Северный Ветер»",
    "buyer.address": "Москва, ул. Тверская, 1",
    "buyer.country": "RU",
    "shipment.destination": "RU",
    "shipment.border_crossing": "Жайсан (автомобильный)",
}
SHIPMENT = load_shipment(None, SHIPMENT_VALUES)

# committee, annex, documents by annex (rules p.6)
_ANNEX = {1: ("industry", (1, 2, 3, 4, 5, 7)), 2: ("telecom", (1, 2, 3, 4, 5, 7)), 3: ("aviation", (1, 2, 3, 4, 6, 7))}


def line(
    row: int,
    code: str | None = "8471500000",
    *,
    annex: int = 2,
    origin: str | None = "CN",
    quantity: str | None = "2",
    unit: str = "pcs",
    value: str | None = "100.10",
    currency: str = "USD",
    status: Status = Status.PERMIT_REQUIRED,
    description: str = "Server",
) -> ScreenedLine:
    committee, documents = _ANNEX[annex]
    listed = status in (Status.PERMIT_REQUIRED, Status.REFUSAL_RISK)
    return ScreenedLine(
        row=row,
        code=code,
        code_raw=code or "",
        description=description,
        origin=origin,
        quantity=Decimal(quantity) if quantity is not None else None,
        unit=unit,
        value=Decimal(value) if value is not None else None,
        currency=currency,
        destination="RU",
        status=status,
        annex=annex if listed else None,
        entry=1 if listed else None,
        committee=committee if listed else None,
        documents=documents if listed else (),
        findings=(Finding("test", "made by hand"),),
    )


# -------------------------------------------------------------------------------------------------- grouping


def test_grouping_by_committee_code_origin_and_unit() -> None:
    plan = group_applications([
        line(2, quantity="2", value="100.10"),
        line(3, quantity="3", value="200.20", unit=" PCS "),  # same unit, written differently
        line(4, origin="VN"),  # another origin: another application
        line(5, unit="kg"),  # another unit: another application
        line(6, "8807300000", annex=3, origin="FR"),  # Annex 3: permit required whatever the origin
        line(7, quantity="0.1", value="0.1", unit="шт."),  # the same unit in Russian
        line(8, quantity="0.2", value="0.2", unit="ШТ"),
        line(9, unit="бухта"),  # a unit the classifier table does not know: compared as written
        line(10, unit="Бухта "),
    ])
    keys = [(g.committee, g.code, g.origin, g.unit, g.rows) for g in plan.groups]
    assert keys == [
        ("telecom", "8471500000", "CN", "шт", (2, 3, 7, 8)),  # one application: the draft writes "шт"
        ("telecom", "8471500000", "VN", "шт", (4,)),
        ("telecom", "8471500000", "CN", "кг", (5,)),
        ("telecom", "8471500000", "CN", "бухта", (9, 10)),
        ("aviation", "8807300000", "FR", "шт", (6,)),
    ]
    first = plan.groups[0]
    assert first.quantity == Decimal("5.3")  # 2 + 3 + 0.1 + 0.2, exactly
    assert first.value == Decimal("300.60")  # 100.10 + 200.20 + 0.1 + 0.2
    assert first.currency == "USD"
    assert plan.left_out == {} and plan.review == () and plan.problems == ()


def test_statuses_that_are_left_out_are_counted() -> None:
    plan = group_applications([
        line(2),
        line(3, origin="US", status=Status.REFUSAL_RISK),
        line(4, status=Status.REVIEW),
        line(5, "1234567890", status=Status.NOT_LISTED),
        line(6, status=Status.EXEMPT),
        line(7, status=Status.EXEMPT),
        line(8, status=Status.OUT_OF_SCOPE),
    ])
    assert [g.rows for g in plan.groups] == [(2,)]
    assert plan.left_out == {"refusal-risk": 1, "review": 1, "exempt": 2, "not-listed": 1, "out-of-scope": 1}
    assert plan.review_rows == (4,)


def test_refusal_risk_joins_only_when_asked() -> None:
    lines = [line(2), line(3, origin="US", status=Status.REFUSAL_RISK)]
    plan = group_applications(lines, include_refusal_risk=True)
    assert [(g.origin, g.refusal_risk) for g in plan.groups] == [("CN", False), ("US", True)]
    assert plan.left_out == {}


def test_lines_that_cannot_fill_a_form_are_problems() -> None:
    plan = group_applications([
        line(2, quantity=None),
        line(3, value=None, unit=" "),
        line(4, origin=None, annex=3, code="8807300000"),
        line(5, currency="USD"),
        line(6, currency="EUR"),
        line(7, currency=""),  # no currency on the line: taken to be the invoice's
        line(8, origin="VN", currency=""),
        line(9, quantity="0"),
        line(10, value="-5"),
    ])
    assert [(p.rows, p.message) for p in plan.problems] == [
        ((2,), "no quantity (field 13)"),
        ((3,), "no unit of measure (field 14; draft --unit gives one), no value (field 10)"),
        ((4,), "no country of origin (field 12)"),
        ((5, 6, 7), "code 8471500000 from CN: values in different currencies (EUR, USD) cannot be added up"),
        ((9,), "quantity 0 (field 13) must be more than 0"),
        ((10,), "value -5 (field 10) is negative"),
    ]
    assert [(g.rows, g.currency) for g in plan.groups] == [((8,), "")]


# ---------------------------------------------------------------------------------------------------- fields


def test_form_date_is_year_day_month() -> None:
    # The form's legend: ЖЖЖЖ – year, КК – day (күн), АА – month (ай).
    assert form_date(date(2026, 12, 1)) == "2026.01.12"
    assert form_date(date(2026, 12, 31)) == "2026.31.12"
    assert form_date(date(2027, 3, 5)) == "2027.05.03"


def test_application_period() -> None:
    # Filed on Tuesday 1 December: the decision is due on Tuesday 8 December, and the period starts there.
    assert application_period(date(2026, 12, 1), date(2026, 10, 1)) == (date(2026, 12, 8), date(2026, 12, 31))
    assert application_period(date(2026, 9, 1), date(2026, 10, 1)) == (date(2026, 10, 1), date(2026, 12, 31))
    # Filed on 29 December, decided on 8 January: the permit will be of 2027 (valid to 31 December of its year).
    assert application_period(date(2026, 12, 29), date(2026, 10, 1)) == (date(2027, 1, 8), date(2027, 12, 31))


def _apps(lines, *, today=date(2026, 12, 1), shipment=SHIPMENT, **kw):
    plan = group_applications(lines, **kw)
    return plan, prepare_applications(plan, PROFILE, shipment, today=today, catalog=load_catalog(),
                                      invoice="invoice.xlsx")


def test_fields_of_one_application() -> None:
    _, (app,) = _apps([line(2, quantity="2", value="1000.50"), line(3, quantity="1", value="499.50")])
    f = app.fields
    assert sorted(f) == list(range(1, 19))
    assert f[1] == "" and f[18] == ""  # the authority's number; the signature and date
    assert f[2] == "2026.08.12 – 2026.31.12"  # from the day the decision is due
    assert f[3] == "ЭКСПОРТ"
    assert f[4] == "01.10.2026 № KZ-2026/15"
    assert f[5] == "ТОО «Астана Трейд Логистик», БСН/БИН 123456789013, 010000, Астана, ул. Кенесары, 40"
    assert f[6] == "ООО «Северный Ветер», Москва, ул. Тверская, 1"
    assert f[7] == f[8] == "RU — Ресей / Российская Федерация"
    assert f[9] == "USD"
    assert f[10] == "1500.00"
    assert f[11] == "1500.00"  # already in US dollars
    _, (exact,) = _apps([line(2, value="1000.505")])
    assert exact.fields[10] == "1000.505"  # never rounded: only missing cents are written out
    assert f[12] == "CN — Қытай / Китай"
    assert f[13] == "3"
    assert f[14] == "шт"  # "pcs" on the invoice: the classifier's short name on the form
    assert f[15] == "8471 50 000 0 — Server"  # the code and the goods as the invoice describes them
    _, (two,) = _apps([line(2, description="Сервер  Dell"), line(3, description="Server"), line(4, description="")])
    assert two.fields[15] == "8471 50 000 0 — Сервер Dell; Server"
    _, (bare,) = _apps([line(2, description="")])
    assert bare.fields[15].startswith("8471 50 000 0 — 8471 41 немесе 8471 49")  # none: the annex's wording
    assert f[16] == "Өткізу пункті / Пункт пропуска: Жайсан (автомобильный)"
    assert f[17] == "Сейтқали Айгерім Нұрланқызы; директор; +7 701 234 56 78"
    assert [d.number for d in app.documents] == [1, 2, 3, 4, 5, 7]
    assert app.documents[5 - 1].reference == ""  # document 5: the certificate itself, which only the broker has
    assert app.documents[4 - 1].reference == "Server"
    assert app.documents[-1].reference == "16-өріс / поле 16: Жайсан (автомобильный)"
    assert app.stem == "01-telecom-8471500000-CN"


def test_annex3_application_lists_the_operator_certificate() -> None:
    _, (app,) = _apps([line(2, "8807300000", annex=3, origin="FR")])
    assert [d.number for d in app.documents] == [1, 2, 3, 4, 6, 7]
    assert app.group.committee == "aviation"
    assert app.authority["kk"].startswith("Азаматтық авиация комитеті")
    assert app.fields[15].startswith("8807 30 000 0 — ")  # covered by the 4-digit entry 8807


def test_statistical_value_in_dollars() -> None:
    shipment = load_shipment(None, SHIPMENT_VALUES | {"contract.currency": "EUR",
                                                      "shipment.statistical_value_rate": "1.085"})
    _, (app,) = _apps([line(2, value="1000.00", currency="EUR")], shipment=shipment)
    assert app.fields[10] == "1000.00"
    assert app.fields[11] == "1085.00"  # 1000 × 1.085
    shipment = load_shipment(None, SHIPMENT_VALUES | {"contract.currency": "EUR"})
    _, (app,) = _apps([line(2, value="1000.00", currency="EUR")], shipment=shipment)
    assert app.fields[11] == ""  # no rate given: left for the broker


def test_invoice_currency_other_than_the_contract_is_an_error() -> None:
    with pytest.raises(InputError, match=r"invoice\.xlsx: rows 2, 3: values in EUR, but the contract currency is USD"):
        _apps([line(2, currency="EUR"), line(3, currency="EUR")])


# --------------------------------------------------------------------------------------------------- writing


def _raw_sheet_xml(path: Path, sheet: int = 1) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{sheet}.xml").decode("utf-8")


def _cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_workbooks_as_read_back(tmp_path: Path) -> None:
    plan, apps = _apps([
        line(2, quantity="2", value="1000.50"),
        line(3, quantity="1", value="499.50", description="=HYPERLINK(\"http://x\",\"y\")"),
        line(4, "8807300000", annex=3, origin="FR", description="@SUM(A1)"),
        line(5, "1234567890", status=Status.NOT_LISTED),
    ])
    written = write_drafts(apps, tmp_path / "out", fmt="xlsx", profile=PROFILE, plan=plan, catalog=load_catalog())
    assert [p.name for p in written] == ["01-telecom-8471500000-CN.xlsx", "02-aviation-8807300000-FR.xlsx",
                                         "index.xlsx"]
    wb = openpyxl.load_workbook(written[0])
    assert wb.sheetnames == ["Form 2", "Documents"]
    form = wb["Form 2"]
    assert form["A1"].value == "Жекелеген тауарлар түрлерiнiң экспортына өтініш"
    assert form["A2"].value == "Заявление на экспорт отдельных видов товаров"
    assert form["D3"].value.startswith("Телекоммуникациялар комитеті")
    # one row per field from row 6: number, Kazakh label, Russian label, value
    by_number = {form.cell(r, 1).value: r for r in range(6, 30) if isinstance(form.cell(r, 1).value, int)}
    assert sorted(by_number) == list(range(1, 19))
    r = by_number
    assert form.cell(r[2], 2).value.startswith("Қолданылу кезеңі")
    assert form.cell(r[2], 3).value.startswith("Срок действия")
    assert form.cell(r[2], 4).value == "2026.08.12 – 2026.31.12"
    assert form.cell(r[3], 4).value == "ЭКСПОРТ"
    assert form.cell(r[10], 4).value == "1500.00"
    assert form.cell(r[13], 4).value == "3"
    assert form.cell(r[16], 4).value == "Өткізу пункті / Пункт пропуска: Жайсан (автомобильный)"
    assert form.cell(r[1], 4).value is None and form.cell(r[18], 4).value is None
    assert [form.cell(r[17] + i, 4).value for i in (1, 2, 3)] == ["Сейтқали Айгерім Нұрланқызы", "директор",
                                                                 "+7 701 234 56 78"]
    phone = form.cell(r[17] + 3, 4)
    assert phone.data_type == "s" and phone.quotePrefix  # "+7 ..." would be a formula when edited in Excel
    assert not form.cell(r[17] + 2, 4).quotePrefix
    assert form.row_dimensions[r[15]].height > 15  # the long annex description gets room to wrap
    notes = [v for v in _cells(form).values() if isinstance(v, str)]
    assert any("№ 125" in v and "қатаң сәйкестікте" in v for v in notes)  # the note under the form, in Kazakh
    assert any("№ 125" in v and "в строгом соответствии" in v for v in notes)  # and in Russian
    assert form.page_setup.paperSize == 9  # A4 in the OOXML paper-size table
    assert form.page_setup.fitToWidth == 1
    assert form.sheet_properties.pageSetUpPr.fitToPage
    docs = wb["Documents"]
    values = _cells(docs)
    assert [values[f"A{row}"] for row in range(5, 11)] == ["1)", "2)", "3)", "4)", "5)", "7)"]
    assert values["D5"] == "№ KZ-2026/15, 01.10.2026"
    assert values["D6"] == "invoice.xlsx: жолдар / строки 2, 3"
    assert values["D7"] == TO_FILL  # document 3: only the broker can say which import it was
    # the invoice rows: a description that looks like a formula stays text
    text_cells = [c for row in docs.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\",\"y\")"]
    assert len(text_cells) == 1 and text_cells[0].data_type == "s" and text_cells[0].quotePrefix
    raw = _raw_sheet_xml(written[0], 2)
    assert "<f>" not in raw and "<f " not in raw

    aviation = openpyxl.load_workbook(written[1])["Documents"]
    at = [c for row in aviation.iter_rows() for c in row if c.value == "@SUM(A1)"]
    assert at and at[0].data_type == "s" and at[0].quotePrefix

    index = openpyxl.load_workbook(written[2])
    rows = list(index["Өтініштер – Заявления"].iter_rows(values_only=True))
    assert rows[0][:5] == ("№", "Файл", "Комитет", "Қосымша / Приложение", "Код")
    assert rows[1][:9] == (1, "01-telecom-8471500000-CN.xlsx", "Телекоммуникациялар комитеті / Комитет телекоммуникаций",
                           2, "8471 50 000 0", "CN", "шт", 3, 1500)  # quantities and values are numbers
    assert rows[1][11] == "2, 3"
    assert rows[2][:6] == (2, "02-aviation-8807300000-FR.xlsx", "Азаматтық авиация комитеті / Комитет гражданской "
                           "авиации", 3, "8807 30 000 0", "FR")
    assert list(index["Енгізілмеген – Не включены"].iter_rows(values_only=True)) == [
        ("Мәртебесі / Статус", "Жолдар саны / Кол-во строк", "Жолдар / Строки"), ("тізбеде жоқ / не в перечне", 1, "5")]


def test_file_names_never_come_from_user_text(tmp_path: Path) -> None:
    _, apps = _apps([line(2, unit="../../etc", description="../../x")])
    written = write_drafts(apps, tmp_path, fmt="xlsx", profile=PROFILE, catalog=load_catalog())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01-telecom-8471500000-CN.xlsx", "index.xlsx"]
    assert all(p.parent == tmp_path for p in written)


def test_existing_files_are_not_overwritten_without_force(tmp_path: Path) -> None:
    _, apps = _apps([line(2), line(3, origin="VN")])
    (tmp_path / "index.xlsx").write_bytes(b"mine")
    with pytest.raises(OutputError, match=r"index\.xlsx: already exists; use --force"):
        write_drafts(apps, tmp_path, fmt="xlsx", profile=PROFILE, catalog=load_catalog())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.xlsx"]  # nothing else written
    assert (tmp_path / "index.xlsx").read_bytes() == b"mine"
    write_drafts(apps, tmp_path, fmt="xlsx", force=True, profile=PROFILE, catalog=load_catalog())
    assert openpyxl.load_workbook(tmp_path / "index.xlsx").sheetnames == ["Өтініштер – Заявления"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    _, apps = _apps([line(2)])
    with pytest.raises(OutputError, match="not a folder"):
        write_drafts(apps, target, fmt="json", profile=PROFILE)


def test_json_draft_matches_the_golden_file(tmp_path: Path) -> None:
    plan, apps = _apps([
        line(2, quantity="2", value="1000.50", description="Сервер Dell R650"),
        line(3, quantity="1", value="499.50", description="Сервер Dell R650"),
        line(4, "8807300000", annex=3, origin="FR", unit="kg", quantity="12.5", value="3200",
             description="Части самолёта"),
        line(5, "8471500000", origin="US", status=Status.REFUSAL_RISK),
        line(6, status=Status.REVIEW),
        line(7, "1234567890", status=Status.NOT_LISTED),
    ])
    (path,) = write_drafts(apps, tmp_path, fmt="json", profile=PROFILE, plan=plan, shipment=SHIPMENT)
    assert path.name == "drafts.json"
    if os.environ.get("PERMITCLI_UPDATE_GOLDEN") == "1":  # rewrite the golden file, then review the diff
        shutil.copyfile(path, FIXTURES / "two-applications.json")
    produced = json.loads(path.read_text(encoding="utf-8"))
    golden = json.loads((FIXTURES / "two-applications.json").read_text(encoding="utf-8"))
    assert produced == golden
    assert produced["schema"] == SCHEMA
    assert all(isinstance(a["value"], str) and isinstance(a["quantity"], str) for a in produced["applications"])


def test_json_bytes_are_stable() -> None:
    _, apps = _apps([line(2)])
    assert drafts_json(apps) == drafts_json(apps)
    assert json.loads(drafts_json(apps))["applications"][0]["fields"]["3"] == "ЭКСПОРТ"


def test_units_are_read_as_the_classifier_knows_them() -> None:
    from permitcli.units import unit_key, unit_name

    for written in ("шт", "шт.", "ШТ", " pcs ", "PCS.", "штук", "дана"):
        assert (unit_key(written), unit_name(written)) == ("796", "шт"), written
    assert unit_key("кг.") == unit_key("KG") == "166"
    assert (unit_key("бухта"), unit_name(" бухта  2 км ")) == ("бухта", "бухта 2 км")  # unknown: as written


def test_long_descriptions_are_cut_visibly_and_usd_stays_exact() -> None:
    _, (app,) = _apps([line(2, description="x" * 900, value="0.305"), line(3, description="y" * 900)])
    assert len(app.fields[15]) < 1100 and app.fields[15].endswith("…")
    _, (usd,) = _apps([line(2, value="0.305")])
    assert usd.fields[10] == usd.fields[11] == "0.305"  # the value in US dollars is the value itself


def test_permit_period_stays_inside_the_year_of_issue_and_the_pilot() -> None:
    from permitcli.forms import permit_period

    inside = permit_period(date(2026, 12, 1), date(2026, 10, 1))
    assert (inside.start, inside.end, inside.issue_year, inside.problem) == (date(2026, 12, 8), date(2026, 12, 31),
                                                                            2026, None)
    next_year = permit_period(date(2026, 12, 1), date(2027, 1, 15))  # the permit would be issued in 2026
    assert next_year.problem and "outside 2026" in next_year.problem and "rules p.10" in next_year.problem
    capped = permit_period(date(2026, 12, 1), date(2026, 10, 1), pilot_ends=date(2026, 12, 20))
    assert (capped.end, capped.problem) == (date(2026, 12, 20), None)
    lapsed = permit_period(date(2026, 12, 1), date(2026, 10, 1), pilot_ends=date(2026, 12, 4))
    assert lapsed.problem and "order p.11" in lapsed.problem
    late_filing = permit_period(date(2026, 12, 29), date(2026, 10, 1))  # decided in January: issued in 2027
    assert (late_filing.start, late_filing.end, late_filing.problem) == (date(2027, 1, 8), date(2027, 12, 31), None)
    assert "п.10 правил" in permit_period(date(2026, 12, 1), date(2027, 1, 15), lang="ru").problem


def test_prepare_applications_refuses_a_period_outside_the_year_of_issue() -> None:
    import dataclasses

    from permitcli.errors import InputError

    plan = group_applications([line(2)])
    late = dataclasses.replace(SHIPMENT, contract_date=date(2027, 3, 1))
    with pytest.raises(InputError, match="outside 2026"):
        prepare_applications(plan, PROFILE, late, today=date(2026, 12, 1), catalog=load_catalog())
