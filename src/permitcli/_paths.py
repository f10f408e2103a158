"""Where the shipped data lives: inside the wheel, or in the source tree's data/ folder."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder that holds annexes/ and the other data tables."""
    bundled = _PACKAGE / "_data"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent.parent / "data"  # editable install or a source checkout
