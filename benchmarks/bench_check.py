"""Benchmark `permitcli check`: lines per second, ratio to a raw python-calamine read, start-up, peak memory.

Run by hand:  .venv/bin/python benchmarks/bench_check.py [--sizes 1000,10000,100000] [--repeat 5]
Figures go into the README's "Speed" section. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINS = ["Китай", "CN", "Германия", "США", "Россия", "Казахстан", "Корея", "Turkey", "Japan", "", "Беларусь"]
UNITS = ["шт", "кг", "компл", "м"]


def make_invoice(path: Path, lines: int, seed: int = 7) -> None:
    """A Russian specification with a title block and `lines` goods lines (codes repeat, as in real invoices)."""
    from openpyxl import Workbook

    sys.path.insert(0, str(ROOT / "src"))
    from permitcli.catalog import load_catalog

    rng = random.Random(seed)
    listed = [e.code.ljust(10, "0") for e in load_catalog().entries]
    pool = listed + [f"{rng.randrange(10**9, 10**10)}" for _ in range(3000)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Спецификация")
    ws.append(["Спецификация № 15 к контракту KZ-2026/15"])
    ws.append(["Поставщик: ТОО «Астана Трейд Логистик»"])
    ws.append([])
    ws.append(["№", "Наименование товара", "Код ТН ВЭД ЕАЭС", "Страна происхождения", "Кол-во", "Ед. изм.",
               "Цена", "Сумма", "Валюта"])
    for i in range(1, lines + 1):
        code = rng.choice(pool)
        as_text = rng.random() < 0.5
        qty = rng.randrange(1, 500)
        price = rng.randrange(100, 100000) / 100
        ws.append([i, f"Товар {i}", f"{code[:4]} {code[4:6]} {code[6:9]} {code[9]}" if as_text else int(code),
                   rng.choice(ORIGINS), qty, rng.choice(UNITS), price, round(qty * price, 2), "USD"])
    ws.append(["", "Итого", "", "", "", "", "", "", ""])
    wb.save(path)


_RAW = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "for _row in CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).iter_rows():\n    pass\n"
)


def raw_read(path: Path) -> float:
    """Wall seconds of a process that reads every row with python-calamine alone."""
    return wall([sys.executable, "-c", _RAW, str(path)])


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


_PEAK = (
    "import resource, sys\n"
    "from permitcli.cli import main\n"
    "sys.argv = ['permitcli', 'check', sys.argv[1], '--format', 'json', '--output', '/dev/null']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def peak_mb(path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, check=False)
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("permitcli"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "inv_50.xlsx"
        make_invoice(small, 50)
        help_s = statistics.median(wall([exe, "--help"]) for _ in range(args.repeat))
        small_s = statistics.median(wall([exe, "check", str(small), "--format", "json"]) for _ in range(args.repeat))
        print(f"permitcli --help: {help_s:.3f} s   check of 50 lines: {small_s:.3f} s   (median of {args.repeat})")
        print(f"{'lines':>8} {'raw read s':>11} {'check s':>8} {'ratio':>6} {'lines/s':>9} {'peak MB':>8}")
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"inv_{size}.xlsx"
            make_invoice(path, size)
            reads, checks = [], []
            for _ in range(args.repeat):  # interleaved, so both see the same machine
                reads.append(raw_read(path))
                checks.append(wall([exe, "check", str(path), "--format", "json", "--output", "/dev/null"]))
            r, c = statistics.median(reads), statistics.median(checks)
            print(f"{size:>8} {r:>11.3f} {c:>8.3f} {c / r:>6.2f} {size / c:>9.0f} {peak_mb(path):>8.0f}")


if __name__ == "__main__":
    main()
