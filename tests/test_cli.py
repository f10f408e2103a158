"""The command line: help everywhere, JSON contracts, exit codes, languages, one-line errors."""

import json

import pytest
import typer.main
from typer.testing import CliRunner

from permitcli.cli import app

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env)


def all_commands():
    root = typer.main.get_command(app)
    found = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(root, [])
    return found


def test_every_command_has_help():
    commands = all_commands()
    assert {"lookup", "annexes", "rules", "check"} <= {p[0] for p in commands}
    for path in commands:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage:" in result.output
        cmd = typer.main.get_command(app)
        for name in path:
            cmd = cmd.commands[name]
        assert cmd.help and cmd.help.strip(), f"{path} has no help text"


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("permitcli ")


def test_lookup_json_contract():
    result = run("lookup", "8481 80 819 1", "8471.50.000.0", "8504 40 300 1", "8529 10", "8481 80", "--format", "json")
    assert result.exit_code == 0, result.output
    recs = json.loads(result.stdout)
    assert [r["input"] for r in recs] == ["8481 80 819 1", "8471.50.000.0", "8504 40 300 1", "8529 10", "8481 80"]
    for r in recs:
        assert {"input", "code", "listed", "annex", "entry", "committee", "documents", "near_misses"} <= set(r)
    a3, a2, near, head, prefix = recs
    assert (a3["listed"], a3["annex"], a3["entry"], a3["committee"], a3["documents"]) == (True, 3, 2, "aviation", [1, 2, 3, 4, 6, 7])
    assert (a2["code"], a2["annex"], a2["committee"], a2["documents"]) == ("8471500000", 2, "telecom", [1, 2, 3, 4, 5, 7])
    assert near["listed"] is False
    assert {(n["code"], n["annex"]) for n in near["near_misses"]} == {("8504403008", 1), ("8504403003", 3)}
    assert head["listed"] is True and head["annex"] == 3
    assert prefix["listed"] is False and prefix["match"] == "may-be-listed" and prefix["candidates"]


def test_lookup_table_in_three_languages():
    en = run("lookup", "8471500000")
    ru = run("--lang", "ru", "lookup", "8471500000")
    kk = run("lookup", "8471500000", env={"PERMITCLI_LANG": "kk"})
    assert en.exit_code == ru.exit_code == kk.exit_code == 0
    assert "Telecommunications Committee" in en.stdout
    assert "Комитет телекоммуникаций" in ru.stdout or "Комитет" in ru.stdout
    assert "Телекоммуникациялар комитеті" in kk.stdout


def test_lookup_text_gives_each_code_its_own_parts_and_the_shared_texts_once():
    from permitcli.catalog import load_catalog

    rules = load_catalog().rules
    result = run("lookup", "8471500000", "8481808199", "8529101100", "8802")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [l for l in lines if l.startswith("  Documents: ")] == ["  Documents: 1–5,7", "  Documents: 1–5,7",
                                                                    "  Documents: 1–4,6,7"]
    assert [l for l in lines if l.startswith("  Refusal grounds: ")] == ["  Refusal grounds: 1–6"] * 2 + [
        "  Refusal grounds: 1–5,7"]
    for n, text in rules.documents.items():
        assert lines.count(f"  {n}) {text['en']}") == 1
    for g in rules.grounds:
        assert lines.count(f"  {g.number}) {g.text['en']}") == 1
    for e in rules.exemptions:
        assert lines.count(f"  {e.number}) {e.text['en']}") == 1
    one = run("lookup", "8471500000", "--lang", "ru").stdout.splitlines()
    assert "  Документы: 1–5,7" in one and f"  6) {rules.grounds[5].text['ru']}" in one
    assert f"  7) {rules.grounds[6].text['ru']}" not in one and f"  6) {rules.documents[6]['ru']}" not in one
    unlisted = run("lookup", "8802").stdout  # no listed code: no shared texts
    assert "Documents" not in unlisted and "Exemptions" not in unlisted


def test_lookup_bad_code_is_one_line_and_exit_2():
    result = run("lookup", "8471500000", "84715")
    assert result.exit_code == 2
    errors = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(errors) == 1 and errors[0].startswith("permitcli: error: '84715'")
    assert "Traceback" not in result.output


def test_bad_language_is_a_usage_error():
    assert run("--lang", "de", "rules").exit_code == 2


