"""Text clean-up for stored fields and accent-insensitive search keys.

No legal rule is encoded here; Vietnamese text is stored in Unicode NFC, the composed form
that Vietnamese documents and keyboards (TCVN 6909:2001) use.
"""

from __future__ import annotations

import re
import unicodedata

_HSPACE = re.compile(r"[^\S\n]+")  # whitespace other than the newline
_SPACE_AT_EOL = re.compile(r" ?\n ?")


def normalize_text(s: str | None) -> str | None:
    """Normalise user text before storing it.

    Unicode NFC; "\\r\\n" and "\\r" become "\\n"; runs of spaces, tabs and other horizontal
    whitespace (no-break spaces included) become one space; spaces next to a newline are
    dropped; the result is stripped. Newlines are kept.

    Args:
        s: the text, or None.

    Returns:
        the normalised text (possibly ""), or None when `s` is None.
    """
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s).replace("\r\n", "\n").replace("\r", "\n")
    s = _HSPACE.sub(" ", s)
    s = _SPACE_AT_EOL.sub("\n", s)
    return s.strip()


def fold(s: str) -> str:
    """Search key: lower case, Vietnamese diacritics removed, "đ"/"Đ" → "d".

    Args:
        s: any text (NFC or not; it is NFC-normalised first).

    Returns:
        e.g. ``fold("Hà Nội") == "ha noi"``, ``fold("Đống Đa") == "dong da"``. Spacing is
        left as it is.
    """
    s = unicodedata.normalize("NFC", s).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", s)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()
