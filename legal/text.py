"""Text clean-up for stored fields and accent-insensitive search keys.

No legal rule is encoded here; Vietnamese text is stored in Unicode NFC, the composed form
that Vietnamese documents and keyboards (TCVN 6909:2001) use.
"""

from __future__ import annotations

import re
import unicodedata

_HSPACE = re.compile(r"[^\S\n]+")  # whitespace other than the newline
_SPACE_AT_EOL = re.compile(r" ?\n ?")
# Control characters other than tab, line feed and carriage return: C0, DEL and C1. Pasted
# from Word or a terminal they mean nothing in stored text, PostgreSQL refuses NUL in text
# columns, and XML (hence XLSX) refuses most of C0.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible characters with no place in a name: zero-width space, word joiner, the byte
# order mark used as a zero-width no-break space.
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")


def strip_controls(s: str) -> str:
    """`s` without control characters (C0 but tab, line feed and carriage return; DEL;
    C1), in Unicode NFC: what every request parameter goes through before a view sees it."""
    return unicodedata.normalize("NFC", CONTROLS.sub("", s))


def normalize_text(s: str | None) -> str | None:
    """Normalise user text before storing it.

    Unicode NFC; control characters dropped (see `strip_controls`), as are zero-width
    spaces, word joiners and byte order marks, and invisible format characters at either
    end (a name of zero-width spaces is empty); "\\r\\n" and "\\r" become "\\n"; runs of
    spaces, tabs and other horizontal whitespace (no-break spaces included) become one
    space; spaces next to a newline are dropped; the result is stripped. Newlines are kept.

    Args:
        s: the text, or None.

    Returns:
        the normalised text (possibly ""), or None when `s` is None.
    """
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s).replace("\r\n", "\n").replace("\r", "\n")
    s = _INVISIBLE.sub("", CONTROLS.sub("", s))
    s = _HSPACE.sub(" ", s)
    s = _SPACE_AT_EOL.sub("\n", s)
    s = s.strip()
    while s and (unicodedata.category(s[0]) == "Cf" or unicodedata.category(s[-1]) == "Cf"):
        s = s[1:] if unicodedata.category(s[0]) == "Cf" else s[:-1]
        s = s.strip()
    return s


def single_line(s: str | None) -> str | None:
    """`normalize_text` for a one-line field (a name, a number, an address): line breaks
    become spaces."""
    s = normalize_text(s)
    return None if s is None else " ".join(line for line in s.split("\n") if line)


def fold(s: str) -> str:
    """Search key: lower case, Vietnamese diacritics removed, "đ"/"Đ" → "d".

    Args:
        s: any text (NFC or not; it is NFC-normalised first).

    Returns:
        e.g. ``fold("Hà Nội") == "ha noi"``, ``fold("Đống Đa") == "dong da"``. Spacing is
        left as it is.
    """
    if s.isascii():  # nothing to strip (the bulk of codes, domains, numbers)
        return s.lower()
    s = unicodedata.normalize("NFC", s).replace("đ", "d").replace("Đ", "D")
    stripped = unicodedata.normalize("NFD", s).translate(_NOT_COMBINING)
    return unicodedata.normalize("NFC", stripped).lower()


class _Uncombined(dict):
    """str.translate's table: a combining mark → None (removed), any other character kept;
    filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_NOT_COMBINING = _Uncombined()
