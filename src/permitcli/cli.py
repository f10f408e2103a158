"""The permitcli command line (Typer): parse, call the core, render, exit with a documented code."""

import enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from permitcli import __version__
from permitcli.cli_support import (
    ColumnsOption,
    EvidenceOption,
    FinalDestinationOption,
    SheetOption,
    TableOrJson,
    emit,
    err,
    guarded,
    OneLineErrors,
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
    cls=OneLineErrors,
)


class Lang(str, enum.Enum):
    en = "en"
    ru = "ru"
    kk = "kk"


class AnnexFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    xlsx = "xlsx"


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


@app.command()
@guarded
def lookup(
    codes: Annotated[list[str], typer.Argument(help="TN VED codes, as typed: '8471 50 000 0', 8471.50.000.0, 8529 10; "
                                                    "- reads one code a line from standard input.")],
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """Tell for each code whether the order lists it, which committee issues the permit, and what it needs."""
    from permitcli.catalog import load_catalog, lookup_record

    catalog = load_catalog()
    if codes == ["-"]:
        import sys

        codes = [text.strip() for text in sys.stdin if text.strip()]
    records = [lookup_record(code, catalog) for code in codes]
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


def _print_lookup(records: list[dict[str, Any]], catalog) -> None:
    """Per code what is its own (annex, entry, committee, the numbers of its documents and refusal grounds);
    then, once for all codes, the texts of those documents and grounds and the exemptions."""
    from rich.text import Text

    from permitcli.codes import format_code
    from permitcli.i18n import label, message
    from permitcli.render.table import documents_text

    lang = state.lang
    rules = catalog.rules
    console = stdout_console()
    documents: set[int] = set()
    grounds: set[int] = set()
    for rec in records:
        code = rec["code"]
        head = Text(f"{rec['input']}", style="bold")
        if code:
            head.append(f"  → {format_code(str(code))}")
        head.append(f"  {label(str(rec['match']), lang)}", style="yellow" if rec["listed"] else "")
        console.print(head)
        if rec["listed"]:
            committee = rules.committees[str(rec["committee"])]
            own_grounds = [g.number for g in rules.grounds_for(int(rec["annex"]))]
            documents.update(rec["documents"])
            grounds.update(own_grounds)
            console.print(f"  {message('annex-n', lang, n=rec['annex'])}, {label('entry', lang)} {rec['entry']}: "
                          f"{rec['code_printed']} {rec['description_kk']}", markup=False)
            console.print(f"  {label('committee', lang)}: {committee.name[lang]} ({committee.ministry[lang]})",
                          markup=False)
            console.print(f"  {label('documents', lang)}: {documents_text(rec['documents'])}", markup=False)
            console.print(f"  {label('refusal-grounds', lang)}: {documents_text(own_grounds)}", markup=False)
        candidates = rec["candidates"]
        for c in candidates[:10]:
            console.print(f"  {label('may-be-listed', lang)}: {format_code(c['code'])} "
                          f"({message('annex-n', lang, n=c['annex'])}, {label('entry', lang)} {c['entry']})", markup=False)
        if len(candidates) > 10:
            console.print("  " + message("more-candidates", lang, n=len(candidates) - 10), markup=False)
        for n in rec["near_misses"]:
            console.print(f"  {label('near-misses', lang)}: {format_code(n['code'])} "
                          f"({message('annex-n', lang, n=n['annex'])}, {label('entry', lang)} {n['entry']})", markup=False)
        if rec["reason"]:
            console.print(f"  {message(str(rec['reason']), lang)}", markup=False)
    if not documents:
        return
    console.print()
    console.print(f"{label('documents', lang)}:", style="bold", markup=False)
    for n in sorted(documents):
        console.print(f"  {n}) {rules.documents[n][lang]}", markup=False)
    console.print(f"{label('refusal-grounds', lang)}:", style="bold", markup=False)
    for g in rules.grounds:
        if g.number in grounds:
            console.print(f"  {g.number}) {g.text[lang]}", markup=False)
    console.print(f"{label('exemptions', lang)}:", style="bold", markup=False)
    for e in rules.exemptions:
        console.print(f"  {e.number}) {e.text[lang]}", markup=False)


# ---------------------------------------------------------------------------------------------------- annexes


def _one_annex(value: Optional[int]) -> Optional[int]:
    if value is not None and value not in (1, 2, 3):
        raise typer.BadParameter(f"there is no annex {value}: the order has annexes 1, 2 and 3")
    return value


@app.command()
@guarded
def annexes(
    annex: Annotated[Optional[int], typer.Option("--annex", "-a", callback=_one_annex,
                                                 help="Only this annex (1, 2 or 3).")] = None,
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

        records = [dict(zip(header, row)) for row in rows]
        for record, e in zip(records, entries):
            record["footnotes"] = list(e.footnotes)  # a list, as `lookup` gives it; CSV joins them with spaces
        emit(dumps(records))
    elif fmt is AnnexFormat.csv:
        from permitcli.render.csv import rows_csv

        emit(rows_csv(header, rows))
    else:
        from rich.table import Table

        from permitcli.i18n import label, message

        lang = state.lang
        console = stdout_console()
        for number in sorted({e.annex for e in entries}):
            committee = rules.committee_for(number)
            table = Table(title=f"{message('annex-n', lang, n=number)} — {committee.name[lang]}", title_justify="left")
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
    """Show the committees, documents 1)–7), refusal grounds, exemptions, time limits, the service, and what else
    the order provides: the permit's delivery, control, no amendments, re-application, termination, refusal."""
    from permitcli.catalog import load_catalog

    import os

    from permitcli.clock import pilot_term
    from permitcli.render.rules import provision_lines, rules_extra_json, service_lines

    catalog = load_catalog()
    r = catalog.rules
    lang = state.lang
    term = pilot_term(catalog.manifest.get("dates", {}), os.environ)
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
                            "origin": e.origin, "requires": list(e.requires),
                            "original_required": e.original_required} for e in r.exemptions],
            "sanctioned_origins": sorted(r.sanctioned_origins),
            "cis_states": [{"alpha2": s.alpha2, "status": s.status, "in_scope": s.in_scope, "note": s.note}
                           for s in r.states],
            "time_limits": r.time_limits,
            "order": term.as_dict(),
            **rules_extra_json(r),
        }))
        return
    from permitcli.i18n import label, message, point_text

    console = stdout_console()
    out = console.print
    out(f"{label('committees', lang)}:", style="bold")
    for c in r.committees.values():
        out(f"  {message('annex-n', lang, n=c.annex)}: {c.name[lang]} — {c.ministry[lang]}", markup=False)
    out(f"{label('documents', lang)}:", style="bold")
    for n, d in r.documents.items():
        annexes_ = [str(a) for a, docs in r.documents_by_annex.items() if n in docs]
        out(f"  {n}) {d[lang]}  [{message('annex-n', lang, n=', '.join(annexes_))}]", markup=False)
    out(f"{label('refusal-grounds', lang)}:", style="bold")
    for g in r.grounds:
        out(f"  {g.number}) {g.text[lang]}  [{message('annex-n', lang, n=', '.join(map(str, g.annexes)))}]",
            markup=False)
    out(f"{label('exemptions', lang)}:", style="bold")
    for e in r.exemptions:
        out(f"  {e.number}) {e.text[lang]}", markup=False)
    out(f"{label('order-term', lang)}:", style="bold")
    if term.in_force:
        out(f"  {term.in_force.isoformat()} – {term.ends.isoformat() if term.ends else ''} ({term.source})", markup=False)
    else:
        out(f"  {label('order-term-unknown', lang)}", markup=False)
    out(f"{label('time-limits', lang)}:", style="bold")
    for value in r.time_limits.values():  # the texts; the bare numbers are for machines (--format json)
        if isinstance(value, dict):
            text = value.get(lang) or value.get("en") or ""
            point = point_text(str(value.get("point", "")), lang)
            out(f"  {point}: {text}" if point else f"  {text}", markup=False)
    for key, lines in (("service", service_lines(r, lang)), ("provisions", provision_lines(r, lang))):
        out(f"{label(key, lang)}:", style="bold")
        for text in lines:
            out(text, markup=False)


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
    files: Annotated[list[Path], typer.Argument(help="Invoices: .xlsx .xlsm .xls .ods .csv .tsv", show_default=False,
                                                metavar="FILE")],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="table, json, ndjson, csv or xlsx (needs -o).")] = CheckFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Table: list every line, not only those needing action.")] = False,
    sheet: SheetOption = None,
    columns: ColumnsOption = None,
    destination: Annotated[Optional[str], typer.Option("--destination", "-d", help="Destination country (ISO code or name).")] = None,
    evidence: EvidenceOption = None,
    final_destination: FinalDestinationOption = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 from this status up: never, review, permit, refusal.")] = FailOn.review,
    permits: Annotated[bool, typer.Option("--permits", help="Lines a permit held covers become 'covered' (the register "
                                          "is only read).")] = False,
    db: Annotated[Optional[str], typer.Option("--db", help="The register for --permits (default: PERMITCLI_DB, else "
                                              "the default file).", show_default=False)] = None,
    annotate: Annotated[Optional[Path], typer.Option("--annotate", metavar="DIR", help="Also write each invoice, marked up, as DIR/NAME.checked.xlsx.")] = None,
    force: Annotated[bool, typer.Option("--force", help="--annotate: replace copies that exist.")] = False,
) -> None:
    """Screen invoices line by line: which lines need a permit, from whom, with which documents, which are refused."""
    import contextlib
    import gc
    import sys

    from permitcli.invoices import open_invoices

    sheet_arg, column_map = reading_options(sheet, columns)
    if fmt is CheckFormat.xlsx and output is None:
        raise UsageError("--format xlsx writes a workbook: name it with --output FILE")
    opened = open_invoices(files, sheet=sheet_arg, columns=column_map, lang=state.lang)  # the first parse starts

    from permitcli.catalog import load_catalog
    from permitcli.screen import ScreenOptions, Screener, destination_option, evidence_option

    dest = destination_option(destination)
    catalog = load_catalog()
    screener = Screener(catalog, ScreenOptions(dest, evidence_option(evidence), state.lang,
                                               destination_option(final_destination, "--final-destination")))
    cover = None
    if permits or db is not None:
        from permitcli.cli_permits import permit_cover

        cover = permit_cover(db)
    failing = _fail_statuses(fail_on)
    annotations = None
    if annotate is not None:
        from permitcli.render.annotate import Annotations

        annotations = Annotations(annotate, files, catalog=catalog, lang=state.lang, force=force)
    errors: list[dict[str, str]] = []
    flagged = False

    with contextlib.ExitStack() as stack:
        sink = None
        if output is not None:
            from permitcli.files import atomic_output

            sink = stack.enter_context(atomic_output(output, overwrite=True))  # in place only if the run ends well
        console = None
        if fmt is CheckFormat.table:
            writer = None
            console = stdout_console() if sink is None else _recording_console()
        else:
            writer = _check_writer(fmt, sink or sys.stdout.buffer, catalog.data_version, show_all)
        progress = _progress(len(files))
        if progress is not None:
            stack.enter_context(progress)
            task = progress.add_task("checking", total=len(files))
        gc.disable()  # the lines form no cycles: collecting while 100,000 of them stream past only costs time
        stack.callback(gc.enable)
        tallies = []
        for path, stream in opened:
            tally, problem = _check_file(stream, screener, writer, console, show_all, cover, annotations)
            if problem is not None:
                errors.append({"path": str(path), "message": problem})
                err(f"permitcli: error: {problem}")
            if tally is not None:
                tallies.append(tally)
                flagged = flagged or any(tally.by_status[s] for s in failing)
            if progress is not None:
                progress.advance(task)
        if annotations is not None:
            annotations.flush()
        if console is not None and len(files) > 1:
            from permitcli.render.table import totals_text

            console.print(totals_text(tallies, len(files), len(errors), catalog, state.lang))
        if writer is not None:
            writer.close(errors)
        elif sink is not None and console is not None:
            sink.write(console.file.getvalue().encode("utf-8"))
        (sink or sys.stdout.buffer).flush()

    if annotations is not None:
        from permitcli.i18n import message

        if annotations.written:
            err("permitcli: " + message("annotated-written", state.lang, folder=annotate, n=len(annotations.written)))
        for failure in annotations.failed:
            err(f"permitcli: error: {failure}")
        if annotations.failed:
            raise typer.Exit(int(ExitCode.OUTPUT))
    if errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if flagged:
        raise typer.Exit(int(ExitCode.FINDINGS))


