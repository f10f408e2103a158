"""Rich tables for people: screened files, code look-ups, the annexes and the rules."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from permitcli.catalog import Catalog
from permitcli.i18n import label
from permitcli.model import ScreenedLine, Status
from permitcli.screen import ACTION, ScreenedFile

STATUS_STYLE = {
    Status.PERMIT_REQUIRED: "yellow",
    Status.REFUSAL_RISK: "bold red",
    Status.REVIEW: "magenta",
    Status.EXEMPT: "green",
    Status.NOT_LISTED: "dim",
    Status.OUT_OF_SCOPE: "dim",
}


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def screened_file(result: ScreenedFile, catalog: Catalog, lang: str, show_all: bool) -> Group:
    """One file: its lines (those that need action, or all) and a summary."""
    inv = result.invoice
    title = inv.path + (f" [{label('sheet', lang)} {inv.sheet}]" if inv.sheet else "")
    if inv.header_row:
        title += f", {label('header-row', lang)} {inv.header_row}"
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for key in ("row", "code", "description", "origin", "status", "committee", "documents", "findings"):
        table.add_column(label(key, lang), overflow="fold", no_wrap=key in ("row", "code"))
    shown: Iterable[ScreenedLine] = result.lines if show_all else (l for l in result.lines if l.status in ACTION)
    committees = catalog.rules.committees
    any_row = False
    for line in shown:
        any_row = True
        committee = committees[line.committee].name[lang] if line.committee else ""
        table.add_row(
            str(line.row),
            line.code or line.code_raw,
            _short(line.description),
            line.origin or "",
            Text(label(line.status.value, lang), style=STATUS_STYLE[line.status]),
            committee,
            ",".join(str(d) for d in line.documents),
            "\n".join(f"{f.type}: {f.message}" for f in line.findings),
        )
    parts: list = []
    if any_row:
        parts.append(table)
    else:
        parts.append(Text(f"{title}: {label('nothing-to-do', lang)}"))
    for note in result.notes:
        parts.append(Text(f"  {note.type}: {note.message}", style="dim"))
    parts.append(summary_text(result, catalog, lang))
    if not show_all and any_row:
        parts.append(Text(f"  ({label('action-only', lang)})", style="dim"))
    return Group(*parts)


def summary_text(result: ScreenedFile, catalog: Catalog, lang: str) -> Text:
    s = result.summary
    counts = ", ".join(f"{label(k, lang)} {v}" for k, v in s.by_status.items() if v)
    text = Text(f"{label('summary', lang)}: {s.lines} {label('lines', lang)}" + (f" — {counts}" if counts else ""))
    for slug, n in s.permits_by_committee.items():
        text.append(f"\n  {catalog.rules.committees[slug].name[lang]}: {n} {label('applications', lang)}")
    return text


def print_results(console: Console, results: list[ScreenedFile], catalog: Catalog, lang: str, show_all: bool) -> None:
    for result in results:
        console.print(screened_file(result, catalog, lang, show_all))
        console.print()
