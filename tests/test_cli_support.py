"""Output shared by every command: whole lines when stdout is a file or a pipe, whatever the terminal's width."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from permitcli.catalog import load_catalog
from permitcli.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

LONG = "Сервер стоечный двухпроцессорный с источником бесперебойного питания и комплектом направляющих"


def deep_csv(tmp_path: Path) -> Path:
    """An invoice in a folder far deeper than any terminal is wide, with one long description."""
    folder = tmp_path.joinpath(*(["папка-с-длинным-именем"] * 8))
    folder.mkdir(parents=True)
    path = folder / "счёт.csv"
    path.write_text("Наименование;Код ТН ВЭД;Страна происхождения;Кол-во;Сумма\n"
                    f"{LONG};8471500000;Китай;1;10\n", encoding="utf-8")
    return path


def test_table_in_a_pipe_keeps_every_line_whole(tmp_path):
    path = deep_csv(tmp_path)
    env = {"COLUMNS": "40", "PATH": "", "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-m", "permitcli", "--lang", "ru", "check", str(path)], env=env,
                            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert f"{path}, строка заголовка 1" in lines  # the title: the whole path on one line
    assert any(LONG[:59] in line for line in lines)  # the description as the table shortens it, unbroken
    docs = load_catalog().rules.documents
    legend = "Документы: " + "; ".join(f"{n}) {docs[n]['short_ru']}" for n in (1, 2, 3, 4, 5, 7))
    assert legend in (line.strip() for line in lines)


def test_nothing_to_do_is_one_line_in_a_deep_folder(tmp_path):
    path = deep_csv(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("8471500000", "8471300000"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert f"{path}, header row 1: no line needs a permit or review" in result.stdout.splitlines()


def test_table_written_to_a_file_keeps_every_line_whole(tmp_path):
    path = deep_csv(tmp_path)
    out = tmp_path / "report.txt"
    assert len(str(path)) > 200
    result = runner.invoke(app, ["check", str(path), "--output", str(out)])
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{path}, header row 1" in out.read_text(encoding="utf-8").splitlines()


def test_rules_and_deadlines_text_is_not_wrapped():
    rules = load_catalog().rules
    text = runner.invoke(app, ["rules"]).stdout.splitlines()
    for ground in rules.grounds:
        assert any(line.startswith(f"  {ground.number}) {ground.text['en']}") for line in text)
    clock = runner.invoke(app, ["deadlines", "--filed", "2026-12-11 18:00"], env={"PERMITCLI_ORDER_PUBLISHED": ""})
    lines = clock.stdout.splitlines()
    assert "Days off in between: 2026-12-16 Independence Day" in lines
    assert ("Pilot order in force until: unknown: the order's text does not give its publication date; "
            "set PERMITCLI_ORDER_PUBLISHED=YYYY-MM-DD") in lines


def test_forced_colour_in_a_pipe_keeps_lines_whole_too():
    import re

    rules = load_catalog().rules
    out = runner.invoke(app, ["rules"], env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in out  # coloured as asked
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out).splitlines()
    for ground in rules.grounds:
        assert any(line.startswith(f"  {ground.number}) {ground.text['en']}") for line in lines)
