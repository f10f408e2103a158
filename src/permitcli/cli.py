"""The permitcli command line (Typer): parse, call the core, render, exit with a documented code."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from permitcli import __version__
from permitcli.cli_support import (
    ColumnsOption,
    EvidenceOption,
    SheetOption,
    emit,
    err,
    guarded,
    reading_options,
    state,
    stdout_console,
)
from permitcli.errors import ExitCode, InputError, PermitError, UsageError

app = typer.Typer(
    name="permitcli",
    help="Screen export invoices against Kazakhstan's export-permit pilot (goods to CIS states) and draft Form 2.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Lang(str, enum.Enum):
    en = "en"
    ru = "ru"
    kk = "kk"


class TableOrJson(str, enum.Enum):
    table = "table"
    json = "json"


class AnnexFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"


class FailOn(str, enum.Enum):
    never = "never"
    review = "review"
    permit = "permit"
    refusal = "refusal"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"permitcli {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    lang: Annotated[Lang, typer.Option("--lang", envvar="PERMITCLI_LANG", help="Language of labels: en, ru, kk.")] = Lang.en,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")] = False,
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    """Screen export invoices against Kazakhstan's export-permit pilot (goods to CIS states) and draft Form 2."""
    state.lang = lang.value
    state.debug = debug


# ----------------------------------------------------------------------------------------------------- lookup


def _lookup_record(raw: str, catalog) -> dict[str, object]:
    from permitcli.catalog import MatchKind
    from permitcli.codes import CodeKind, parse_code

    parsed = parse_code(raw)
    match = catalog.match(parsed)
    entry = match.entry
    rules = catalog.rules
    rec: dict[str, object] = {
        "input": raw,
        "code": parsed.digits,
        "kind": parsed.kind.value,
        "listed": match.kind is MatchKind.LISTED,
        "match": match.kind.value,
        "annex": entry.annex if entry else None,
        "entry": entry.entry if entry else None,
        "code_printed": entry.code_printed if entry else None,
        "description_kk": entry.description_kk if entry else None,
        "footnotes": list(entry.footnotes) if entry else [],
        "via_prefix": match.via_prefix,
        "committee": rules.committee_for(entry.annex).slug if entry else None,
        "documents": list(rules.documents_by_annex[entry.annex]) if entry else [],
        "refusal_grounds": [
            {"number": g.number, "slug": g.slug, "visible_in_invoice": g.visible_in_invoice}
            for g in (rules.grounds_for(entry.annex) if entry else ())
        ],
        "exemptions": [{"number": e.number, "slug": e.slug} for e in rules.exemptions] if entry else [],
        "candidates": [
            {"code": e.code, "annex": e.annex, "entry": e.entry}
            for e in (match.entries if match.kind is MatchKind.MAY_BE_LISTED else ())
        ],
        "near_misses": [{"code": e.code, "annex": e.annex, "entry": e.entry} for e in match.near_misses],
        "reason": parsed.reason if parsed.kind in (CodeKind.INVALID, CodeKind.EMPTY) else None,
    }
    return rec


