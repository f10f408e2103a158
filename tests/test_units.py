"""Units of measure: the classifier's names, and the unit a quantity heading names."""

from pathlib import Path

import pytest

from permitcli.invoices import read_invoice
from permitcli.units import unit_in_heading, unit_name

CORPUS = next((folder / "shared" / "corpus" / "files" for folder in Path(__file__).resolve().parent.parent.parents  # ../shared, ../../shared…
               if (folder / "shared" / "corpus" / "files").is_dir()), Path("/nonexistent"))


@pytest.mark.parametrize(("heading", "unit"), [
    ("Q-ty, Sets", "Sets"),
    ("Кол-во, шт", "шт"),
    ("Кол-во, шт.", "шт"),
    ("Quantity(SF)", "SF"),
    ("Quantity\n(SF)", "SF"),
    ("QTY (PCS)", "PCS"),
    ("Quantity in pcs", "pcs"),
    ("Кол-во штук Quantity \n(per box)\n数量/箱", "штук"),
    ("Количество, м", "м"),
    ("Quantity / Кол-во", ""),  # no unit: two languages
    ("Кол-во (Qty)", ""),
    ("Quantity", ""),
    ("Кол-во мест", ""),
    ("Qty (pcs/sets)", ""),  # two units: none is taken
    ("Кол-во, тыс. шт", ""),  # thousands of pieces are no unit of the table
    ("Quantity, '000 pcs", ""),
    ("Qty m", ""),  # a lone letter inside a phrase is no unit
])
def test_unit_in_heading(heading, unit):
    assert unit_in_heading(heading) == unit


def test_heading_units_are_drafted_by_their_classifier_name():
    assert [unit_name(unit_in_heading(h)) for h in ("Q-ty, Sets", "Кол-во, шт", "Quantity(SF)")] == [
        "компл", "шт", "фут2"]


def test_reader_gives_lines_the_heading_unit_when_there_is_no_unit_column(tmp_path):
    bare = tmp_path / "bare.csv"
    bare.write_text("Код ТН ВЭД;Наименование;Кол-во, шт;Сумма\n8471500000;Сервер;2;100\n8471300000;Ноутбук;1;50\n",
                    encoding="utf-8")
    assert [line.unit for line in read_invoice(bare).lines] == ["шт", "шт"]
    own = tmp_path / "own.csv"
    own.write_text("Код ТН ВЭД;Наименование;Кол-во, шт;Ед. изм.;Сумма\n8471500000;Сервер;2;кг;100\n"
                   "8471300000;Ноутбук;1;;50\n", encoding="utf-8")
    assert [line.unit for line in read_invoice(own).lines] == ["кг", ""]  # a unit column says it all


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_square_feet_from_a_real_invoice_heading():
    invoice = read_invoice(CORPUS / "09-califor-moto-invoice.xlsx", sheet="Invoice")
    assert invoice.lines and {line.unit for line in invoice.lines} == {"SF"}
