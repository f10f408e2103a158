"""Benchmark `permitcli check`: lines per second, ratio to a raw python-calamine read, start-up, peak memory.

Also the floor (the least a Python check can do; see _FLOOR), a folder of files read one after another, and a
batch of many small files in one call. The check writes its JSON to stdout, which goes nowhere.

Run by hand:  .venv/bin/python benchmarks/bench_check.py [--sizes 1000,10000,100000] [--repeat 5]
Figures go into the README's "Speed" section. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
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


def raw_read(*paths: Path) -> float:
    """Wall seconds of a process that reads every row with python-calamine alone."""
    return wall([sys.executable, "-c", _RAW_ALL, *map(str, paths)])


_RAW_ALL = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "for _path in sys.argv[1:]:\n"
    "    for _row in CalamineWorkbook.from_path(_path).get_sheet_by_index(0).iter_rows():\n        pass\n"
)

# The least any Python check can do: read the rows, make each goods row a record with the 16 fields of a check
# line (the screening fields fixed, no heading search, no rules, numbers left as floats) and write them as
# JSON with orjson, GC off. Its ratio to the raw read is the floor under any target for the ratio.
_FLOOR = (
    "import gc, itertools, sys\n"
    "import orjson\n"
    "from python_calamine import CalamineWorkbook\n"
    "gc.disable()\n"
    "rows = enumerate(CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).iter_rows(), 1)\n"
    "records = ({'row': n, 'code': None, 'code_raw': r[2], 'description': r[1], 'origin': r[3], 'quantity': r[4],\n"
    "            'unit': r[5], 'value': r[7], 'currency': r[8], 'destination': None, 'status': 'not-listed',\n"
    "            'annex': None, 'entry': None, 'committee': None, 'documents': [], 'findings': []}\n"
    "           for n, r in itertools.islice(rows, 4, None) if r[2] != '')\n"
    "out = sys.stdout.buffer\n"
    "while chunk := list(itertools.islice(records, 512)):\n"
    "    out.write(orjson.dumps(chunk, option=orjson.OPT_INDENT_2))\n"
)


def floor_pass(path: Path) -> float:
    """Wall seconds of the bare read-and-write pass (_FLOOR)."""
    return wall([sys.executable, "-c", _FLOOR, str(path)])


# Timed as installed: with bytecode caches (some shells set PYTHONDONTWRITEBYTECODE, which makes every run compile
# every module again, as no installed copy does).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], ok: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of a command, which must end with one of the `ok` exit codes."""
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=_ENV)
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{cmd[0]} {cmd[1]}: exit {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}")
    return seconds


def check(*paths: Path) -> float:
    """Wall seconds of `permitcli check --format json` over `paths` (exit 1: lines need action), written to
    stdout (which wall() sends to the null device)."""
    exe = str(Path(sys.executable).with_name("permitcli"))
    return wall([exe, "check", *map(str, paths), "--format", "json"], ok=(0, 1))


_PEAK = (
    "import resource, sys\n"
    "from permitcli.cli import main\n"
    "sys.argv = ['permitcli', 'check', sys.argv[1], '--format', 'json']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def peak_mb(path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", _PEAK, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, check=False)
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folder", type=int, default=20, help="files in the folder run")
    parser.add_argument("--folder-lines", type=int, default=5000, help="lines in each file of the folder run")
    parser.add_argument("--batch", type=int, default=1000, help="files in the batch run (all in one call)")
    parser.add_argument("--batch-lines", type=int, default=50, help="lines in each file of the batch run")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("permitcli"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "inv_50.xlsx"
        make_invoice(small, 50)
        check(small)  # a first run writes the bytecode caches, as installing does
        help_s = statistics.median(wall([exe, "--help"]) for _ in range(args.repeat))
        small_s = statistics.median(check(small) for _ in range(args.repeat))
        print(f"permitcli --help: {help_s:.3f} s   check of 50 lines: {small_s:.3f} s   (median of {args.repeat})")
        print(f"{'lines':>8} {'raw read s':>11} {'floor s':>8} {'ratio':>6} {'check s':>8} {'ratio':>6} {'lines/s':>9}"
              f" {'peak MB':>8}")
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"inv_{size}.xlsx"
            make_invoice(path, size)
            reads, floors, checks = [], [], []
            for _ in range(args.repeat):  # interleaved, so all three see the same machine
                reads.append(raw_read(path))
                floors.append(floor_pass(path))
                checks.append(check(path))
            r, f, c = (statistics.median(x) for x in (reads, floors, checks))
            print(f"{size:>8} {r:>11.3f} {f:>8.3f} {f / r:>6.2f} {c:>8.3f} {c / r:>6.2f} {size / c:>9.0f}"
                  f" {peak_mb(path):>8.0f}")
        files = [folder / f"folder_{i:02d}.xlsx" for i in range(args.folder)]
        for i, path in enumerate(files):
            make_invoice(path, args.folder_lines, seed=100 + i)
        reads, checks = [], []
        for _ in range(args.repeat):
            reads.append(raw_read(*files))
            checks.append(check(*files))
        r, c = statistics.median(reads), statistics.median(checks)
        print(f"a folder of {args.folder} files of {args.folder_lines} lines: raw read {r:.3f} s, check {c:.3f} s,"
              f" ratio {c / r:.2f}")
        batch = folder / "batch"
        batch.mkdir()
        files = [batch / f"batch_{i:04d}.xlsx" for i in range(args.batch)]
        for i, path in enumerate(files):
            make_invoice(path, args.batch_lines, seed=1000 + i)
        reads, checks = [], []
        for _ in range(args.repeat):
            reads.append(raw_read(*files))
            checks.append(check(*files))
        r, c = statistics.median(reads), statistics.median(checks)
        print(f"{args.batch:,} files of {args.batch_lines} lines in one call: raw read {r:.3f} s, check {c:.3f} s,"
              f" ratio {c / r:.2f}")


if __name__ == "__main__":
    main()
