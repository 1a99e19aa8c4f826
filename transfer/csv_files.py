"""The pain entries and practices as CSV files, for reading in a spreadsheet.

Lists are joined with ";", an unanswered warning question is an empty cell (which is
not the same as "no"), every text cell is quoted, and text that a spreadsheet would run
as a formula is neutralised: at the start of the cell and after every character a
spreadsheet might split cells on, since the file may be opened with another separator.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from safety.signs import SIGNS_BY_CODE
from transfer.export import ENTRY_KEYS, PRACTICE_KEYS, entry_rows, practice_rows

# Cells starting with one of these are read as formulas by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet may split a line into cells on (the import dialogs offer these),
# and line ends: any of them can start a new cell.
SEPARATORS = (",", ";", "\t", "|", "\r", "\n")
# The start of the text, or a separator, then optional spaces (a spreadsheet may trim
# them), before a formula character: a "'" goes in just before that character.
_FORMULA_START = re.compile(
    "(^|["
    + re.escape("".join(SEPARATORS))
    + "])( *)(?=["
    + re.escape("".join(FORMULA_PREFIXES))
    + "])"
)

ENTRY_CSV_COLUMNS = list(ENTRY_KEYS)
# A practice's keys (no starter slug), with the change in pain after "pain_after".
PRACTICE_CSV_COLUMNS = [key for key in PRACTICE_KEYS if key != "routine_slug"]
PRACTICE_CSV_COLUMNS.insert(PRACTICE_CSV_COLUMNS.index("pain_after") + 1, "pain_change")


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet from running a cell, or any part of it split off at a
    separator, as a formula (CSV injection). Numbers are left as they are."""
    if isinstance(value, str):
        return _FORMULA_START.sub(r"\1\2'", value)
    return value


def _cell(key: str, value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool) and key in SIGNS_BY_CODE:
        return "yes" if value else "no"
    return "" if value is None else value


def _csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    # Every text cell in quotes (numbers stay bare, so spreadsheets read them as numbers).
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(_cell(key, row.get(key))) for key in columns])
    return buffer.getvalue().encode("utf-8")


def entries_csv(user) -> bytes:
    return _csv(entry_rows(user), ENTRY_CSV_COLUMNS)


def practices_csv(user) -> bytes:
    def rows():
        for p in practice_rows(user):
            after = p["pain_after"]
            p["pain_change"] = None if after is None else after - p["pain_before"]
            yield p

    return _csv(rows(), PRACTICE_CSV_COLUMNS)