def test_lang_comes_before_or_after_any_command():
    for path in all_commands():
        result = run(*path, "--lang", "kk", "--help")
        assert result.exit_code == 0, path
        assert "--lang" in result.stdout, path
    before = run("--lang", "ru", "rules")
    after = run("rules", "--lang", "ru")
    assert after.exit_code == 0 and after.stdout == before.stdout and "Комитеты:" in after.stdout
    assert run("rules", "--lang=kk").stdout == run("--lang", "kk", "rules").stdout
    assert "Комитеты:" in run("--lang", "kk", "rules", "--lang", "ru").stdout  # the command's own wins
    assert "Committees:" in run("rules", "--lang", "en", env={"PERMITCLI_LANG": "kk"}).stdout
    assert "Комитеттер:" in run("rules", env={"PERMITCLI_LANG": "kk"}).stdout  # absent, the group's value stands
    looked = run("lookup", "8471500000", "--lang", "ru", "--format", "json")
    assert looked.exit_code == 0 and json.loads(looked.stdout)[0]["annex"] == 2
    assert "Прил. 2" in run("lookup", "8471500000", "--lang", "ru").stdout
    assert "Подано" in run("deadlines", "--filed", "2026-12-11 18:00", "--lang", "ru").stdout
    assert run("profile", "path", "--lang", "ru").exit_code == 0  # a command of a command group takes it too
    bad = run("rules", "--lang", "de")
    assert bad.exit_code == 2 and "rules: invalid value for '--lang'" in bad.stderr


def test_annexes_json_and_csv():
    recs = json.loads(run("annexes", "--format", "json").stdout)
    assert [sum(1 for r in recs if r["annex"] == a) for a in (1, 2, 3)] == [66, 79, 19]
    assert {"annex", "entry", "code", "code_printed", "description_kk"} <= set(recs[0])
    assert all(isinstance(r["annex"], int) and isinstance(r["entry"], int) and isinstance(r["code"], str) for r in recs)
    only3 = json.loads(run("annexes", "--annex", "3", "--format", "json").stdout)
    assert {r["annex"] for r in only3} == {3} and len(only3) == 19
    csv_text = run("annexes", "--format", "csv", "--annex", "1").stdout
    assert csv_text.splitlines()[0].startswith("annex,entry,code,code_printed")
    assert len(csv_text.strip().splitlines()) == 67
    assert run("annexes", "--annex", "4").exit_code == 2


def test_annexes_and_lookup_give_footnotes_alike():
    recs = {(r["annex"], r["entry"]): r for r in json.loads(run("annexes", "--format", "json").stdout)}
    marked = [r for r in recs.values() if r["footnotes"]]
    assert marked and all(isinstance(r["footnotes"], list) for r in recs.values())
    (looked,) = json.loads(run("lookup", marked[0]["code"], "--format", "json").stdout)
    assert looked["footnotes"] == marked[0]["footnotes"]
    csv_rows = run("annexes", "--format", "csv").stdout.splitlines()
    assert any(f",{' '.join(marked[0]['footnotes'])}," in row for row in csv_rows)


def test_rules_json_and_languages():
    data = json.loads(run("rules", "--format", "json").stdout)
    assert data["documents_by_annex"] == {"1": [1, 2, 3, 4, 5, 7], "2": [1, 2, 3, 4, 5, 7], "3": [1, 2, 3, 4, 6, 7]}
    assert [g["number"] for g in data["refusal_grounds"]] == [1, 2, 3, 4, 5, 6, 7]
    for lang in ("en", "ru", "kk"):
        assert run("--lang", lang, "rules").exit_code == 0


def test_lookup_reads_codes_from_standard_input():
    result = runner.invoke(app, ["lookup", "-", "--format", "json"], input="8807 30 000 0\n\n 8471500000 \n")
    assert result.exit_code == 0
    assert [(r["input"], r["annex"]) for r in json.loads(result.stdout)] == [("8807 30 000 0", 3), ("8471500000", 2)]


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "permitcli", "lookup", "8807", "--format", "json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["annex"] == 3


@pytest.mark.parametrize(("args", "says"), [
    (["check", "x.xlsx", "--format", "xml"], "check: invalid value for '--format' / '-f': 'xml' is not one of"),
    (["check", "x.xlsx", "--fail-on", "bogus"], "check: invalid value for '--fail-on'"),
    (["check"], "check: missing argument 'FILE'"),
    (["nosuch"], "no such command 'nosuch'"),
    (["annexes", "--annex", "4"], "annexes: invalid value for '--annex' / '-a': there is no annex 4"),
    (["--lang", "de", "rules"], "invalid value for '--lang'"),
    (["profile", "set", "applicant.name"], "profile set: missing argument 'value'"),
])
def test_usage_errors_are_one_line_with_exit_2(args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"permitcli: error: {says}")
    assert line.endswith("--help")


def test_a_group_without_its_command_shows_its_help():
    result = run("profile")
    assert result.exit_code == 2
    assert "Usage: permitcli profile" in result.stderr and "init" in result.stderr


def test_a_prompt_without_input_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["profile", "init", "--profile", str(tmp_path / "p.toml")], input="ТОО\n")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("permitcli: error: the input ended before a prompt")
    assert not (tmp_path / "p.toml").exists()


def test_a_check_run_imports_no_pydantic():
    """typer is pinned below the release that imports pydantic on every run (see pyproject.toml)."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\nfrom permitcli.cli import main\n"
            "sys.argv = ['permitcli', 'check', 'examples/export_1c.csv', '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_core'}), file=sys.stderr)\n")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert json.loads(result.stdout)["files"][0]["path"] == "examples/export_1c.csv"
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr
