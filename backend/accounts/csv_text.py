"""The bytes of an uploaded CSV file as text, and its dialect: what CRM exports really look like.

Excel on Windows saves "CSV" as cp1252 and, in much of Europe, with semicolons; a file decoded
with ``errors="replace"`` would store every umlaut as U+FFFD for good. So the encoding is
detected or the file refused with a message the admin can act on, never guessed silently.
"""

from __future__ import annotations

import codecs
import csv
import re

from backend.core.errors import Invalid

DELIMITERS = ",;\t"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_REFUSED = (
    "The file is not UTF-8 and not Windows-1252/Latin-1 text; save it as "
    '"CSV UTF-8 (comma delimited)" and upload it again.'
)


def _refuse(message: str = _REFUSED):
    raise Invalid("Cannot read the file.", {"files": {"file": [message]}})


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; else Windows-1252 if it reads as text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            _refuse()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # cp1252 is a superset of Latin-1's printable range; its five unmapped bytes and any
            # C0/C1 control character mean the file is some other encoding (or binary).
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                _refuse()
    if _CONTROL.search(text):
        _refuse("The file contains control characters (is it really a CSV text file?).")
    return text


def dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The delimiter sniffed from the header line, among comma, semicolon and tab."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel


def duplicated(headers: list[str]) -> list[str]:
    """Header names that appear more than once (after trimming and lower-casing)."""
    seen: set[str] = set()
    return sorted({h for h in headers if h in seen or seen.add(h)})