def _check_writer(fmt: CheckFormat, out, data_version: str, show_all: bool):
    if fmt is CheckFormat.json:
        from permitcli.render.json import CheckJsonWriter

        return CheckJsonWriter(out, data_version)
    if fmt is CheckFormat.ndjson:
        from permitcli.render.json import NdjsonWriter

        return NdjsonWriter(out)
    if fmt is CheckFormat.xlsx:
        from permitcli.render.xlsx import CheckXlsxWriter

        return CheckXlsxWriter(out, data_version, state.lang, show_all)
    from permitcli.render.csv import CheckCsvWriter

    return CheckCsvWriter(out)


def _recording_console():
    """A console that keeps the table as plain text, lines whole, to be written into a file at the end."""
    import io

    from permitcli.cli_support import file_console

    return file_console(io.StringIO())


def _progress(count: int):
    """A progress bar on stderr when many files are checked at a terminal."""
    import sys

    if count <= 3 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    return Progress(console=Console(stderr=True), transient=True)


def _check_file(stream, screener, writer, console, show_all: bool, cover=None, annotations=None):
    """Screen one opened file into the writer (or the table), and into its annotated copy; returns its Tally (None
    if it could not be opened) and the message of the error that stopped it, if any."""
    from permitcli.model import Invoice, ScreenedLine
    from permitcli.screen import ACTION, ScreenedFile, Tally, file_notes, screen_lines

    if isinstance(stream, InputError):
        return None, stream.message
    failure: list[str] = []  # an error found part-way through a file: what was read stands, the file is reported
    tally = Tally()
    read: list[ScreenedLine] = []
    with stream:
        if cover is None:
            screened = screen_lines(stream.lines(), screener, tally, failure)
        else:
            screened = _covered(stream.lines(), screener, tally, cover, failure)
        if annotations is not None:
            screened = _kept_in(screened, read)

        def tail() -> dict[str, object]:
            extra = {"error": failure[0]} if failure else {}
            return {"notes": file_notes(stream.notes, screener, tally), "summary": tally.summary().as_dict(),
                    "accounting": stream.accounting, **extra}

        head = {"path": stream.path, "sheet": stream.sheet, "header_row": stream.header_row, "columns": stream.columns}
        if writer is not None:
            writer.write_file(head, screened, tail)
        else:
            from permitcli.render.table import print_results

            kept = tuple(line for line in screened if show_all or line.status in ACTION)
            invoice = Invoice(path=stream.path, sheet=stream.sheet, header_row=stream.header_row, columns=stream.columns,
                              accounting=stream.accounting)
            result = ScreenedFile(invoice, kept, tally.summary(), file_notes(stream.notes, screener, tally))
            print_results(console, [result], screener.catalog, state.lang, show_all)
        if annotations is not None:
            from permitcli.render.annotate import SheetVerdicts, skipped_rows

            invoice = Invoice(path=stream.path, sheet=stream.sheet, header_row=stream.header_row, columns=stream.columns,
                              accounting=stream.accounting)
            result = ScreenedFile(invoice, tuple(read), tally.summary(), file_notes(stream.notes, screener, tally))
            annotations.add(Path(stream.path), SheetVerdicts(result, skipped_rows(stream.accounting, state.lang),
                                                             error=failure[0] if failure else None))
    return tally, (failure[0] if failure else None)


def _covered(lines, screener, tally, cover, failures: list[str]):
    """screen_lines, with each line as the permits held leave it (`--permits`) before it is counted."""
    screen, add, covered = screener.screen_line, tally.add, cover.line
    try:
        for line in lines:
            result = covered(screen(line))
            add(result)
            yield result
    except InputError as exc:  # found part-way through a file: what was read stands, the file is reported
        failures.append(exc.message)


def _kept_in(lines, kept: list):
    """The lines as they pass, each also kept in `kept`."""
    for line in lines:
        kept.append(line)
        yield line


def _register_more() -> None:
    from permitcli import cli_draft, cli_permits

    cli_draft.register(app)
    cli_permits.register(app)


_register_more()


def main() -> None:
    """Console-script entry point."""
    from permitcli.cli_lazy import command_tree

    try:
        command_tree(app)()  # as app(), with only the command that runs made
    except PermitError as exc:  # raised outside a command (e.g. while registering)
        err(f"permitcli: error: {exc.message}")
        raise SystemExit(int(exc.exit_code)) from None


if __name__ == "__main__":
    main()