@app.command()
@guarded
def lookup(
    codes: Annotated[list[str], typer.Argument(help="TN VED codes, as typed: '8471 50 000 0', 8471.50.000.0, 8529 10.")],
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """Tell for each code whether the order lists it, which committee issues the permit, and what it needs."""
    from permitcli.catalog import load_catalog

    catalog = load_catalog()
    records = [_lookup_record(code, catalog) for code in codes]
    if fmt is TableOrJson.json:
        from permitcli.render.json import dumps

        emit(dumps(records))
    else:
        _print_lookup(records, catalog)
    bad = [r for r in records if r["kind"] in ("invalid", "empty")]
    for r in bad:
        err(f"permitcli: error: {r['input']!r}: {r['reason']}")
    if bad:
        raise typer.Exit(int(ExitCode.USAGE))


def _print_lookup(records: list[dict[str, object]], catalog) -> None:
    from rich.text import Text

    from permitcli.codes import format_code
    from permitcli.i18n import label

    lang = state.lang
    rules = catalog.rules
    console = stdout_console()
    for rec in records:
        code = rec["code"]
        head = Text(f"{rec['input']}", style="bold")
        if code:
            head.append(f"  → {format_code(str(code))}")
        head.append(f"  {label(str(rec['match']), lang)}", style="yellow" if rec["listed"] else "")
        console.print(head)
        if rec["listed"]:
            committee = rules.committees[str(rec["committee"])]
            console.print(f"  {label('annex', lang)} {rec['annex']}, {label('entry', lang)} {rec['entry']}: "
                          f"{rec['code_printed']} {rec['description_kk']}", markup=False)
            console.print(f"  {label('committee', lang)}: {committee.name[lang]} ({committee.ministry[lang]})",
                          markup=False)
            console.print(f"  {label('documents', lang)}:", markup=False)
            for n in rec["documents"]:  # type: ignore[union-attr]
                console.print(f"    {n}) {rules.documents[n][lang]}", markup=False)
            console.print(f"  {label('refusal-grounds', lang)}: "
                          + ", ".join(f"{g['number']})" for g in rec["refusal_grounds"]), markup=False)  # type: ignore[union-attr]
            for g in rules.grounds_for(int(rec["annex"])):  # type: ignore[arg-type]
                if g.visible_in_invoice:
                    console.print(f"    {g.number}) {g.text[lang]}", markup=False)
            console.print(f"  {label('exemptions', lang)}:", markup=False)
            for e in rules.exemptions:
                console.print(f"    {e.number}) {e.text[lang]}", markup=False)
        candidates = rec["candidates"]
        for c in candidates[:10]:  # type: ignore[index]
            console.print(f"  {label('may-be-listed', lang)}: {format_code(c['code'])} "
                          f"({label('annex', lang)} {c['annex']}, {label('entry', lang)} {c['entry']})", markup=False)
        if len(candidates) > 10:  # type: ignore[arg-type]
            console.print(f"  … {len(candidates) - 10} {label('more', lang)} (--format json lists all)",  # type: ignore[arg-type]
                          markup=False)
        for n in rec["near_misses"]:  # type: ignore[union-attr]
            console.print(f"  {label('near-misses', lang)}: {format_code(n['code'])} "
                          f"({label('annex', lang)} {n['annex']}, {label('entry', lang)} {n['entry']})", markup=False)
        if rec["reason"]:
            console.print(f"  {rec['reason']}", markup=False)


# ---------------------------------------------------------------------------------------------------- annexes


@app.command()
@guarded
def annexes(
    annex: Annotated[Optional[int], typer.Option("--annex", "-a", min=1, max=3, help="Only this annex (1, 2 or 3).")] = None,
    fmt: Annotated[AnnexFormat, typer.Option("--format", "-f", help="table, csv or json.")] = AnnexFormat.table,
) -> None:
    """List the goods the order puts under a permit, annex by annex."""
    from permitcli.catalog import load_catalog

    catalog = load_catalog()
    entries = [e for e in catalog.entries if annex is None or e.annex == annex]
    rules = catalog.rules
    header = ("annex", "entry", "code", "code_printed", "footnotes", "committee", "description_kk")
    rows = [
        (e.annex, e.entry, e.code, e.code_printed, " ".join(e.footnotes), rules.committee_for(e.annex).slug,
         e.description_kk)
        for e in entries
    ]
    if fmt is AnnexFormat.json:
        from permitcli.render.json import dumps

        emit(dumps([dict(zip(header, row)) for row in rows]))
    elif fmt is AnnexFormat.csv:
        from permitcli.render.csv import rows_csv

        emit(rows_csv(header, rows))
    else:
        from rich.table import Table

        from permitcli.i18n import label

        lang = state.lang
        console = stdout_console()
        for number in sorted({e.annex for e in entries}):
            committee = rules.committee_for(number)
            table = Table(title=f"{label('annex', lang)} {number} — {committee.name[lang]}", title_justify="left")
            table.add_column(label("entry", lang), justify="right")
            table.add_column(label("code", lang), no_wrap=True)
            table.add_column(label("description", lang), overflow="fold")
            for e in entries:
                if e.annex == number:
                    note = (" " + " ".join(e.footnotes)) if e.footnotes else ""
                    table.add_row(str(e.entry), e.code_printed, e.description_kk + note)
            console.print(table)


# ------------------------------------------------------------------------------------------------------ rules


@app.command()
@guarded
def rules(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """Show the committees, documents 1)–7), refusal grounds, exemptions and time limits."""
    from permitcli.catalog import load_catalog

    catalog = load_catalog()
    r = catalog.rules
    lang = state.lang
    if fmt is TableOrJson.json:
        from permitcli.render.json import dumps

        emit(dumps({
            "data_version": catalog.data_version,
            "committees": {s: {"annex": c.annex, "name": c.name, "ministry": c.ministry} for s, c in r.committees.items()},
            "documents": {str(n): d for n, d in r.documents.items()},
            "documents_by_annex": {str(a): list(d) for a, d in r.documents_by_annex.items()},
            "refusal_grounds": [{"number": g.number, "slug": g.slug, "annexes": list(g.annexes),
                                 "visible_in_invoice": g.visible_in_invoice, "text": g.text} for g in r.grounds],
            "exemptions": [{"number": e.number, "slug": e.slug, "text": e.text, "evidence": e.evidence,
                            "origin": e.origin} for e in r.exemptions],
            "sanctioned_origins": sorted(r.sanctioned_origins),
            "cis_states": [{"alpha2": s.alpha2, "status": s.status, "in_scope": s.in_scope, "note": s.note}
                           for s in r.states],
            "time_limits": r.time_limits,
        }))
        return
    from permitcli.i18n import label

    console = stdout_console()
    out = console.print
    out(f"{label('committee', lang)}:", style="bold")
    for c in r.committees.values():
        out(f"  {label('annex', lang)} {c.annex}: {c.name[lang]} — {c.ministry[lang]}", markup=False)
    out(f"{label('documents', lang)}:", style="bold")
    for n, d in r.documents.items():
        annexes_ = [str(a) for a, docs in r.documents_by_annex.items() if n in docs]
        out(f"  {n}) {d[lang]}  [{label('annex', lang)} {', '.join(annexes_)}]", markup=False)
    out(f"{label('refusal-grounds', lang)}:", style="bold")
    for g in r.grounds:
        out(f"  {g.number}) {g.text[lang]}  [{label('annex', lang)} {', '.join(map(str, g.annexes))}]", markup=False)
    out(f"{label('exemptions', lang)}:", style="bold")
    for e in r.exemptions:
        out(f"  {e.number}) {e.text[lang]}", markup=False)
    out(f"{label('time-limits', lang)}:", style="bold")
    for key, value in r.time_limits.items():
        if isinstance(value, dict):
            text = value.get(lang) or value.get("en") or ""
            out(f"  {key}: {text}", markup=False)
        else:
            out(f"  {key}: {value}", markup=False)


# ------------------------------------------------------------------------------------------------------ check

def _fail_statuses(fail_on: FailOn):
    from permitcli.model import Status

    return {
        FailOn.never: frozenset(),
        FailOn.refusal: frozenset({Status.REFUSAL_RISK}),
        FailOn.permit: frozenset({Status.REFUSAL_RISK, Status.PERMIT_REQUIRED}),
        FailOn.review: frozenset({Status.REFUSAL_RISK, Status.PERMIT_REQUIRED, Status.REVIEW}),
    }[fail_on]


@app.command()
@guarded
def check(
    files: Annotated[list[Path], typer.Argument(help="Invoices: .xlsx .xlsm .xls .ods .csv .tsv", show_default=False)],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="table, json, ndjson or csv.")] = CheckFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Table: list every line, not only those needing action.")] = False,
    sheet: SheetOption = None,
    columns: ColumnsOption = None,
    destination: Annotated[Optional[str], typer.Option("--destination", "-d", help="Destination country (ISO code or name).")] = None,
    evidence: EvidenceOption = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 from this status up: never, review, permit, refusal.")] = FailOn.review,
) -> None:
    """Screen invoices line by line: which lines need a permit, from whom, with which documents, which are refused."""
    from permitcli.catalog import load_catalog
    from permitcli.invoices import read_invoice
    from permitcli.screen import ScreenOptions, evidence_option, screen_invoice

    sheet_arg, column_map = reading_options(sheet, columns)
    dest = None
    if destination is not None:
        from permitcli.countries import resolve_country

        dest = resolve_country(destination)
        if dest is None:
            raise UsageError(f"--destination: country {destination!r} not recognised (use an ISO code such as RU)")
    options = ScreenOptions(destination=dest, evidence=evidence_option(evidence), lang=state.lang)
    catalog = load_catalog()

    results = []
    errors: list[dict[str, str]] = []
    progress = None
    import sys

    if len(files) > 3 and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        progress = Progress(console=Console(stderr=True), transient=True)
        progress.start()
        task = progress.add_task("checking", total=len(files))
    import gc

    gc.disable()  # the lines form no cycles: collecting while 100,000 of them are built only costs time
    try:
        for path in files:
            try:
                invoice = read_invoice(path, sheet=sheet_arg, columns=column_map)
                results.append(screen_invoice(invoice, options, catalog))
            except InputError as exc:
                errors.append({"path": str(path), "message": exc.message})
                err(f"permitcli: error: {exc.message}")
            if progress is not None:
                progress.advance(task)
    finally:
        gc.enable()
        if progress is not None:
            progress.stop()

    if fmt is CheckFormat.json:
        from permitcli.render.json import check_document

        emit(check_document(results, catalog.data_version, errors), output)
    elif fmt is CheckFormat.ndjson:
        from permitcli.render.json import ndjson_lines

        emit(b"".join(ndjson_lines(r) for r in results), output)
    elif fmt is CheckFormat.csv:
        from permitcli.render.csv import check_csv

        emit(check_csv(results), output)
    else:
        from permitcli.render.table import print_results

        if output is not None:
            from rich.console import Console

            console = Console(record=True, width=160, file=open(__import__("os").devnull, "w"))
            print_results(console, results, catalog, state.lang, show_all)
            emit(console.export_text(), output)
        else:
            print_results(stdout_console(), results, catalog, state.lang, show_all)

    if errors:
        raise typer.Exit(int(ExitCode.INPUT))
    failing = _fail_statuses(fail_on)
    if any(line.status in failing for r in results for line in r.lines):
        raise typer.Exit(int(ExitCode.FINDINGS))


def _register_more() -> None:
    try:
        from permitcli import cli_draft
    except ImportError:  # pragma: no cover - during development only
        return
    cli_draft.register(app)


_register_more()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except PermitError as exc:  # raised outside a command (e.g. while registering)
        err(f"permitcli: error: {exc.message}")
        raise SystemExit(int(exc.exit_code)) from None


if __name__ == "__main__":
    main()
