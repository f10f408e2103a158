"""Rebuild the example invoices in this folder: `python examples/make_examples.py` (needs openpyxl)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
FIXED = datetime.datetime(2026, 1, 20, 9, 0, 0)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _save(wb: Workbook, path: Path) -> None:
    """Save with fixed document dates and fixed zip entry times, so a rebuild gives the same bytes."""
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "ТОО «ТехноСнаб Алматы»"
    wb.properties.lastModifiedBy = "ТОО «ТехноСнаб Алматы»"
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def _boxed(ws: Worksheet, first_row: int, last_row: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=last_col):
        for cell in row:
            cell.border = BOX


def spec_ru(path: Path) -> None:
    """A Russian specification to a supply contract: title block, two heading rows under merged cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Спецификация"
    title = [
        "СПЕЦИФИКАЦИЯ № 3",
        "к Контракту купли-продажи № KZ-RU/2025-117 от 15 сентября 2025 г.",
        "г. Алматы                                                                         20 января 2026 г.",
        "Поставщик (Продавец): ТОО «ТехноСнаб Алматы», БИН 180940012345, Республика Казахстан, "
        "050040, г. Алматы, пр. Абая, 150",
        "Покупатель: ООО «Сибирские Системы», ИНН 5406123456, Российская Федерация, 630099, "
        "г. Новосибирск, ул. Кирова, 27",
        "Условия поставки: FCA Алматы (Инкотермс 2020). Пункт пропуска: Карабалык (автомобильный)",
    ]
    for i, text in enumerate(title, start=1):
        ws.cell(row=i, column=1, value=text)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=9)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center")

    # Row 8-9: the heading; "Количество" and "Стоимость, USD" span two columns each.
    top = ["№ п/п", "Наименование товара", "Код ТН ВЭД ЕАЭС", "Страна происхождения", "Количество", None,
           "Стоимость, USD", None, "Примечание"]
    sub = [None, None, None, None, "Кол-во", "Ед. изм.", "Цена за ед.", "Сумма", None]
    for col, text in enumerate(top, start=1):
        ws.cell(row=8, column=col, value=text)
    for col, text in enumerate(sub, start=1):
        ws.cell(row=9, column=col, value=text)
    for col in (1, 2, 3, 4, 9):
        ws.merge_cells(start_row=8, start_column=col, end_row=9, end_column=col)
    ws.merge_cells("E8:F8")
    ws.merge_cells("G8:H8")
    for row in ws.iter_rows(min_row=8, max_row=10, max_col=9):
        for cell in row:
            cell.font = BOLD
            cell.alignment = WRAP
    for col in range(1, 10):  # the column numbers Russian forms print under the heading
        ws.cell(row=10, column=col, value=col).alignment = Alignment(horizontal="center")

    rows: list[list[object]] = [
        ["Раздел 1. Вычислительная техника и оборудование связи"],
        [1, "Ноутбук Lenovo ThinkPad T14 Gen 4, 14\", Intel Core i7", "8471 30 000 0", "Китай", 20, "шт",
         950.00, None, ""],
        [2, "Сервер стоечный Dell PowerEdge R760, 2U", 8471500000, "США", 2, "шт", 14800.00, None, ""],
        [3, "Коммутатор Huawei CloudEngine S5735-L48T4X, 48 портов", "8517 62 000 9", "Китай", 6, "шт",
         1240.50, None, ""],
        [4, "Маршрутизатор MikroTik CCR2004-16G-2S+", "8517 62 000 9", "", 4, "шт", 615.00, None,
         "происхождение уточняется"],
        [5, "Источник бесперебойного питания APC Smart-UPS SRT 3000VA", "8504 40 300 1", "Корея", 3, "шт",
         2130.00, None, ""],
        [6, "Модуль памяти DDR5 64 ГБ для серверов", "8473 30 200", "Тайвань (Китай)", 16, "шт", 310.00, None,
         "код по инвойсу поставщика"],
        [7, "Антенна параболическая спутниковой связи 1,8 м с облучателем", "8529 10 110 0", "Германия", 1, "шт",
         4200.00, None, ""],
        ["Раздел 2. Промышленное и авиационное оборудование"],
        [8, "Клапан запорный регулирующий DN50 PN40, сталь", "8481 80 819 9", "Германия", 12, "шт", 385.00, None,
         ""],
        [9, "Клапан топливный для гражданских воздушных судов", "8481 80 819 1", "Россия", 4, "шт", 1890.00, None,
         "сертификат эксплуатанта"],
        [10, "Установка генераторная дизельная 200 кВА", 8502204000, "Казахстан", 1, "шт", 27500.00, None,
         "СТ-KZ № 0123456"],
        [11, "Части воздушных судов: панель обтекателя", "8807 30 000 0", "США", 2, "шт", 3650.00, None, ""],
        [12, "Кабель волоконно-оптический 24 волокна, бухта 2 км", None, "Россия", 3, "бухта", 1420.00, None,
         "код не указан поставщиком"],
    ]
    r = 11
    for values in rows:
        for col, value in enumerate(values, start=1):
            ws.cell(row=r, column=col, value=value)
        if len(values) == 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
            ws.cell(row=r, column=1).font = BOLD
        else:
            qty, price = values[4], values[6]
            ws.cell(row=r, column=8, value=round(float(qty) * float(price), 2))  # type: ignore[arg-type]
            ws.cell(row=r, column=7).number_format = "# ##0.00"
            ws.cell(row=r, column=8).number_format = "# ##0.00"
        r += 1
    total_qty = sum(int(v[4]) for v in rows if len(v) > 1)  # type: ignore[arg-type]
    total_sum = round(sum(float(v[4]) * float(v[6]) for v in rows if len(v) > 1), 2)  # type: ignore[arg-type]
    ws.cell(row=r, column=2, value="Итого:").font = BOLD
    ws.cell(row=r, column=5, value=total_qty)
    ws.cell(row=r, column=8, value=total_sum).font = BOLD
    _boxed(ws, 8, r, 9)
    r += 2
    amount = f"{total_sum:,.2f}".replace(",", " ").replace(".", ",")  # 123 456,78
    ws.cell(row=r, column=1, value=f"Всего наименований 12 на сумму {amount} долларов США")
    r += 2
    ws.cell(row=r, column=1, value="Поставщик: ____________ / Ахметов Б. К., директор")
    ws.cell(row=r, column=6, value="Покупатель: ____________ / Смирнов А. В., генеральный директор")
    r += 1
    ws.cell(row=r, column=1, value="М.П.")
    ws.cell(row=r, column=6, value="М.П.")
    widths = {"A": 6, "B": 52, "C": 17, "D": 18, "E": 8, "F": 8, "G": 12, "H": 13, "I": 26}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    _save(wb, path)


def invoice_en(path: Path) -> None:
    """An English commercial invoice with bilingual headings and one origin for the whole document."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Invoice"
    header_block = [
        "COMMERCIAL INVOICE / ИНВОЙС № INV-2026/014",
        "Date / Дата: 20.01.2026",
        "Seller / Продавец: TechnoSnab Almaty LLP, 150 Abai Ave., Almaty 050040, Kazakhstan",
        "Buyer / Покупатель: Sibirskie Sistemy LLC, 27 Kirova St., Novosibirsk 630099, Russian Federation",
        "Contract / Контракт: KZ-RU/2025-117 of 15.09.2025",
        "Terms of delivery / Условия поставки: DAP Novosibirsk (Incoterms 2020)",
        "Currency / Валюта: USD",
    ]
    for i, text in enumerate(header_block, start=1):
        ws.cell(row=i, column=1, value=text)
    ws["A1"].font = Font(bold=True, size=13)

    heading = ["No.", "Description of goods/ Наименование", "Customs code/ Код ТН ВЭД", "Qty\nКол-во",
               "Unit/ Ед. изм.", "Unit price/ Цена за ед.", "Total amount/ Сумма", "Origin/ Происхождение"]
    for col, text in enumerate(heading, start=1):
        cell = ws.cell(row=9, column=col, value=text)
        cell.font = BOLD
        cell.alignment = WRAP
    goods: list[list[object]] = [
        [1, "Server Dell PowerEdge R760 / Сервер стоечный", 8471500000, 2, "pcs", 14800.00, None],
        [2, "Network switch Huawei S5735 / Коммутатор", 8517620009, 6, "pcs", 1240.50, None],
        [3, "Laptop Lenovo ThinkPad T14 / Ноутбук", 8471300000, 20, "pcs", 950.00, None],
        [4, "Control valve DN50 / Клапан регулирующий", 8481808199, 12, "pcs", 385.00, "Germany"],
        [5, "Satellite dish antenna 1.8 m / Антенна параболическая", 8529101100, 1, "pcs", 4200.00, None],
        [6, "UPS 3000VA / Источник бесперебойного питания", 8504403001, 3, "pcs", 2130.00, None],
    ]
    r = 10
    for values in goods:
        no, desc, code, qty, unit, price, origin = values
        row = [no, desc, code, qty, unit, price, round(float(qty) * float(price), 2), origin]  # type: ignore[arg-type]
        for col, value in enumerate(row, start=1):
            ws.cell(row=r, column=col, value=value)
        r += 1
    total = round(sum(float(v[3]) * float(v[5]) for v in goods), 2)  # type: ignore[arg-type]
    ws.cell(row=r, column=2, value="TOTAL/ ИТОГО").font = BOLD
    ws.cell(row=r, column=7, value=total).font = BOLD
    _boxed(ws, 9, r, 8)
    r += 2
    ws.cell(row=r, column=1, value="Country of origin/ Страна происхождения: CHINA/КИТАЙ")
    ws.cell(row=r + 1, column=1, value="Unless stated otherwise in the line. / Если не указано иное в строке.")
    ws.cell(row=r + 3, column=1, value="Director / Директор: ____________ B. Akhmetov")
    for letter, width in {"A": 5, "B": 48, "C": 16, "D": 8, "E": 9, "F": 12, "G": 14, "H": 14}.items():
        ws.column_dimensions[letter].width = width
    _save(wb, path)


def export_1c(path: Path) -> None:
    """A goods table saved from 1C: Windows-1251, semicolons, decimal commas, non-breaking thousands."""
    nbsp = "\u00a0"
    lines = [
        "Номенклатура;Код ТН ВЭД;Страна происхождения;Количество;Ед.;Сумма;Валюта",
        f"Сервер Dell PowerEdge R760;8471500000;СОЕДИНЕННЫЕ ШТАТЫ;2;шт;29{nbsp}600,00;USD",
        f"Коммутатор Huawei S5735-L48T4X;8517620009;КИТАЙ;6;шт;7{nbsp}443,00;USD",
        f"Клапан запорный DN50 PN40;8481808199;ГЕРМАНИЯ;12;шт;4{nbsp}620,00;USD",
        f"Ноутбук Lenovo ThinkPad T14;8471300000;КИТАЙ;20;шт;19{nbsp}000,00;USD",
        f"Источник бесперебойного питания APC SRT 3000VA;8504403001;КОРЕЯ, РЕСПУБЛИКА;3;шт;6{nbsp}390,00;USD",
        f"Антенна параболическая 1,8 м;8529101100;ТАЙВАНЬ (КИТАЙ);1;шт;4{nbsp}200,00;USD",
        f"Части воздушных судов: панель обтекателя;8807300000;РОССИЯ;2;шт;7{nbsp}300,00;USD",
        f"\"Кабель \"\"витая пара\"\" кат. 6; бухта 305 м\";8544429007;КАЗАХСТАН;10;бухта;1{nbsp}150,50;USD",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))


def main() -> None:
    spec_ru(HERE / "spec_ru.xlsx")
    invoice_en(HERE / "invoice_en.xlsx")
    export_1c(HERE / "export_1c.csv")


if __name__ == "__main__":
    main()
