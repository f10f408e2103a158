"""Settings every test runs under."""

import pytest


@pytest.fixture(autouse=True)
def narrow_terminal(monkeypatch):
    """Every test runs as on a 40-column terminal: no test may pass only because the terminal is wide."""
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("LINES", "20")
