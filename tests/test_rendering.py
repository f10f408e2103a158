"""The workbooks as a broker sees them: opened by LibreOffice and drawn to a picture (skipped without soffice).

Every annotated copy (the examples, and the corpus when it is beside the repository) and the batch report must
open; the printed page of an annotated example must show each of its statuses' colours.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from permitcli.cli import app
from permitcli.i18n import label
from permitcli.model import Status
from permitcli.render.annotate import annotated_path
from permitcli.render.workbook import STATUS_COLOUR

ROOT = Path(__file__).resolve().parent.parent
CORPUS = next((folder / "shared" / "corpus" / "files" for folder in ROOT.parents  # ../shared, ../../shared…
               if (folder / "shared" / "corpus" / "files").is_dir()), Path("/nonexistent"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")

pytestmark = pytest.mark.skipif(not (SOFFICE and PDFTOPPM), reason="LibreOffice (soffice) and pdftoppm not installed")


def convert(workbooks: list[Path], to: str, folder: Path, profile: Path) -> None:
    """One LibreOffice run, with a profile of its own (a LibreOffice already open elsewhere is not disturbed)."""
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(folder), *map(str, workbooks)], check=True, capture_output=True, timeout=600)


def pixels(pdf: Path) -> tuple[int, int, bytes]:
    """The first page drawn at 40 dpi: width, height and RGB bytes (a PPM file, simple to read)."""
    stem = pdf.parent / "page"
    subprocess.run([PDFTOPPM, "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True,
                   timeout=120)
    data = (pdf.parent / "page.ppm").read_bytes()
    magic, width, height, depth, rest = data.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return int(width), int(height), rest


def test_annotated_copies_and_the_report_open_and_show_their_colours(tmp_path):
    sources = [ROOT / "examples" / name for name in ("spec_ru.xlsx", "invoice_en.xlsx", "export_1c.csv")]
    if CORPUS.is_dir():
        sources += sorted(CORPUS.iterdir())
    out = tmp_path / "checked"
    result = CliRunner().invoke(app, ["check", *map(str, sources), "--annotate", str(out), "--format", "xlsx",
                                      "-o", str(out / "report.xlsx")])
    assert result.exit_code in (1, 3), result.output
    workbooks = sorted(out.glob("*.xlsx"))
    assert out / "report.xlsx" in workbooks and annotated_path(out, sources[0]) in workbooks
    # Each opens (and its active sheet, the one annotated, saves as CSV: quicker than printing them all).
    convert(workbooks, "csv", tmp_path / "csv", tmp_path / "profile")
    for workbook in workbooks:
        text = (tmp_path / "csv" / workbook.with_suffix(".csv").name).read_text(encoding="utf-8", errors="replace")
        assert any(label(status.value, "en") in text for status in Status), workbook.name

    example = annotated_path(out, sources[0])
    convert([example], "pdf", tmp_path / "pdf", tmp_path / "profile")
    width, height, rgb = pixels(tmp_path / "pdf" / example.with_suffix(".pdf").name)
    seen = {bytes(rgb[i : i + 3]).hex().upper() for i in range(0, width * height * 3, 3)}
    for status in ("refusal-risk", "permit-required", "review", "exempt", "not-listed"):  # those spec_ru.xlsx has
        colour = next(c for s, c in STATUS_COLOUR.items() if s.value == status)
        assert colour in seen, f"{status}: no {colour} on the page"
