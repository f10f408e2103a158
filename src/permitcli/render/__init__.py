"""Renderers: one output format, one module; records shared by the machine-readable ones."""

from __future__ import annotations

from collections.abc import Iterable

CHECK_SCHEMA = "permitcli.check/1"

# The fields of each line in JSON, NDJSON and CSV: model.ScreenedLine's fields, in its order.
LINE_FIELDS = (
    "row", "code", "code_raw", "description", "origin", "quantity", "unit", "value", "currency", "destination",
    "status", "annex", "entry", "committee", "documents", "findings",
)


def documents_text(numbers: Iterable[int]) -> str:
    """(1, 2, 3, 4, 5, 7) → "1–5,7": runs of three or more as ranges."""
    nums = sorted(numbers)
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{nums[i]}–{nums[j]}")
        else:
            parts.extend(str(n) for n in nums[i : j + 1])
        i = j + 1
    return ",".join(parts)


# Findings said once for a file (in its notes), not on every line.
FILE_LEVEL = frozenset({"destination-assumed", "origin-from-document"})
