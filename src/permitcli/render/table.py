"""Rich tables for people: screened files, code look-ups, the annexes and the rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from permitcli.catalog import Catalog
from permitcli.codes import format_code
from permitcli.i18n import counted, finding_name, label, message
from permitcli.i18n import message as message_text
from permitcli.model import Status
from permitcli.render import FILE_LEVEL as _FILE_LEVEL
from permitcli.render import documents_text
from permitcli.screen import ACTION, ScreenedFile, Tally

STATUS_STYLE = {
    Status.PERMIT_REQUIRED: "yellow",
    Status.REFUSAL_RISK: "bold red",
    Status.REVIEW: "magenta",
    Status.EXEMPT: "green",
    Status.NOT_LISTED: "dim",
    Status.OUT_OF_SCOPE: "dim",
    Status.COVERED: "green",
}


def _short(text: str, width: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def screened_file(result: ScreenedFile, catalog: Catalog, lang: str, show_all: bool, width: int = 160) -> Group:
    """One file: a compact table of its lines (those that need action, or all), why, and a summary.

    Below 120 columns the findings column is left out: the lines under the table say them in full anyway.
    """
    inv = result.invoice
    title = inv.path + (f" [{label('sheet', lang)} {inv.sheet}]" if inv.sheet else "")
    if inv.header_row:
        title += f", {label('header-row', lang)} {inv.header_row}"
    table = Table(title=Text(title), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    keys = ("row", "code", "description", "origin", "status", "committee", "docs", "findings")
    wide = width >= 120
    for key in keys if wide else keys[:-1]:
        table.add_column(label(key, lang), overflow="fold", no_wrap=key not in ("description", "findings"),
                         justify="right" if key == "row" else "left", ratio=1 if key == "description" else None,
                         min_width=12 if key == "description" else None)
    shown = [line for line in result.lines if show_all or line.status in ACTION]
    reasons: dict[tuple[str, str], list[int]] = {}
    for line in shown:
        slugs = []
        for f in line.findings:
            if f.type in _FILE_LEVEL:
                continue
            slugs.append(f.type)
            reasons.setdefault((f.type, f.message), []).append(line.row)
        cells: list[str | Text] = [
            str(line.row),
            format_code(line.code) if line.code else _short(line.code_raw, 14),
            _short(line.description, 60 if wide else 32),
            line.origin or "",
            Text(label(line.status.value, lang), style=STATUS_STYLE[line.status]),
            label(line.committee, lang) if line.committee else "",
            documents_text(line.documents),
            "\n".join(dict.fromkeys(finding_name(slug, lang) for slug in slugs)),
        ]
        table.add_row(*(cells if wide else cells[:-1]))
    parts: list = [table] if shown else [Text(f"{title}: {label('nothing-to-do', lang)}")]
    # Why, once per reason: the rows on the left, the reason wrapping in its own column on the right.
    why = Table.grid(padding=(0, 1), pad_edge=True)
    why.add_column(no_wrap=True, style="bold")
    why.add_column(ratio=1)
    for (slug, reason), rows in reasons.items():
        where = ", ".join(str(r) for r in rows[:8]) + (f" +{len(rows) - 8}" if len(rows) > 8 else "")
        said = message_text("row-one" if len(rows) == 1 else "rows-many", lang, rows=where, more="")
        why.add_row(f" {said[:1].upper()}{said[1:]}", f"{finding_name(slug, lang)}: {reason}")
    for note in result.notes:
        why.add_row(Text(" ·", style="dim"), Text(f"{finding_name(note.type, lang)}: {note.message}", style="dim"))
    if why.row_count:
        parts.append(why)
    parts.append(summary_text(result, catalog, lang))
    if inv.accounting:
        parts.append(Padding(Text(accounting_text(inv.accounting, lang), style="dim"), (0, 0, 0, 2), expand=False))
    numbers = sorted({n for line in shown for n in line.documents})
    if numbers:  # what the numbers in the documents column mean
        docs = catalog.rules.documents
        legend = f"{label('documents', lang)}: " + "; ".join(f"{n}) {docs[n][f'short_{lang}']}" for n in numbers)
        parts.append(Padding(Text(legend, style="dim"), (0, 0, 0, 2), expand=False))  # wraps under itself
    if not show_all and shown:
        parts.append(Text(f"  ({label('action-only', lang)})", style="dim"))
    return Group(*parts)


def summary_text(result: ScreenedFile, catalog: Catalog, lang: str) -> Text:
    s = result.summary
    counts = ", ".join(f"{label(k, lang)} {v}" for k, v in s.by_status.items() if v)
    text = Text(f"{label('summary', lang)}: {counted(s.lines, 'lines', lang)}" + (f" — {counts}" if counts else ""))
    for slug, n in s.permits_by_committee.items():
        text.append("\n  " + message("applications-to", lang, committee=catalog.rules.committees[slug].name[lang], n=n))
    return text


def accounting_text(accounting: Mapping[str, Any], lang: str) -> str:
    """What became of the rows under the heading, in one sentence: nothing is left out unsaid."""
    skipped = {why: sum(last - first + 1 for first, last in ranges) for why, ranges in accounting["skipped"].items()}
    after = sum(last - first + 1 for first, last in accounting["after_end"])
    text = message("accounting-rows", lang, rows=accounting["rows"], lines=accounting["lines"])
    if skipped:
        text += message("accounting-skipped", lang, n=sum(skipped.values()),
                        reasons=", ".join(f"{why} {n}" for why, n in skipped.items()))
    end = accounting["end"]
    if end is not None:
        text += message("accounting-end", lang, row=end["row"], reason=end["reason"], n=after)
    return text


def totals_text(tallies: Iterable[Tally], files: int, unreadable: int, catalog: Catalog, lang: str) -> Text:
    """One summary over every file of a run."""
    by_status: dict[str, int] = {}
    permits: dict[str, int] = {}
    lines = 0
    for tally in tallies:
        summary = tally.summary()
        lines += summary.lines
        for key, n in summary.by_status.items():
            by_status[key] = by_status.get(key, 0) + n
        for slug, n in summary.permits_by_committee.items():
            permits[slug] = permits.get(slug, 0) + n
    counts = ", ".join(f"{label(k, lang)} {v}" for k, v in by_status.items() if v)
    head = f"{label('total', lang)}: {counted(files, 'files', lang)}"
    if unreadable:
        head += f" ({label('unreadable', lang)} {unreadable})"
    text = Text(head + f", {counted(lines, 'lines', lang)}" + (f" — {counts}" if counts else ""), style="bold")
    for slug, n in sorted(permits.items()):
        text.append("\n  " + message("applications-to", lang, committee=catalog.rules.committees[slug].name[lang], n=n))
    return text


def print_results(console: Console, results: list[ScreenedFile], catalog: Catalog, lang: str, show_all: bool) -> None:
    for result in results:
        console.print(screened_file(result, catalog, lang, show_all, console.width))
        console.print()
