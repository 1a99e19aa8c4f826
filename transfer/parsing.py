"""An uploaded file to the export's top-level object, refusing what is not an export.

A hostile file cannot knock the worker over: nesting deeper than an export's, numbers
longer than an export's and text that is not valid Unicode are refused before or right
after parsing, with a message (ImportRefused; transfer.views answers 400). What the
records hold is checked afterwards, by transfer.importer.
"""

from __future__ import annotations

import json
import re
from typing import Any

from transfer.export import FORMAT_NAME, FORMAT_VERSION
from transfer.reader import ImportRefused, shown
from transfer.uploads import MAX_IMPORT_BYTES, TOO_BIG

# An export nests 5 deep (the file, "routines", a session, "steps", a step) and its
# longest number has a few digits; a file far past either is not an export.
MAX_DEPTH = 20
MAX_DIGITS = 20
TOO_DEEP = (
    f"This file is nested more than {MAX_DEPTH} levels deep, which no export is. It was not read."
)
TOO_LONG_NUMBER = f"This file holds a number of more than {MAX_DIGITS} digits, which no export has."
NOT_UNICODE = (
    "This file holds text that is not valid Unicode (an unpaired surrogate such as "
    "\\ud800), so it cannot be stored."
)
NOT_A_NUMBER = "This file is not valid JSON: NaN and Infinity are not numbers."
# Every byte but the four brackets, to delete; then more than MAX_DEPTH opened in a row.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEEP = re.compile(rb"[\[{]{" + str(MAX_DEPTH + 1).encode() + rb"}")
# A \\uD800-\\uDFFF escape (a backslash, u, D8 to DF): the only way JSON holds a surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _too_deep(text: str) -> bool:
    """Whether the JSON text opens more than MAX_DEPTH arrays or objects in a row
    (brackets inside strings do not count). Regular expressions and str methods only,
    no recursion, so a file nested 50,000 deep never reaches the parser; a deep file of
    another shape makes the parser raise RecursionError, caught in parse_upload()."""
    # With escaped backslashes and quotes gone, every '"' starts or ends a string.
    plain = text.replace("\\\\", "").replace('\\"', "")
    outside_strings = "".join(plain.split('"')[::2])
    brackets = outside_strings.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return _DEEP.search(brackets) is not None


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise ImportRefused(TOO_LONG_NUMBER)
    return int(digits)


def _not_a_number(name: str) -> Any:
    raise ImportRefused(NOT_A_NUMBER)


def _valid_unicode(text: str, data: Any) -> bool:
    """Whether every text (keys too) can be stored: JSON's "\\ud800" escapes make
    Python strings that no database encoding takes. Only a file with such an escape
    in it is walked."""
    if not _SURROGATE_ESCAPE.search(text):
        return True
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return False
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True


def parse_upload(raw: bytes) -> dict[str, Any]:
    """Bytes of an uploaded file to the export's top-level object, or ImportRefused."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRefused(TOO_BIG)
    if not raw.strip():
        raise ImportRefused("This file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("This is not a SpasmCare export: it is not a text file.") from None
    if _too_deep(text):
        raise ImportRefused(TOO_DEEP)
    try:
        data = json.loads(text, parse_int=_whole_number, parse_constant=_not_a_number)
    except RecursionError:  # not reached after _too_deep(); kept as a backstop
        raise ImportRefused(TOO_DEEP) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string"):
            raise ImportRefused(
                "This file ends too early: it looks cut off. Download the export again."
            ) from None
        raise ImportRefused(
            f"This file is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    if not _valid_unicode(text, data):
        raise ImportRefused(NOT_UNICODE)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportRefused("This is not a SpasmCare export file.")
    version = data.get("format_version")
    if version is None:
        raise ImportRefused("This file has no format version, so it cannot be read safely.")
    if version != FORMAT_VERSION:
        raise ImportRefused(
            f"This file has format version {shown(repr(version))}; this SpasmCare reads "
            f"version {FORMAT_VERSION} only."
        )
    return data
